"""Mentions and tension over time.

Two families of series, both on a complete calendar of periods (day, week or
month) so that they can be compared and plotted without gaps in the index:

- :func:`count_mentions`: how many articles of each period mention an actor
  or a chosen term, as counts and as the share of the period's articles.
- :func:`tension_index`: a tension index an analyst can take apart, with its
  three components side by side: incidents weighted by the intensity table
  ``data/tension_intensity.csv``; rhetoric, the share of articles with threat
  or act terms (``data/tension_rhetoric.csv``), in the manner of Caldara and
  Iacoviello's geopolitical risk index; and tone, the VADER compound score
  with VADER's lexicon (from the ``vaderSentiment`` package) extended by the
  security vocabulary of ``data/tension_vader_security.csv``.
  :func:`tension_jumps` names the periods where it jumps and the incidents
  that moved it most.

Only articles that are not duplicates and have a publication date count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import schema

if TYPE_CHECKING:  # pragma: no cover
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

#: Component columns of :data:`schema.TENSION` and their default weights in
#: the combined index.
COMPONENTS = {"incident_index": 1 / 3, "rhetoric_index": 1 / 3, "tone_index": 1 / 3}

# A light sentence splitter for tone when no SENTENCES frame is given: VADER
# is built for sentences, and scoring a whole article saturates its compound.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


# --------------------------------------------------------------------------
# Package data


def _read_data(name: str) -> pd.DataFrame:
    with resources.files("analysis").joinpath("data", name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _default_weights() -> pd.DataFrame:
    table = _read_data("tension_intensity.csv")
    return table.assign(weight=table["weight"].astype(float))


def intensity_weights() -> pd.DataFrame:
    """Return the intensity table: one row per (event type, missile class).

    Columns ``event_type``, ``missile_class`` (empty except for
    ``missile_launch``), ``weight`` and ``note``. Escalations weigh more (a
    nuclear test or an ICBM launch more than a short-range launch); talks and
    agreements have negative weights, so they pull the index down.
    """
    return _default_weights().copy()


@lru_cache(maxsize=1)
def _rhetoric_patterns() -> dict[str, re.Pattern[str]]:
    table = _read_data("tension_rhetoric.csv")
    return {
        category: re.compile(r"\b(?:" + "|".join(group["pattern"]) + r")\b", re.IGNORECASE)
        for category, group in table.groupby("category", sort=True)
    }


@lru_cache(maxsize=1)
def security_analyzer() -> SentimentIntensityAnalyzer:
    """Return VADER's analyzer with its lexicon extended by security words.

    Plain VADER scores "North Korea launched an intercontinental ballistic
    missile" as positive; the extension (``data/tension_vader_security.csv``)
    gives weapons, tests and provocations negative valences and neutralises
    "launched". The analyzer is built once and shared; do not mutate it.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    extension = _read_data("tension_vader_security.csv")
    analyzer.lexicon.update(
        zip(extension["token"], extension["valence"].astype(float), strict=True)
    )
    return analyzer


# --------------------------------------------------------------------------
# Calendar helpers


def _check_freq(freq: str) -> str:
    if freq not in schema.FREQS:
        raise ValueError(f"freq must be one of {schema.FREQS}, not {freq!r}")
    return freq


