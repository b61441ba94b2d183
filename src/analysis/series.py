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

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import schema
from analysis.resources import read_csv

#: Component columns of :data:`schema.TENSION` and their default weights in
#: the combined index.
COMPONENTS = {"incident_index": 1 / 3, "rhetoric_index": 1 / 3, "tone_index": 1 / 3}

# A light sentence splitter for tone when no SENTENCES frame is given: VADER
# is built for sentences, and scoring a whole article saturates its compound.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


# --------------------------------------------------------------------------
# Package data


@lru_cache(maxsize=1)
def _default_weights() -> pd.DataFrame:
    table = read_csv("tension_intensity.csv")
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
    table = read_csv("tension_rhetoric.csv")
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
    analyzer = SentimentIntensityAnalyzer()
    extension = read_csv("tension_vader_security.csv")
    analyzer.lexicon.update(
        zip(extension["token"], extension["valence"].astype(float), strict=True)
    )
    return analyzer


# --------------------------------------------------------------------------
# Calendar helpers


#: The word for each frequency's period, as figures and pages name it.
FREQ_UNITS = {"D": "day", "W": "week", "M": "month"}


def check_freq(freq: str) -> str:
    """Return ``freq`` when it is one of ``schema.FREQS``; raise otherwise.

    Parameters
    ----------
    freq : str
        A frequency as the series and plots take it.

    Returns
    -------
    str
        ``freq``, unchanged.

    Raises
    ------
    ValueError
        Naming the frequencies allowed, for anything else.

    Examples
    --------
    >>> check_freq("W")
    'W'
    """
    if freq not in schema.FREQS:
        raise ValueError(f"freq must be one of {schema.FREQS}, not {freq!r}")
    return freq


