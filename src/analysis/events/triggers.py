"""Which event types a sentence may hold: the trigger lexicon and its gates.

A sentence holds an event of a type where one of the type's *triggers* (a
pattern of ``data/event_triggers.toml``) matches it. This step decides which
triggers match a sentence and, where triggers of different types overlap,
which one stands (the more specific, by its ``priority``); a bare "launch"
takes the type of the launch the article is about.

Matching every pattern on every sentence would be slow, so three gates come
first, each allowed to be wrong only one way (to let a sentence through):
:func:`may_hold_keyword` reads a whole column of texts in one RE2 pass,
:func:`find_keywords` finds the literal keywords a pattern needs, and
:func:`has_time_cue` tells whether a sentence holds any word a date could be
made of. The word lists and windows are in ``data/event_cues.toml``
(``[triggers]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import schema
from analysis.ingest.dates import MONTH_NAMES, WEEKDAYS
from analysis.nlp.trie import trie_regex
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["triggers"]

#: Pseudo-type of a bare "the launch": it takes the type of the launch the
#: article last named (a missile or a space launch).
ANAPHOR = "launch_anaphor"
#: The event types of a launch, which a bare "the launch" may refer to.
LAUNCH_TYPES = ("missile_launch", "satellite_launch")
#: Types that are speech acts: dated by their saying, acted by their speaker.
SPEECH_TYPES = ("threat", "agreement")
#: Types that take two parties: a row lists them all in ``participants``, needs
#: two, and is one event whoever is named first (rows are told apart by their
#: participants, not their actor).
PARTICIPANT_KEYED_TYPES = ("meeting", "agreement")

_REQUIRE_BEFORE = _CUES["require_before"]
_REQUIRE_AFTER = _CUES["require_after"]
_EXCLUDE_BEFORE = _CUES["exclude_before"]
_EXCLUDE_STOP = re.compile(_CUES["exclude_stop"])
_GATHERING = re.compile(
    _CUES["gathering"] + rf"(?:[\s-]+[\w.'\u2019-]+){{0,{_CUES['gathering_words']}}}?[\s-]+$"
)
_GATHERING_REACH = _CUES["gathering_reach"]


@dataclass(frozen=True)
class Trigger:
    """One trigger pattern of ``data/event_triggers.toml``."""

    event_type: str
    name: str
    regex: re.Pattern[str]
    require: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    veto: re.Pattern[str] | None
    priority: int
    confidence: float
    modal_check: bool
    default_actor: str | None
    keywords: tuple[str, ...]
    # A speech act or joint decision that, given no date of its own, belongs
    # to the occasion the text reports (its meeting, or the statement itself).
    occasion: bool = False
    # The actor is whoever says it, not the subject of its clause ("X
    # reaffirmed that any attack will be met with a response").
    speaker: bool = False
    # Whoever goes with the actor is a party ("visited the memorial with
    # President X"): a person named after "with" in its clause.
    companion: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The trigger lexicon and its cues, compiled once."""

    triggers: tuple[Trigger, ...]
    prefilter: re.Pattern[str]  # any trigger keyword
    scanner: re.Pattern[str]  # the same, led by the character before it (see find_keywords)
    gate: str  # RE2 source: a text that may hold a keyword (see may_hold_keyword)
    by_keyword: dict[str, tuple[int, ...]]  # keyword -> triggers that need it
    undated_keywords: frozenset[str]  # of triggers dated without a time word
    missile_classes: tuple[tuple[str, re.Pattern[str]], ...]
    hypothetical: re.Pattern[str]
    planned: re.Pattern[str]
    denied: re.Pattern[str]
    default_actor: dict[str, str]
    usual_target: dict[str, str]
    # The triggers to try for a set of keywords, filled as sets are met.
    candidates: dict[frozenset[str], tuple[Trigger, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )


@dataclass(frozen=True)
class Match:
    """One trigger occurrence in a sentence: ``start`` and ``end`` are offsets into it."""

    start: int
    end: int
    trigger: Trigger


def _expand(pattern: str, macros: dict[str, str]) -> str:
    # Macros may use other macros; expand until nothing changes.
    for _ in range(5):
        new = re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)], pattern)
        if new == pattern:
            return new
        pattern = new
    return pattern


def _trie_pattern(words: Sequence[str]) -> str:
    """A group matching any of ``words``, factored as a trie (longest first).

    Python's ``re`` tries the branches of a flat alternation one by one at
    every position; sharing prefixes makes the keyword pass several times
    faster.
    """
    return "(?:" + trie_regex(list(words)) + ")"


