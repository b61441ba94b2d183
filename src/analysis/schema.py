"""Every frame's columns and dtypes, in one place.

Each frame of the pipeline is described here once, as an ordered mapping of
column name to pandas dtype. Stages build their outputs with :func:`empty` or
check them with :func:`check` before handing them on, so a misspelt column or
a wrong dtype fails loudly at the stage boundary, with the offending values.

The flow (see ``GUIDE.md``)::

    raw files --ingest--> ARTICLES (+ MANIFEST)
    ARTICLES --nlp--> SENTENCES, MENTIONS, TIMEX
    ARTICLES --events--> EVENTS --timeline--> INCIDENTS
    ARTICLES + MENTIONS + INCIDENTS --series--> MENTION_SERIES, TENSION

Conventions: ``*_id`` identifiers, ``*_date`` dates (``datetime64[ns]``,
naive, the local calendar date), ``*_type`` categories, ``n_*`` counts,
``is_*`` booleans. Character offsets ``start``/``end`` always index the
article's ``body`` (``end`` exclusive), so every row points back into the
text that supports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import pyarrow as pa

STR = "string"
INT = "Int64"
FLOAT = "float64"
DATE = "datetime64[ns]"
BOOL = "boolean"

#: How a publication date was found, best first.
DATE_METHODS = ("metadata", "dateline", "url", "inferred", "missing")

#: Precision of a date or date range, finest first.
PRECISIONS = ("day", "weekend", "week", "month_part", "month", "year")

#: What happened to an input file or record.
STATUSES = ("loaded", "duplicate", "rejected")

#: Event types of ``GUIDELINES.md``.
EVENT_TYPES = (
    "missile_launch",
    "satellite_launch",
    "nuclear_test",
    "weapons_test",
    "artillery_fire",
    "military_exercise",
    "border_incident",
    "meeting",
    "threat",
    "sanctions",
    "agreement",
)

MODALITIES = ("happened", "planned", "denied")

MISSILE_CLASSES = (
    "ICBM",
    "IRBM",
    "MRBM",
    "SRBM",
    "SLBM",
    "cruise",
    "hypersonic",
    "MLRS",
    "unknown",
)

#: One row per article. ``article_id`` is a hash of the normalised title and
#: body, so the same text gets the same id on every run; ``source_id`` is the
#: article's id in its corpus (the file path relative to the corpus root, or
#: the record's own id, such as a KCNA link). ``published_date`` is the local
#: calendar date in ``timezone``; ``published_at`` is the ISO 8601 timestamp
#: with its UTC offset where the time is known.
ARTICLES: dict[str, str] = {
    "article_id": STR,
    "source_id": STR,
    "outlet": STR,
    "url": STR,
    "title": STR,
    "section": STR,
    "dateline": STR,
    "byline": STR,
    "caption": STR,
    "body": STR,
    "language": STR,
    "published_date": DATE,
    "published_at": STR,
    "timezone": STR,
    "date_method": STR,
    "date_precision": STR,
    "n_words": INT,
    "duplicate_of": STR,
    "format": STR,
}

#: One row per input file or record: what became of it and why.
MANIFEST: dict[str, str] = {
    "path": STR,
    "record": INT,
    "source_id": STR,
    "format": STR,
    "encoding": STR,
    "status": STR,
    "reason": STR,
    "article_id": STR,
    "duplicate_of": STR,
}

#: One row per sentence of an article body.
SENTENCES: dict[str, str] = {
    "article_id": STR,
    "sentence_id": INT,
    "start": INT,
    "end": INT,
    "text": STR,
}

#: One row per mention of a registered actor. ``actor`` is the code of the
#: state or organisation the mention stands for (``PRK``, ``KOR``, ``UN`` ...);
#: for a person, ``person`` and ``role`` say who they are.
MENTIONS: dict[str, str] = {
    "article_id": STR,
    "sentence_id": INT,
    "start": INT,
    "end": INT,
    "text": STR,
    "actor": STR,
    "actor_kind": STR,
    "person": STR,
    "role": STR,
}

#: One row per time expression found by :func:`analysis.resolve_dates`, with
#: offsets into the string it was given.
DATES: dict[str, str] = {
    "start": INT,
    "end": INT,
    "text": STR,
    "date_start": DATE,
    "date_end": DATE,
    "precision": STR,
    "rule": STR,
    "reason": STR,
}

#: One row per time expression in an article, offsets into the body.
TIMEX: dict[str, str] = {
    "article_id": STR,
    "sentence_id": INT,
    **DATES,
}

#: One row per event mention: (article, sentence, event type, actor). The
#: first ten columns are those of ``GUIDELINES.md``, except that the article
#: is named twice: ``source_id`` as its corpus names it (the gold files'
#: ``article_id``) and ``article_id`` as in every other frame.
EVENTS: dict[str, str] = {
    "source_id": STR,
    "event_type": STR,
    "actor": STR,
    "participants": STR,
    "date_start": DATE,
    "date_end": DATE,
    "precision": STR,
    "modality": STR,
    "missile_class": STR,
    "evidence": STR,
    "article_id": STR,
    "event_id": STR,
    "sentence_id": INT,
    "start": INT,
    "end": INT,
    "trigger": STR,
    "target": STR,
    "place": STR,
    "n_items": INT,
    "date_rule": STR,
    "confidence": FLOAT,
    "cameo_code": STR,
    "plover_type": STR,
    "goldstein": FLOAT,
    "outlet": STR,
    "published_date": DATE,
}

#: One row per real-world incident, merged from event mentions.
INCIDENTS: dict[str, str] = {
    "incident_id": STR,
    "event_type": STR,
    "actor": STR,
    "participants": STR,
    "date_start": DATE,
    "date_end": DATE,
    "precision": STR,
    "modality": STR,
    "missile_class": STR,
    "n_mentions": INT,
    "n_articles": INT,
    "n_sources": INT,
    "first_reported": DATE,
    "last_reported": DATE,
    "article_ids": STR,
    "source_ids": STR,
    "outlets": STR,
    "evidence": STR,
    "goldstein": FLOAT,
}


class SchemaError(ValueError):
    """A frame does not have the columns or dtypes its schema names."""


def empty(schema: Mapping[str, str]) -> pd.DataFrame:
    """Return an empty frame with the columns and dtypes of ``schema``.

    Examples
    --------
    >>> list(empty(SENTENCES).columns)
    ['article_id', 'sentence_id', 'start', 'end', 'text']
    """
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})


def strings(values: Sequence[str | None]) -> pd.api.extensions.ExtensionArray:
    """Return a column of dtype ``STR`` from Python strings (``None`` for missing).

    The same as ``pd.array(values, dtype=STR)`` for strings and ``None``,
    built by Arrow directly: about twice as fast, which counts for the
    language layer's frames of a hundred thousand rows and more.

    Examples
    --------
    >>> strings(["PRK", None]).tolist()
    ['PRK', <NA>]
    """
    return pd.array(pa.array(values, type=pa.large_string(), from_pandas=True), dtype=STR)


def local_dates(dates: pd.Series) -> pd.Series:
    """Return datetimes as the naive local calendar dates the ``*_date`` columns hold.

    A time-zone-aware series (as a user's own frame may have) keeps its wall
    time and loses its zone; a naive one is returned as it is.
    """
    if getattr(dates.dt, "tz", None) is not None:
        return dates.dt.tz_localize(None)
    return dates


def conform(frame: pd.DataFrame, schema: Mapping[str, str]) -> pd.DataFrame:
    """Return ``frame`` with exactly the columns of ``schema``, cast to its dtypes.

    Columns the schema names but the frame lacks raise :class:`SchemaError`;
    extra columns are dropped. The index is reset.
    """
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}; have {list(frame.columns)}")
    out = frame.loc[:, list(schema)].reset_index(drop=True)
    try:
        return out.astype(dict(schema))
    except (TypeError, ValueError) as err:
        raise SchemaError(f"cannot cast to schema: {err}") from err


def check(frame: pd.DataFrame, schema: Mapping[str, str], *, name: str = "frame") -> pd.DataFrame:
    """Check that ``frame`` has the columns and dtypes of ``schema``; return it.

    Raises
    ------
    SchemaError
        Naming the missing, extra or mistyped columns.
    """
    problems = []
    cols = list(frame.columns)
    if cols != list(schema):
        missing = [c for c in schema if c not in cols]
        extra = [c for c in cols if c not in schema]
        problems.append(f"columns differ: missing {missing}, extra {extra}, order {cols}")
    for col, dtype in schema.items():
        if col in frame.columns and str(frame[col].dtype) != str(pd.Series(dtype=dtype).dtype):
            problems.append(f"{col}: dtype {frame[col].dtype}, expected {dtype}")
    if problems:
        raise SchemaError(f"{name}: " + "; ".join(problems))
    return frame


#: Frequencies of the series: day, week (Monday to Sunday), month.
FREQS = ("D", "W", "M")

#: One row per (period, term): how many articles of the period mention an
#: actor (``term_kind`` ``actor``, ``term`` its code) or a chosen term
#: (``term_kind`` ``term``). ``period_date`` is the period's first day; every
#: period of the window is present for every term, with zero counts.
MENTION_SERIES: dict[str, str] = {
    "period_date": DATE,
    "term": STR,
    "term_kind": STR,
    "n_mentions": INT,
    "n_articles": INT,
    "n_period_articles": INT,
    "share": FLOAT,
}

#: One row per period of the tension index, the components side by side: the
#: raw measures (``incident_score``, ``rhetoric_share``, ``tone``), each
#: normalised so that the window's mean is 100 (``*_index``), the combined
#: ``tension``, its trailing rolling mean and whether the period jumps.
TENSION: dict[str, str] = {
    "period_date": DATE,
    "n_articles": INT,
    "n_incidents": INT,
    "incident_score": FLOAT,
    "threat_share": FLOAT,
    "act_share": FLOAT,
    "rhetoric_share": FLOAT,
    "tone": FLOAT,
    "incident_index": FLOAT,
    "rhetoric_index": FLOAT,
    "tone_index": FLOAT,
    "tension": FLOAT,
    "tension_rolling": FLOAT,
    "change": FLOAT,
    "is_jump": BOOL,
}

#: One row per jump of the tension index: how far it rose, which component
#: drove it and the incidents that weighed most in the period.
TENSION_JUMPS: dict[str, str] = {
    "period_date": DATE,
    "tension": FLOAT,
    "change": FLOAT,
    "driver": STR,
    "incident_ids": STR,
    "label": STR,
}
