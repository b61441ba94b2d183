"""Series on small hand-made frames with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import series_frames as sf
from pandas.testing import assert_frame_equal, assert_series_equal

from analysis import schema
from analysis.series import (
    check_freq,
    choose_freq,
    count_mentions,
    incident_contributions,
    incident_labels,
    incident_weight,
    infer_freq,
    intensity_weights,
    period_calendar,
    security_analyzer,
    select_overlapping,
    select_window,
    tension_index,
    tension_jumps,
    usable_articles,
)

WEEKS = pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"])


def test_count_mentions_fills_the_empty_week_and_skips_duplicates():
    articles, mentions = sf.articles(), sf.mentions()
    before = articles.copy()
    got = count_mentions(articles, mentions, freq="W")
    expected = schema.conform(
        pd.DataFrame(
            {
                "period_date": list(WEEKS) * 2,
                "term": ["KOR"] * 3 + ["PRK"] * 3,
                "term_kind": ["actor"] * 6,
                # a4 repeats a2 and is left out: PRK has 3 mentions in 2 articles.
                "n_mentions": [1, 0, 1, 3, 0, 0],
                "n_articles": [1, 0, 1, 2, 0, 0],
                "n_period_articles": [2, 0, 2, 2, 0, 2],
                "share": [0.5, np.nan, 0.5, 1.0, np.nan, 0.0],
            }
        ),
        schema.MENTION_SERIES,
    )
    assert_frame_equal(got, expected)
    assert_frame_equal(articles, before)


def test_count_mentions_counts_terms_in_titles_and_bodies():
    got = count_mentions(sf.articles(), sf.mentions(), freq="M", terms=["missile", "talks"])
    terms = got.loc[got["term_kind"] == "term"].set_index("term")
    # a2's title and body both say missile; the duplicate a4 does not count.
    assert terms.loc["missile", "n_mentions"] == 2
    assert terms.loc["missile", "n_articles"] == 1
    assert terms.loc["missile", "n_period_articles"] == 4
    assert terms.loc["missile", "share"] == pytest.approx(0.25)
    assert terms.loc["talks", "n_articles"] == 1


def test_count_mentions_takes_regular_expressions_and_a_window():
    got = count_mentions(
        sf.articles(),
        sf.mentions(),
        freq="W",
        terms={"retaliation": r"retaliat\w*"},
        actors=["KOR"],
        start="2023-12-25",
    )
    assert set(got["term"]) == {"KOR", "retaliation"}
    first = got.loc[got["period_date"] == pd.Timestamp("2023-12-25")]
    assert (first["n_period_articles"] == 0).all() and first["share"].isna().all()
    hit = got.loc[(got["term"] == "retaliation") & (got["n_articles"] > 0), "period_date"]
    assert list(hit) == [pd.Timestamp("2024-01-15")]


def test_count_mentions_rejects_an_unknown_frequency():
    with pytest.raises(ValueError, match="freq"):
        count_mentions(sf.articles(), sf.mentions(), freq="fortnight")


def test_security_lexicon_turns_an_icbm_launch_negative():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sentence = "North Korea launched an intercontinental ballistic missile."
    assert SentimentIntensityAnalyzer().polarity_scores(sentence)["compound"] > 0
    assert security_analyzer().polarity_scores(sentence)["compound"] < -0.3
    assert security_analyzer().polarity_scores("Rain is expected.")["compound"] == 0


def test_tension_index_components_on_three_weeks():
    got = tension_index(sf.articles(), sf.incidents(), freq="W")
    schema.check(got, schema.TENSION, name="tension")
    assert list(got["period_date"]) == list(WEEKS)
    assert list(got["n_articles"]) == [2, 0, 2]
    assert list(got["n_incidents"]) == [2, 0, 0]
    weights = intensity_weights().set_index(["event_type", "missile_class"])["weight"]
    icbm, meeting = weights[("missile_launch", "ICBM")], weights[("meeting", "")]
    assert meeting < 0 < icbm
    assert list(got["incident_score"]) == [icbm + meeting, 0, 0]
    # The score is positive in one week of three: three times the mean.
    assert list(got["incident_index"]) == [300, 0, 0]
    # Week 1: the launch is an act (a1 is talks); week 3: a threat (a5 is weather).
    assert_series_equal(got["act_share"], pd.Series([0.5, np.nan, 0.0]), check_names=False)
    assert_series_equal(got["threat_share"], pd.Series([0.0, np.nan, 0.5]), check_names=False)
    assert list(got["rhetoric_index"].fillna(-1)) == [100, -1, 100]
    # The launch darkens week 1; the week without articles has no tone.
    assert got["tone"][0] < 0 and np.isnan(got["tone"][1])
    assert got["tone_index"].mean() == pytest.approx(100)
    assert np.isnan(got["tension"][1])
    expected = (got["incident_index"] + got["rhetoric_index"] + got["tone_index"]) / 3
    assert_series_equal(got["tension"], expected, check_names=False)


def test_tension_index_known_tone_of_neutral_articles():
    articles = sf.frame(
        schema.ARTICLES,
        article_id=["n1", "n2"],
        title=["Weather", "Weather"],
        body=["Rain is expected.", "Rain is expected. Snow is expected."],
        published_date=pd.to_datetime(["2024-03-04", "2024-03-12"]),
    )
    got = tension_index(articles, sf.incidents().iloc[0:0], freq="W")
    assert list(got["tone"]) == [0.0, 0.0]
    # Nothing varies, so every component sits at its mean.
    assert list(got["tension"]) == pytest.approx([100.0, 100.0])
    assert not got["is_jump"].any()


def test_rolling_mean_and_change_skip_the_week_without_articles():
    got = tension_index(sf.articles(), sf.incidents(), freq="W", window=4)
    first, third = got["tension"][0], got["tension"][2]
    assert np.isnan(got["tension"][1])
    # The rolling mean is missing where the index is, and over the gap it
    # averages only the weeks that have an index.
    assert got["tension_rolling"][0] == pytest.approx(first)
    assert np.isnan(got["tension_rolling"][1])
    assert got["tension_rolling"][2] == pytest.approx((first + third) / 2)
    # The change is measured from the last weeks that have an index.
    assert np.isnan(got["change"][0]) and np.isnan(got["change"][1])
    assert got["change"][2] == pytest.approx(third - first)


def _per_day(counts: list[int], start: str = "2024-01-01") -> pd.DataFrame:
    """Articles published ``counts[i]`` at a time on day ``i`` from ``start``."""
    days = pd.date_range(start, periods=len(counts), freq="D")
    dates = [day for day, n in zip(days, counts, strict=True) for _ in range(n)]
    return sf.frame(
        schema.ARTICLES,
        article_id=[f"c{i}" for i in range(len(dates))],
        published_date=dates,
    )


def test_choose_freq_takes_the_finest_period_with_enough_articles():
    # Three articles every day for two weeks: days.
    assert choose_freq(_per_day([3] * 14), min_articles=3) == "D"
    # Three on each Monday for ten weeks: most days are empty, every week counts.
    assert choose_freq(_per_day(([3] + [0] * 6) * 10), min_articles=3) == "W"
    # One a week for twenty weeks (Monday 1 January to Monday 13 May): four or
    # five a month, no week with three.
    assert choose_freq(_per_day(([1] + [0] * 6) * 19 + [1]), min_articles=3) == "M"
    # Three of four weeks covered is enough, two of four is not.
    assert choose_freq(_per_day(([3] + [0] * 6) * 3 + [1]), min_articles=3) == "W"
    assert choose_freq(_per_day(([3] + [0] * 6) * 2 + [1] + [0] * 6 + [1])) == "M"
    # Too many days to read on one chart: weeks, though every day is covered.
    assert choose_freq(_per_day([3] * 200), min_articles=3, max_periods=120) == "W"
    # Duplicates do not count; nothing at all falls back to months.
    doubled = _per_day([2] * 7).assign(duplicate_of=["c0"] * 14)
    assert choose_freq(doubled, min_articles=1) == "M"
    assert choose_freq(schema.empty(schema.ARTICLES)) == "M"


def _quiet_days(n: int) -> pd.DataFrame:
    return sf.frame(
        schema.ARTICLES,
        article_id=[f"q{i}" for i in range(n)],
        title=["Weather"] * n,
        body=["Rain is expected."] * n,
        published_date=pd.date_range("2024-01-01", periods=n, freq="D"),
    )


def test_one_incident_makes_a_jump_named_after_it():
    incidents = (
        sf.incidents()
        .iloc[[0]]
        .assign(date_start=pd.Timestamp("2024-01-08"), date_end=pd.Timestamp("2024-01-08"))
    )
    tension = tension_index(_quiet_days(12), incidents, freq="D")
    assert list(tension.loc[tension["is_jump"], "period_date"]) == [pd.Timestamp("2024-01-08")]
    jumps = tension_jumps(tension, incidents)
    schema.check(jumps, schema.TENSION_JUMPS, name="jumps")
    assert list(jumps["incident_ids"]) == ["i-launch"]
    assert list(jumps["driver"]) == ["incidents"]
    assert jumps["label"][0] == "PRK missile launch (ICBM)"
    assert jumps["change"][0] > 0


def test_no_jump_without_a_rise():
    tension = tension_index(_quiet_days(6), sf.incidents().iloc[0:0], freq="D")
    assert tension_jumps(tension, sf.incidents()).empty


def test_incident_spread_over_its_range_and_only_if_it_happened():
    month = sf.incidents().assign(
        date_start=pd.to_datetime(["2024-01-01", "2024-01-01"]),
        date_end=pd.to_datetime(["2024-01-21", "2024-01-01"]),
        modality=["happened", "planned"],
    )
    got = incident_contributions(month, freq="W")
    assert list(got["incident_id"]) == ["i-launch"] * 3
    assert list(got["period_date"]) == list(WEEKS)
    icbm = incident_weight(month.iloc[[0]])[0]
    assert got["contribution"].sum() == pytest.approx(icbm)
    assert got["contribution"].nunique() == 1


def test_weights_order_escalation_and_reject_unknown_types():
    probe = sf.frame(
        schema.INCIDENTS,
        event_type=[
            "nuclear_test",
            "missile_launch",
            "missile_launch",
            "missile_launch",
            "agreement",
        ],
        missile_class=[None, "ICBM", "SRBM", None, None],
    )
    nuclear, icbm, srbm, unknown, agreement = incident_weight(probe)
    assert nuclear > icbm > unknown > srbm > 0 > agreement
    with pytest.raises(ValueError, match="parade"):
        incident_weight(probe.assign(event_type="parade"))


def test_every_event_type_has_a_weight():
    probe = sf.frame(
        schema.INCIDENTS,
        event_type=list(schema.EVENT_TYPES),
        missile_class=[None] * len(schema.EVENT_TYPES),
    )
    assert incident_weight(probe).notna().all()


def test_select_window_keeps_both_ends():
    got = select_window(sf.articles(), start="2024-01-03", end="2024-01-16")
    assert list(got["article_id"]) == ["a2", "a3", "a4"]
    assert len(select_window(sf.articles())) == 5
    events = select_window(sf.events(), end="2024-01-01", column="date_start")
    assert list(events["event_type"]) == ["meeting"]


def test_check_freq_names_the_frequencies_it_takes():
    assert [check_freq(freq) for freq in ("D", "W", "M")] == ["D", "W", "M"]
    with pytest.raises(ValueError, match=r"one of \('D', 'W', 'M'\), not 'Q'"):
        check_freq("Q")


def test_usable_articles_leave_out_duplicates_and_undated_ones():
    articles = sf.articles()
    undated = articles.assign(
        published_date=articles["published_date"].where(articles["article_id"] != "a5")
    )
    # a4 repeats a2; a5 has no date.
    assert list(usable_articles(undated)["article_id"]) == ["a1", "a2", "a3"]
    # Without a duplicate_of column, every dated article counts.
    assert len(usable_articles(articles.drop(columns="duplicate_of"))) == 5


def test_period_calendar_has_no_gap_and_gives_each_row_its_period():
    periods, rows = period_calendar(sf.articles(), freq="W")
    # The week without articles is in the calendar.
    assert list(periods.start_time) == list(WEEKS)
    assert list(rows["article_id"]) == ["a1", "a2", "a3", "a4", "a5"]
    week_of = dict(zip(rows["article_id"], rows["period"].dt.start_time, strict=True))
    assert week_of == {
        "a1": WEEKS[0],
        "a2": WEEKS[0],
        "a3": WEEKS[2],
        "a4": WEEKS[0],
        "a5": WEEKS[2],
    }


def test_period_calendar_keeps_only_the_window_and_any_date_column():
    periods, rows = period_calendar(sf.articles(), freq="M", start="2024-01-10")
    assert list(periods.astype(str)) == ["2024-01"]
    # The window is whole periods: the articles of early January count too.
    assert len(rows) == 5
    events = sf.events().assign(date_start=pd.to_datetime(["2024-01-03", None, "2024-01-01"]))
    periods, rows = period_calendar(events, freq="D", end="2024-01-02", column="date_start")
    assert list(periods.astype(str)) == ["2024-01-01", "2024-01-02"]
    assert list(rows["event_type"]) == ["meeting"]


def test_period_calendar_of_an_empty_window_is_empty():
    periods, rows = period_calendar(sf.articles(), freq="W", start="2024-02-01", end="2024-01-01")
    assert len(periods) == 0 and rows.empty and "period" in rows.columns
    periods, rows = period_calendar(schema.empty(schema.ARTICLES), freq="D")
    assert len(periods) == 0 and rows.empty


def test_infer_freq_reads_the_step_between_period_dates():
    for freq in ("D", "W", "M"):
        tension = tension_index(sf.articles(), sf.incidents(), freq=freq)
        assert infer_freq(tension["period_date"]) == freq
    assert infer_freq(pd.Series(pd.to_datetime(["2024-01-01"]))) == "M"
    assert infer_freq(pd.Series(pd.to_datetime(["2024-01-08", "2024-01-01"]))) == "W"


def test_select_overlapping_keeps_what_began_before_the_window():
    talks = sf.incidents().assign(
        date_start=pd.to_datetime(["2024-01-03", "2023-12-20"]),
        date_end=pd.to_datetime([None, "2024-01-02"]),
    )
    got = select_overlapping(talks, start="2024-01-01", end="2024-01-31")
    assert list(got["incident_id"]) == ["i-launch", "i-talks"]
    # select_window looks at one date column only: the talks began before it.
    began = select_window(talks, start="2024-01-01", end="2024-01-31", column="date_start")
    assert list(began["incident_id"]) == ["i-launch"]
    assert list(select_overlapping(talks, start="2024-01-03")["incident_id"]) == ["i-launch"]
    assert list(select_overlapping(talks, end="2023-12-31")["incident_id"]) == ["i-talks"]
    undated = talks.assign(date_start=pd.to_datetime([None, "2023-12-20"]))
    assert list(select_overlapping(undated)["incident_id"]) == ["i-talks"]


def test_incident_labels_name_actor_type_and_a_known_class():
    incidents = sf.incidents().assign(missile_class=["unknown", None])
    assert list(incident_labels(incidents)) == ["PRK missile launch", "KOR meeting"]
    named = sf.incidents().assign(actor=[None, ""])
    assert list(incident_labels(named)) == ["missile launch (ICBM)", "meeting"]
    assert list(incident_labels(named).index) == list(named.index)


def test_mix_weighs_the_components_and_rejects_unknown_ones():
    got = tension_index(sf.articles(), sf.incidents(), freq="W", mix={"incident_index": 1.0})
    # Only the incidents count, so even the week without articles has an index.
    assert_series_equal(got["tension"], got["incident_index"], check_names=False)
    assert list(got["tension"]) == [300, 0, 0]
    with pytest.raises(ValueError, match="vibes"):
        tension_index(sf.articles(), sf.incidents(), mix={"vibes": 1.0})


def test_min_articles_leaves_thin_periods_without_a_reading():
    # Two articles in each of weeks 1 and 3 (a4, the duplicate, does not count).
    two = tension_index(sf.articles(), sf.incidents(), freq="W", min_articles=2)
    assert list(two["tension"].notna()) == [True, False, True]
    three = tension_index(sf.articles(), sf.incidents(), freq="W", min_articles=3)
    assert three["tension"].isna().all()
    assert three[["rhetoric_share", "tone", "rhetoric_index", "tone_index"]].isna().all().all()
    # The incidents are still counted and scored.
    assert_series_equal(three["incident_score"], two["incident_score"])
    assert list(three["n_articles"]) == [2, 0, 2]


@pytest.mark.shared
@pytest.mark.slow
def test_rhetoric_and_tone_rise_around_the_2016_launch_and_sanctions():
    """Reuters 2016: the weeks of the February satellite launch (7 Feb) and of the
    UN sanctions resolution (2 Mar) read darker and more threatening than the
    window's mean, from the lexicons alone (no extracted incidents)."""
    from conftest import shared_path

    from analysis.ingest import load_articles

    corpus = load_articles([shared_path("corpora", "reuters-2016")])
    tension = tension_index(
        corpus.articles, sf.incidents().iloc[0:0], freq="W", min_articles=3
    ).set_index("period_date")
    for week in ("2016-02-01", "2016-02-29"):
        row = tension.loc[pd.Timestamp(week)]
        assert row["rhetoric_index"] > 100, week
        assert row["tone_index"] > 100, week