def _gate_pattern(keywords: Sequence[str]) -> str:
    """An RE2 pattern, used case-blind, for texts that may hold one of ``keywords``.

    It finds at least every sentence in which :func:`find_keywords` finds one:
    each keyword after the text's start or a character that is not an ASCII
    letter or digit; a keyword's final space may be the one after the
    sentence ("the UN" + " "). Under case folding RE2 counts the long s
    (U+017F) as a letter where ``str.lower`` does not, so it is allowed
    before a keyword too.
    """

    def escape(keyword: str) -> str:
        body = re.sub(r"([.\-])", r"\\\1", keyword.rstrip(" "))
        return body + "(?: |$)" if keyword.endswith(" ") else body

    ordered = sorted(keywords, key=lambda k: (-len(k), k))
    return r"(?:^|[^a-z0-9]|\x{17f})(?:" + "|".join(map(escape, ordered)) + ")"


def may_hold_keyword(texts: pd.Series, lexicon: Lexicon) -> np.ndarray:
    """Flag the texts that may hold a trigger keyword, in one vectorised RE2 pass.

    The extractor's first, fastest gate. A flag may be wrong only one way (a
    flagged text with no keyword), so the slower exact pass
    (:func:`find_keywords`) need only read flagged texts.

    Parameters
    ----------
    texts : pandas.Series
        Texts in any case; a missing text is flagged.
    lexicon : Lexicon
        The trigger lexicon (:func:`load_lexicon`).

    Returns
    -------
    numpy.ndarray of bool
        One flag per text: ``False`` only where :func:`find_keywords` finds
        no keyword in the lower-cased text.
    """
    arr = pa.array(texts.astype("string").array, type=pa.large_string())
    hit = pc.match_substring_regex(arr, lexicon.gate, ignore_case=True)
    return np.asarray(pc.fill_null(hit, True), dtype=bool)


# Any word a time expression is made of; a sentence without one has no date.
# Month and weekday names count from their start ("jan" in "january"), the
# other words whole. Factored as tries: one search per sentence stays cheap.
_TIME_PREFIXES = (*(names[0] for names in MONTH_NAMES), *WEEKDAYS)
_TIME_WORDS = tuple(_CUES["time_words"])
# Two fast passes (see :func:`find_keywords`): a digit, or a time word led
# by a character that is not a word character (a space stands for the start).
_DIGIT = re.compile(r"\d")
_TIME_WORD = re.compile(
    r"\W(?:" + _trie_pattern(_TIME_PREFIXES) + "|" + _trie_pattern(_TIME_WORDS) + r"\b)"
)


def has_time_cue(low: str) -> bool:
    """Tell whether a lower-cased text holds a digit or a word a date could be made of.

    The extractor's gate for dates: a sentence without such a word holds no
    time expression, so it is not resolved, and after the lead it is not
    read for events unless something else dates them (a statement, a
    continued fragment).

    Examples
    --------
    >>> has_time_cue("the north fired a missile on monday")
    True
    >>> has_time_cue("the north fired a missile")
    False
    """
    return _DIGIT.search(low) is not None or _TIME_WORD.search(" " + low) is not None


