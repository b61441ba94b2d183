"""The Dask engine: partitions, gathering, and Dask equal to pandas."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SAMPLE

from analysis import engine, schema


def make_articles(bodies: list[str]) -> pd.DataFrame:
    """An articles frame with the given bodies and little else."""
    n = len(bodies)
    frame = schema.empty(schema.ARTICLES).reindex(range(n))
    frame = frame.assign(
        article_id=[f"a{i:03d}" for i in range(n)],
        source_id=[f"doc{i}.txt" for i in range(n)],
        body=bodies,
        language="en",
        published_date=pd.date_range("2024-01-01", periods=n, freq="D"),
        date_method="metadata",
        n_words=[len(b.split()) for b in bodies],
    )
    return schema.conform(frame, schema.ARTICLES)


BODIES = [
    "North Korea fired two missiles on Monday. Seoul condemned the launch.",
    "The envoys met in Tokyo. They agreed to meet again in March.",
    "",
    "Pyongyang said the drills were a rehearsal for invasion.",
    "The UN Security Council met. It adopted no statement. China abstained.",
    "Artillery shells landed near Yeonpyeong island on Friday.",
    "Sanctions were extended for a year.",
]

SENTENCE_END = re.compile(r"[^.]+\.")


def split_on_periods(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Test-only stand-in for the per-article stages: sentences cut at periods.

    A real per-article function of the articles frame (same grain and schema
    as ``split_sentences``), simple enough that its output is known, plus a
    second frame with no schema to check that every key is gathered.
    """
    rows = []
    for article_id, body in zip(articles["article_id"], articles["body"], strict=True):
        for i, match in enumerate(SENTENCE_END.finditer(body or "")):
            rows.append((article_id, i, match.start(), match.end(), match.group().strip()))
    sentences = pd.DataFrame(rows, columns=list(schema.SENTENCES))
    lengths = pd.DataFrame(
        {"article_id": articles["article_id"].to_numpy(), "n_chars": articles["body"].str.len()}
    )
    return {"sentences": schema.conform(sentences, schema.SENTENCES), "lengths": lengths}