def usable_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Keep the articles that count: dated and not a duplicate of another article.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES`` (``duplicate_of`` may be absent).

    Returns
    -------
    pandas.DataFrame
        The rows of ``articles`` with a ``published_date`` and no
        ``duplicate_of``, same columns and grain.
    """
    keep = articles["published_date"].notna()
    if "duplicate_of" in articles.columns:
        keep &= articles["duplicate_of"].isna()
    return articles.loc[keep]


def period_calendar(
    frame: pd.DataFrame,
    *,
    freq: str,
    start: object | None = None,
    end: object | None = None,
    column: str = "published_date",
) -> tuple[pd.PeriodIndex, pd.DataFrame]:
    """Lay a calendar of periods over a window and give each row in it its period.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame with a date column (articles, events, incidents).
    freq : {"D", "W", "M"}
        Day, week (Monday to Sunday) or calendar month.
    start, end : date-like, optional
        The window; by default the first and last dates of ``column``.
    column : str
        The date column that places a row in a period.

    Returns
    -------
    periods : pandas.PeriodIndex
        Every period from the one holding ``start`` to the one holding
        ``end``, without gaps; empty when there is no date or ``start`` comes
        after ``end``.
    rows : pandas.DataFrame
        The rows of ``frame`` dated inside ``periods``, same grain, with a
        ``period`` column added.

    Examples
    --------
    >>> dates = pd.DataFrame({"published_date": pd.to_datetime(["2024-01-01", "2024-01-17"])})
    >>> periods, rows = period_calendar(dates, freq="W")
    >>> len(periods), rows["period"].astype(str).tolist()
    (3, ['2024-01-01/2024-01-07', '2024-01-15/2024-01-21'])
    """
    freq = check_freq(freq)
    dates = frame[column]
    first = pd.Timestamp(start) if start is not None else dates.min()
    last = pd.Timestamp(end) if end is not None else dates.max()
    if pd.isna(first) or pd.isna(last) or first > last:
        periods = pd.PeriodIndex([], freq=freq)
        return periods, frame.iloc[0:0].assign(period=periods)
    periods = pd.period_range(first.to_period(freq), last.to_period(freq), freq=freq)
    period = dates.dt.to_period(freq)
    keep = (period >= periods[0]) & (period <= periods[-1])
    return periods, frame.loc[keep].assign(period=period[keep])


def infer_freq(dates: pd.Series) -> str:
    """Infer the frequency of a series from the dates of its periods.

    Parameters
    ----------
    dates : pandas.Series
        The ``period_date`` column of a series (each period's first day).

    Returns
    -------
    str
        ``"M"`` when the closest two dates are 28 days or more apart (or
        there is only one date), ``"W"`` when they are 7 days apart, ``"D"``
        otherwise.

    Examples
    --------
    >>> infer_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-08"])))
    'W'
    """
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
    dates = usable_articles(articles)[["published_date"]]
    for freq in _FINEST_FIRST:
        periods, inside = period_calendar(dates, freq=freq, start=start, end=end)
        if len(periods) == 0 or len(periods) > max_periods:
            continue
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


def select_overlapping(
    frame: pd.DataFrame, *, start: object | None = None, end: object | None = None
) -> pd.DataFrame:
    """Keep the rows whose dates overlap the window.

    A row runs from ``date_start`` to ``date_end`` (the one day
    ``date_start`` when ``date_end`` is missing): an incident that began
    before the window and goes on inside it is kept, unlike with
    :func:`select_window`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with ``date_start`` and ``date_end`` (``schema.EVENTS`` or
        ``schema.INCIDENTS``).
    start, end : date-like, optional
        The window: a row is kept when it ends on or after ``start`` and
        starts on or before ``end``; open-ended when omitted.

    Returns
    -------
    pandas.DataFrame
        The rows of ``frame`` that overlap the window, same columns and grain.
        Rows without ``date_start`` are always dropped.

    Examples
    --------
    >>> select_overlapping(incidents, start="2016-01-01", end="2016-03-31")  # doctest: +SKIP
    """
    last = frame["date_end"].where(frame["date_end"].notna(), frame["date_start"])
    keep = frame["date_start"].notna()
    if start is not None:
        keep &= last >= pd.Timestamp(start)
    if end is not None:
        keep &= frame["date_start"] <= pd.Timestamp(end)
    return frame.loc[keep]


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
    freq = check_freq(freq)
    periods, window = period_calendar(usable_articles(articles), freq=freq, start=start, end=end)
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
    freq = check_freq(freq)
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


def _check_mix(mix: Mapping[str, float] | None) -> dict[str, float]:
    mix = dict(COMPONENTS if mix is None else mix)
    unknown = set(mix) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"mix: unknown components {sorted(unknown)}; use {list(COMPONENTS)}")
    return mix


def _article_readings(articles: pd.DataFrame, sentences: pd.DataFrame | None) -> pd.DataFrame:
    """One row per article: its period, threat and act terms found, and its tone."""
    text = _text(articles)
    flags = pd.DataFrame(
        {
            category: text.map(lambda s, p=pattern: p.search(s) is not None)
            for category, pattern in _rhetoric_patterns().items()
        },
        index=articles.index,
    )
    return pd.DataFrame(
        {
            "period": articles["period"],
            "threat": flags.get("threat", False),
            "act": flags.get("act", False),
            "tone": _article_tone(articles, sentences),
        }
    ).assign(rhetoric=lambda f: f["threat"] | f["act"])


def _period_readings(
    articles: pd.DataFrame, periods: pd.PeriodIndex, sentences: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per period: its articles, their shares of rhetoric and mean tone."""
    return (
        _article_readings(articles, sentences)
        .groupby("period")
        .agg(
            n_articles=("tone", "size"),
            threat_share=("threat", "mean"),
            act_share=("act", "mean"),
            rhetoric_share=("rhetoric", "mean"),
            tone=("tone", "mean"),
        )
        .reindex(periods)
    )


def _incident_scores(
    incidents: pd.DataFrame,
    period_dates: pd.DatetimeIndex,
    *,
    freq: str,
    weights: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per period: its incidents and the sum of their contributions."""
    contributions = incident_contributions(incidents, freq=freq, weights=weights)
    inside = contributions.loc[contributions["period_date"].isin(period_dates)]
    by_incident = inside.groupby("period_date").agg(
        n_incidents=("incident_id", "nunique"), incident_score=("contribution", "sum")
    )
    return by_incident.reindex(period_dates, fill_value=0)


#: The raw readings of articles, which a period with too few articles lacks.
_ARTICLE_READINGS = ("threat_share", "act_share", "rhetoric_share", "tone")


def _raw_components(
    articles: pd.DataFrame,
    incidents: pd.DataFrame,
    periods: pd.PeriodIndex,
    *,
    freq: str,
    sentences: pd.DataFrame | None,
    min_articles: int,
    weights: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per period: counts and the raw components, before normalisation."""
    period_dates = periods.start_time.as_unit("ns")
    by_period = _period_readings(articles, periods, sentences)
    by_incident = _incident_scores(incidents, period_dates, freq=freq, weights=weights)
    raw = pd.DataFrame(
        {
            "period_date": period_dates,
            "n_articles": by_period["n_articles"].fillna(0).to_numpy(),
            "n_incidents": by_incident["n_incidents"].to_numpy(),
            "incident_score": by_incident["incident_score"].to_numpy(dtype=float),
            **{column: by_period[column].to_numpy(dtype=float) for column in _ARTICLE_READINGS},
        }
    )
    thin = raw["n_articles"] < max(min_articles, 1)
    return raw.assign(**{column: raw[column].mask(thin) for column in _ARTICLE_READINGS})


def _normalise_components(raw: pd.DataFrame) -> pd.DataFrame:
    """Add each component normalised to a mean of 100; a darker tone raises its index."""
    return raw.assign(
        incident_index=_normalise(raw["incident_score"]),
        rhetoric_index=_normalise(raw["rhetoric_share"]),
        tone_index=_normalise(-raw["tone"]),
    )


def _combine_components(frame: pd.DataFrame, *, mix: Mapping[str, float]) -> pd.DataFrame:
    """Add ``tension``, the weighted mean of the normalised components."""
    weight = pd.Series(mix, dtype=float)
    # min_count: a period without articles has no rhetoric or tone, so its
    # index is missing rather than pulled down by the incidents alone.
    tension = (frame[list(mix)] * weight).sum(axis=1, min_count=len(mix)) / weight.sum()
    return frame.assign(tension=tension)


def _mark_jumps(frame: pd.DataFrame, *, window: int, jump_threshold: float) -> pd.DataFrame:
    """Add the rolling mean, the change from the trailing baseline and the jumps."""
    tension = frame["tension"]
    # Rolling windows skip missing values, so a mean over a trailing window
    # counts the periods that have an index; where the period has none, the
    # rolling mean is missing too rather than drawn across the gap.
    rolling = tension.rolling(window, min_periods=1).mean()
    baseline = tension.shift(1).rolling(window, min_periods=1).mean()
    change = tension - baseline
    spread = change.std()
    is_jump = (change > 0) & (change > jump_threshold * spread)
    return frame.assign(
        tension_rolling=rolling.where(tension.notna()),
        change=change,
        is_jump=is_jump.fillna(False) if pd.notna(spread) else False,
    )


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
        rhetoric or tone, unless ``mix`` leaves both out. ``tension_rolling``
        is the trailing mean of the index over ``window`` periods (see
        ``window``); ``change`` is the index minus the mean of the index over
        the ``window`` periods before.

    Examples
    --------
    >>> tension = tension_index(corpus.articles, incidents, freq="W")  # doctest: +SKIP
    >>> tension.loc[tension["is_jump"], ["period_date", "tension", "change"]]  # doctest: +SKIP
    """
    freq = check_freq(freq)
    mix = _check_mix(mix)
    periods, window_articles = period_calendar(
        usable_articles(articles), freq=freq, start=start, end=end
    )
    if len(periods) == 0:
        return schema.empty(schema.TENSION)
    raw = _raw_components(
        window_articles,
        incidents,
        periods,
        freq=freq,
        sentences=sentences,
        min_articles=min_articles,
        weights=weights,
    )
    out = (
        raw.pipe(_normalise_components)
        .pipe(_combine_components, mix=mix)
        .pipe(_mark_jumps, window=window, jump_threshold=jump_threshold)
    )
    return schema.conform(out, schema.TENSION)


def incident_labels(incidents: pd.DataFrame) -> pd.Series:
    """Name each incident briefly by its actor, event type and missile class.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows with ``event_type``, ``actor`` and ``missile_class``
        (``schema.INCIDENTS`` or ``schema.EVENTS``).

    Returns
    -------
    pandas.Series
        One str per row, aligned with ``incidents``: the event type in words,
        the missile class in brackets unless it is missing or ``unknown``,
        after the actor when there is one.

    Examples
    --------
    >>> incidents = pd.DataFrame(
    ...     {"event_type": ["missile_launch", "meeting"], "actor": ["PRK", None]}
    ... ).assign(missile_class=["ICBM", None])
    >>> incident_labels(incidents).tolist()
    ['PRK missile launch (ICBM)', 'meeting']
    """
    labels = []
    for event_type, actor, missile_class in zip(
        incidents["event_type"], incidents["actor"], incidents["missile_class"], strict=True
    ):
        label = str(event_type).replace("_", " ")
        if pd.notna(missile_class) and missile_class not in ("", "unknown"):
            label += f" ({missile_class})"
        if pd.notna(actor) and actor:
            label = f"{actor} {label}"
        labels.append(label)
    return pd.Series(labels, index=incidents.index, dtype=object)


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
    freq = check_freq(freq) if freq is not None else infer_freq(tension["period_date"])
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
    described = described.assign(label=incident_labels(described))
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
