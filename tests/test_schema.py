"""The schema registry: each column defined once, frames with keys, checks that name the rows."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import SAMPLE

from analysis import schema
from analysis.pipeline import PipelineResult, run_pipeline


def _events(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = schema.empty(schema.EVENTS).reindex(range(n)).assign(**columns)
    return schema.conform(frame, schema.EVENTS)


def test_every_column_of_every_frame_is_a_field_with_a_description():
    for frame in schema.FRAMES.values():
        assert frame.primary_key, frame.name
        for column, field in frame.fields.items():
            assert field.description.strip(), column
            assert frame[column] == field.dtype
    described = schema.EVENTS.describe()
    assert described["column"].tolist() == list(schema.EVENTS)
    assert described.set_index("column").loc["event_type", "values"].startswith("missile_launch")


def test_a_column_means_one_thing_in_every_frame():
    # the id of the article is article_id wherever it appears; where it came from is source_id
    for name in ("sentences", "mentions", "timex", "events", "articles", "manifest"):
        assert "article_id" in schema.FRAMES[name], name
    assert "source_id" in schema.EVENTS and "source_ids" in schema.INCIDENTS


def test_check_names_an_unknown_category_and_its_row():
    events = _events(event_id=["e1", "e2"], event_type=["meeting", "summit"])
    with pytest.raises(
        schema.SchemaError, match=r"event_type: unknown values \['summit'\] in rows 1"
    ):
        schema.check(events, schema.EVENTS)


def test_check_names_a_repeated_id_and_its_rows():
    events = _events(event_id=["e1", "e2", "e1"], event_type=["meeting"] * 3)
    with pytest.raises(
        schema.SchemaError, match=r"primary key \['event_id'\] repeats in rows 0, 2"
    ):
        schema.check(events, schema.EVENTS)


def test_check_passes_missing_values_and_a_plain_mapping_checks_dtypes_only():
    events = _events(event_id=["e1", "e2"], event_type=["meeting", None])
    assert schema.check(events, schema.EVENTS) is events
    plain = {"event_id": schema.STR}
    repeated = pd.DataFrame({"event_id": pd.array(["a", "a"], dtype="string")})
    assert schema.check(repeated, plain) is repeated
    with pytest.raises(schema.SchemaError, match="event_id: dtype str.*, expected string"):
        schema.check(pd.DataFrame({"event_id": ["a"]}), plain)


def test_conform_casts_and_keeps_a_conforming_frame():
    raw = pd.DataFrame({"text": ["a"], "article_id": ["x"], "sentence_id": [0], "start": [0]})
    with pytest.raises(schema.SchemaError, match=r"missing columns \['end'\]"):
        schema.conform(raw, schema.SENTENCES)
    done = schema.conform(raw.assign(end=1, extra=True), schema.SENTENCES)
    assert schema.check(done, schema.SENTENCES) is done
    pd.testing.assert_frame_equal(schema.conform(done, schema.SENTENCES), done)


def test_the_pipeline_result_holds_the_registered_frames_in_order():
    names = tuple(f.name for f in dataclasses.fields(PipelineResult))
    assert names == (*schema.PIPELINE_FRAMES, "corrections")
    assert set(schema.STAGE_FRAMES) <= set(schema.PIPELINE_FRAMES)


@pytest.mark.slow
def test_every_event_joins_its_article_on_article_id():
    result = run_pipeline([SAMPLE])
    assert len(result.events) > 0
    joined = result.events.merge(
        result.articles, on="article_id", how="left", validate="m:1", suffixes=("", "_article")
    )
    assert joined["body"].notna().all()
    assert (joined["source_id"] == joined["source_id_article"]).all()
    mentions = result.mentions.merge(result.articles, on="article_id", validate="m:1")
    assert len(mentions) == len(result.mentions)


def test_event_ids_come_from_the_sentence_and_trigger_words_not_offsets():
    from analysis.events import extract_events

    body = "Seoul said on Monday that North Korea fired a missile on Sunday."
    frame = (
        schema.empty(schema.ARTICLES)
        .reindex([0])
        .assign(
            article_id="k1",
            source_id="story.txt",
            body=body,
            language="en",
            published_date=pd.Timestamp("2024-01-15"),
            date_method="metadata",
        )
    )
    events = extract_events(schema.conform(frame, schema.ARTICLES))
    assert len(events) == 1
    row = events.iloc[0]
    words = body[row["start"] : row["end"]]
    expected = schema.stable_event_id("k1", body, words, row["event_type"])
    assert row["event_id"] == expected
    # the same words in another place of the same article get the same id
    assert expected == schema.stable_event_id(
        "k1", " " + body + " ", words.upper(), row["event_type"]
    )