def skip_present_copies(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Test-only stand-in that, like the event extractor, looks across articles.

    An article is skipped when the article it copies (``duplicate_of``) is
    in the same frame: the one cross-article rule of the real stages.
    """
    present = set(articles["article_id"])
    kept = articles.loc[~articles["duplicate_of"].isin(present)]
    return split_on_periods(kept)


def fail_on_empty_body(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Test-only stand-in that fails on some partitions."""
    if (articles["body"] == "").any():
        raise RuntimeError("empty body in this partition")
    return {"lengths": articles[["article_id"]]}


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers inside this process: quick to start."""
    with engine.dask_client(n_workers=2, processes=False) as client:
        yield client


@pytest.mark.parametrize("npartitions", [1, 2, 3, 7, 50])
def test_partitions_are_contiguous_and_cover_the_frame(npartitions):
    articles = make_articles(BODIES)
    parts = engine.partition_articles(articles, npartitions=npartitions)
    assert len(parts) == min(npartitions, len(BODIES))
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
    pd.testing.assert_frame_equal(pd.concat(parts), articles)


def test_partitions_of_an_empty_frame_and_bad_counts():
    empty = make_articles([])
    assert [len(p) for p in engine.partition_articles(empty, npartitions=4)] == [0]
    with pytest.raises(ValueError, match="at least 1"):
        engine.partition_articles(empty, npartitions=0)


def test_default_npartitions_keeps_workers_busy_and_tasks_large():
    assert engine.default_npartitions(7, 2) == 4
    assert engine.default_npartitions(3, 8) == 3
    assert engine.default_npartitions(100_000, 2) == 50
    assert engine.default_npartitions(1, 0) == 1


@pytest.mark.parametrize("npartitions", [None, 1, 3, 7])
def test_dask_equals_in_process_for_a_per_article_function(client, npartitions):
    articles = make_articles(BODIES)
    before = articles.copy()
    expected = split_on_periods(articles)
    got = engine.process_on_dask(
        articles, scheduler=client, npartitions=npartitions, process=split_on_periods
    )
    assert list(got) == ["sentences", "lengths"]
    pd.testing.assert_frame_equal(got["sentences"], expected["sentences"])
    pd.testing.assert_frame_equal(got["lengths"], expected["lengths"])
    assert len(got["sentences"]) == 10
    pd.testing.assert_frame_equal(articles, before)


@pytest.mark.parametrize("npartitions", [2, 3, 7])
def test_copies_travel_with_their_originals(client, npartitions):
    articles = make_articles(BODIES + [BODIES[0], BODIES[4]])
    articles = articles.assign(
        duplicate_of=pd.array([pd.NA] * 7 + ["a000", "a004"], dtype="string")
    )
    expected = skip_present_copies(articles)
    assert "a007" not in set(expected["sentences"]["article_id"])
    got = engine.process_on_dask(
        articles, scheduler=client, npartitions=npartitions, process=skip_present_copies
    )
    pd.testing.assert_frame_equal(got["sentences"], expected["sentences"])
    pd.testing.assert_frame_equal(got["lengths"], expected["lengths"])


def test_context_articles_are_seen_but_not_returned():
    articles = make_articles(BODIES[:3])
    copy = articles.iloc[[0]].assign(
        article_id=pd.array(["a900"], dtype="string"),
        duplicate_of=pd.array(["a000"], dtype="string"),
    )
    context = engine.context_for(copy, articles)
    assert list(context["article_id"]) == ["a000"]
    got = engine.process_partition(copy, context, process=skip_present_copies)
    assert got["sentences"].empty and got["lengths"].empty
    alone = engine.process_partition(copy, None, process=skip_present_copies)
    assert list(alone["lengths"]["article_id"]) == ["a900"]


def test_empty_corpus_needs_no_cluster():
    got = engine.process_on_dask(
        make_articles([]), scheduler="tcp://nowhere.invalid:1", process=split_on_periods
    )
    schema.check(got["sentences"], schema.SENTENCES)
    assert got["sentences"].empty


def test_a_failing_partition_raises_its_own_error(client):
    with pytest.raises(RuntimeError, match="empty body"):
        engine.process_on_dask(
            make_articles(BODIES), scheduler=client, npartitions=3, process=fail_on_empty_body
        )


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(engine.SchedulerError, match="cannot reach the Dask scheduler"):
        engine.process_on_dask(
            make_articles(BODIES), scheduler="tcp://127.0.0.1:9", process=split_on_periods
        )


def test_partitions_must_agree_on_their_frames():
    with pytest.raises(ValueError, match="partition 1"):
        engine.concat_partitions([{"a": pd.DataFrame()}, {"b": pd.DataFrame()}])


def test_concat_keeps_schema_dtypes_when_a_partition_is_empty():
    full = split_on_periods(make_articles(BODIES[:2]))
    empty = split_on_periods(make_articles([""]))
    got = engine.concat_partitions([empty, full])
    schema.check(got["sentences"], schema.SENTENCES)
    pd.testing.assert_frame_equal(got["sentences"], full["sentences"])


@pytest.mark.slow
def test_dask_pipeline_equals_pandas_on_the_sample_corpus():
    """The acceptance test of the engine: the whole pipeline, Dask vs pandas.

    Runs on a local cluster of two worker processes, so the stages are
    pickled and imported on the workers as on a real cluster; the sample is
    cut into more partitions than it has files, so incidents whose mentions
    fall in different partitions must merge as they do in-process.
    """
    pytest.importorskip("analysis.events", reason="the events stage is not written yet")
    from analysis.ingest import load_articles
    from analysis.pipeline import process_articles, run_stages
    from analysis.timeline import build_timeline

    articles = load_articles([SAMPLE]).articles
    if articles.empty:
        pytest.skip("the sample corpus is not written yet")
    assert len(articles) >= 4, "the sample corpus is too small to partition"
    expected = process_articles(articles)
    with engine.dask_client(n_workers=2) as client:
        got = run_stages(articles, engine="dask", scheduler=client, npartitions=4)
    assert list(got) == list(expected)
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    assert len(got["events"]) > 0
    # every event joins its article by the id every frame shares
    joined = got["events"].merge(
        articles, on="article_id", how="left", validate="m:1", suffixes=("", "_article")
    )
    assert joined["body"].notna().all()
    assert (joined["source_id"] == joined["source_id_article"]).all()
    pd.testing.assert_frame_equal(build_timeline(got["events"]), build_timeline(expected["events"]))
