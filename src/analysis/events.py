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
  rule of the guidelines (breaking news, a statement);
- ``confidence``: the trigger's prior, lowered for fallbacks and default actors.

The steps for each trigger in a sentence:

1. *Type*: where triggers of different types overlap, the more specific wins
   (its ``priority``); an artillery live-fire drill is ``artillery_fire``. A
   bare "launch" takes the type of the launch the article is about.
2. *Modality*: the words of the clause before the trigger say whether the
   event is hypothetical or habitual (dropped: "could conduct a nuclear
   test", "frequently threatened"), denied or planned; a plural noun with no
   count is an aggregate (dropped: "missile launches"); a date after the
   publication date makes it planned. A threat itself always happened.
3. *Date*: the nearest time expression of the sentence that is not separated
   from the trigger by another trigger, a coordinated conjunct ("a nuclear
   test in January and a satellite launch"), a semicolon or a reporting verb
   ("X said on Monday that it fired": Monday dates the saying); an
   expression that opens the sentence ("In early January, ...") dates every
   event of it, and a cause named in passing ("following the rocket launch")
   takes only a date attached to it. Year-only dates are not event dates.
4. *Actor*: a mention inside the trigger phrase; else the subject of the
   trigger's clause (its first actor mention that is not the object of a
   preposition or verb, "sanctions on North Korea"); else the agent of a
   passive ("imposed by the U.N."). A pronoun subject takes the subject of
   the sentence before; a first-person statement ("we warn") speaks for the
   outlet's state. Launches and tests default to North Korea unless another
   actor is attached to the trigger itself.
5. *Participants* (meetings, agreements, joint exercises): the parties named
   up to the topic ("to discuss ...", "over ..."); a meeting or agreement
   needs two.

Events are deduplicated within an article by (type, actor or parties, date
range), and a row whose range lies inside another row's of the same event
is dropped: one row per distinct event per article, however often the
article repeats it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from analysis import schema
from analysis.codes import code_for
from analysis.nlp.timex import NUMBER_WORDS
from analysis.nlp.trie import trie_regex

#: Pseudo-type of a bare "the launch": it takes the type of the launch the
#: article last named (a missile or a space launch).
ANAPHOR = "launch_anaphor"
LAUNCH_TYPES = ("missile_launch", "satellite_launch")

#: Types that are speech acts: dated by their saying, acted by their speaker.
SPEECH_TYPES = ("threat", "agreement")

#: Types whose rows list every party in ``participants``.
PARTY_TYPES = ("meeting", "agreement")

_MAX_EVIDENCE = 300
# A time expression "opens" the sentence when only these words precede it.
_OPENERS = {"", "in", "on", "at", "since", "by", "from", "during", "until", "through", "as of"}
# Clause boundaries for the modality window.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2014\u2013]|\s-\s|\b(?:that|which|who|but|while|after|before|because|although|"
    r"though|when|since|following|amid|and said|said)\b"
)
# Words right before a mention that make it an object, not the acting subject.
_OBJECT_MARKER = re.compile(
    r"\b(?:on|against|at|in|near|off|across|toward|towards|into|over|to|for|upon|targeting|with|"
    r"from|about|"
    r"of (?:the )?(?:launch|test|firing)|urged|asked|told|condemned|criticized|criticised|"
    r"punish|punishing|pressure on|by (?:the )?(?:north|south)|designat\w+|declar\w+|defin\w+|"
    r"brand\w*|label\w*|"
    r"call(?:s|ed)? on|warn(?:s|ed)?|accus\w+|blam\w+)\s+(?:the\s+|its\s+|their\s+)?$"
)
_SUBJECT_BREAK = re.compile(
    r"[;:\u2014]|,(?=\s+(?:we|i)\b)|\s-\s|\b(?:that|which|who|whom|while|whereas|but|because|although|though|"
    r"when|after|before|if|unless|said|says|told|reported|according to|prompting|prompted|"
    r"forcing|forced|leading|causing|urging|urged|asking|asked)\b"
)
_PRONOUN_OPENING = re.compile(r"\s*(?:on \w+\s+|(?:that|,)\s+)*(?:it|they|he|she)\b")
_FIRST_PERSON_WORD = re.compile(r"(?:^|[\s\"'\u201c])(we|i)\s")
#: Pseudo-actor of a first-person statement; the outlet's state replaces it.
SELF = "SELF"
_CONDITION = re.compile(r"\b(?:if|unless|in case|should)\b[^,;]*")
_PARTICIPLE = re.compile(
    r",\s+(?:calling|branding|labelling|labeling|describing|saying|adding|warning|vowing|"
    r"threatening|accusing)\b"
)
_APPOSITIVE = re.compile(r"^, .*,$", re.S)
_VERB_OBJECT = re.compile(
    r"\b(?:call(?:s|ed|ing)?|designat\w+|declar\w+|warn(?:s|ed|ing)?|accus\w+|blam\w+|"
    r"condemn\w*|criticiz\w+|criticis\w+|urg\w+|denounc\w+|slam\w*)\s+(?:the\s+)?$"
)
_PARTY_AFTER = re.compile(
    r"\b(?:between|among|with|by)\s+(?:the\s+)?(?:(?:[\w-]+\s+){0,2}?(?:delegations?|"
    r"representatives|officials|envoys|leaders|ministers|heads|members)\s+of\s+(?:the\s+)?)?$"
)
_AGENT_AFTER = re.compile(
    r"^\s*(?:was |were |have been |has been |had been )?\w*\s*by\s+(?:the\s+)?$"
)
_ATTACHED = re.compile(
    r"^(?:'s|\u2019s)?\s*(?:(?:on|in|at|of|since|during|from|between|by|until)\s*)?(?:the\s*)?$"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|juche")
_PAST_WORD = re.compile(r"\b(?:last|past|ago|earlier|previous)\b")
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_MAX_GAP = 90
_PAST_WARNING = re.compile(r"\b(?:warned|threatened)\b")
_OFFSET = re.compile(
    r"(a|an|one|two|three|four|five|six|seven|\d+) (days?|weeks?) (after|before|later|earlier)$",
    re.IGNORECASE,
)
_ANY = re.compile(r"\b(?:any|every|no)\b")
_RELATIVE = re.compile(r",\s*(?:which|who|whom|whose|where)\b")
# The rest of a relative clause closed by a comma just before the date.
_CLOSED_RELATIVE = re.compile(r"[^,;()\u2014]{1,100},\s*(?:on|in|at)?\s*$")
_STRONG_BREAK = re.compile(r";|\s[\u2014\u2013]\s|\s--\s")
_MAX_GAP_FINAL = 160
_MODAL_AFTER = re.compile(r"\s+(will|would|could|may|might|is to|are to)\b")
# "X denied that it fired ...": the denial governs the clause after it.
_DENIAL_FRAME = re.compile(
    r"\b(?:denied|denies|deny|denying|dismissed reports?|rejected reports?)\s+(?:that\s+)?"
    r"(?:[\w'\u2019.-]+\s+){0,3}$"
)
_SAID_ON = re.compile(r"\b(?:said|says|warned|announced|declared|stated)\s+(?:on\s+)?$")
# "X in a statement on Feb. 24 protested against the exercises": the date of
# the document, not of the event it talks about.
_DOCUMENT_ON = re.compile(
    r"\b(?:statement|commentary|editorial|article|message|letter|interview)\s+(?:on\s+)?$"
)
# A date that names a document ("the June 15 joint declaration", "the
# October 4 declaration") is part of its name, not the date of an event.
_NAMED_DOCUMENT = re.compile(
    r"\s*(?:north-south |inter-korean |[\w-]+-[\w-]+ )?(?:joint |military |summit )?"
    r"(?:declarations?|statements?|agreements?|accords?|communiques?)\b"
)
# A date right before a reporting verb dates the report ("Rodong Sinmun
# Tuesday observes that the exercises ...").
_REPORTED_AFTER = re.compile(
    r"\s*,?\s*(?:said|says|observes?|observed|notes?|noted|reported|reports|comments?|"
    r"commented|wrote|writes|carried|carries|stressed|stresses)\b"
)
_COORDINATION = re.compile(r"\b(?:and|or)\b")
_HABITUAL = re.compile(
    r"\b(?:frequently|often|routinely|regularly|usually|typically|repeatedly threatened|"
    r"has long|have long|continuous|continued|series of|string of|spate of|flurry of|"
    r"(?:twice|\w+ times) as many|ongoing)\b"
)
# A count of occurrences after the trigger: "fired cruise missiles five times
# since late January", "staged exercises ... twice as many as": a trend.
_FREQUENCY = re.compile(
    r"[^,;:()]{0,60}?\b(?:twice|(?:three|four|five|six|seven|eight|nine|ten|\d+|several|many|"
    r"multiple|dozens of|numerous) times)\b\s+(?:since|as many|as much|this year|so far|in recent|"
    r"over the past|during the past|in the past|a year|a month|a week)"
)
# "a rocket launch last month, triggering new sanctions": a date before a
# consequence clause dates the cause, not the consequence.
_CONSEQUENCE = re.compile(
    r",\s*(?:triggering|prompting|leading to|sparking|drawing|causing|inviting|resulting in)\b"
)
# "Concerns that Pyongyang is about to conduct a test": the clause a hedge
# governs is hypothetical, though "that" cuts the modality window.
_HEDGE_FRAME = re.compile(
    r"\b(?:concerns?|fears?|worries|worried|speculation|possibility|likelihood|risk|"
    r"suspicions?|rumou?rs?|expect(?:s|ed)?|believe[sd]?|predict(?:s|ed)?|warn(?:s|ed)? of)\s+"
    r"that\s+(?:[\w'\u2019.-]+\s+){0,8}$"
)
# A photo caption ("A photo released on Thursday shows ...", "FILE - ..."):
# its date is the picture's, not the event's.
# Every caption the pattern below finds holds one of these (a cheap test first).
_CAPTION_WORDS = ("photo", "picture", "image", "footage", "screen", "file")
_CAPTION = re.compile(
    r"^\W*(?:file\b|\(?(?:file )?photo\b)|\b(?:photo|picture|image|footage|screen)s?\b"
    r"[^.;]{0,80}\bshows?\b|\bshows? (?:a |the )?(?:file )?(?:photo|picture|image|footage)"
)
# A trigger that ends in a plural noun ("missile launches", "nuclear tests").
_PLURAL_NOUN = re.compile(r"\b(?:launches|tests|firings|explosions|detonations)$")
_COUNTED = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|multiple|both)\b"
)
# The trigger names an earlier event as the cause of this clause's one.
_BACKGROUND_HEAD = re.compile(
    r"\b(?:following|after|since|amid|over|for|despite|in response to|punishment for)\s+"
    r"(?:[\w.'\u2019-]+\s+){0,3}$"
)
# A cause named in passing: no breaking news of its own.
_CAUSE_HEAD = re.compile(
    r"\b(?:amid|despite|in response to|in retaliation for|punishment for)\s+"
    r"(?:[\w.'\u2019-]+\s+){0,3}$"
)
_CONJUNCT = re.compile(r"[\s,]*(?:and|or|as well as|while)\b")
_BACKGROUND = re.compile(
    r"\b(?:following|after|amid|since|in response to|in retaliation for|for the|for its|"
    r"over the|over its)\b"
)
_ATTACHED_ACTOR = re.compile(r"^(?:'s|\u2019s|')?(?:\s+[\w-]+){0,3}\s*$")
_VERB_LIKE = re.compile(
    r"\b(?!(?:suspected|so-called|alleged|unidentified|unspecified|advanced|armed)\b)[a-z]+ed\b|"
    r"\b(?:said|says|saw|see|sees|told|detect\w*|condemn\w*|call\w*|urg\w*|fear\w*|is|was|were|are)\b"
)
_REPORTING = re.compile(r"\b(?:said|says|told|reported|according to|quoted)\b")
_TOPIC = re.compile(
    r"\b(?:to discuss|to address|discuss|about|over|regarding|concerning|following|after|amid|"
    r"against|to counter|to cope|in response|on the|on north|on how|aimed at|to deter)\b"
)
_CONTINUATION = re.compile(r"^[\s\"'\u201c\u2018(]*[a-z]")
_PRONOUN_SUBJECT = re.compile(r"(?:^|[\s,])(?:they|it|he|she)\s+(?:[\w-]+\s+){0,6}$|^\s*$")
_FIRST_PERSON = re.compile(r"(?:^|\W)(?:we|i|our|us)\b")
_CONJOINED = re.compile(r"(?:'s|\u2019s)?\s*(?:,|,?\s*and|-|/|\u2013)\s*(?:the\s+)?$")
_HERE = re.compile(r"\b(?:arrived|arrives|landed|came|here)\s+here\b|\bhere (?:on|for)\b")
_JOINT = re.compile(r"\b(?:joint|combined|trilateral|bilateral|allied|together with|with the)\b")
_NUMBER_WORDS = {**NUMBER_WORDS, "several": None}
_COUNT = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,4})\s+"
    r"(?:[\w\"'-]+\s+){0,5}?(?:missiles|missile|projectiles|projectile|rockets|rocket|shells|"
    r"rounds|balloons|drones|icbms?|srbms?|slbms?)\b"
)
_PLACE = re.compile(
    r"\b(?:in|at|near|from|off|over|into)\s+((?:the\s+)?(?:[A-Z][\w'-]+|of)(?:\s+(?:[A-Z][\w'-]+|of))*)"
)
_NOT_PLACE = re.compile(
    r"^(?:the\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|Juche|North|South|U|UN|United|Defense|"
    r"Defence|Korean|Kim|President|The)\b"
)


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