def _usable_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles that count: dated and not duplicates of another article."""
    keep = articles["published_date"].notna()
    if "duplicate_of" in articles.columns:
        keep &= articles["duplicate_of"].isna()
    return articles.loc[keep]


def _periods(
    dates: pd.Series, freq: str, start: object | None, end: object | None
) -> pd.PeriodIndex:
    """Every period from ``start`` (or the first date) to ``end`` (or the last)."""
    first = pd.Timestamp(start) if start is not None else dates.min()
    last = pd.Timestamp(end) if end is not None else dates.max()
    if pd.isna(first) or pd.isna(last) or first > last:
        return pd.PeriodIndex([], freq=freq)
    return pd.period_range(first.to_period(freq), last.to_period(freq), freq=freq)


def _in_window(articles: pd.DataFrame, periods: pd.PeriodIndex, freq: str) -> pd.DataFrame:
    if len(periods) == 0:
        return articles.iloc[0:0].assign(period=pd.PeriodIndex([], freq=freq))
    period = articles["published_date"].dt.to_period(freq)
    keep = (period >= periods[0]) & (period <= periods[-1])
    return articles.loc[keep].assign(period=period[keep])


def _infer_freq(dates: pd.Series) -> str:
    steps = pd.Series(dates.sort_values().unique()).diff().dropna().dt.days
    if steps.empty or steps.min() >= 28:
        return "M"
    return "W" if steps.min() == 7 else "D"


#: The frequencies :func:`choose_freq` tries, the finest first.
_FINEST_FIRST = ("D", "W", "M")


def choose_freq(
    articles: pd.DataFrame,
    *,
    start: object | None = None,
    end: object | None = None,
    min_articles: int = 3,
    coverage: float = 0.75,
    max_periods: int = 120,
) -> str:
    """Choose the finest period at which most periods have enough articles.

    The rule: try days, then weeks, then months, and take the first whose
    calendar over the window has at most ``max_periods`` periods (a longer
    series cannot be read on one chart) and in which at least ``coverage`` of
    the periods have ``min_articles`` articles or more (a rhetoric share or a
    mean tone over one or two articles is noise). When no frequency passes,
    months: the coarsest reading, with its thin months left blank.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``; duplicates and undated articles do not
        count.
    start, end : date-like, optional
        The window; by default the first and last publication dates.
    min_articles : int
        Articles a period needs to count as covered.
    coverage : float
        Share of the window's periods that must be covered, 0 to 1.
    max_periods : int
        Most periods a series may have.

    Returns
    -------
    str
        ``"D"``, ``"W"`` or ``"M"``.

    Examples
    --------
    >>> choose_freq(corpus.articles, min_articles=3)  # doctest: +SKIP
    'W'
    """
    dates = _usable_articles(articles)["published_date"]
    for freq in _FINEST_FIRST:
        periods = _periods(dates, freq, start, end)
        if len(periods) == 0 or len(periods) > max_periods:
            continue
        inside = _in_window(dates.to_frame(), periods, freq)
        per_period = inside.groupby("period").size().reindex(periods, fill_value=0)
        if (per_period >= min_articles).mean() >= coverage:
            return freq
    return "M"


def _text(articles: pd.DataFrame) -> pd.Series:
    return articles["title"].fillna("") + "\n" + articles["body"].fillna("")


def select_window(
    frame: pd.DataFrame,
    *,
    start: object | None = None,
    end: object | None = None,
    column: str = "published_date",
) -> pd.DataFrame:
    """Keep the rows whose ``column`` falls in the window, both ends included.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a date column (articles, events, incidents).
    start, end : date-like, optional
        The window's first and last days; open-ended when omitted.
    column : str
        The date column to test.

    Returns
    -------
    pandas.DataFrame
        The rows of ``frame`` in the window, same columns and grain. Rows
        without a date are dropped only when a bound is given.

    Examples
    --------
    >>> select_window(articles, start="2016-01-01", end="2016-03-31")  # doctest: +SKIP
    """
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame[column] >= pd.Timestamp(start)
    if end is not None:
        # The whole last day counts, whatever its time of day.
        keep &= frame[column] < pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    return frame.loc[keep.fillna(False).astype(bool)]


# --------------------------------------------------------------------------
# Mentions


def _term_pattern(term: str) -> re.Pattern[str]:
    # A plain term is a phrase matched case-insensitively on word boundaries;
    # whitespace inside it matches any run of whitespace.
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.IGNORECASE)


def count_mentions(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    freq: str = "W",
    terms: Iterable[str] | Mapping[str, str] | None = None,
    actors: Iterable[str] | None = None,
    start: object | None = None,
    end: object | None = None,
) -> pd.DataFrame:
    """Count the articles that mention each actor or term, period by period.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``. Duplicates and undated articles are left
        out.
    mentions : pandas.DataFrame
        Rows of ``schema.MENTIONS`` for these articles.
    freq : {"D", "W", "M"}
        Day, week (Monday to Sunday) or calendar month.
    terms : iterable of str or mapping of str to str, optional
        Terms to count in titles and bodies besides the actors: plain phrases
        (matched case-insensitively on word boundaries), or a mapping of label
        to regular expression.
    actors : iterable of str, optional
        Actor codes to keep; all actors of ``mentions`` by default.
    start, end : date-like, optional
        The window; by default the first and last publication dates.

    Returns
    -------
    pandas.DataFrame
        One row per (period, term) with the columns of
        ``schema.MENTION_SERIES``: every period of the window for every actor
        and term, zero where nothing was mentioned. ``share`` is the share of
        the period's articles that mention the term (missing when the period
        has no articles).

    Examples
    --------
    >>> count_mentions(articles, mentions, freq="M", terms=["ICBM"])  # doctest: +SKIP
    """
    freq = _check_freq(freq)
    usable = _usable_articles(articles)
    periods = _periods(usable["published_date"], freq, start, end)
    window = _in_window(usable, periods, freq)
    keys = window[["article_id", "period"]].drop_duplicates("article_id")

    actors = None if actors is None else list(actors)
    found = mentions[["article_id", "actor"]].dropna()
    if actors is not None:
        found = found.loc[found["actor"].isin(actors)]
    found = found.merge(keys, on="article_id", how="inner", validate="m:1")
    actor_counts = found.groupby(["period", "actor"]).agg(
        n_mentions=("article_id", "size"), n_articles=("article_id", "nunique")
    )
    actor_names = sorted(set(found["actor"]) | set(actors or []))

    if terms is None:
        patterns: dict[str, re.Pattern[str]] = {}
    elif isinstance(terms, Mapping):
        patterns = {label: re.compile(rx, re.IGNORECASE) for label, rx in terms.items()}
    else:
        patterns = {term: _term_pattern(term) for term in terms}
    text = _text(window)
    term_frames = []
    for label, pattern in patterns.items():
        hits = text.map(lambda s, p=pattern: len(p.findall(s)))
        term_frames.append(
            pd.DataFrame(
                {"period": window["period"], "term": label, "n": hits.to_numpy(), "hit": hits > 0}
            )
        )
    term_counts = (
        pd.concat(term_frames)
        .groupby(["period", "term"])
        .agg(n_mentions=("n", "sum"), n_articles=("hit", "sum"))
        if term_frames
        else None
    )

    n_period = window.groupby("period").size().reindex(periods, fill_value=0)
    parts = []
    for kind, names, counts in (
        ("actor", actor_names, actor_counts),
        ("term", list(patterns), term_counts),
    ):
        if not names:
            continue
        grid = pd.MultiIndex.from_product([periods, names], names=["period", "term"])
        filled = counts.reindex(grid, fill_value=0).reset_index()
        parts.append(filled.assign(term_kind=kind))
    if not parts:
        return schema.empty(schema.MENTION_SERIES)
    out = pd.concat(parts, ignore_index=True)
    total = n_period.reindex(out["period"]).to_numpy()
    out = out.assign(
        period_date=out["period"].dt.start_time,
        n_period_articles=total,
        share=np.where(total > 0, out["n_articles"] / np.maximum(total, 1), np.nan),
    )
    out = out.sort_values(["term_kind", "term", "period_date"], kind="stable")
    return schema.conform(out, schema.MENTION_SERIES)


# --------------------------------------------------------------------------
# Tension


def incident_weight(incidents: pd.DataFrame, *, weights: pd.DataFrame | None = None) -> pd.Series:
    """Look up the intensity weight of each incident.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows with ``event_type`` and ``missile_class`` (``schema.INCIDENTS``).
    weights : pandas.DataFrame, optional
        An intensity table like :func:`intensity_weights`; the package's by
        default.

    Returns
    -------
    pandas.Series
        One float per incident, aligned with ``incidents``. A missile launch
        of no known class weighs as class ``unknown``.

    Raises
    ------
    ValueError
        For an event type the table does not know.
    """
    table = _default_weights() if weights is None else weights
    by_type = table.loc[table["missile_class"].fillna("") == ""].set_index("event_type")["weight"]
    by_class = (
        table.loc[table["missile_class"].fillna("") != ""]
        .set_index(["event_type", "missile_class"])["weight"]
        .to_dict()
    )
    values = []
    for event_type, missile_class in zip(
        incidents["event_type"], incidents["missile_class"], strict=True
    ):
        event_type = str(event_type)
        if event_type in by_type.index:
            values.append(float(by_type[event_type]))
            continue
        cls = "unknown" if pd.isna(missile_class) or not missile_class else str(missile_class)
        key = (event_type, cls) if (event_type, cls) in by_class else (event_type, "unknown")
        if key not in by_class:
            raise ValueError(f"no intensity weight for event type {event_type!r} ({cls})")
        values.append(float(by_class[key]))
    return pd.Series(values, index=incidents.index, dtype=float)


def incident_contributions(
    incidents: pd.DataFrame,
    *,
    freq: str = "W",
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spread each incident's intensity weight over the periods it spans.

    Only incidents that happened count (not planned or denied ones). An
    incident dated to a range (a week, a month) adds an equal part of its
    weight to each period the range overlaps, so imprecise dates do not pile
    up on the first day of a month.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows of ``schema.INCIDENTS``.
    freq : {"D", "W", "M"}
        Day, week (Monday to Sunday) or calendar month.
    weights : pandas.DataFrame, optional
        An intensity table like :func:`intensity_weights`.

    Returns
    -------
    pandas.DataFrame
        One row per (incident, period): ``incident_id``, ``period_date`` (the
        period's first day), ``contribution``.
    """
    freq = _check_freq(freq)
    happened = incidents.loc[
        (incidents["modality"].fillna("happened") == "happened") & incidents["date_start"].notna()
    ]
    if happened.empty:
        return pd.DataFrame(
            {
                "incident_id": pd.Series(dtype=schema.STR),
                "period_date": pd.Series(dtype=schema.DATE),
                "contribution": pd.Series(dtype=float),
            }
        )
    weight = incident_weight(happened, weights=weights).to_numpy()
    first = happened["date_start"].dt.to_period(freq).array.asi8
    last_date = happened["date_end"].where(happened["date_end"].notna(), happened["date_start"])
    last = np.maximum(last_date.dt.to_period(freq).array.asi8, first)
    span = last - first + 1
    rows = np.repeat(np.arange(len(happened)), span)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(span) - span, span)
    ordinals = first[rows] + offset
    period_dates = pd.PeriodIndex.from_ordinals(ordinals, freq=freq).start_time
    return pd.DataFrame(
        {
            "incident_id": happened["incident_id"].to_numpy()[rows],
            "period_date": period_dates.as_unit("ns"),
            "contribution": weight[rows] / span[rows],
        }
    ).astype({"incident_id": schema.STR})