def _compile_triggers(items: list[dict], macros: dict[str, str]) -> list[Trigger]:
    """Compile the ``[[trigger]]`` tables, checking their types and names."""
    triggers = []
    seen = set()
    for item in items:
        if item["event_type"] not in (*schema.EVENT_TYPES, ANAPHOR):
            raise ValueError(f"event_triggers.toml: unknown type {item['event_type']!r}")
        if item["name"] in seen:
            raise ValueError(f"event_triggers.toml: trigger name {item['name']!r} used twice")
        seen.add(item["name"])

        def compile_(key: str, item: dict = item) -> re.Pattern[str] | None:
            text = item.get(key, "")
            return re.compile(_expand(text, macros)) if text else None

        triggers.append(
            Trigger(
                event_type=item["event_type"],
                name=item["name"],
                regex=compile_("pattern"),
                require=compile_("require"),
                exclude=compile_("exclude"),
                veto=compile_("veto"),
                priority=int(item.get("priority", 0)),
                confidence=float(item.get("confidence", 0.7)),
                modal_check=bool(item.get("modal_check", True)),
                default_actor=item.get("default_actor") or None,
                keywords=tuple(k.lower() for k in item["keywords"]),
                occasion=bool(item.get("occasion", False)),
                speaker=bool(item.get("speaker", False)),
                companion=bool(item.get("companion", False)),
            )
        )
    return triggers


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Return the compiled trigger lexicon of ``data/event_triggers.toml``.

    Returns
    -------
    Lexicon
        The triggers (one per ``[[trigger]]`` table) and the missile-class,
        modality, outlet and default-actor cues.

    Raises
    ------
    ValueError
        When a trigger names an unknown event type or a name is used twice.
    """
    data = read_toml("event_triggers.toml")
    macros = data.get("macros", {})
    triggers = _compile_triggers(data["trigger"], macros)
    # One pass of a literal alternation finds every keyword; longest first so
    # the alternation prefers "rocket launcher" to "rocket".
    keywords = sorted({k for t in triggers for k in t.keywords}, key=lambda k: (-len(k), k))
    trie = _trie_pattern(keywords)
    prefilter = re.compile(r"(?<![a-z0-9])" + trie)
    by_keyword: dict[str, list[int]] = {}
    for i, t in enumerate(triggers):
        for k in t.keywords:
            by_keyword.setdefault(k, []).append(i)
    modality = data["modality"]
    # The scan reports the longest keyword at a place, which hides the
    # keywords inside it ("space launch" holds "launch", "met with" holds
    # "met"): a keyword also calls the triggers of those.
    by_keyword = {
        k: sorted({i for inner in keywords if _holds_word(k, inner) for i in by_keyword[inner]})
        for k in keywords
    }
    return Lexicon(
        triggers=tuple(triggers),
        prefilter=prefilter,
        scanner=re.compile(r"[^a-z0-9](" + trie + ")"),
        gate=_gate_pattern(keywords),
        by_keyword={k: tuple(v) for k, v in by_keyword.items()},
        # Threats (dated by their statement), a bare "launch" (dated by the
        # article's launch) and what belongs to an occasion need no time
        # expression of their own.
        undated_keywords=frozenset(
            k
            for k in keywords
            if any(
                t.event_type in ("threat", ANAPHOR) or t.occasion
                for t in (triggers[i] for i in by_keyword[k])
            )
        ),
        missile_classes=tuple(
            (c["class"], re.compile(_expand(c["cue"], macros))) for c in data["missile_class"]
        ),
        hypothetical=re.compile(modality["hypothetical"]),
        planned=re.compile(modality["planned"]),
        denied=re.compile(modality["denied"]),
        default_actor=dict(data.get("default_actor", {})),
        usual_target=dict(data.get("usual_target", {})),
    )


def _holds_word(keyword: str, inner: str) -> bool:
    """Tell whether ``inner`` occurs in ``keyword`` where a keyword may start (a word start)."""
    at = keyword.find(inner)
    while at >= 0:
        if at == 0 or not keyword[at - 1].isalnum():
            return True
        at = keyword.find(inner, at + 1)
    return False


def lower_keeping_offsets(text: str) -> str:
    """Lower-case ``text`` keeping its length, so offsets stay valid.

    A few characters lower-case to two ("İ" to "i̇"); those are kept as they are.

    Examples
    --------
    >>> lower_keeping_offsets("İstanbul TALKS")
    'İstanbul talks'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_keywords(
    low: str, lexicon: Lexicon, start: int = 0, end: int | None = None
) -> list[tuple[int, str]]:
    """Return each trigger keyword of a lower-cased text with its offset.

    The same as ``lexicon.prefilter.finditer(low, start, end)``, faster: a
    pattern that starts with a look-behind is tried at every character,
    while one that starts with a character class (the character before the
    keyword; a space stands for the start of the text) lets the engine skip
    in C to the next space or punctuation mark.

    Parameters
    ----------
    low : str
        A lower-cased text.
    lexicon : Lexicon
        The trigger lexicon (:func:`load_lexicon`).
    start, end : int, optional
        The part of ``low`` to read; the character before ``start`` still
        decides whether a keyword starts a word.

    Returns
    -------
    list of tuple
        ``(offset, keyword)`` pairs, in text order.
    """
    end = len(low) if end is None else end
    before = low[start - 1] if start else " "
    found = [
        (start + m.start(), m.group(1)) for m in lexicon.scanner.finditer(before + low[start:end])
    ]
    for at, word in found:
        # The one way the two part: a keyword that ends in a space or a mark
        # ("un ") has used up the character before a keyword right after it.
        if not word[-1].isalnum() and lexicon.prefilter.match(low, at + len(word), end):
            return [(m.start(), m.group()) for m in lexicon.prefilter.finditer(low, start, end)]
    return found


