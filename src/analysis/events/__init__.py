"""Dated events from articles: rule-based, sentence by sentence, traceable.

An event is found where a sentence holds a *trigger* (a word or pattern of
``data/event_triggers.toml``) and is kept only when it can be dated at least
to the month, as ``../shared/gold/GUIDELINES.md`` asks. Each row says why it
exists and why it has its date:

- ``trigger``: the name of the trigger pattern that fired;
- ``date_rule``: ``timex:<rule>`` when a time expression of the sentence dated
  it (the expression's own resolution rule from :mod:`analysis.nlp`, with
  ``+future``/``+past``/``+planned_next_year`` when the event's modality
  corrected it), ``timex:offset_from_event`` for "a day after X",
  ``anaphor:article_launch`` for a bare "the launch", or a ``fallback:*``
  rule of the guidelines (breaking news, a statement, the occasion a joint
  decision was made at);
- ``confidence``: the trigger's prior, lowered for fallbacks and default actors.

:func:`extract_events` reads each sentence that holds a trigger keyword
through the steps below, one module each; each step's cue lists and
thresholds are data, in ``data/event_cues.toml`` (one table per step):

1. :mod:`~analysis.events.context`: the sentence, its mentions and time
   expressions, and the facts of its article; whether anything could date it.
   The headline is no sentence (it only says which events are the news), and
   neither is a dateline left at the start of a body ("SEOUL, South Korea
   —"): the parties it names act in no event (``[extract] dateline``).
2. :mod:`~analysis.events.triggers`: which event types the sentence may hold;
   where triggers of different types overlap, the more specific wins (its
   ``priority``); a bare "launch" takes the type of the article's launch; a
   large multilateral gathering ("the G20 summit") is no meeting.
3. :mod:`~analysis.events.modality`: happened, planned or denied, or not an
   event (hypothetical, habitual, an aggregate, a photo caption).
4. :mod:`~analysis.events.parties`: the actor (a mention inside the trigger
   phrase, else the subject of its clause, else the agent of a passive) and
   the participants of meetings, agreements and joint exercises.
5. :mod:`~analysis.events.dating`: which time expression dates the trigger,
   moved by the event's modality; else the guidelines' fallbacks.
6. :mod:`~analysis.events.rows`: the row, deduplicated within the article by
   (type, actor or parties, date range): one row per distinct event per
   article, however often the article repeats it. A joint decision or a
   conditional warning with no date of its own belongs to the article's
   occasion (:class:`~analysis.events.rows.Occasion`): the meeting a readout
   reports, else the day an official statement was issued.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import nlp, schema
from analysis.events.context import (
    Article,
    Dates,
    FrameDates,
    LazyDates,
    SentenceIndex,
    article_columns,
    articles_to_read,
    may_be_dated,
    open_articles,
    sentence_context,
    sentence_dates,
    sentence_text,
)
from analysis.events.modality import find_modality, is_caption
from analysis.events.parties import SELF
from analysis.events.rows import Occasion, add_events, article_rows, statement_titles
from analysis.events.triggers import (
    ANAPHOR,
    LAUNCH_TYPES,
    PARTICIPANT_KEYED_TYPES,
    SPEECH_TYPES,
    Lexicon,
    Match,
    Trigger,
    find_keywords,
    find_triggers,
    has_time_cue,
    load_lexicon,
    may_hold_keyword,
    resolve_anaphors,
)
from analysis.resources import read_toml

_DATELINE = re.compile(read_toml("event_cues.toml")["extract"]["dateline"])

__all__ = [
    "ANAPHOR",
    "LAUNCH_TYPES",
    "PARTICIPANT_KEYED_TYPES",
    "SELF",
    "SPEECH_TYPES",
    "Lexicon",
    "Match",
    "Trigger",
    "extract_events",
    "find_keywords",
    "find_triggers",
    "has_time_cue",
    "load_lexicon",
    "may_hold_keyword",
]


def extract_events(
    articles: pd.DataFrame,
    *,
    sentences: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    timex: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Extract dated events from articles: one row per distinct event per article.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``. Exact duplicates (``duplicate_of`` set and
        the same body) are skipped; near-duplicate rewrites are kept (the
        timeline merges them). Articles in a language other than English are
        skipped: the trigger lexicon is English.
    sentences, mentions : pandas.DataFrame, optional
        ``schema.SENTENCES`` and ``schema.MENTIONS`` of the same articles (or of
        more); computed with :mod:`analysis.nlp` when omitted.
    timex : pandas.DataFrame, optional
        ``schema.TIMEX`` of the same articles. When omitted, time expressions
        are resolved only in the sentences that hold a trigger (and the one
        before a continued fragment), with the language layer's
        :func:`analysis.nlp.iter_time_expressions`: the same rules, less work.

    Returns
    -------
    pandas.DataFrame
        One row per (article, event type, actor, date range), with the
        columns of ``schema.EVENTS``: ``article_id`` and ``source_id`` are
        those of the article; ``sentence_id``, ``start`` and ``end`` point
        at the trigger in the body; ``trigger`` and ``date_rule`` say why the
        row exists and why it has its date.

    Examples
    --------
    >>> events = extract_events(corpus.articles)  # doctest: +SKIP
    >>> events.groupby("event_type").size()  # doctest: +SKIP
    """
    missing = [
        c for c in ("article_id", "source_id", "body", "published_date") if c not in articles
    ]
    if missing:
        raise schema.SchemaError(f"articles: missing columns {missing}")
    if articles.empty:
        return schema.empty(schema.EVENTS)
    keep = articles_to_read(articles)
    lex = load_lexicon()
    if sentences is None or mentions is None:
        chosen = articles.loc[keep]
        # Only articles that may hold a trigger word need the language layer.
        chosen = chosen.loc[may_hold_keyword(chosen["body"], lex)]
        # Frames given for more articles are fine: rows are looked up by article.
        if sentences is None:
            sentences = nlp.split_sentences(chosen)
        if mentions is None:
            mentions = nlp.find_mentions(chosen, sentences=sentences)
    # Only the columns read below are copied.
    articles = article_columns(articles).loc[keep]
    index = SentenceIndex(sentences, _outside_datelines(mentions, articles), lex)
    dates = FrameDates(timex) if timex is not None else LazyDates()
    # An official statement (by its title) dates its undated joint decisions.
    statements = set(
        articles["article_id"][statement_titles(articles["title"])] if "title" in articles else ()
    )
    rows: list[dict] = []
    for article in open_articles(articles, index, lex):
        occasion = Occasion(
            statement=article.article_id in statements,
            headline=article.title,
            day=None if article.published is None else article.published.date(),
            home=article.outlet_state,
        )
        for idx in sorted(article.keywords):
            _read_sentence(article, idx, index, dates, lex, occasion)
        rows.extend(article_rows(article))
    if not rows:
        return schema.empty(schema.EVENTS)
    # rows stand as the extractor found them until an analyst corrects them
    frame = pd.DataFrame.from_records(rows).assign(corrected_by=None)
    return schema.conform(frame, schema.EVENTS)


