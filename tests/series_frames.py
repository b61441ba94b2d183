"""Small hand-made frames that conform to ``schema``, for the series, plot and report tests.

The texts are written for the tests (nothing here comes from ``../shared``).
"""

from __future__ import annotations

import pandas as pd

from analysis import schema
from analysis.pipeline import PipelineResult


def frame(schema_columns: dict[str, str], **columns: list) -> pd.DataFrame:
    """Return a frame of ``schema_columns`` with the given columns, others missing."""
    n = len(next(iter(columns.values())))
    data = {name: columns.get(name, [None] * n) for name in schema_columns}
    return schema.conform(pd.DataFrame(data), schema_columns)


def articles() -> pd.DataFrame:
    """Five articles over three weeks, with a week (8 to 14 January) that has none."""
    return frame(
        schema.ARTICLES,
        article_id=["a1", "a2", "a3", "a4", "a5"],
        source_id=["s1", "s2", "s3", "s4", "s5"],
        outlet=["Wire", "Wire", "Daily", "Daily", "Wire"],
        title=["Envoys meet", "Missile fired", "Seoul warns", "Missile fired", "Weather"],
        body=[
            "Envoys of the two Koreas held talks in Panmunjom.",
            "North Korea launched an intercontinental ballistic missile.",
            "Seoul threatened to retaliate against any provocation.",
            "North Korea launched an intercontinental ballistic missile.",
            "Rain is expected.",
        ],
        published_date=pd.to_datetime(
            ["2024-01-01", "2024-01-03", "2024-01-16", "2024-01-03", "2024-01-17"]
        ),
        # a4 repeats a2: it must not count twice.
        duplicate_of=[None, None, None, "a2", None],
    )


def mentions() -> pd.DataFrame:
    return frame(
        schema.MENTIONS,
        article_id=["a1", "a1", "a2", "a2", "a3", "a4"],
        sentence_id=[0, 0, 0, 0, 0, 0],
        actor=["PRK", "KOR", "PRK", "PRK", "KOR", "PRK"],
    )


def incidents() -> pd.DataFrame:
    """One ICBM launch on 3 January and a meeting on 1 January."""
    return frame(
        schema.INCIDENTS,
        incident_id=["i-launch", "i-talks"],
        event_type=["missile_launch", "meeting"],
        actor=["PRK", "KOR"],
        participants=[None, "KOR;PRK"],
        date_start=pd.to_datetime(["2024-01-03", "2024-01-01"]),
        date_end=pd.to_datetime(["2024-01-03", "2024-01-01"]),
        precision=["day", "day"],
        modality=["happened", "happened"],
        missile_class=["ICBM", None],
        n_mentions=[2, 1],
        n_articles=[2, 1],
        n_sources=[2, 1],
        first_reported=pd.to_datetime(["2024-01-03", "2024-01-01"]),
        last_reported=pd.to_datetime(["2024-01-03", "2024-01-01"]),
        article_ids=["a2;a4", "a1"],
        source_ids=["s2;s4", "s1"],
        outlets=["Daily;Wire", "Wire"],
        evidence=[
            "North Korea launched an intercontinental ballistic missile.",
            "Envoys of the two Koreas held talks in Panmunjom.",
        ],
    )


def events() -> pd.DataFrame:
    return frame(
        schema.EVENTS,
        source_id=["s2", "s4", "s1"],
        event_type=["missile_launch", "missile_launch", "meeting"],
        actor=["PRK", "PRK", "KOR"],
        date_start=pd.to_datetime(["2024-01-03", "2024-01-03", "2024-01-01"]),
        date_end=pd.to_datetime(["2024-01-03", "2024-01-03", "2024-01-01"]),
        modality=["happened", "happened", "happened"],
        missile_class=["ICBM", "ICBM", None],
        article_id=["a2", "a4", "a1"],
        published_date=pd.to_datetime(["2024-01-03", "2024-01-03", "2024-01-01"]),
    )


def manifest() -> pd.DataFrame:
    return frame(
        schema.MANIFEST,
        path=["in/a1.txt", "in/a2.txt", "in/a3.txt", "in/a4.txt", "in/a5.txt", "in/bad.bin"],
        record=[0, 0, 0, 0, 0, 0],
        status=["loaded", "loaded", "loaded", "duplicate", "loaded", "rejected"],
        reason=[None, None, None, "same text as in/a2.txt", None, "binary file, not text"],
    )


def result() -> PipelineResult:
    """A whole pipeline run, built by hand."""
    return PipelineResult(
        articles=articles(),
        manifest=manifest(),
        sentences=schema.empty(schema.SENTENCES),
        mentions=mentions(),
        events=events(),
        incidents=incidents(),
    )