def _article_tone(articles: pd.DataFrame, sentences: pd.DataFrame | None) -> pd.Series:
    """Mean VADER compound of each article's title and sentences."""
    analyzer = security_analyzer()
    cache: dict[str, float] = {}

    def score(text: str) -> float:
        if text not in cache:
            cache[text] = analyzer.polarity_scores(text)["compound"]
        return cache[text]

    if sentences is not None:
        grouped = (
            sentences.loc[
                sentences["article_id"].isin(articles["article_id"]), ["article_id", "text"]
            ]
            .dropna()
            .groupby("article_id", sort=False)["text"]
            .agg(list)
        )
        parts = articles["article_id"].map(grouped)
    else:
        parts = articles["body"].fillna("").map(_SENTENCE_END.split)
    titles = articles["title"].fillna("")
    tones = []
    for title, body in zip(titles, parts, strict=True):
        texts = [t for t in [title, *(body if isinstance(body, list) else [])] if t.strip()]
        tones.append(float(np.mean([score(t) for t in texts])) if texts else np.nan)
    return pd.Series(tones, index=articles.index, dtype=float)


def _normalise(values: pd.Series) -> pd.Series:
    """Rescale so that the mean is 100: ``100 + 100 * (x - mean) / mean(|x|)``.

    For a measure that is never negative this is ``100 * x / mean``, the
    geopolitical risk index's normalisation; the absolute mean in the
    denominator extends it to measures that change sign (incident scores,
    where talks weigh negative).
    """
    mean = values.mean()
    scale = values.abs().mean()
    if pd.isna(scale) or scale == 0:
        return values.where(values.isna(), 100.0)
    return 100 + 100 * (values - mean) / scale