def _outside_datelines(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Drop the mentions inside a dateline left at the start of a body ("SEOUL, South Korea —").

    A dateline places and dates the story; the state it names acts in no
    event of it.
    """
    ends = {
        key: found.end()
        for key, body in zip(articles["article_id"], articles["body"], strict=True)
        if isinstance(body, str) and (found := _DATELINE.match(body)) is not None
    }
    if not ends or mentions.empty:
        return mentions
    end = mentions["article_id"].map(ends)
    return mentions.loc[~(end.notna() & (mentions["start"] < end)).to_numpy(dtype=bool)]


def _read_sentence(
    article: Article, idx: int, index: SentenceIndex, dates: Dates, lex: Lexicon, occasion: Occasion
) -> None:
    """Read one sentence that holds a keyword, step by step: its events join the article's rows."""
    sid, off, text, low = sentence_text(article, idx, index)
    if not may_be_dated(article, idx, sid, text, low, lex):
        return
    found = find_triggers(low, lexicon=lex, keywords=article.keywords[idx], lowered=True)
    matches, article.last_launch = resolve_anaphors(found, article.last_launch)
    if not matches or is_caption(low):
        return
    # Modality first: a sentence whose every trigger is hypothetical,
    # habitual or an aggregate needs neither its dates nor its actors.
    modalities = [find_modality(low, match, lex) for match in matches]
    if not any(modalities):
        return
    sentence = sentence_context(article, index, sid, off, text, low, matches)
    timexes, offsets = sentence_dates(article, idx, index, dates, sentence.continuation)
    add_events(article, sentence, modalities, timexes, offsets, lex, occasion)