@dataclass(frozen=True)
class Lexicon:
    """The trigger lexicon and its cues, compiled once."""

    triggers: tuple[Trigger, ...]
    prefilter: re.Pattern[str]  # any trigger keyword
    scanner: re.Pattern[str]  # the same, led by the character before it (see _keywords)
    gate: str  # RE2 source: a text that may hold a keyword (see _may_hold_keyword)
    by_keyword: dict[str, tuple[int, ...]]  # keyword -> triggers that need it
    undated_keywords: frozenset[str]  # of triggers dated without a time word
    missile_classes: tuple[tuple[str, re.Pattern[str]], ...]
    hypothetical: re.Pattern[str]
    planned: re.Pattern[str]
    denied: re.Pattern[str]
    outlet_country: dict[str, str]
    default_actor: dict[str, str]
    usual_target: dict[str, str]
    # The triggers to try for a set of keywords, filled as sets are met.
    candidates: dict[frozenset[str], tuple[Trigger, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )


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

    It finds at least every sentence in which :func:`_keywords` finds one:
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


def _may_hold_keyword(texts: pd.Series, lex: Lexicon) -> np.ndarray:
    """Flag the texts that may hold a trigger keyword, in one vectorised RE2 pass.

    A flag may be wrong only one way (a flagged text with no keyword), so
    the slower exact pass (:func:`_keywords`) need only read flagged texts.
    A missing text is flagged.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(texts.astype("string").array, type=pa.large_string())
    hit = pc.match_substring_regex(arr, lex.gate, ignore_case=True)
    return np.asarray(pc.fill_null(hit, True), dtype=bool)


# Any word a time expression is made of; a sentence without one has no date.
# Month and weekday names count from their start ("jan" in "january"), the
# other words whole. Factored as tries: one search per sentence stays cheap.
_TIME_PREFIXES = (
    *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    *(f"{d}day" for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")),
)
_TIME_WORDS = (
    *("yesterday", "today", "tonight", "tomorrow", "week", "weekend", "month", "year", "ago"),
    *("earlier", "later", "juche", "morning", "night", "dawn", "afternoon", "evening", "day"),
    *("days", "first", "second", "third", "fourth", "last", "next", "one", "two", "three"),
    *("four", "five", "six", "seven", "eight", "nine", "ten", "a few", "several", "spring"),
    *("summer", "autumn", "fall", "winter", "end", "beginning", "start", "mid", "early", "late"),
)
# The plain definition (the tests hold _has_time_cue to it).
_TIME_CUE = re.compile(
    r"\d|\b(?:" + _trie_pattern(_TIME_PREFIXES) + "|" + _trie_pattern(_TIME_WORDS) + r"\b)"
)
# The same test in two fast passes (see :func:`_keywords`): a digit, or a
# word led by a character that is not a word character.
_DIGIT = re.compile(r"\d")
_TIME_WORD = re.compile(
    r"\W(?:" + _trie_pattern(_TIME_PREFIXES) + "|" + _trie_pattern(_TIME_WORDS) + r"\b)"
)


def _has_time_cue(low: str) -> bool:
    """Whether a lower-cased text holds a word a date could be made of (``_TIME_CUE``)."""
    return _DIGIT.search(low) is not None or _TIME_WORD.search(" " + low) is not None


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
    raw = resources.files("analysis").joinpath("data/event_triggers.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    macros = data.get("macros", {})
    triggers = []
    seen = set()
    for item in data["trigger"]:
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
            )
        )
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
    return Lexicon(
        triggers=tuple(triggers),
        prefilter=prefilter,
        scanner=re.compile(r"[^a-z0-9](" + trie + ")"),
        gate=_gate_pattern(keywords),
        by_keyword={k: tuple(v) for k, v in by_keyword.items()},
        # Threats (dated by their statement) and a bare "launch" (dated by the
        # article's launch) need no time expression of their own.
        undated_keywords=frozenset(
            k for t in triggers if t.event_type in ("threat", ANAPHOR) for k in t.keywords
        ),
        missile_classes=tuple(
            (c["class"], re.compile(_expand(c["cue"], macros))) for c in data["missile_class"]
        ),
        hypothetical=re.compile(modality["hypothetical"]),
        planned=re.compile(modality["planned"]),
        denied=re.compile(modality["denied"]),
        outlet_country={k.lower(): v for k, v in data.get("outlet_country", {}).items()},
        default_actor=dict(data.get("default_actor", {})),
        usual_target=dict(data.get("usual_target", {})),
    )


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    trigger: Trigger


@dataclass(frozen=True)
class _Timex:
    start: int
    end: int
    date_start: pd.Timestamp
    date_end: pd.Timestamp
    precision: str
    rule: str


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    actor: str
    kind: str


def _lower(text: str) -> str:
    """Lower-case ``text`` keeping its length, so offsets stay valid.

    A few characters lower-case to two ("İ" to "i̇"); those are kept as they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _keywords(
    low: str, lex: Lexicon, start: int = 0, end: int | None = None
) -> list[tuple[int, str]]:
    """Return each trigger keyword of a lower-cased text with its offset.

    The same as ``lex.prefilter.finditer(low, start, end)``, faster: a
    pattern that starts with a look-behind is tried at every character,
    while one that starts with a character class (the character before the
    keyword; a space stands for the start of the text) lets the engine skip
    in C to the next space or punctuation mark.
    """
    end = len(low) if end is None else end
    before = low[start - 1] if start else " "
    found = [(start + m.start(), m.group(1)) for m in lex.scanner.finditer(before + low[start:end])]
    for at, word in found:
        # The one way the two part: a keyword that ends in a space or a mark
        # ("un ") has used up the character before a keyword right after it.
        if not word[-1].isalnum() and lex.prefilter.match(low, at + len(word), end):
            return [(m.start(), m.group()) for m in lex.prefilter.finditer(low, start, end)]
    return found


def find_triggers(
    text: str,
    *,
    lexicon: Lexicon | None = None,
    gate: bool = True,
    keywords: set[str] | None = None,
    lowered: bool = False,
) -> list[_Match]:
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
    list
        One match per kept trigger occurrence, in text order, each with
        ``start``, ``end`` (offsets into ``text``) and its ``trigger``.
    """
    lex = lexicon or load_lexicon()
    low = text if lowered else _lower(text)
    found: list[_Match] = []
    if gate:
        if keywords is None:
            keywords = {word for _, word in _keywords(low, lex)}
        if not keywords:
            return []
        key = frozenset(keywords)
        candidates = lex.candidates.get(key)
        if candidates is None:
            if len(lex.candidates) > 4096:
                lex.candidates.clear()  # bounded, whatever the corpus
            chosen = sorted({i for k in keywords for i in lex.by_keyword[k]})
            candidates = lex.candidates[key] = tuple(lex.triggers[i] for i in chosen)
    else:
        candidates = list(lex.triggers)
    for trig in candidates:
        if trig.require is not None and not trig.require.search(low):
            continue
        if trig.veto is not None and trig.veto.search(low):
            continue
        for m in trig.regex.finditer(low):
            if m.end() == m.start():
                continue
            if trig.require is not None and not trig.require.search(
                low, max(0, m.start() - 20), m.end() + 200
            ):
                # What a warning warns of follows it: "warned that its arms
                # dealings would deepen its isolation" names no force.
                continue
            if trig.exclude is not None:
                # Wide enough after the match for "visited the Revolutionary
                # Martyrs Cemetery" to see its last word.
                window = low[max(0, m.start() - 30) : m.end() + 60]
                if trig.exclude.search(window):
                    continue
            found.append(_Match(m.start(), m.end(), trig))
    # Highest priority first; a match overlapping a kept one is dropped (a
    # more specific type wins; of one type, the earlier and longer is kept).
    found.sort(key=lambda m: (-m.trigger.priority, m.start, -(m.end - m.start)))
    kept: list[_Match] = []
    for m in found:
        hit = next((i for i, k in enumerate(kept) if m.start < k.end and k.start < m.end), None)
        if hit is None:
            kept.append(m)
        elif kept[hit].trigger.event_type == m.trigger.event_type:
            # Two patterns of one type over one phrase ("launched artillery" and
            # "artillery firing drills"): one trigger spanning both.
            k = kept[hit]
            kept[hit] = _Match(min(k.start, m.start), max(k.end, m.end), k.trigger)
    kept.sort(key=lambda m: m.start)
    return kept


def _clause_before(low: str, pos: int, *, limit: int = 70) -> str:
    """The words of the clause that ends at ``pos`` (at most ``limit`` characters)."""
    start = max(0, pos - limit)
    window = low[start:pos]
    cut = 0
    for brk in _CLAUSE_BREAK.finditer(window):
        cut = brk.end()
    return window[cut:]


def _modality(low: str, match: _Match, lex: Lexicon) -> str | None:
    """Return the modality of a trigger, or None when it is not a specific event.

    Hypothetical cues ("could", "may", "if") and habitual ones ("frequently")
    drop the trigger; a plural noun with no count ("missile launches") is an
    aggregate and dropped too. "would" after a reporting verb is the future
    of reported speech ("said he would visit"): planned.
    """
    head = low[match.start : match.end]
    before = _clause_before(low, match.start)
    if _HABITUAL.search(before):
        return None
    if lex.denied.search(before) or _DENIAL_FRAME.search(
        low, max(0, match.start - 80), match.start
    ):
        # A threat not made is no threat; other events are kept as denied.
        return None if match.trigger.event_type == "threat" else "denied"
    if match.trigger.event_type == "threat":
        # The threat itself happened, whatever it threatens (the guidelines).
        return "happened"
    after = _MODAL_AFTER.match(low, match.end)
    if after and match.trigger.modal_check:
        # "this launch would likely fail", "the talks will open": the noun
        # names a possible or coming event, not one that happened.
        return "planned" if after.group(1) in ("will", "is to", "are to") else None
    if match.trigger.modal_check and _ANY.search(head):
        # "shoot down any projectile": no particular event.
        return None
    if match.trigger.modal_check and _FREQUENCY.match(low, match.end):
        return None
    if match.trigger.modal_check and _HEDGE_FRAME.search(
        low, max(0, match.start - 90), match.start
    ):
        return None
    if match.trigger.modal_check:
        hyp = [h.group() for h in lex.hypothetical.finditer(before)]
        if hyp:
            if hyp == ["would"] and _REPORTING.search(low, 0, match.start):
                return "planned"
            return None
        if _PLURAL_NOUN.search(head) and not _COUNTED.search(
            low, max(0, match.start - 25), match.end
        ):
            return None
    if lex.planned.search(before) or lex.planned.search(head):
        return "planned"
    return "happened"


def _is_opener(low: str, tx: _Timex) -> bool:
    lead = low[: tx.start].strip(" \t\"'\u201c\u2018(-")
    return lead in _OPENERS


def _gap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The span of text between two spans (empty when they touch or overlap)."""
    if a[1] <= b[0]:
        return a[1], b[0]
    if b[1] <= a[0]:
        return b[1], a[0]
    return a[0], a[0]


def _adjacent(low: str, gap: tuple[int, int]) -> bool:
    """Whether only a preposition or nothing separates two spans."""
    return _ATTACHED.match(low[gap[0] : gap[1]]) is not None


def _choose_date(
    low: str,
    match: _Match,
    timexes: Sequence[_Timex],
    others: Sequence[_Match],
    *,
    planned: bool,
    published: pd.Timestamp | None,
    speech: bool = False,
) -> _Timex | None:
    """Return the time expression that dates ``match``, or None.

    The nearest expression wins, unless another trigger stands between them
    or the expression is attached to another trigger ("a nuclear test in
    January and a satellite launch"); an expression opening the sentence
    dates every trigger. Expressions across a reporting verb ("..., an
    official said on Friday") count as farther; a planned event prefers a
    future date.
    """
    if speech:
        # A threat is dated by its saying: "X said Sunday that ... and warned".
        for tx in timexes:
            if tx.end <= match.start and _SAID_ON.search(low, max(0, tx.start - 12), tx.start):
                return tx
    best = None
    best_score = None
    span = (match.start, match.end)
    background = _BACKGROUND_HEAD.search(low, max(0, match.start - 50), match.start) is not None
    for tx in timexes:
        if _NAMED_DOCUMENT.match(low, tx.end) and not _YEAR.search(low, tx.start, tx.end):
            continue
        if not speech and tx.precision == "day" and _REPORTED_AFTER.match(low, tx.end):
            continue
        gap = _gap((tx.start, tx.end), span)
        opener = _is_opener(low, tx)
        relative = _RELATIVE.search(low, gap[0], gap[1]) if tx.start >= match.end else None
        if relative and not _CLOSED_RELATIVE.match(low, relative.end(), gap[1]):
            # "fired into the zone set up under an agreement, which the North
            # declared void in November": the date is the relative clause's.
            # A closed one ("launched a rocket, which Seoul sees as a missile,
            # on February 7") leaves the date to the main clause.
            continue
        if _STRONG_BREAK.search(low, gap[0], gap[1]):
            # "he will meet Hollande; ... Paris last November": another sentence.
            continue
        if (
            not speech
            and tx.end <= match.start
            and (
                _SAID_ON.search(low, max(0, tx.start - 14), tx.start)
                or _DOCUMENT_ON.search(low, max(0, tx.start - 16), tx.start)
            )
        ):
            # "North Korea said Sunday that it fired ...": the date of the saying.
            continue
        if background and not _adjacent(low, gap) and tx.rule != "offset_from_event":
            # "talks ... following North Korea's rocket launch, an official
            # said on Friday": a cause named in passing takes only its own date.
            continue
        if planned and published is not None and tx.date_end < published and tx.end <= match.start:
            # "In March, Kim said the North would test": the date of the saying.
            continue
        if not opener:
            if any(o is not match and gap[0] <= o.start and o.end <= gap[1] for o in others):
                continue
            if (
                not _adjacent(low, gap)
                and _COORDINATION.search(low, gap[0], gap[1])
                and any(
                    o is not match and _adjacent(low, _gap((tx.start, tx.end), (o.start, o.end)))
                    for o in others
                )
            ):
                # "its nuclear test in January and a satellite launch": the
                # date belongs to the conjunct it is attached to.
                continue
        score = gap[1] - gap[0]
        if relative:
            # The parenthetical does not count as distance.
            score = relative.start() - gap[0]
        final = tx.start >= match.end and not low[tx.end :].strip(" .\"'\u201d)")
        if score > (_MAX_GAP_FINAL if final else _MAX_GAP) and not opener:
            # A date that closes the sentence modifies its main verb, far or not.
            continue
        if tx.end <= match.start and not opener and _CONSEQUENCE.search(low, gap[0], gap[1]):
            continue
        if tx.end <= match.start and not opener and _BACKGROUND.search(low, gap[0], gap[1]):
            # "talks next week ... following the rocket launch": the trigger
            # names an earlier event in a clause of its own.
            continue
        if tx.end <= match.start and not opener:
            if _CONJUNCT.match(low, gap[0], gap[1]):
                # "... on June 10 and the joint drill": the date closes the
                # conjunct before; the trigger opens a new one.
                continue
            if not _adjacent(low, gap):
                # English puts an event's date after it ("fired ... on
                # Friday"); a date before it more often belongs elsewhere.
                score += 15
        if not speech and _REPORTING.search(low, gap[0], gap[1]):
            if tx.end <= match.start and not opener:
                # "X on April 3 said the launch ...": the date of the saying.
                continue
            score += 60
        if planned and published is not None and tx.date_end < published:
            score += 100
        if best_score is None or score < best_score:
            best, best_score = tx, score
    return best


def _subject(low: str, match: _Match, mentions: Sequence[_Mention], *, speech: bool) -> str | None:
    """The subject of the clause holding a trigger: its first actor that is no object.

    Clauses are cut at relative and subordinate words and reporting verbs;
    with no candidate in the trigger's clause the one before is searched. A
    reporting verb is crossed only for speech acts (a threat's speaker is its
    actor) or when the clause after it opens with a pronoun ("South Korea says
    it will announce sanctions"); else "Pyongyang says the drills ..." would
    make the speaker the actor of the drills.
    """
    cuts = [0]
    kinds = [""]
    for brk in _SUBJECT_BREAK.finditer(low, 0, match.start):
        cuts.append(brk.end())
        kinds.append(brk.group().strip())
    cuts.append(match.start)
    candidates = [
        m
        for m in mentions
        if m.end <= match.start
        and m.kind != "place"
        and not _APPOSITIVE.match(low[max(0, m.start - 2) : m.end + 1])
        and not _OBJECT_MARKER.search(low, max(0, m.start - 30), m.start)
    ]
    # First-person pronouns stand for the speaker of a statement ("we warn").
    candidates += [
        _Mention(p.start(1), p.end(1), SELF, "pronoun")
        for p in _FIRST_PERSON_WORD.finditer(low, 0, match.start)
    ]
    candidates.sort(key=lambda m: m.start)
    participle = _PARTICIPLE.search(low, 0, match.start)
    if speech and participle:
        # "X said ..., calling the move a declaration of war": the participle
        # shares the main clause's subject.
        first = [m for m in candidates if m.start < participle.start()]
        if first:
            return first[0].actor
    # "If the ROK resumes ..., it will witness our counteraction": the
    # subject of a condition does not threaten.
    conditions = (
        [(c.start(), c.end()) for c in _CONDITION.finditer(low, 0, match.start)] if speech else []
    )
    for k in range(len(cuts) - 2, -1, -1):
        lo, hi = cuts[k], cuts[k + 1]
        inside = [
            m
            for m in candidates
            if lo <= m.start < hi and not any(a <= m.start < b for a, b in conditions)
        ]
        if inside:
            return inside[0].actor
        if (
            k
            and _REPORTING.fullmatch(kinds[k])
            and not speech
            and not _PRONOUN_OPENING.match(low, lo, hi)
        ):
            return None
    return None


def _actor(
    low: str,
    match: _Match,
    mentions: Sequence[_Mention],
    usual_target: str | None = None,
    *,
    speech: bool = False,
) -> tuple[str | None, str | None]:
    """Return ``(actor, target)`` codes of a trigger from the sentence's mentions.

    A mention inside the trigger phrase wins; else the clause's subject
    (:func:`_subject`); else an agent after a noun trigger ("imposed by the
    U.N."). A mention of ``usual_target`` (the party the type is usually done
    to) is never taken as the actor.
    """
    actor = None
    target = None
    if usual_target and any(m.actor == usual_target for m in mentions):
        target = usual_target
        mentions = [m for m in mentions if m.actor != usual_target]
    inside = [
        m for m in mentions if match.start <= m.start and m.end <= match.end and m.kind != "place"
    ]
    if inside:
        return inside[0].actor, target
    actor = _subject(low, match, mentions, speech=speech)
    after = [m for m in mentions if m.start >= match.end]
    agent_found = False
    for m in after:
        prefix = low[match.end : m.start]
        if (
            not agent_found
            and not speech
            and len(prefix) <= 40
            and _AGENT_AFTER.search(prefix[-30:])
        ):
            # "sanctions imposed by the U.N.": the agent of a passive trigger
            # outranks a subject found in another clause.
            actor = m.actor
            agent_found = True
            continue
        if target is None and re.search(
            r"\b(?:on|against|at|toward|towards|over)\s+(?:the\s+)?$", prefix[-25:]
        ):
            target = m.actor
    if actor is None:
        # "talks between X and Y", "the drill staged by X": a party named
        # right after a noun trigger, before any reporting verb.
        for m in mentions:
            if m.start >= match.end and m.kind != "place":
                between = low[match.end : m.start]
                if len(between) > 40 or _REPORTING.search(between) or _VERB_LIKE.search(between):
                    break
                if _PARTY_AFTER.search(between[-45:]):
                    actor = m.actor
                break
    if target == actor:
        target = None
    return actor, target


def _close_actor(low: str, match: _Match, mentions: Sequence[_Mention]) -> str | None:
    """The actor attached to a trigger: its possessor or its subject, just before it.

    A mention inside the trigger phrase ("the test of the North's missile") or
    at most three words before it, with no verb in between ("the U.S. military
    detected a missile launch" is not a U.S. launch), attaches.
    """
    for m in mentions:
        if match.start <= m.start and m.end <= match.end and m.kind != "place":
            return m.actor
    for m in reversed([m for m in mentions if m.end <= match.start]):
        if m.kind == "place":
            continue
        between = low[m.end : match.start]
        if not _ATTACHED_ACTOR.match(between) or _VERB_LIKE.search(between):
            return None
        if _OBJECT_MARKER.search(low, max(0, m.start - 30), m.start):
            return None
        return m.actor
    return None


_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?(?:[\w-]+\s+(?:in|of|from)\s+(?:the\s+)?)?$")


def _passive_agent(low: str, match: _Match, mentions: Sequence[_Mention]) -> str | None:
    """The agent named right after a trigger: "rubbish sent by the ROK"."""
    for m in mentions:
        if m.start >= match.end and m.kind != "place":
            prefix = low[match.end : m.start]
            # "sent by the ROK", "sent by the scum in the ROK"
            if len(prefix) <= 45 and _BY_AGENT.search(prefix):
                return m.actor
            return None
    return None


def _joint_parties(low: str, match: _Match, mentions: Sequence[_Mention], actor: str | None) -> str:
    """The parties of a joint exercise: the actor's conjoined partners.

    "U.S. and South Korean troops began drills", "the drill staged by the
    U.S. and the ROK", "joint drills with Japan": partners are mentions chained
    to the actor by "and", commas or a hyphen, or named after "with" in a
    sentence that calls the exercise joint. Empty for a one-country drill.
    """
    near = [m for m in mentions if m.kind != "place" and m.start < match.end + 60]
    codes: set[str] = set()
    for a, b in zip(near, near[1:], strict=False):
        if _CONJOINED.match(low, a.end, b.start) and a.end <= b.start:
            codes.update((a.actor, b.actor))
    if _JOINT.search(low):
        for m in near:
            if m.start >= match.end and low[max(0, m.start - 10) : m.start].rstrip().endswith(
                ("with", "with the")
            ):
                codes.add(m.actor)
    if actor is None or (codes and actor not in codes and len(codes) < 2):
        return ""
    if codes:
        codes.add(actor)
    return ";".join(sorted(codes)) if len(codes) > 1 else ""


def _participants(low: str, match: _Match, mentions: Sequence[_Mention], actor: str | None) -> str:
    """The parties of a meeting or an agreement: ``;``-joined sorted codes.

    Every actor named up to the topic ("to discuss ...", "over ..."), except
    the object of a verb ("called South Korea its most hostile state during a
    visit"), which is talked about, not talked with.
    """
    codes = {actor} if actor else set()
    topic = _TOPIC.search(low, match.start)
    stop = topic.start() if topic else len(low)
    for m in mentions:
        if m.start < stop and not _VERB_OBJECT.search(low, max(0, m.start - 30), m.start):
            codes.add(m.actor)
    return ";".join(sorted(c for c in codes if c))


def _missile_class(low: str, match: _Match, lex: Lexicon) -> str:
    best = None
    best_dist = None
    for cls, cue in lex.missile_classes:
        for m in cue.finditer(low):
            if m.end() <= match.start:
                dist = match.start - m.end()
            elif m.start() >= match.end:
                dist = m.start() - match.end
            else:
                dist = 0
            if dist > 80:
                continue
            if best_dist is None or dist < best_dist:
                best, best_dist = cls, dist
    return best or "unknown"


def _count(low: str, match: _Match) -> int | None:
    for m in _COUNT.finditer(low, max(0, match.start - 10), min(len(low), match.end + 40)):
        word = m.group(1)
        return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    return None


def _place(text: str, match: _Match) -> str | None:
    for m in _PLACE.finditer(text, match.start, min(len(text), match.end + 120)):
        name = m.group(1).strip()
        if name.endswith(" of"):
            name = name[:-3]
        if name and not _NOT_PLACE.match(name):
            return name
    return None


def _evidence(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1].rstrip() + "\u2026"


def _event_id(article_id: str, sentence_id: int, start: int, event_type: str) -> str:
    key = f"{article_id}|{sentence_id}|{start}|{event_type}".encode()
    return hashlib.blake2b(key, digest_size=8).hexdigest()


# --------------------------------------------------------------------------- main


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


_ARTICLE_COLUMNS = ("article_id", "source_id", "body", "published_date", "title", "outlet")


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
    from analysis import nlp

    missing = [
        c for c in ("article_id", "source_id", "body", "published_date") if c not in articles
    ]
    if missing:
        raise schema.SchemaError(f"articles: missing columns {missing}")
    if articles.empty:
        return schema.empty(schema.EVENTS)
    keep = ~_exact_copies(articles)
    if "language" in articles:
        # The trigger lexicon is English; other languages are not read.
        lang = articles["language"].astype("string").str.lower()
        english = lang.isna() | lang.str.startswith("en") | lang.isin(["", "und", "unknown", "mul"])
        keep &= english.to_numpy(dtype=bool)
    lex = load_lexicon()
    if sentences is None or mentions is None:
        chosen = articles.loc[keep]
        # Only articles that may hold a trigger word need the language layer.
        chosen = chosen.loc[_may_hold_keyword(chosen["body"], lex)]
        # Frames given for more articles are fine: rows are looked up by article.
        if sentences is None:
            sentences = nlp.split_sentences(chosen)
        if mentions is None:
            mentions = nlp.find_mentions(chosen, sentences=sentences)
    # Only the columns read below are copied.
    articles = articles[[c for c in _ARTICLE_COLUMNS if c in articles]].loc[keep]
    rows = _extract(articles, sentences, mentions, timex, lex)
    if not rows:
        return schema.empty(schema.EVENTS)
    frame = pd.DataFrame.from_records(rows)
    return schema.conform(frame, schema.EVENTS)


def _nanoseconds(dates: pd.Series) -> list[int | None]:
    """Dates as nanoseconds since 1970 (None when missing), the local calendar kept.

    Cheaper than a list of Timestamps: one is made only for the articles read.
    """
    local = schema.local_dates(pd.to_datetime(dates))
    return local.to_numpy(dtype="datetime64[ns]").tolist()


def _extract(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    timex: pd.DataFrame | None,
    lex: Lexicon,
) -> list[dict]:
    sent_by_article = _group(sentences, ["article_id"])
    # One vectorised pass flags the sentences that may hold a keyword; only
    # those are read for keywords, which say which patterns to try in each.
    may_hold = _may_hold_keyword(sentences["text"], lex).tolist()
    # Python lists: element access in the loop below is several times
    # cheaper than on numpy arrays.
    s_id = sentences["sentence_id"].tolist()
    s_start = sentences["start"].tolist()
    s_end = sentences["end"].tolist()

    # Mentions by article, then by sentence for the articles read: a dict
    # per article lives only while the article is read, so the garbage
    # collector does not walk a corpus-wide one (a measurable cost).
    m_by_article = _group(mentions, ["article_id"])
    m_sid = mentions["sentence_id"].tolist()
    m_start = mentions["start"].tolist()
    m_end = mentions["end"].tolist()
    m_actor = mentions["actor"].tolist()
    m_kind = mentions["actor_kind"].fillna("").tolist()

    dates = _FrameDates(timex) if timex is not None else _LazyDates()

    def column(name: str) -> list:
        if name not in articles:
            return [None] * len(articles)
        values = articles[name]
        missing = values.isna().tolist()
        return [None if gap else v for v, gap in zip(values.tolist(), missing, strict=True)]

    rows: list[dict] = []
    for key, source_id, body, published, title, outlet in zip(
        column("article_id"),
        column("source_id"),
        column("body"),
        _nanoseconds(articles["published_date"]),
        column("title"),
        column("outlet"),
        strict=True,
    ):
        positions = sent_by_article.get((key,))
        if not positions or not isinstance(body, str):
            continue
        # In sentence order (usually the frame's order already: then this is cheap).
        positions = sorted(positions, key=s_id.__getitem__)
        flagged = [idx for idx, p in enumerate(positions) if may_hold[p]]
        if not flagged:
            continue
        low_body = _lower(body)
        # The keywords of each sentence; one may end in the space after it.
        hits: dict[int, set[str]] = {}
        for idx in flagged:
            p = positions[idx]
            stop = s_start[positions[idx + 1]] if idx + 1 < len(positions) else len(body)
            words = {word for _, word in _keywords(low_body, lex, s_start[p], max(stop, s_end[p]))}
            if words:
                hits[idx] = words
        if not hits:
            continue
        published = None if published is None else pd.Timestamp(published, unit="ns")
        if not (isinstance(title, str) and title.strip()):
            # No headline: the lead sentence is the story's own summary.
            p0 = positions[0]
            title = body[int(s_start[p0]) : int(s_end[p0])]
        title_matches = find_triggers(title, lexicon=lex)
        title_types = {m.trigger.event_type for m in title_matches}
        last_launch = next(
            (m.trigger.event_type for m in title_matches if m.trigger.event_type in LAUNCH_TYPES),
            None,
        )
        outlet_state = _outlet_state(outlet, lex)
        article_rows: dict[tuple, dict] = {}
        article_launch = None  # the dated launch a bare "the launch" refers to
        first_sentence = int(s_id[positions[0]])
        m_by: dict[int, list[int]] = {}
        for i in m_by_article.get((key,), ()):
            m_by.setdefault(m_sid[i], []).append(i)
        for idx in sorted(hits):
            p = positions[idx]
            sid = s_id[p]
            off = s_start[p]
            end = s_end[p]
            text = body[off:end]
            low = low_body[off:end]
            if (
                sid - first_sentence > 1
                and not (hits[idx] & lex.undated_keywords)
                and not _has_time_cue(low)
                and _CONTINUATION.match(text) is None
            ):
                # No word a date could be made of, no lead, no statement:
                # nothing in this sentence can be dated, so it holds no event.
                continue
            matches, last_launch = _resolve_anaphors(
                find_triggers(low, lexicon=lex, keywords=hits[idx], lowered=True), last_launch
            )
            if not matches or (
                any(word in low for word in _CAPTION_WORDS) and _CAPTION.search(low)
            ):
                # (A photo caption's date is the picture's: no event of it.)
                continue
            # Modality first: a sentence whose every trigger is hypothetical,
            # habitual or an aggregate needs neither its dates nor its actors.
            modalities = [_modality(low, match, lex) for match in matches]
            if not any(modalities):
                continue
            sent_mentions = [
                _Mention(m_start[i] - off, m_end[i] - off, m_actor[i], m_kind[i])
                for i in m_by.get(sid, ())
                if isinstance(m_actor[i], str)
            ]
            sent_timex, sent_offsets = dates.get(key, sid, text, off, published)
            previous_actor = _previous_subject(sid, first_sentence, m_by, m_actor, m_kind)
            continuation = _CONTINUATION.match(text) is not None and sid > first_sentence
            if continuation and not sent_timex and idx > 0:
                # A hard-wrapped fragment ('along with "joint drill ..."') goes on
                # the sentence before it: it takes that sentence's opening date.
                q = positions[idx - 1]
                q_off = int(s_start[q])
                prev, _ = dates.get(
                    key, int(s_id[q]), body[q_off : int(s_end[q])], q_off, published
                )
                if prev:
                    first = min(prev, key=lambda t: t.start)
                    sent_timex = [replace(first, start=0, end=0)]
            done: list[tuple[_Match, dict]] = []
            for match, modality in zip(matches, modalities, strict=True):
                if modality is None:
                    continue
                row = _event_row(
                    text,
                    low,
                    match,
                    matches,
                    sent_mentions,
                    sent_timex + _offset_timexes(match, sent_offsets, done),
                    lex,
                    published=published,
                    is_lead=sid - first_sentence <= 1,
                    title_types=title_types,
                    outlet_state=outlet_state,
                    previous_actor=previous_actor,
                    modality=modality,
                    article_launch=article_launch if match.trigger.name == "the_launch" else None,
                    continuation=continuation,
                )
                if row is None:
                    continue
                done.append((match, row))
                if (
                    article_launch is None
                    and row["event_type"] in LAUNCH_TYPES
                    and row["date_rule"].startswith("timex")
                ):
                    article_launch = (
                        row["date_start"],
                        row["date_end"],
                        row["precision"],
                        row["actor"],
                    )
                row.update(
                    source_id=source_id,
                    article_id=key,
                    sentence_id=sid,
                    start=off + match.start,
                    end=off + match.end,
                    event_id=_event_id(key, sid, off + match.start, match.trigger.event_type),
                    outlet=outlet,
                    published_date=published,
                )
                # One agreement or meeting is one row whoever is named first.
                who = row["participants"] if row["event_type"] in PARTY_TYPES else row["actor"]
                dedupe = (row["event_type"], who, row["date_start"], row["date_end"])
                kept = article_rows.get(dedupe)
                if kept is None or (
                    kept["date_rule"].startswith("fallback")
                    and not row["date_rule"].startswith("fallback")
                ):
                    # A row dated by the text beats one dated by publication.
                    article_rows[dedupe] = row
                elif row["participants"]:
                    merged = set(filter(None, kept["participants"].split(";")))
                    merged |= set(row["participants"].split(";"))
                    kept["participants"] = ";".join(sorted(merged))
        rows.extend(_drop_contained(_drop_fallbacks(list(article_rows.values()))))
    return rows


class _FrameDates:
    """Time expressions of each sentence, from a ``schema.TIMEX`` frame."""

    def __init__(self, timex: pd.DataFrame) -> None:
        # Resolved expressions, and "a day after"-style offsets the language
        # layer leaves open because they count from an event: those are
        # resolved here, from the event they follow.
        offsets = timex["date_start"].isna() & timex["text"].fillna("").str.match(_OFFSET.pattern)
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
        resolved, offsets = [], []
        for i in self.by.get((key, sid), ()):
            if pd.isna(self.ds[i]):
                offsets.append((self.start[i] - off, self.end[i] - off, self.text[i]))
            else:
                resolved.append(
                    _Timex(
                        self.start[i] - off,
                        self.end[i] - off,
                        self.ds[i],
                        self.de[i],
                        self.prec[i],
                        self.rule[i],
                    )
                )
        return resolved, offsets


class _LazyDates:
    """Time expressions resolved on demand, only for the sentences that need them.

    The language layer's plain core (:func:`analysis.nlp.iter_time_expressions`)
    resolves one sentence at a time against the publication date, so a corpus
    pays for dates only where a trigger stands.
    """

    def __init__(self) -> None:
        from analysis.nlp import iter_time_expressions

        self.resolve = iter_time_expressions
        # Only the article being read: a sentence is looked up again only
        # from its own article (for the next sentence, a continued fragment).
        self.article = None
        self.cache: dict = {}

    def get(self, key, sid, text, off, published):
        if key != self.article:
            self.article = key
            self.cache.clear()
        hit = self.cache.get((key, sid))
        if hit is not None:
            return hit
        resolved, offsets = [], []
        if not _has_time_cue(text.lower()):
            # No word a date is made of: nothing to resolve (the premise the
            # sentence skip in :func:`_extract` rests on too).
            self.cache[(key, sid)] = (resolved, offsets)
            return resolved, offsets
        day = published.date() if published is not None else None
        for t in self.resolve(text, day):
            if t.date_start is None:
                if _OFFSET.match(t.text):
                    offsets.append((t.start, t.end, t.text))
            elif t.date_end is not None and t.precision in schema.PRECISIONS:
                resolved.append(
                    _Timex(
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


def _offset_timexes(
    match: _Match, offsets: Sequence[tuple[int, int, str]], done: Sequence[tuple[_Match, dict]]
) -> list[_Timex]:
    """Resolve "a day after"-style offsets that precede ``match`` from the event before them.

    In "Saturday's launch came a day after the allies agreed to deploy ...",
    the agreement is dated one day before the launch: the offset counts from
    the last dated event of the sentence that ends before the offset.
    """
    out = []
    # Chained offsets ("a day after X, and two days after Y") all count from
    # the event the sentence opens with.
    first = min((start for start, _, _ in offsets), default=0)
    for start, end, text in offsets:
        if end > match.start:
            continue
        anchors = [
            row for m, row in done if m.end <= first and row["date_rule"] != "fallback:statement"
        ]
        parsed = _OFFSET.match(text.lower())
        if not anchors or not parsed:
            continue
        anchor = anchors[-1]
        if anchor["precision"] not in ("day",) or anchor["date_start"] != anchor["date_end"]:
            continue
        word, unit, direction = parsed.groups()
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word) or 1
        days = n * (7 if unit.startswith("week") else 1)
        # "X came a day AFTER Y": Y is a day before X.
        sign = -1 if direction in ("after", "later") else 1
        day = anchor["date_start"] + pd.Timedelta(days=sign * days)
        out.append(_Timex(start, end, day, day, "day", "offset_from_event"))
    return out


def _previous_subject(sid, first, m_by, m_actor, m_kind) -> str | None:
    """The first actor named in the nearest earlier sentence that names one."""
    for prev in range(sid - 1, max(first, sid - 6) - 1, -1):
        for i in m_by.get(prev, ()):
            if isinstance(m_actor[i], str) and m_kind[i] != "place":
                return m_actor[i]
    return None


def _resolve_anaphors(
    matches: list[_Match], last_launch: str | None
) -> tuple[list[_Match], str | None]:
    """Give each bare "launch" the type of the article's launch (title, else first named)."""
    out = []
    named = [m for m in matches if m.trigger.event_type in LAUNCH_TYPES]
    for m in matches:
        etype = m.trigger.event_type
        if etype == ANAPHOR:
            # A launch named before it in the sentence is the one meant; else
            # the article's own; with none, the word is not an event.
            if last_launch is None or any(n.end <= m.start for n in named):
                continue
            m = _Match(m.start, m.end, replace(m.trigger, event_type=last_launch))
        out.append(m)
    if named and last_launch is None:
        last_launch = named[0].trigger.event_type
    return out, last_launch


def _outlet_state(outlet: object, lex: Lexicon) -> str | None:
    if not isinstance(outlet, str):
        return None
    low = outlet.lower()
    for name, code in lex.outlet_country.items():
        if name in low:
            return code
    return None


def _drop_fallbacks(rows: list[dict]) -> list[dict]:
    """Drop a publication-dated row when the article dates that event itself."""
    dated = {
        (r["event_type"], r["actor"]) for r in rows if not r["date_rule"].startswith("fallback")
    }
    return [
        r
        for r in rows
        if not (
            r["date_rule"] == "fallback:breaking_news" and (r["event_type"], r["actor"]) in dated
        )
    ]


def _drop_contained(rows: list[dict]) -> list[dict]:
    """Drop a row whose range lies inside another row's range of the same event.

    "its fourth nuclear test in January" and "the Jan. 6 test" in one article
    are one event, as are "as soon as next week" and "between Feb. 8 and 25"
    for one planned launch: the row of finer precision stands for it (of
    equal precision, the narrower range).
    """
    rank = {p: i for i, p in enumerate(schema.PRECISIONS)}

    def weaker(row: dict, other: dict) -> bool:
        if (row["event_type"], row["actor"], row["modality"]) != (
            other["event_type"],
            other["actor"],
            other["modality"],
        ):
            return False
        row_in = other["date_start"] <= row["date_start"] and row["date_end"] <= other["date_end"]
        other_in = row["date_start"] <= other["date_start"] and other["date_end"] <= row["date_end"]
        if not (row_in or other_in):
            return False
        key_row = (rank[row["precision"]], row["date_end"] - row["date_start"])
        key_other = (rank[other["precision"]], other["date_end"] - other["date_start"])
        return key_row > key_other

    return [row for row in rows if not any(o is not row and weaker(row, o) for o in rows)]


def _event_row(
    text: str,
    low: str,
    match: _Match,
    matches: Sequence[_Match],
    mentions: Sequence[_Mention],
    timexes: Sequence[_Timex],
    lex: Lexicon,
    *,
    published: pd.Timestamp | None,
    is_lead: bool,
    title_types: set[str],
    outlet_state: str | None,
    previous_actor: str | None,
    modality: str,
    article_launch: tuple | None = None,
    continuation: bool = False,
) -> dict | None:
    trig = match.trigger
    etype = trig.event_type
    if (
        not timexes
        and article_launch is None
        and not (
            modality == "happened" and ((is_lead and etype in title_types) or etype == "threat")
        )
    ):
        # Nothing could date it: skip the rest of the work.
        return None
    confidence = trig.confidence
    actor, target = _actor(
        low, match, mentions, lex.usual_target.get(etype), speech=etype in SPEECH_TYPES
    )
    if etype in lex.default_actor:
        # Weapons tests and border incidents are reported about one state
        # (the default); another actor must be attached to the trigger itself.
        actor = _close_actor(low, match, mentions) or _passive_agent(low, match, mentions)
        if actor is None and article_launch is not None:
            # "the launch": whoever launched the article's launch.
            actor = article_launch[3]
    first_person = _FIRST_PERSON.search(_clause_before(low, match.start, limit=120)) is not None
    if actor == SELF or (actor is None and (first_person or etype == "threat")):
        # A statement carried by a state outlet speaks for that state.
        actor = outlet_state
    if actor is None:
        actor = trig.default_actor or lex.default_actor.get(etype)
        confidence *= 0.8
    if (
        actor is None
        and previous_actor
        and (continuation or _PRONOUN_SUBJECT.search(_clause_before(low, match.start, limit=60)))
    ):
        # "They also launched artillery drills": the subject named before.
        actor = previous_actor
        confidence *= 0.7
    if actor is None:
        return None

    tx = _choose_date(
        low,
        match,
        timexes,
        matches,
        planned=modality == "planned",
        published=published,
        speech=etype in SPEECH_TYPES,
    )
    if tx is not None and tx.precision == "year":
        # Dated only to the year: not an event (the guidelines).
        return None
    if tx is not None:
        date_start, date_end, precision = tx.date_start, tx.date_end, tx.precision
        date_rule = f"timex:{tx.rule}" if tx.rule else "timex"
        if (
            modality == "planned"
            and published is not None
            and date_end < published
            and tx.rule == "weekday_past"
        ):
            # "will meet ... on Monday": a weekday with a future verb is the next one.
            date_start = date_start + pd.Timedelta(days=7)
            date_end = date_end + pd.Timedelta(days=7)
            date_rule += "+future"
        if (
            modality == "happened"
            and published is not None
            and date_start > published
            and tx.rule == "weekday_future"
        ):
            # Nothing marks the event as planned: the weekday is the last one.
            date_start = date_start - pd.Timedelta(days=7)
            date_end = date_end - pd.Timedelta(days=7)
            date_rule += "+past"
        if (
            modality == "planned"
            and published is not None
            and date_end < published
            and not _YEAR.search(low, tx.start, tx.end)
            and _MONTH_NAME.search(low, tx.start, tx.end)
            and not _PAST_WORD.search(low, tx.start, tx.end)
        ):
            # A month or day without a year is the next one for a planned event.
            date_start = date_start + pd.DateOffset(years=1)
            date_end = date_end + pd.DateOffset(years=1)
            date_rule += "+planned_next_year"
    elif article_launch is not None and modality == "happened":
        # "The launch comes a day after ...": the launch the article dated.
        date_start, date_end, precision = article_launch[:3]
        date_rule = "anaphor:article_launch"
    elif published is None or modality != "happened":
        return None
    elif (
        is_lead
        and etype in title_types
        and not _CAUSE_HEAD.search(low, max(0, match.start - 50), match.start)
    ):
        # (A cause named in passing, "in response to a naval exercise", is
        # not the news: it has no date of its own.)
        # Plainly breaking news of this event: dated by publication.
        date_start = date_end = published
        precision, date_rule = "day", "fallback:breaking_news"
        confidence *= 0.8
    elif etype == "threat" and (
        first_person
        or (outlet_state and actor == outlet_state)
        or ("threat" in title_types and _PAST_WARNING.search(low, match.start, match.end))
    ):
        # A statement's own threat is made on the day it is issued; so is a
        # warning a story about threats reports with no date of its own.
        date_start = date_end = published
        precision, date_rule = "day", "fallback:statement"
        confidence *= 0.7
    else:
        return None
    if modality == "happened" and published is not None and date_start > published:
        modality = "planned"

    participants = ""
    if etype in PARTY_TYPES or (etype == "military_exercise"):
        if etype == "military_exercise":
            participants = _joint_parties(low, match, mentions, actor)
        else:
            participants = _participants(low, match, mentions, actor)
            if outlet_state and _HERE.search(low) and outlet_state not in participants.split(";"):
                # "arrived here" in a dateline story: the outlet's own country.
                participants = ";".join(sorted({*participants.split(";"), outlet_state} - {""}))
            if ";" not in participants:
                # A meeting or an agreement takes two parties.
                return None
    code, plover, goldstein = code_for(etype)
    return {
        "event_type": etype,
        "actor": actor,
        "participants": participants,
        "date_start": pd.Timestamp(date_start),
        "date_end": pd.Timestamp(date_end),
        "precision": precision,
        "modality": modality,
        "missile_class": _missile_class(low, match, lex) if etype == "missile_launch" else "",
        "evidence": _evidence(text),
        "trigger": trig.name,
        "target": target,
        "place": _place(text, match),
        "n_items": _count(low, match),
        "date_rule": date_rule,
        "confidence": round(confidence, 3),
        "cameo_code": code,
        "plover_type": plover,
        "goldstein": goldstein,
    }