def tension_index(
    articles: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    freq: str = "W",
    start: object | None = None,
    end: object | None = None,
    sentences: pd.DataFrame | None = None,
    window: int = 4,
    jump_threshold: float = 1.0,
    min_articles: int = 1,
    weights: pd.DataFrame | None = None,
    mix: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Build the tension index, one row per period, with its components.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``. Duplicates and undated articles are left
        out.
    incidents : pandas.DataFrame
        Rows of ``schema.INCIDENTS``; those that happened inside the window
        count, weighted by the intensity table.
    freq : {"D", "W", "M"}
        Day, week (Monday to Sunday) or calendar month.
    start, end : date-like, optional
        The window; by default the first and last publication dates.
    sentences : pandas.DataFrame, optional
        Rows of ``schema.SENTENCES`` to score tone on; a simple split of each
        body when omitted.
    window : int
        Periods in the trailing rolling mean. The mean counts only the
        periods of the trailing window that have an index and is missing
        where the period itself has none, so it never runs over a gap.
    jump_threshold : float
        A period jumps when the index rises above its baseline (the mean
        index of the ``window`` periods before it that have one) by more than
        this many standard deviations of such rises.
    min_articles : int
        Periods with fewer articles get no rhetoric, tone or combined index
        (a share of one article is 0 or 1: noise, not a reading).
    weights : pandas.DataFrame, optional
        An intensity table like :func:`intensity_weights`.
    mix : mapping of str to float, optional
        Weights of ``incident_index``, ``rhetoric_index`` and ``tone_index`` in
        the combined index; equal by default.

    Returns
    -------
    pandas.DataFrame
        One row per period of the window with the columns of
        ``schema.TENSION``. Raw components: ``incident_score`` (sum of the
        intensity weights of the period's incidents), ``threat_share``,
        ``act_share`` and ``rhetoric_share`` (shares of articles with threat
        terms, act terms, either), ``tone`` (mean VADER compound, -1 to 1).
        Each is normalised so that its mean over the window is 100, with tone
        turned round so that a darker tone raises it. ``tension`` is the
        weighted mean of the normalised components; it is missing in a period
        without articles (or with fewer than ``min_articles``), which has no
        rhetoric or tone. ``tension_rolling`` is the trailing mean of the
        index over ``window`` periods (see ``window``); ``change`` is the
        index minus the mean of the index over the ``window`` periods before.

    Examples
    --------
    >>> tension = tension_index(corpus.articles, incidents, freq="W")  # doctest: +SKIP
    >>> tension.loc[tension["is_jump"], ["period_date", "tension", "change"]]  # doctest: +SKIP
    """
    freq = _check_freq(freq)
    mix = dict(COMPONENTS if mix is None else mix)
    unknown = set(mix) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"mix: unknown components {sorted(unknown)}; use {list(COMPONENTS)}")
    usable = _usable_articles(articles)
    periods = _periods(usable["published_date"], freq, start, end)
    if len(periods) == 0:
        return schema.empty(schema.TENSION)
    window_articles = _in_window(usable, periods, freq)
    period_dates = periods.start_time.as_unit("ns")

    text = _text(window_articles)
    flags = pd.DataFrame(
        {
            category: text.map(lambda s, p=pattern: p.search(s) is not None)
            for category, pattern in _rhetoric_patterns().items()
        },
        index=window_articles.index,
    )
    per_article = pd.DataFrame(
        {
            "period": window_articles["period"],
            "threat": flags.get("threat", False),
            "act": flags.get("act", False),
            "tone": _article_tone(window_articles, sentences),
        }
    ).assign(rhetoric=lambda f: f["threat"] | f["act"])
    by_period = (
        per_article.groupby("period")
        .agg(
            n_articles=("tone", "size"),
            threat_share=("threat", "mean"),
            act_share=("act", "mean"),
            rhetoric_share=("rhetoric", "mean"),
            tone=("tone", "mean"),
        )
        .reindex(periods)
    )

    contributions = incident_contributions(incidents, freq=freq, weights=weights)
    inside = contributions.loc[contributions["period_date"].isin(period_dates)]
    by_incident = inside.groupby("period_date").agg(
        n_incidents=("incident_id", "nunique"), incident_score=("contribution", "sum")
    )
    by_incident = by_incident.reindex(period_dates, fill_value=0)

    out = pd.DataFrame(
        {
            "period_date": period_dates,
            "n_articles": by_period["n_articles"].fillna(0).to_numpy(),
            "n_incidents": by_incident["n_incidents"].to_numpy(),
            "incident_score": by_incident["incident_score"].to_numpy(dtype=float),
            "threat_share": by_period["threat_share"].to_numpy(dtype=float),
            "act_share": by_period["act_share"].to_numpy(dtype=float),
            "rhetoric_share": by_period["rhetoric_share"].to_numpy(dtype=float),
            "tone": by_period["tone"].to_numpy(dtype=float),
        }
    )
    thin = out["n_articles"] < max(min_articles, 1)
    for column in ("threat_share", "act_share", "rhetoric_share", "tone"):
        out[column] = out[column].mask(thin)
    out["incident_index"] = _normalise(out["incident_score"])
    out["rhetoric_index"] = _normalise(out["rhetoric_share"])
    out["tone_index"] = _normalise(-out["tone"])
    parts = out[list(mix)]
    # A period without articles has no rhetoric or tone: its index is missing
    # rather than pulled down by the incidents alone.
    weight = pd.Series(mix, dtype=float)
    out["tension"] = (parts * weight).sum(axis=1, min_count=len(mix)) / weight.sum()
    # Rolling windows skip missing values, so a mean over a trailing window
    # counts the periods that have an index; where the period has none, the
    # rolling mean is missing too rather than drawn across the gap.
    rolling = out["tension"].rolling(window, min_periods=1).mean()
    out["tension_rolling"] = rolling.where(out["tension"].notna())
    baseline = out["tension"].shift(1).rolling(window, min_periods=1).mean()
    out["change"] = out["tension"] - baseline
    spread = out["change"].std()
    is_jump = (out["change"] > 0) & (out["change"] > jump_threshold * spread)
    out["is_jump"] = is_jump.fillna(False) if pd.notna(spread) else False
    return schema.conform(out, schema.TENSION)


def _incident_label(row: pd.Series) -> str:
    label = str(row["event_type"]).replace("_", " ")
    if pd.notna(row["missile_class"]) and row["missile_class"] not in ("", "unknown"):
        label += f" ({row['missile_class']})"
    if pd.notna(row["actor"]) and row["actor"]:
        label = f"{row['actor']} {label}"
    return label


def tension_jumps(
    tension: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    freq: str | None = None,
    top: int = 3,
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Name the periods where the tension index jumps and what moved it.

    Parameters
    ----------
    tension : pandas.DataFrame
        The output of :func:`tension_index`.
    incidents : pandas.DataFrame
        The incidents given to :func:`tension_index`.
    freq : {"D", "W", "M"}, optional
        The frequency of ``tension``; inferred from its dates when omitted.
    top : int
        How many incidents to name per jump, the heaviest first.
    weights : pandas.DataFrame, optional
        The intensity table given to :func:`tension_index`.

    Returns
    -------
    pandas.DataFrame
        One row per jump (``is_jump``) with the columns of
        ``schema.TENSION_JUMPS``: ``driver`` is the component that rose most
        from the previous period (``incidents``, ``rhetoric`` or ``tone``);
        ``incident_ids`` and ``label`` name up to ``top`` incidents of the
        period with the largest intensity weights, ``;``-separated (empty
        when no incident happened in the period).
    """
    jumps = tension.loc[tension["is_jump"].fillna(False).astype(bool)]
    if jumps.empty:
        return schema.empty(schema.TENSION_JUMPS)
    freq = _check_freq(freq) if freq is not None else _infer_freq(tension["period_date"])
    rises = tension[list(COMPONENTS)].diff().loc[jumps.index]
    driver = rises.fillna(-np.inf).idxmax(axis=1).str.replace("_index", "", regex=False)
    driver = driver.str.replace("incident", "incidents", regex=False)

    contributions = incident_contributions(incidents, freq=freq, weights=weights)
    described = contributions.merge(
        incidents[["incident_id", "event_type", "actor", "missile_class"]],
        on="incident_id",
        how="left",
        validate="m:1",
    )
    described = described.assign(label=described.apply(_incident_label, axis=1))
    # Heaviest first; the id breaks ties so the order is the same on every run.
    described = described.sort_values(
        ["period_date", "contribution", "incident_id"], ascending=[True, False, True]
    )
    ids, labels = [], []
    for period_date in jumps["period_date"]:
        heaviest = described.loc[described["period_date"] == period_date].head(top)
        ids.append(";".join(heaviest["incident_id"].astype(str)))
        # The same kind of incident reported under several ids reads once, counted.
        counts = heaviest["label"].value_counts(sort=False)
        labels.append("; ".join(f"{label} x{n}" if n > 1 else label for label, n in counts.items()))
    out = pd.DataFrame(
        {
            "period_date": jumps["period_date"].to_numpy(),
            "tension": jumps["tension"].to_numpy(),
            "change": jumps["change"].to_numpy(),
            "driver": driver.to_numpy(),
            "incident_ids": ids,
            "label": labels,
        }
    )
    return schema.conform(out, schema.TENSION_JUMPS)
