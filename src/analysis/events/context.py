"""The sentence context: what the steps read about a sentence and its article.

This step decides which articles and sentences are read at all, and gathers
for each sentence that holds a trigger keyword what the later steps need: its
text (lower-cased with offsets kept), its actor mentions, its time
expressions (from a ``schema.TIMEX`` frame, or resolved on demand), and the
facts of its article (publication date, the headline's event types, the
state an outlet speaks for, the actor of the sentence before). It also holds
the clause cues several steps share (:data:`REPORTING`,
:func:`clause_before`). The cues are in ``data/event_cues.toml``
(``[context]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis import nlp, schema
from analysis.events.triggers import (
    LAUNCH_TYPES,
    Lexicon,
    Match,
    find_keywords,
    find_triggers,
    has_time_cue,
    lower_keeping_offsets,
    may_hold_keyword,
)
from analysis.nlp.actors import home_state, match_actors
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["context"]

# Clause boundaries for the window of :func:`clause_before`.
_CLAUSE_BREAK = re.compile(_CUES["clause_break"])
#: Reporting verbs: across one, a date or an actor belongs to the saying.
REPORTING = re.compile(_CUES["reporting"])
# A fragment that goes on the sentence before it.
_CONTINUATION = re.compile(_CUES["continuation"])
#: A date counted from another event ("a day after X"), matched on the text of
#: a time expression the language layer left unresolved.
EVENT_OFFSET = re.compile(_CUES["event_offset"], re.IGNORECASE)
_PREVIOUS_SUBJECT_REACH = _CUES["previous_subject_reach"]
# A transcript's speaker label ("PRESIDENT LEE:").
_SPEAKER_LABEL = re.compile(_CUES["speaker_label"], re.MULTILINE)
# Clause facts of a trigger (:func:`trigger_clause`).
_PART_BREAK = re.compile(_CUES["part_break"])
_CLAUSE_END = re.compile(_CUES["clause_end"])
_CLAUSE_START = re.compile(_CUES["clause_start"])
_VERB_HEAD = re.compile(_CUES["verb_head"])
_NOUN_LEFT = re.compile(_CUES["noun_left"])
_DETERMINER = re.compile(_CUES["determiner"])
_PREPOSITION = re.compile(_CUES["preposition"])
_SUPPORT = re.compile(_CUES["support"])
_VERB_WORD = re.compile(_CUES["verb_word"])
_COORDINATOR = re.compile(_CUES["coordinator"])
_TITLE_QUOTE = re.compile(_CUES["title_quote"], re.IGNORECASE)
_CLOSE_QUOTE = re.compile(r"[\"\u201d]")
_INFINITIVE = re.compile(r"\bto\s+(?:\w+ly\s+)?$")
_GOVERNOR_REACH = _CUES["governor_reach"]
_TOKEN = re.compile(r"""[\w.'\u2019-]+""")

# The article columns the extractor reads.
_ARTICLE_COLUMNS = ("article_id", "source_id", "body", "published_date", "title", "outlet")


@dataclass(frozen=True)
class Timex:
    """A resolved time expression of a sentence, with offsets into the sentence."""

    start: int
    end: int
    date_start: pd.Timestamp
    date_end: pd.Timestamp
    precision: str
    rule: str


@dataclass(frozen=True)
class Mention:
    """An actor mention of a sentence, with offsets into the sentence."""

    start: int
    end: int
    actor: str
    kind: str


def clause_before(low: str, pos: int, *, limit: int) -> str:
    """Return the words of the clause that ends at ``pos`` (at most ``limit`` characters).

    Examples
    --------
    >>> clause_before("seoul said that the north could fire", 36, limit=70)
    ' the north could fire'
    """
    start = max(0, pos - limit)
    window = low[start:pos]
    cut = 0
    for brk in _CLAUSE_BREAK.finditer(window):
        cut = brk.end()
    return window[cut:]


def sentence_parts(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` of each part of a sentence: the sentences it joins.

    A sentence splitter may leave paragraphs joined by ", " in one
    "sentence" ("... the launch., The rocket ..."); each is a part.

    Examples
    --------
    >>> sentence_parts("It fired a rocket on Friday., The U.S. said so.")
    [(0, 28), (30, 47)]
    """
    parts, start = [], 0
    for brk in _PART_BREAK.finditer(text):
        parts.append((start, brk.start() + 1))
        start = brk.end()
    parts.append((start, len(text)))
    return parts


#: Roles of a trigger in its clause (:attr:`TriggerClause.role`).
HEAD = "head"
ARGUMENT = "argument"


@dataclass(frozen=True)
class TriggerClause:
    """Which predicate a trigger belongs to: its clause, and what governs it.

    A trigger is the ``head`` of its clause when it is the clause's predicate:
    a verb ("Japan said it had launched a spy satellite"), a noun after a
    support verb ("the U.S. conducted a nuclear test", "held talks"), or a
    noun subject ("the launch took place on Friday"). It is an ``argument``
    when another predicate governs it: a verb ("a spokesman on April 16
    denounced the launch") or a preposition ("sanctions over its launch").
    A time expression or an actor of another predicate is not the trigger's.

    Offsets are into the sentence.
    """

    part_start: int  # the sentence part (a "sentence" may hold several joined)
    part_end: int
    clause_start: int  # the trigger's clause
    clause_end: int
    verbal: bool  # the trigger phrase opens with a verb form
    finite: bool  # ... that is finite: not a gerund ("of launching") or an infinitive ("to launch")
    role: str  # HEAD or ARGUMENT
    governor: tuple[int, int] | None  # the support verb or governing word, if any
    quote: tuple[int, int] | None = None  # the quoted title the trigger stands in, if any


def trigger_clause(
    text: str, low: str, start: int, end: int, names: Sequence[tuple[int, int]] = ()
) -> TriggerClause:
    """Return the clause facts of the trigger at ``start:end`` of a sentence.

    Built from clause boundaries: joined sentences and strong stops cut the
    sentence into parts; subordinating and relative words and commas into
    clauses. A trigger that opens with a verb form not led by a determiner
    is a predicate; a noun trigger's governor is the first word before its
    noun phrase (past determiners, possessives, names and modifiers) that is
    a verb or a preposition.

    Parameters
    ----------
    text, low : str
        The sentence as written, and lower-cased with its offsets kept.
    start, end : int
        The trigger's span.
    names : sequence of (int, int)
        Spans of the sentence's actor mentions: a name is part of a noun
        phrase ("the Democratic People's Republic of Korea's launch").

    Examples
    --------
    >>> low = "a spokesman on april 16 denounced the launch."
    >>> trigger_clause(low, low, 38, 44).role
    'argument'
    >>> low = "japan said it had launched a spy satellite on tuesday."
    >>> facts = trigger_clause(low, low, 18, 42)
    >>> facts.verbal, facts.role
    (True, 'head')
    """
    part_start, part_end = 0, len(low)
    for brk in _PART_BREAK.finditer(text):
        if brk.end() <= start:
            part_start = brk.end()
        elif brk.start() >= end:
            part_end = brk.start() + 1
            break
    clause_start = part_start
    for brk in _CLAUSE_START.finditer(low, part_start, start):
        clause_start = brk.end()
    stop = _CLAUSE_END.search(low, end, part_end)
    clause_end = stop.start() if stop else part_end
    verbal = _VERB_HEAD.match(low, start) is not None and not _NOUN_LEFT.search(
        low, max(part_start, start - 12), start
    )
    role, governor = HEAD, None
    gerund = verbal and low[start:end].split(maxsplit=1)[0].endswith("ing")
    infinitive = verbal and _INFINITIVE.search(low, max(part_start, start - 12), start) is not None
    if not verbal or gerund:
        governor, support = _governor(low, clause_start, start, names, gerund=gerund)
        if governor is not None and not support:
            role = ARGUMENT
    return TriggerClause(
        part_start,
        part_end,
        clause_start,
        clause_end,
        verbal,
        verbal and not (gerund or infinitive),
        role,
        governor,
        _quoted_title(text, part_start, start, part_end),
    )


def _quoted_title(text: str, lo: int, pos: int, hi: int) -> tuple[int, int] | None:
    """The span of a quoted title holding ``pos`` ("an article titled \"...\""), or None."""
    for q in _TITLE_QUOTE.finditer(text, lo, pos):
        close = _CLOSE_QUOTE.search(text, q.end(), hi)
        end = close.start() if close else hi
        if q.end() <= pos < end:
            return q.end(), end
    return None


def _governor(
    low: str, lo: int, start: int, names: Sequence[tuple[int, int]], *, gerund: bool
) -> tuple[tuple[int, int] | None, bool]:
    """The word that governs a noun (or gerund) trigger, and whether it is a support verb.

    Looks back from the trigger over its noun phrase; a word ending in -ed or
    -ing right after a determiner or a possessive is a modifier ("the DPRK's
    projected launch"), not a verb.
    """
    tokens = [
        (m.start(), m.end(), m.group().strip(".'\u2019-")) for m in _TOKEN.finditer(low, lo, start)
    ]
    tokens = [t for t in tokens if t[2]]
    read = 0
    for k in range(len(tokens) - 1, -1, -1):
        a, b, word = tokens[k]
        left = tokens[k - 1][2] if k else ""
        if any(n0 <= a < n1 for n0, n1 in names):
            # A name ("the Republic of Korea's") is one word of the phrase.
            continue
        read += 1
        if read > _GOVERNOR_REACH:
            break
        if _COORDINATOR.match(word):
            break
        if _PREPOSITION.match(word):
            if _SUPPORT.match(f"{left} {word}"):
                return (tokens[k - 1][0], b), True
            return (a, b), False
        if _SUPPORT.match(word):
            return (a, b), True
        if gerund:
            # "accusing the DPRK of launching": a gerund is governed by the
            # preposition right before it, if any.
            break
        if _VERB_WORD.match(word) and not _DETERMINER.match(left):
            return (a, b), False
    return None, False


# --------------------------------------------------------------------------- articles


def _exact_copies(articles: pd.DataFrame) -> np.ndarray:
    """Flag exact duplicates: a story listed twice must not count twice."""
    flags = np.zeros(len(articles), dtype=bool)
    if "duplicate_of" not in articles:
        return flags
    dup = articles["duplicate_of"].astype("string")
    flagged = (dup.notna() & (dup != articles["article_id"].astype("string"))).to_numpy(dtype=bool)
    if not flagged.any():
        return flags
    bodies = articles.drop_duplicates("article_id").set_index("article_id")["body"]
    original = dup[flagged].map(bodies)
    flags[flagged] = (original.notna() & (original == articles["body"][flagged])).to_numpy(
        dtype=bool, na_value=False
    )
    return flags


def _english(articles: pd.DataFrame) -> np.ndarray:
    """Flag the articles in English (or of unknown language): the trigger lexicon is English."""
    if "language" not in articles:
        return np.ones(len(articles), dtype=bool)
    lang = articles["language"].astype("string").str.lower()
    english = lang.isna() | lang.str.startswith("en") | lang.isin(["", "und", "unknown", "mul"])
    return english.to_numpy(dtype=bool)


def articles_to_read(articles: pd.DataFrame) -> np.ndarray:
    """Flag the articles the extractor reads: in English and not an exact copy.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES``.

    Returns
    -------
    numpy.ndarray of bool
        One flag per row: ``False`` for an exact duplicate (``duplicate_of``
        set and the same body) and for an article in another language than
        English (the trigger lexicon is English).
    """
    return ~_exact_copies(articles) & _english(articles)


def article_columns(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the columns of ``articles`` the extractor reads (those present)."""
    return articles[[c for c in _ARTICLE_COLUMNS if c in articles]]


def _group(frame: pd.DataFrame, cols: Sequence[str]) -> dict[tuple, list[int]]:
    """Map each key (a tuple of ``cols`` values) to its row positions, a list."""
    if frame.empty:
        return {}
    # As ``groupby(cols).indices`` (rows with a missing key left out, each
    # group's positions ascending), without building a GroupBy: factorized
    # codes sorted once, then cut where the key changes.
    codes = [pd.factorize(frame[c], sort=False)[0].astype(np.int64) for c in cols]
    combined = codes[0].copy()
    for c in codes[1:]:
        combined = combined * (int(c.max()) + 1) + c
    combined[np.any(np.stack(codes) < 0, axis=0)] = -1
    order = np.argsort(combined, kind="stable")
    ordered = combined[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(order)].tolist()
    firsts = order[starts]
    values = [frame[c].iloc[firsts].tolist() for c in cols]
    # Python ints in lists: the callers index Python lists with them.
    rows = order.tolist()
    return {
        key: rows[lo:hi]
        for key, lo, hi, code in zip(
            zip(*values, strict=True), starts.tolist(), ends, ordered[starts].tolist(), strict=True
        )
        if code >= 0
    }


class SentenceIndex:
    """The sentences and mentions of a corpus as Python lists, found by article.

    Element access in the extractor's loops is several times cheaper on
    lists than on numpy arrays.
    """

    def __init__(self, sentences: pd.DataFrame, mentions: pd.DataFrame, lex: Lexicon) -> None:
        self.by_article = _group(sentences, ["article_id"])
        # One vectorised pass flags the sentences that may hold a keyword; only
        # those are read for keywords, which say which patterns to try in each.
        self.may_hold = may_hold_keyword(sentences["text"], lex).tolist()
        self.sid = sentences["sentence_id"].tolist()
        self.start = sentences["start"].tolist()
        self.end = sentences["end"].tolist()
        # Mentions by article, then by sentence for the articles read: a dict
        # per article lives only while the article is read, so the garbage
        # collector does not walk a corpus-wide one (a measurable cost).
        self.mentions_by_article = _group(mentions, ["article_id"])
        self.m_sid = mentions["sentence_id"].tolist()
        self.m_start = mentions["start"].tolist()
        self.m_end = mentions["end"].tolist()
        self.m_actor = mentions["actor"].tolist()
        self.m_kind = mentions["actor_kind"].fillna("").tolist()

    def sentences_of(self, key: str) -> list[int]:
        """The row positions of an article's sentences, in sentence order."""
        positions = self.by_article.get((key,))
        if not positions:
            return []
        # Usually the frame's order already: then this is cheap.
        return sorted(positions, key=self.sid.__getitem__)

    def mentions_of(self, key: str) -> dict[int, list[int]]:
        """The row positions of an article's mentions, by sentence id."""
        by_sentence: dict[int, list[int]] = {}
        for i in self.mentions_by_article.get((key,), ()):
            by_sentence.setdefault(self.m_sid[i], []).append(i)
        return by_sentence


@dataclass
class Article:
    """An article being read: what its sentences share, and the rows found so far."""

    article_id: str
    source_id: str | None
    body: str
    low: str  # the body lower-cased, offsets kept
    published: pd.Timestamp | None
    outlet: str | None
    outlet_state: str | None  # the state the outlet speaks for (nlp.actors.home_state)
    positions: list[int]  # its sentences' rows in the sentence index
    first_sentence: int  # the sentence_id of its first sentence
    keywords: dict[int, set[str]]  # trigger keywords by sentence (index into positions)
    mentions: dict[int, list[int]]  # mention rows by sentence id
    title_types: set[str]
    last_launch: str | None  # the type a bare "launch" takes
    article_launch: tuple | None = None  # the dated launch a bare "the launch" refers to
    title: str = ""  # the headline (or the lead sentence when there is none)
    title_matches: tuple[Match, ...] = ()  # the headline's triggers
    rows: dict[tuple, dict] = field(default_factory=dict)  # by (type, who, date range)
    # in a transcript, the state of the speaker of each sentence after a label
    voices: dict[int, str | None] = field(default_factory=dict)

    def voice(self, sid: int) -> str | None:
        """The state sentence ``sid`` speaks for: a transcript's speaker's, else the outlet's."""
        return self.voices.get(sid, self.outlet_state)


def _nanoseconds(dates: pd.Series) -> list[int | None]:
    """Dates as nanoseconds since 1970 (None when missing), the local calendar kept.

    Cheaper than a list of Timestamps: one is made only for the articles read.
    """
    local = schema.local_dates(pd.to_datetime(dates))
    return local.to_numpy(dtype="datetime64[ns]").tolist()


def open_articles(articles: pd.DataFrame, index: SentenceIndex, lex: Lexicon) -> Iterator[Article]:
    """Yield each article with a sentence that holds a trigger keyword, ready to read.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES`` (at least ``article_id``, ``body`` and
        ``published_date``), in the order their rows are wanted.
    index : SentenceIndex
        The sentences and mentions of (at least) these articles.
    lex : Lexicon
        The trigger lexicon.
    """

    def column(name: str) -> list:
        if name not in articles:
            return [None] * len(articles)
        values = articles[name]
        missing = values.isna().tolist()
        return [None if gap else v for v, gap in zip(values.tolist(), missing, strict=True)]

    for key, source_id, body, published, title, outlet in zip(
        column("article_id"),
        column("source_id"),
        column("body"),
        _nanoseconds(articles["published_date"]),
        column("title"),
        column("outlet"),
        strict=True,
    ):
        article = _open_article(index, lex, key, source_id, body, published, title, outlet)
        if article is not None:
            yield article


def _open_article(
    index: SentenceIndex,
    lex: Lexicon,
    key: str,
    source_id: str | None,
    body: str | None,
    published: int | None,
    title: str | None,
    outlet: str | None,
) -> Article | None:
    """Prepare an article for reading, or None when no sentence of it holds a keyword."""
    positions = index.sentences_of(key)
    if not positions or not isinstance(body, str):
        return None
    flagged = [idx for idx, p in enumerate(positions) if index.may_hold[p]]
    if not flagged:
        return None
    low_body = lower_keeping_offsets(body)
    # The keywords of each sentence; one may end in the space after it.
    keywords: dict[int, set[str]] = {}
    for idx in flagged:
        p = positions[idx]
        stop = index.start[positions[idx + 1]] if idx + 1 < len(positions) else len(body)
        end = max(stop, index.end[p])
        words = {word for _, word in find_keywords(low_body, lex, index.start[p], end)}
        if words:
            keywords[idx] = words
    if not keywords:
        return None
    if not (isinstance(title, str) and title.strip()):
        # No headline: the lead sentence is the story's own summary.
        p0 = positions[0]
        title = body[int(index.start[p0]) : int(index.end[p0])]
    title_matches = find_triggers(title, lexicon=lex)
    day = None if published is None else pd.Timestamp(published, unit="ns").date()
    return Article(
        article_id=key,
        source_id=source_id,
        body=body,
        low=low_body,
        published=None if published is None else pd.Timestamp(published, unit="ns"),
        outlet=outlet,
        outlet_state=home_state(outlet),
        voices=_voices(body, index, positions, day, home_state(outlet)),
        positions=positions,
        first_sentence=int(index.sid[positions[0]]),
        keywords=keywords,
        mentions=index.mentions_of(key),
        title_types={m.trigger.event_type for m in title_matches},
        title=title,
        title_matches=tuple(title_matches),
        last_launch=next(
            (m.trigger.event_type for m in title_matches if m.trigger.event_type in LAUNCH_TYPES),
            None,
        ),
    )


def _voices(
    body: str, index: SentenceIndex, positions: list[int], day, home: str | None
) -> dict[int, str | None]:
    """The speaker's state of each sentence of a transcript, by sentence id.

    In remarks and briefings a label in capitals opens each turn
    ("PRESIDENT LEE:"); "I" and "we" up to the next label are the speaker's.
    The label is resolved like any name, on the article's date ("President
    Lee" is the president of that day); a label that names no state (a
    moderator, "Q:") leaves the outlet's voice. An article with fewer than
    two labels is no transcript: nothing changes.
    """
    if ":" not in body:
        return {}
    labels: dict[int, str | None] = {}
    for p in positions:
        start = int(index.start[p])
        if start and body[start - 1] != "\n":
            continue
        found = _SPEAKER_LABEL.match(body, start, int(index.end[p]))
        if found is not None:
            said = [m[2] for m in match_actors(found.group().title(), day=day, home=home)]
            labels[int(index.sid[p])] = said[0] if said else home
    if len(labels) < 2:
        return {}
    voices: dict[int, str | None] = {}
    speaker = home
    for p in positions:
        sid = int(index.sid[p])
        speaker = labels.get(sid, speaker)
        voices[sid] = speaker
    return voices


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class SentenceContext:
    """A sentence with triggers, and what the article around it says."""

    sentence_id: int
    offset: int  # of its start in the body
    text: str
    low: str  # lower-cased, offsets kept
    matches: Sequence[Match]
    mentions: Sequence[Mention]
    published: pd.Timestamp | None
    is_lead: bool  # the first or second sentence
    title_types: set[str]  # the event types the headline names
    outlet_state: str | None  # the state the sentence speaks for (Article.voice)
    previous_actor: str | None  # the first actor of the sentence before
    continuation: bool  # a fragment that goes on the sentence before
    launch_actor: str | None = None  # the actor of the article's first launch so far
    title: str = ""  # the article's headline (or its lead sentence)
    title_matches: Sequence[Match] = ()  # the headline's triggers
    named_before: Sequence[str] = ()  # the parties the article named up to this sentence
    clauses: dict[tuple[int, int], TriggerClause] = field(default_factory=dict)

    def clause_of(self, match: Match) -> TriggerClause:
        """The clause facts of one of the sentence's triggers (:func:`trigger_clause`)."""
        key = (match.start, match.end)
        facts = self.clauses.get(key)
        if facts is None:
            names = [(m.start, m.end) for m in self.mentions]
            facts = trigger_clause(self.text, self.low, match.start, match.end, names)
            self.clauses[key] = facts
        return facts


def sentence_text(article: Article, idx: int, index: SentenceIndex) -> tuple[int, int, str, str]:
    """Return ``(sentence_id, offset, text, low)`` of an article's sentence ``idx``.

    ``offset`` is the sentence's start in the body; ``low`` is ``text``
    lower-cased with its offsets kept.
    """
    p = article.positions[idx]
    off = index.start[p]
    end = index.end[p]
    return index.sid[p], off, article.body[off:end], article.low[off:end]


def may_be_dated(article: Article, idx: int, sid: int, text: str, low: str, lex: Lexicon) -> bool:
    """Tell whether anything could date an event of a sentence (the date gate).

    A sentence of the lead, one with a trigger dated without a time word (a
    threat, a bare "the launch"), one with a word a date could be made of
    (:func:`~analysis.events.triggers.has_time_cue`) and a fragment that
    goes on the sentence before may be dated; any other holds no event.
    """
    return not (
        sid - article.first_sentence > 1
        and not (article.keywords[idx] & lex.undated_keywords)
        and not has_time_cue(low)
        and _CONTINUATION.match(text) is None
    )


def sentence_context(
    article: Article,
    index: SentenceIndex,
    sid: int,
    off: int,
    text: str,
    low: str,
    matches: Sequence[Match],
) -> SentenceContext:
    """Return the context of a sentence with triggers: its mentions and its article's facts.

    Parameters
    ----------
    article : Article
        The article being read.
    index : SentenceIndex
        The corpus's sentences and mentions.
    sid, off, text, low
        The sentence (:func:`sentence_text`).
    matches : sequence of Match
        The sentence's triggers.
    """
    mentions = [
        Mention(index.m_start[i] - off, index.m_end[i] - off, index.m_actor[i], index.m_kind[i])
        for i in article.mentions.get(sid, ())
        if isinstance(index.m_actor[i], str)
    ]
    return SentenceContext(
        sentence_id=sid,
        offset=off,
        text=text,
        low=low,
        matches=matches,
        mentions=mentions,
        published=article.published,
        is_lead=sid - article.first_sentence <= 1,
        title_types=article.title_types,
        outlet_state=article.voice(sid),
        previous_actor=_previous_subject(
            sid, article.first_sentence, article.mentions, index.m_actor, index.m_kind
        ),
        continuation=_CONTINUATION.match(text) is not None and sid > article.first_sentence,
        launch_actor=next(
            (r["actor"] for r in article.rows.values() if r["event_type"] in LAUNCH_TYPES),
            article.article_launch[3] if article.article_launch else None,
        ),
        title=article.title,
        title_matches=article.title_matches,
        named_before=[
            index.m_actor[i]
            for prev in range(article.first_sentence, sid + 1)
            for i in article.mentions.get(prev, ())
            if isinstance(index.m_actor[i], str) and index.m_kind[i] != "place"
        ],
    )


def _previous_subject(sid, first, m_by, m_actor, m_kind) -> str | None:
    """The first actor named in the nearest earlier sentence that names one."""
    for prev in range(sid - 1, max(first, sid - _PREVIOUS_SUBJECT_REACH) - 1, -1):
        for i in m_by.get(prev, ()):
            if isinstance(m_actor[i], str) and m_kind[i] != "place":
                return m_actor[i]
    return None


# --------------------------------------------------------------------------- time expressions


class FrameDates:
    """Time expressions of each sentence, from a ``schema.TIMEX`` frame."""

    def __init__(self, timex: pd.DataFrame) -> None:
        # Resolved expressions, and "a day after"-style offsets the language
        # layer leaves open because they count from an event: those are
        # resolved by the dating step, from the event they follow.
        offsets = timex["date_start"].isna() & timex["text"].fillna("").str.match(
            EVENT_OFFSET.pattern
        )
        timex = timex.loc[
            (
                timex["date_start"].notna()
                & timex["date_end"].notna()
                & timex["precision"].isin(schema.PRECISIONS)
            )
            | offsets
        ]
        self.by = _group(timex, ["article_id", "sentence_id"])
        self.start = timex["start"].tolist()
        self.end = timex["end"].tolist()
        self.ds = timex["date_start"].tolist()
        self.de = timex["date_end"].tolist()
        self.prec = timex["precision"].tolist()
        self.rule = timex["rule"].fillna("").tolist()
        self.text = timex["text"].fillna("").tolist()

    def get(self, key, sid, text, off, published):
        """The resolved expressions and the open offsets of one sentence."""
        resolved, offsets = [], []
        for i in self.by.get((key, sid), ()):
            if pd.isna(self.ds[i]):
                offsets.append((self.start[i] - off, self.end[i] - off, self.text[i]))
            else:
                resolved.append(
                    Timex(
                        self.start[i] - off,
                        self.end[i] - off,
                        self.ds[i],
                        self.de[i],
                        self.prec[i],
                        self.rule[i],
                    )
                )
        return resolved, offsets


class LazyDates:
    """Time expressions resolved on demand, only for the sentences that need them.

    The language layer's plain core (:func:`analysis.nlp.iter_time_expressions`)
    resolves one sentence at a time against the publication date, so a corpus
    pays for dates only where a trigger stands.
    """

    def __init__(self) -> None:
        self.resolve = nlp.iter_time_expressions
        # Only the article being read: a sentence is looked up again only
        # from its own article (for the next sentence, a continued fragment).
        self.article = None
        self.cache: dict = {}

    def get(self, key, sid, text, off, published):
        """The resolved expressions and the open offsets of one sentence."""
        if key != self.article:
            self.article = key
            self.cache.clear()
        hit = self.cache.get((key, sid))
        if hit is not None:
            return hit
        resolved, offsets = [], []
        if not has_time_cue(text.lower()):
            # No word a date is made of: nothing to resolve (the premise of
            # :func:`may_be_dated` too).
            self.cache[(key, sid)] = (resolved, offsets)
            return resolved, offsets
        day = published.date() if published is not None else None
        for t in self.resolve(text, day):
            if t.date_start is None:
                if EVENT_OFFSET.match(t.text):
                    offsets.append((t.start, t.end, t.text))
            elif t.date_end is not None and t.precision in schema.PRECISIONS:
                resolved.append(
                    Timex(
                        t.start,
                        t.end,
                        pd.Timestamp(t.date_start),
                        pd.Timestamp(t.date_end),
                        t.precision,
                        t.rule or "",
                    )
                )
        self.cache[(key, sid)] = (resolved, offsets)
        return resolved, offsets


#: Where a sentence's time expressions come from: a TIMEX frame, or resolved on demand.
Dates = FrameDates | LazyDates


def sentence_dates(
    article: Article, idx: int, index: SentenceIndex, dates: Dates, continuation: bool
) -> tuple[list[Timex], list[tuple[int, int, str]]]:
    """Return the time expressions of a sentence, and its offsets counted from an event.

    A hard-wrapped fragment ('along with "joint drill ..."') without a date
    of its own goes on the sentence before it: it takes that sentence's
    opening date.
    """
    p = article.positions[idx]
    off = index.start[p]
    text = article.body[off : index.end[p]]
    sent_timex, sent_offsets = dates.get(
        article.article_id, index.sid[p], text, off, article.published
    )
    if continuation and not sent_timex and idx > 0:
        q = article.positions[idx - 1]
        q_off = int(index.start[q])
        q_text = article.body[q_off : int(index.end[q])]
        prev, _ = dates.get(article.article_id, int(index.sid[q]), q_text, q_off, article.published)
        if prev:
            first = min(prev, key=lambda t: t.start)
            sent_timex = [replace(first, start=0, end=0)]
    return sent_timex, sent_offsets