def find_triggers(
    text: str,
    *,
    lexicon: Lexicon | None = None,
    gate: bool = True,
    keywords: set[str] | None = None,
    lowered: bool = False,
) -> list[Match]:
    """Return the trigger matches of one sentence, overlaps resolved by priority.

    Parameters
    ----------
    text : str
        A sentence (any case).
    lexicon : Lexicon, optional
        Defaults to :func:`load_lexicon`.
    gate : bool
        Try a pattern only when one of its keywords occurs (the fast path);
        ``False`` tries every pattern (the tests compare both).
    keywords : set of str, optional
        The keywords already found in ``text`` (saves a pass).
    lowered : bool
        ``text`` is already lower-cased.

    Returns
    -------
    list of Match
        One match per kept trigger occurrence, in text order, each with
        ``start``, ``end`` (offsets into ``text``) and its ``trigger``. A
        meeting trigger that names a large multilateral gathering ("the G20
        summit") is dropped: the gathering is no meeting row.
    """
    lex = lexicon or load_lexicon()
    low = text if lowered else lower_keeping_offsets(text)
    if gate:
        if keywords is None:
            keywords = {word for _, word in find_keywords(low, lex)}
        if not keywords:
            return []
        candidates = _candidates(lex, keywords)
    else:
        candidates = lex.triggers
    found = _drop_overlaps([m for trig in candidates for m in _trigger_matches(low, trig)])
    return [m for m in found if not _names_a_gathering(low, m)]


def _names_a_gathering(low: str, match: Match) -> bool:
    """Tell whether a meeting trigger names a large multilateral gathering ("the NATO Summit").

    The gathering is no meeting row (the guidelines); the meetings on its
    margins are.
    """
    return match.trigger.event_type == "meeting" and (
        _GATHERING.search(low, max(0, match.start - _GATHERING_REACH), match.start) is not None
    )


def _candidates(lex: Lexicon, keywords: set[str]) -> tuple[Trigger, ...]:
    """The triggers that need one of ``keywords``, in lexicon order (kept per keyword set)."""
    key = frozenset(keywords)
    candidates = lex.candidates.get(key)
    if candidates is None:
        if len(lex.candidates) > 4096:
            lex.candidates.clear()  # bounded, whatever the corpus
        chosen = sorted({i for k in keywords for i in lex.by_keyword[k]})
        candidates = lex.candidates[key] = tuple(lex.triggers[i] for i in chosen)
    return candidates


def _trigger_matches(low: str, trig: Trigger) -> list[Match]:
    """The matches of one trigger in a lower-cased sentence, its require, veto, exclude applied."""
    if trig.require is not None and not trig.require.search(low):
        return []
    if trig.veto is not None and trig.veto.search(low):
        return []
    found = []
    for m in trig.regex.finditer(low):
        if m.end() == m.start():
            continue
        if trig.require is not None and not trig.require.search(
            low, max(0, m.start() - _REQUIRE_BEFORE), m.end() + _REQUIRE_AFTER
        ):
            # What a warning warns of follows it: "warned that its arms
            # dealings would deepen its isolation" names no force.
            continue
        if trig.exclude is not None:
            stop = _EXCLUDE_STOP.search(low, m.end())
            window = low[max(0, m.start() - _EXCLUDE_BEFORE) : stop.start() if stop else len(low)]
            if trig.exclude.search(window):
                continue
        found.append(Match(m.start(), m.end(), trig))
    return found


def _drop_overlaps(found: list[Match]) -> list[Match]:
    """Keep the highest-priority match where matches overlap, in text order.

    A more specific type wins; of one type, the earlier and longer match is
    kept, stretched over the other ("launched artillery" and "artillery
    firing drills" make one trigger).
    """
    found = sorted(found, key=lambda m: (-m.trigger.priority, m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in found:
        hit = next((i for i, k in enumerate(kept) if m.start < k.end and k.start < m.end), None)
        if hit is None:
            kept.append(m)
        elif kept[hit].trigger.event_type == m.trigger.event_type:
            k = kept[hit]
            kept[hit] = Match(min(k.start, m.start), max(k.end, m.end), k.trigger)
    kept.sort(key=lambda m: m.start)
    return kept


def resolve_anaphors(
    matches: list[Match], last_launch: str | None
) -> tuple[list[Match], str | None]:
    """Give each bare "launch" the type of the article's launch (title, else first named).

    Parameters
    ----------
    matches : list of Match
        The triggers of one sentence (:func:`find_triggers`).
    last_launch : str or None
        The launch type the article is about so far (one of
        :data:`LAUNCH_TYPES`), or None.

    Returns
    -------
    tuple
        The matches with each :data:`ANAPHOR` typed (or dropped when no
        launch precedes it), and the article's launch type after the
        sentence.
    """
    out = []
    named = [m for m in matches if m.trigger.event_type in LAUNCH_TYPES]
    for m in matches:
        etype = m.trigger.event_type
        if etype == ANAPHOR:
            # A launch named before it in the sentence is the one meant; else
            # the article's own; with none, the word is not an event.
            if last_launch is None or any(n.end <= m.start for n in named):
                continue
            m = Match(m.start, m.end, replace(m.trigger, event_type=last_launch))
        out.append(m)
    if named and last_launch is None:
        last_launch = named[0].trigger.event_type
    return out, last_launch
