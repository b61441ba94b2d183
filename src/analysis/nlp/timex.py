"""Time expressions: find them and resolve each to an inclusive date range.

The rules are those of ``../shared/gold/GUIDELINES.md``:

- a weekday with a past-tense verb is the most recent such day on or before
  the reference (publication) date; with a future tense ("will", "is to",
  "plans to", "scheduled") the next one; a weekday equal to the reference
  day is that day;
- "last weekend" is the Saturday and Sunday before the reference date
  (precision ``weekend``); "last week" is Monday to Sunday of the previous
  week (precision ``week``);
- "early", "mid" and "late" a month are the 1st to 10th, 11th to 20th and
  21st to the end (precision ``month_part``); "earlier this month" runs from
  the 1st to the day before the reference date;
- a month (or a month and day) without a year is the most recent one on or
  before the reference date for a past event, the next one for a planned
  event;
- "Juche 113" is 2024 (Juche 1 is 1912).

A month named with "last", "next" or "this" is fixed whatever the verb
("last May", "next March", "this April": the reference year's). "in two
weeks" with a future verb counts forward from the reference date. A future
seen from the past ("would", "was scheduled to") takes the nearer of the
two candidates. Counted expressions ("a month later", "the following month", "the
previous day") count from the last date named in the same sentence.

Finding is cheap: a scan for trigger words (month and weekday names, "week",
"year", "today", four-digit numbers ...) with patterns the regex engine can
skip through quickly, then, at the few word starts just before each trigger,
the alternatives that can begin with that word, most specific first. Each
match is resolved by a small function. An expression that cannot be resolved
(no reference date, an ambiguous numeric date, "three days after" the
summit) is kept, with NaT dates and the ``reason``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analysis import schema
from analysis.ingest.dates import MONTH_NAMES, MONTHS, WEEKDAYS, safe_date
from analysis.nlp.sentences import (
    punkt_breaks,
    punkt_lexicon,
    require_columns,
    sentence_ids,
    split_sentences,
)
from analysis.nlp.trie import trie_regex

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: Number words up to twenty, as counts ("two weeks ago", "Fifteen months ago").
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}

# Full month names (May needs a cue: alone it is also a verb), then the
# abbreviations, which need their period ("Jan. 14") except for the
# unambiguous ones.
_FULL_NAMES = "|".join(names[-1].capitalize() for names in MONTH_NAMES if names[-1] != "may")
_ABBREVIATIONS = "|".join(
    short.capitalize()
    for names in MONTH_NAMES
    for short in sorted(names[:-1], key=len, reverse=True)  # "Sept" before "Sep"
)
_MONTH_FULL = rf"(?:{_FULL_NAMES})"
_MONTH_ABBR = rf"(?:{_ABBREVIATIONS})\."
_MONTH_ANY = rf"(?:{_MONTH_FULL}|May|{_MONTH_ABBR}|(?:{_ABBREVIATIONS})(?=\s\d))"
_WEEKDAY = "(?:" + "|".join(name.capitalize() for name in WEEKDAYS) + ")"
_WEEKDAY_NUMBERS = {name: number for number, name in enumerate(WEEKDAYS)}
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YYYY = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_NUM = r"(?:\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_PART_OF_DAY = r"(?:the\s+)?(?:night|morning|dawn|evening|afternoon|early\s+hours)\s+of\s+"
_PART = (
    r"(?:early|mid|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|"
    r"the\s+start\s+of|start\s+of|the\s+middle\s+of|middle\s+of|the\s+first\s+half\s+of|"
    r"the\s+second\s+half\s+of)"
)
# A determiner or possessive just before a month that modifies a noun ("the May summit").
_DETERMINER_BEFORE = "|".join(
    rf"(?<=\b{word}\s)"
    for word in ("the", "their", "its", "our", "his", "her")
    for word in (word, word.capitalize())
)
_REL = (
    r"(?:last|this|next|the\s+past|the\s+coming|this\s+past|this\s+coming|the\s+previous"
    r"|the\s+following)"
)


def _year_qualifier(name: str) -> str:
    """A year after a date: "2016", "last year", "Juche 100 (2011)"."""
    return (
        rf"(?:,?\s*(?P<{name}_y>{_YYYY})"
        rf"|,?\s+(?P<{name}_rel>(?i:last|this|next))\s+year"
        rf"|,?\s*Juche\s+(?P<{name}_j>\d{{1,3}})(?!\d)(?:\s*\({_YYYY}\))?)"
    )


# One alternative per rule family, in priority order: at a given position the
# first alternative that matches wins, so longer, more specific forms come first.
_ALTERNATIVES = [
    # "Sunday, January 14, 2024"
    (
        "wd_date",
        rf"{_WEEKDAY},?\s+(?P<wd_date_m>{_MONTH_ANY})\s*(?P<wd_date_d>{_DAY})"
        rf"(?:,?\s*(?P<wd_date_y>{_YYYY}))?",
    ),
    # "between March 3 and March 19", "from May 13 to 24", "Jan. 4-7",
    # "from the night of May 28 to the dawn of June 2"
    (
        "md_range",
        rf"(?P<md_range_pre>(?i:from|between)\s+)?(?:{_PART_OF_DAY})?"
        rf"(?P<md_range_m1>{_MONTH_ANY})\s*(?P<md_range_d1>{_DAY})(?:,?\s*(?P<md_range_y1>{_YYYY}))?"
        rf"\s*(?P<md_range_sep>-|–|—|to|through|till|until|and(?=\s*\d)|(?(md_range_pre)and|(?!)))\s*(?:{_PART_OF_DAY})?"
        rf"(?:(?P<md_range_m2>{_MONTH_ANY})\s*)?(?P<md_range_d2>{_DAY})(?!\s*{_MONTH_ANY}|[:./]\d)"
        rf"{_year_qualifier('md_range_q')}?",
    ),
    ("iso", r"(?P<iso_y>(?:1[89]|20)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?![\d-])"),
    (
        "ymd",
        r"(?<![\d/.])(?P<ymd_y>(?:1[89]|20)\d\d)/(?P<ymd_m>\d{1,2})/(?P<ymd_d>\d{1,2})(?![\d/])",
    ),
    (
        "numeric",
        r"(?<![\d/.])(?P<numeric_a>\d{1,2})(?P<numeric_s>[/.])(?P<numeric_b>\d{1,2})"
        r"(?P=numeric_s)(?P<numeric_y>(?:1[89]|20)\d\d|\d\d)(?![\d/]|\.\d)",
    ),
    # "Jan. 14, 2024", "14 January 2024"
    ("md_year", rf"(?P<md_year_m>{_MONTH_ANY})\s*(?P<md_year_d>{_DAY}),?\s*(?P<md_year_y>{_YYYY})"),
    ("dm_year", rf"(?P<dm_year_d>{_DAY})\s+(?P<dm_year_m>{_MONTH_ANY}),?\s+(?P<dm_year_y>{_YYYY})"),
    ("juche", rf"Juche\s+(?P<juche_n>\d{{1,3}})(?!\d)(?:\s*\((?P<juche_y>{_YYYY})\))?"),
    # "early January", "mid-March 2016", "late last month", "the end of this month"
    (
        "month_part",
        rf"(?P<month_part_p>(?i:{_PART}))[\s-]*(?:"
        rf"(?P<month_part_m>{_MONTH_ANY})(?:,?\s*(?P<month_part_y>{_YYYY}))?"
        rf"|(?P<month_part_rel>(?i:last|this|next|the|that)\s+month)"
        rf"|(?P<month_part_yrel>(?i:last|this|next|the)\s+year)"
        rf"|(?P<month_part_year>{_YYYY}))",
    ),
    (
        "this_part",
        r"(?P<this_part_w>(?i:earlier|later))\s+(?i:this|in\s+the)\s+"
        r"(?P<this_part_u>(?i:month|week|year))",
    ),
    (
        "last_part",
        r"(?i:earlier|later|early|late)\s+(?P<last_part_r>(?i:last|next))\s+"
        r"(?P<last_part_u>(?i:week|month|year))",
    ),
    # "January 2024", "May last year"
    (
        "month_year",
        rf"(?P<month_year_m>{_MONTH_ANY})(?:\s+of)?{_year_qualifier('month_year')}",
    ),
    (
        "md",
        rf"(?P<md_m>{_MONTH_ANY})\s*(?P<md_d>{_DAY})"
        rf"(?:{_year_qualifier('md')}|(?![\d,]\d|:\d))",
    ),
    (
        "dm",
        rf"(?<![\d,.])(?:(?i:the)\s+)?(?P<dm_d>{_DAY})\s+(?:of\s+)?"
        rf"(?P<dm_m>{_MONTH_FULL}|May)(?![a-z])",
    ),
    (
        "wd_range",
        rf"(?P<wd_range_pre>(?i:from|between)\s+)?(?P<wd_range_a>{_WEEKDAY})\s+"
        rf"(?P<wd_range_sep>to|through|until|till|and|-|–)\s+(?P<wd_range_b>{_WEEKDAY})",
    ),
    (
        "wd_rel_week",
        rf"(?P<wd_rel_week_d>{_WEEKDAY})\s+(?:of\s+)?(?P<wd_rel_week_r>(?i:last|this|next))"
        r"\s+week",
    ),
    # "last May", "next March", "this April" (not "last June 19": a month and day)
    (
        "rel_month",
        rf"(?P<rel_month_r>(?i:last|this\s+past|this\s+coming|this|next))\s+"
        rf"(?P<rel_month_m>{_MONTH_FULL}|May)(?![a-z])(?!\s*\d)",
    ),
    (
        "rel_wd",
        rf"(?P<rel_wd_r>(?i:last|this|next|this\s+past|this\s+coming))\s+"
        rf"(?P<rel_wd_d>{_WEEKDAY})",
    ),
    (
        "rel_unit",
        rf"(?P<rel_unit_r>(?i:{_REL}))\s+(?P<rel_unit_u>(?i:weekend|week|month|year))(?![\w-])",
    ),
    ("the_weekend", r"(?i:(?:over|during|on|at)\s+the\s+weekend)"),
    (
        "ago",
        rf"(?P<ago_n>(?i:{_NUM}|a\s+few|few|several|some))\s+(?P<ago_u>(?i:days?|weeks?|months?|years?))"
        r"\s+(?i:ago)",
    ),
    # "in two weeks", "in just three days"; not "in two days of talks", "in a week's time"
    (
        "in_count",
        rf"(?i:in)\s+(?:(?i:just|about|around|roughly|only|another)\s+)?"
        rf"(?P<in_count_n>(?i:{_NUM}))\s+(?P<in_count_u>(?i:days?|weeks?|months?))"
        r"(?!\s+(?i:of|ago|later|earlier|after|before|since|from|running|in\s+a\s+row)\b|['’])",
    ),
    (
        "offset",
        rf"(?P<offset_n>(?i:{_NUM}|a\s+few|few|several|some))\s+(?P<offset_u>(?i:days?|weeks?|months?|years?))"
        r"\s+(?P<offset_w>(?i:later|earlier|after|before))",
    ),
    (
        "anchor_day",
        r"(?P<anchor_day_w>(?i:the\s+(?:previous|next|following)\s+day|the\s+day\s+before"
        r"(?!\s+yesterday)|the\s+day\s+after(?!\s+tomorrow)))(?![\w])",
    ),
    (
        "deixis",
        r"(?P<deixis_w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
        r"yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+(?:night|evening)))(?![\w])",
    ),
    ("weekday", rf"(?P<weekday_d>{_WEEKDAY})(?:'s)?"),
    (
        "month",
        rf"(?P<month_m>{_MONTH_FULL}|(?<=in\s)May|(?<=of\s)May|(?<=since\s)May|(?<=until\s)May"
        rf"|(?<=by\s)May|(?<=early\s)May|(?<=late\s)May|(?<=mid-)May|(?<=In\s)May"
        # "the May summit", "their May plans": a determiner before, a noun after
        rf"|(?:{_DETERMINER_BEFORE})May(?=\s+[A-Za-z]))(?![a-z])",
    ),
    (
        "year",
        rf"(?:(?<=\bin\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=\bby\s)|(?<=\bbefore\s)|(?<=\bafter\s)"
        rf"|(?<=\bduring\s)|(?<=\bof\s)|(?<=\bfrom\s)|(?<=\bthrough\s)|(?<=\bthe\s)|(?<=\bearly\s)"
        rf"|(?<=\blate\s)|(?<=\bmid-))(?P<year_y>{_YYYY})(?![\d,]|\s*(?:tons|troops|km|people|\$))",
    ),
]

# The first word of a match says which alternatives can apply: trying only
# those keeps each attempt to a few microseconds (the whole alternation costs
# about thirteen).
_FIRST_WORDS = {
    "weekday": list(WEEKDAYS),
    "month": list(MONTHS),
    "from": ["from", "between"],
    "the": ["the"],
    "part": ["early", "mid", "late", "end", "beginning", "start", "middle"],
    "later": ["earlier", "later"],
    "rel": ["last", "this", "next"],
    "count": [*NUMBER_WORDS, "few", "several", "some"],
    "in": ["in"],
    "over": ["over", "during", "on", "at"],
    "deixis": ["yesterday", "today", "tonight", "tomorrow"],
    "daypart": ["night", "morning", "dawn", "evening", "afternoon"],
    "juche": ["juche"],
}
_CLASS_OF_WORD = {word: cls for cls, words in _FIRST_WORDS.items() for word in words}
_ALTERNATIVE_CLASSES = {
    "wd_date": {"weekday"},
    "md_range": {"month", "from", "the", "daypart"},
    "iso": {"digit"},
    "ymd": {"digit"},
    "numeric": {"digit"},
    "md_year": {"month"},
    "dm_year": {"digit"},
    "juche": {"juche"},
    "month_part": {"part", "the"},
    "this_part": {"later"},
    "last_part": {"later", "part"},
    "month_year": {"month"},
    "md": {"month"},
    "dm": {"digit", "the"},
    "wd_range": {"weekday", "from"},
    "wd_rel_week": {"weekday"},
    "rel_month": {"rel"},
    "rel_wd": {"rel"},
    "rel_unit": {"rel", "the"},
    "the_weekend": {"over"},
    "ago": {"count", "digit"},
    "in_count": {"in"},
    "offset": {"count", "digit"},
    "anchor_day": {"the"},
    "deixis": {"the", "deixis", "rel"},
    "weekday": {"weekday"},
    "month": {"month"},
    "year": {"digit"},
}
assert set(_ALTERNATIVE_CLASSES) == {name for name, _ in _ALTERNATIVES}


def _compile(names: set[str]) -> re.Pattern:
    chosen = [(n, body) for n, body in _ALTERNATIVES if n in names]
    return re.compile(
        r"(?<![\w])(?:" + "|".join(f"(?P<{n}>{body})" for n, body in chosen) + r")(?![\w])"
    )


_PATTERN_BY_CLASS = {
    cls: _compile({n for n, classes in _ALTERNATIVE_CLASSES.items() if cls in classes})
    for cls in {c for classes in _ALTERNATIVE_CLASSES.values() for c in classes}
}


# Every expression holds one of these words or numbers. Python's regex engine
# tries a long alternation at every character, which costs about 1.5 us a
# character; this pattern starts with literals, so the engine skips ahead to
# the next candidate cheaply, and the full pattern is only tried at the few
# word starts just before each trigger.
_TRIGGER_WORDS = re.compile(
    "(?:"
    + trie_regex(
        [
            *(m.capitalize() for m in MONTHS),
            *(w.capitalize() for w in WEEKDAYS),
            *[
                "Juche",
                "Yesterday",
                "Today",
                "Tonight",
                "Tomorrow",
                "Week",
                "Weekend",
                "Month",
                "Year",
                "Day",
            ],
        ]
    )
    + r")(?!\w)"
)
# Lower-case triggers are found with str.find: a regex whose first letters are
# as common as "d", "m" or "y" is tried at almost every character.
_TRIGGER_LOWER = tuple(
    [
        "yesterday",
        "today",
        "tonight",
        "tomorrow",
        "week",
        "month",
        "year",
        "day",
        "night",
        "morning",
        "afternoon",
        "evening",
    ]
)
# Years and numeric dates: four digits, or "14/01", "14.01".
_TRIGGER_DIGITS = re.compile(r"\d(?:\d\d\d|\d?[/.]\d)")
# How far before its trigger an expression may start ("from the night of May 28",
# "the second half of next year").
_LOOKBACK = 32
_WORD_START = re.compile(r"[\w']+")


# Tense cues near an expression. Only the nearest cue counts.
_FUTURE_WORDS = frozenset(
    {
        *("will", "'ll", "shall", "would", "wo", "could", "might", "plans", "plan", "planning"),
        "planned",
        *("scheduled", "slated", "upcoming", "expected", "expects", "intends", "intend", "aims"),
        *("once", "tomorrow"),
    }
)
_PAST_IRREGULAR = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "met",
        "held",
        "fired",
        "flew",
        "began",
        "begun",
        "took",
        "made",
        "sent",
        "came",
        "went",
        "left",
        "spoke",
        "shot",
        "won",
        "lost",
        "put",
        "ran",
        "saw",
        "gave",
        "got",
        "hit",
        "led",
        "sat",
        "stood",
        "fell",
        "broke",
        "drew",
        "wrote",
        "threw",
        "struck",
        "sought",
        "brought",
        "bought",
        "caught",
        "taught",
        "thought",
        "fought",
        "found",
        "felt",
        "kept",
        "meant",
        "paid",
        "read",
        "sold",
        "spent",
        "stood",
        "understood",
        "was",
        "were",
        "had",
        "did",
        "ago",
    ]
)
_NOT_PAST_ED = frozenset(
    [
        "planned",
        "scheduled",
        "slated",
        "expected",
        "intended",
        "proposed",
        "needed",
        "red",
        "bed",
        "shed",
        "speed",
        "seed",
        "feed",
        "need",
        "united",
        "based",
        "related",
        "alleged",
        "so-called",
    ]
)
# Speech verbs of an aside ("as we mentioned", "as I said") that do not set the clause's tense.
_ASIDE_VERBS = frozenset({"said", "mentioned", "noted", "stated", "announced", "discussed"})
_WORD = re.compile(r"[A-Za-z']+")
_WEEKDAY_AT = re.compile(_WEEKDAY)


class TimeExpression(NamedTuple):
    """One resolved time expression, offsets into the text it was found in."""

    start: int
    end: int
    text: str
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str | None
    rule: str
    reason: str | None


# ---------------------------------------------------------------------------
# Date arithmetic
# ---------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday_on_or_before(ref: dt.date, wd: int) -> dt.date:
    return ref - dt.timedelta(days=(ref.weekday() - wd) % 7)


def _weekday_on_or_after(ref: dt.date, wd: int) -> dt.date:
    return ref + dt.timedelta(days=(wd - ref.weekday()) % 7)


def _month_name(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _day_number(token: str) -> int:
    return int(re.match(r"\d+", token).group())


def _quantity(token: str) -> int | None:
    """The number a digit string or a number word ("two") gives, else None."""
    token = token.lower()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


# ---------------------------------------------------------------------------
# Tense
# ---------------------------------------------------------------------------


_PLANNED = frozenset({"scheduled", "slated", "planned", "expected", "set", "due", "supposed"})


# Words that need a closer look; any other word is a cue only if it ends in "-ed".
_CUE_WORDS = frozenset(
    _FUTURE_WORDS
    | _PAST_IRREGULAR
    | _PLANNED
    | {"was", "were", "is", "are", "going", "plans", "next", "until", "till", "would", "may"}
    | {"forward"}
)


def _classify(lows: list[str], raws: list[str], i: int) -> str | None:
    """Return the tense a word signals: "future", "past_future", "past" or None."""
    word = lows[i]
    prev = lows[i - 1] if i else ""
    if prev == "be" and word not in _PLANNED and word not in _FUTURE_WORDS:
        return None  # a passive ("will be held", "to be launched"): the verb before it tells
    if word in _ASIDE_VERBS and i >= 2 and lows[i - 2] == "as":
        return None  # an aside ("as I said, the talks ... in three days"): not the clause's tense
    if word not in _CUE_WORDS:
        if prev in ("a", "an", "the"):
            return None  # an adjective ("a detailed plan"), not a verb
        if len(word) > 3 and word[-2:] == "ed" and word not in _NOT_PAST_ED:
            return "past"
        return None
    nxt = lows[i + 1] if i + 1 < len(lows) else ""
    if word in _PLANNED and prev in ("was", "were", "had"):
        return "past_future"  # "was scheduled to end on June 9"
    if word in ("was", "were") and nxt == "to":
        return "past_future"
    if word in ("is", "are", "set", "due", "going", "plans", "planned") and nxt == "to":
        return "future"
    if word in ("set", "due", "going", "next", "until", "till"):
        return None
    if word == "would":
        return "past_future"
    if word == "forward":
        # "look forward to": a plan; "moved forward" is no cue
        return "future" if prev in ("look", "looks", "looking") else None
    if word == "once" and (prev == "at" or nxt in ("again", "more")):
        return None  # "all at once"; "staged a drill once again on November 3" is past
    if word == "may":
        return "future" if raws[i] == "may" else None  # "May" is the month
    if word in _FUTURE_WORDS:
        return "future"
    if word in _PAST_IRREGULAR:
        return "past"
    if len(word) > 3 and word[-2:] == "ed" and word not in _NOT_PAST_ED:
        return "past"
    return None


def _is_stop(text: str, i: int) -> bool:
    """Tell whether ``text[i]`` ends a sentence or clause (abbreviations aside)."""
    char = text[i]
    if char == "\n":
        return True
    if i + 1 < len(text) and not text[i + 1].isspace():
        return False
    if char == ".":
        abbrevs, starters = punkt_lexicon()
        return punkt_breaks(text, i, i + 1, abbrevs, starters)
    return True


# A set of single characters lets the engine scan fast; what follows the
# character is checked in :func:`_is_stop`.
_STOP = re.compile(r"[.!?;\n]")


def _has_stop(text: str, lo: int, hi: int) -> bool:
    """Tell whether a clause ends somewhere in ``text[lo:hi]``."""
    return any(_is_stop(text, m.start()) for m in _STOP.finditer(text, lo, hi))


def clause_bounds(text: str, start: int, end: int, *, limit: int = 250) -> tuple[int, int]:
    """Return the bounds of the clause around ``text[start:end]``.

    A clause ends at a newline, a semicolon or a sentence end; a period
    after an abbreviation ("U.S.", "Jan.") or an initial does not end it.
    """
    lo = max(0, start - limit)
    for m in reversed(list(_STOP.finditer(text, lo, start))):
        if _is_stop(text, m.start()):
            lo = m.start() + 1
            break
    hi = min(len(text), end + limit)
    for m in _STOP.finditer(text, end, hi):
        if _is_stop(text, m.start()):
            hi = m.start()
            break
    return lo, hi


_NEXT_CLAUSE = re.compile(r",\s+(?:as well as|while|whereas|but|and)\b", re.IGNORECASE)


def tense_near(text: str, start: int, end: int, *, window: int = 10) -> str:
    """Return the tense of the verb nearest a span: ``"past"``, ``"future"`` or ``"past_future"``.

    The clause around ``text[start:end]`` is searched leftwards first (the
    verb usually comes before "on Thursday"), then rightwards; the nearest
    cue wins. Future cues: "will", "could", "may", "is to", "set to",
    "plans", "scheduled", "slated", "expected". A future seen from the past
    ("would", "was to", "was scheduled") is ``"past_future"``: dates without a
    year then take the nearer candidate. Past cues: "said", words in "-ed",
    common irregular past forms. No cue means past, the usual case in news.

    Examples
    --------
    >>> tense_near("Officials will meet on Thursday.", 20, 31)
    'future'
    >>> tense_near("North Korea fired a missile on Thursday.", 30, 38)
    'past'
    """
    # Ten words rarely take more than a hundred characters.
    lo, hi = clause_bounds(text, start, end, limit=100)
    left = text[lo:start]
    raws = _WORD.findall(left)
    if raws and raws[-1].lower() in ("until", "till") and _WEEKDAY_AT.match(text, start):
        return "future"  # "delayed until Wednesday"
    lows = _WORD.findall(left.lower())
    for i in range(len(lows) - 1, max(len(lows) - 1 - window, -1), -1):
        kind = _classify(lows, raws, i)
        if kind:
            return kind
    right = text[end:hi]
    joined = _NEXT_CLAUSE.search(right)
    if joined is not None:
        # "... in November, as well as discussing future plans": a clause
        # joined after a comma has a tense of its own.
        right = right[: joined.start()]
    raws = _WORD.findall(right)
    lows = _WORD.findall(right.lower())
    for i in range(min(len(lows), window)):
        kind = _classify(lows, raws, i)
        if kind:
            return kind
    return "past"


# ---------------------------------------------------------------------------
# Resolution: one resolver per alternative of ``_ALTERNATIVES``
# ---------------------------------------------------------------------------

_NO_REF = "no reference date"
# The rules of a lone weekday that the verb's tense placed before or after
# the reference date (:func:`redate_for_modality` may move them).
_WEEKDAY_PAST, _WEEKDAY_FUTURE = "weekday_past", "weekday_future"
# Counts too vague to count from: "a few days ago".
_VAGUE = ("a few", "few", "several", "some")
# Words for where in a month or a year a part lies ("early", "the end of").
_OPENING = ("early", "the beginning of", "beginning of", "the start of", "start of")
_MIDDLE = ("mid", "the middle of", "middle of")
_CLOSING = ("late", "the end of", "end of")
# The rules of a month named with "last", "next" or "this": their year is fixed.
_LAST_MONTH_NAME, _NEXT_MONTH_NAME, _THIS_MONTH_NAME = (
    "last_month_name",
    "next_month_name",
    "this_month_name",
)
# Words before a count that make "in two months" a span, not a date: "its
# first launch in two months", "the lowest in a week".
_SPAN_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|only|time|times|\w{3,}est)\b(?:\s+[\w'’-]+){0,3}\s*$",
    re.IGNORECASE,
)
# "last" and "next" year or month as a step from the reference ("this", "the": none).
_STEP = {"last": -1, "next": 1}

# One resolved expression: ``(date_start, date_end, precision, rule, reason)``;
# the dates and precision are None, and the reason says why, when it failed.
_Resolution = tuple[dt.date | None, dt.date | None, str | None, str, str | None]


class _Ctx:
    """What a rule needs: the reference day, the text and the last anchor."""

    __slots__ = ("ref", "text", "anchor")

    def __init__(self, ref: dt.date | None, text: str) -> None:
        self.ref = ref
        self.text = text
        self.anchor: tuple[dt.date, str, int] | None = None


def _day(day: dt.date, rule: str) -> _Resolution:
    """A resolution to one day."""
    return day, day, "day", rule, None


def _unresolved(rule: str, reason: str) -> _Resolution:
    """A resolution that failed, with its reason."""
    return None, None, None, rule, reason


# The resolver of each alternative of ``_ALTERNATIVES``, by its name.
_RESOLVERS: dict[str, Callable[[re.Match, _Ctx], _Resolution]] = {}


def _resolves(*names: str):
    """Register the decorated function as the resolver of the alternatives ``names``."""

    def register(resolver: Callable[[re.Match, _Ctx], _Resolution]):
        for name in names:
            _RESOLVERS[name] = resolver
        return resolver

    return register


# A month, or a month and day, without its year (the guidelines): past or
# undetermined, the most recent one on or before the publication date;
# planned ("will take effect on Jan. 6"), the next one. A month alone with a
# past verb still reads seven months back as the coming one when that is
# three months ahead (not yet replaced; see :func:`_year_for_month`).
_FAR_MONTHS, _NEAR_MONTHS = 7, 3


def _year_for_month_day(ctx: _Ctx, month: int, day: int, tense: str):
    """Pick the year of a month and day given without one.

    The latest such day on or before the reference date, with a future verb
    the next one; seen from the past ("was scheduled to end on June 9") the
    nearer of the two.
    """
    ref = ctx.ref
    if ref is None:
        return None
    future = tense != "past"
    if month == 2 and day == 29:
        year = ref.year
        step = 1 if future else -1
        while safe_date(year, 2, 29) is None or (
            (dt.date(year, 2, 29) < ref) if future else (dt.date(year, 2, 29) > ref)
        ):
            year += step
        return dt.date(year, 2, 29)
    this = safe_date(ref.year, month, day)
    if this is None:
        return None
    before = this if this <= ref else dt.date(ref.year - 1, month, day)
    after = this if this >= ref else dt.date(ref.year + 1, month, day)
    if tense == "past_future":
        # "was scheduled to end on June 9", "said it would come on Feb. 8":
        # planned as seen from the past, so the nearer of the two.
        return before if (ref - before) < (after - ref) else after
    return after if future else before


def _year_for_month(ctx: _Ctx, month: int, tense: str) -> int | None:
    """Pick the year of a month given without one."""
    ref = ctx.ref
    if ref is None:
        return None
    back = (ref.month - month) % 12  # months back to the latest such month
    ahead = (month - ref.month) % 12  # months ahead to the next one
    before = ref.year if month <= ref.month else ref.year - 1
    after = ref.year if month >= ref.month else ref.year + 1
    if tense == "future":
        # "leaves office in January", written in March: the next one, however far.
        return after
    if tense == "past_future":
        return before if back < ahead else after
    return after if back >= _FAR_MONTHS and ahead <= _NEAR_MONTHS else before


def _part_range(part: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    """The days of a part of a month: "early" is the 1st to the 10th, and so on."""
    part = " ".join(part.lower().split())
    last = _month_end(year, month)
    if part in _OPENING:
        return dt.date(year, month, 1), dt.date(year, month, 10)
    if part in _MIDDLE:
        return dt.date(year, month, 11), dt.date(year, month, 20)
    if part in _CLOSING:
        return dt.date(year, month, 21), last
    if part == "the first half of":
        return dt.date(year, month, 1), dt.date(year, month, 15)
    return dt.date(year, month, 16), last


# Juche years are checked against the years pandas can hold as dates.
_MIN_YEAR, _MAX_YEAR = 1912, 2200


def _qualified_year(g, name: str, ref: dt.date | None) -> int | None:
    """The year a ``_year_qualifier`` group gives, or None (no qualifier, no reference)."""
    if g(name + "_y"):
        return int(g(name + "_y"))
    if g(name + "_j"):
        year = 1911 + int(g(name + "_j"))
        return year if _MIN_YEAR <= year <= _MAX_YEAR else None
    if g(name + "_rel") and ref is not None:
        return ref.year + _STEP.get(g(name + "_rel").lower(), 0)
    return None


def _counted(quantity: str) -> int | None:
    """The number a count gives ("two", "3", "a"), None for a vague one ("a few")."""
    return None if quantity.lower() in _VAGUE else _quantity(quantity.split()[0])


# --- full dates -------------------------------------------------------------


@_resolves("wd_date")
def _weekday_date(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Sunday, January 14, 2024": the date; its year, if missing, by tense."""
    g = m.group
    month, day = _month_name(g("wd_date_m")), _day_number(g("wd_date_d"))
    if g("wd_date_y"):
        d = safe_date(int(g("wd_date_y")), month, day)
    else:
        d = _year_for_month_day(ctx, month, day, _tense(m, ctx))
        named = re.search(_WEEKDAY, m.group(), re.IGNORECASE)
        weekday = _WEEKDAY_NUMBERS[named.group().lower()] if named else None
        if d is not None and weekday is not None and d.weekday() != weekday:
            # The weekday names the year: "Saturday, December 9" is the
            # December 9 nearest the text that falls on a Saturday.
            near = (safe_date(d.year + k, month, day) for k in (-1, 1))
            d = next((x for x in near if x is not None and x.weekday() == weekday), d)
    if d is None:
        return _unresolved("weekday_date", _NO_REF if ctx.ref is None else "invalid date")
    return _day(d, "weekday_date")


@_resolves("md_range")
def _month_day_range(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Jan. 4-7", "between March 3 and March 19": the days from the first to the last.

    Without a year, the first day's year is picked by tense; a range that
    ends in an earlier month ("Dec. 28 to Jan. 3") ends the next year.
    """
    g = m.group
    m1 = _month_name(g("md_range_m1"))
    d1 = _day_number(g("md_range_d1"))
    m2 = _month_name(g("md_range_m2")) if g("md_range_m2") else m1
    d2 = _day_number(g("md_range_d2"))
    y1 = int(g("md_range_y1")) if g("md_range_y1") else None
    y2 = _qualified_year(g, "md_range_q", ctx.ref)
    year = y1 or y2
    if year is None:
        first = _year_for_month_day(ctx, m1, d1, _tense(m, ctx))
        if first is None:
            reason = _NO_REF if ctx.ref is None else "invalid date range"
            return _unresolved("month_day_range", reason)
        year = first.year
    start = safe_date(y1 or year, m1, d1)
    end_year = y2 or (year + 1 if (m2, d2) < (m1, d1) else year)
    end = safe_date(end_year, m2, d2)
    if start is None or end is None or end < start:
        return _unresolved("month_day_range", "invalid date range")
    return start, end, "day", "month_day_range", None


@_resolves("iso")
def _iso_date(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "2024-01-14"."""
    g = m.group
    d = safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    return _day(d, "iso_date") if d else _unresolved("iso_date", "invalid date")


@_resolves("ymd")
def _year_month_day(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "2024/1/14"."""
    g = m.group
    d = safe_date(int(g("ymd_y")), int(g("ymd_m")), int(g("ymd_d")))
    return _day(d, "numeric_date") if d else _unresolved("numeric_date", "invalid date")


@_resolves("numeric")
def _numeric_date(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "14/01/2024", "1.14.24": the number above 12 is the day, else ambiguous.

    Two-digit years are 2000 to 2069 and 1970 to 1999.
    """
    g = m.group
    a, b = int(g("numeric_a")), int(g("numeric_b"))
    year = int(g("numeric_y"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    if a > 12 and b <= 12:
        d = safe_date(year, b, a)
    elif b > 12 and a <= 12 or a == b:
        d = safe_date(year, a, b)
    else:
        return _unresolved("numeric_date", "ambiguous day/month order")
    return _day(d, "numeric_date") if d else _unresolved("numeric_date", "invalid date")


@_resolves("md_year", "dm_year")
def _month_day_year(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Jan. 14, 2024" and "14 January 2024"."""
    g = m.group
    name = m.lastgroup
    d = safe_date(int(g(name + "_y")), _month_name(g(name + "_m")), _day_number(g(name + "_d")))
    if d is None:
        return _unresolved("month_day_year", "invalid date")
    return _day(d, "month_day_year")


@_resolves("md", "dm")
def _month_day(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Jan. 14" and "the 14th of January": the year named after it, else by tense."""
    g = m.group
    name = m.lastgroup
    month, day = _month_name(g(name + "_m")), _day_number(g(name + "_d"))
    year = _qualified_year(g, "md", ctx.ref) if name == "md" else None
    if year is not None:
        d = safe_date(year, month, day)
        if d is None:
            return _unresolved("month_day_year", "invalid date")
        return _day(d, "month_day_year")
    d = _year_for_month_day(ctx, month, day, _tense(m, ctx))
    if d is None:
        return _unresolved("month_day", _NO_REF if ctx.ref is None else "invalid date")
    return _day(d, "month_day")


# --- months and years -------------------------------------------------------


@_resolves("juche")
def _juche_year(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Juche 113": the year 2024 (Juche 1 is 1912)."""
    year = 1911 + int(m.group("juche_n"))
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return _unresolved("juche_year", "invalid date")
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "juche_year", None


@_resolves("month_year")
def _month_year(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "January 2024", "May last year": the whole month."""
    month = _month_name(m.group("month_year_m"))
    year = _qualified_year(m.group, "month_year", ctx.ref)
    if year is None:
        return _unresolved("month_year", _NO_REF)
    return dt.date(year, month, 1), _month_end(year, month), "month", "month_year", None


@_resolves("month")
def _month_alone(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "January": the whole month, its year by tense."""
    month = _month_name(m.group("month_m"))
    year = _year_for_month(ctx, month, _tense(m, ctx))
    if year is None:
        return _unresolved("month", _NO_REF)
    return dt.date(year, month, 1), _month_end(year, month), "month", "month", None


@_resolves("rel_month")
def _relative_month(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "last May", "next March", "this April": the whole month, whatever the verb.

    "last" is the latest such month before the reference month, "next" the
    first after it, "this" the one of the reference year.
    """
    ref = ctx.ref
    rel = m.group("rel_month_r").split()[-1].lower()  # "this past" -> "past"
    if ref is None:
        return _unresolved(f"{rel}_month_name", _NO_REF)
    month = _month_name(m.group("rel_month_m"))
    if rel in ("last", "past"):
        year, rule = (ref.year if month < ref.month else ref.year - 1), _LAST_MONTH_NAME
    elif rel in ("next", "coming"):
        year, rule = (ref.year if month > ref.month else ref.year + 1), _NEXT_MONTH_NAME
    else:
        year, rule = ref.year, _THIS_MONTH_NAME
    return dt.date(year, month, 1), _month_end(year, month), "month", rule, None


@_resolves("year")
def _year_alone(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "in 2016": the whole year."""
    year = int(m.group("year_y"))
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "year", None


@_resolves("month_part")
def _month_part(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "early January", "mid-March 2016", "late last month": part of a month.

    "early" is the 1st to the 10th, "mid" the 11th to the 20th, "late" the
    21st to the end; a part of a year ("the end of 2016") is half the year.
    """
    g = m.group
    part = g("month_part_p")
    if g("month_part_m"):
        month = _month_name(g("month_part_m"))
        year = (
            int(g("month_part_y"))
            if g("month_part_y")
            else _year_for_month(ctx, month, _tense(m, ctx))
        )
    elif g("month_part_rel"):
        if ctx.ref is None:
            return _unresolved("month_part", _NO_REF)
        shift = _STEP.get(g("month_part_rel").split()[0].lower(), 0)
        year, month = _add_months(ctx.ref.year, ctx.ref.month, shift)
    else:
        return _year_part(m, ctx)
    if year is None:
        return _unresolved("month_part", _NO_REF)
    start, end = _part_range(part, year, month)
    return start, end, "month_part", "month_part", None


def _year_part(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "early 2016", "the end of next year": January to June, July to December.

    "mid" and "the middle of" a year are April to September.
    """
    g = m.group
    if g("month_part_year"):
        year = int(g("month_part_year"))
    elif ctx.ref is None:
        return _unresolved("year_part", _NO_REF)
    else:
        year = ctx.ref.year + _STEP.get(g("month_part_yrel").split()[0].lower(), 0)
    part = " ".join(g("month_part_p").lower().split())
    if part in _OPENING or part == "the first half of":
        return dt.date(year, 1, 1), dt.date(year, 6, 30), "year", "year_part", None
    if part in _CLOSING or part == "the second half of":
        return dt.date(year, 7, 1), dt.date(year, 12, 31), "year", "year_part", None
    return dt.date(year, 4, 1), dt.date(year, 9, 30), "year", "year_part", None


# --- relative to the reference date -----------------------------------------


@_resolves("this_part")
def _this_part(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "earlier this month", "later in the week": the unit's days before or after today."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("this_part", _NO_REF)
    later = m.group("this_part_w").lower() == "later"
    unit = m.group("this_part_u").lower()
    if unit == "month":
        first, last = dt.date(ref.year, ref.month, 1), _month_end(ref.year, ref.month)
        prec = "month_part"
    elif unit == "week":
        first, last = _monday(ref), _monday(ref) + dt.timedelta(days=6)
        prec = "week"
    else:
        first, last = dt.date(ref.year, 1, 1), dt.date(ref.year, 12, 31)
        prec = "year"
    rule = ("later_this_" if later else "earlier_this_") + unit
    if later:
        return min(ref + dt.timedelta(days=1), last), last, prec, rule, None
    return first, max(ref - dt.timedelta(days=1), first), prec, rule, None


@_resolves("last_part")
def _last_part(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "earlier last week", "late next month": the whole unit."""
    if ctx.ref is None:
        return _unresolved("relative_part", _NO_REF)
    shift = -1 if m.group("last_part_r").lower() == "last" else 1
    return _relative_unit(ctx.ref, shift, m.group("last_part_u").lower())


@_resolves("rel_unit")
def _rel_unit(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "last week", "next month", "this year", "the following month".

    "the previous" and "the following" count from the date just named in
    the sentence ("began in January ... the following month"), when there is one.
    """
    unit = m.group("rel_unit_u").lower()
    if ctx.ref is None:
        return _unresolved("relative_" + unit, _NO_REF)
    rel = " ".join(m.group("rel_unit_r").lower().split())
    shift = {
        "last": -1,
        "the past": -1,
        "this past": -1,
        "the previous": -1,
        "next": 1,
        "the coming": 1,
        "this coming": 1,
        "the following": 1,
    }.get(rel, 0)
    if rel in ("the previous", "the following") and ctx.anchor is not None:
        anchor, precision, _ = ctx.anchor
        if unit in ("month", "year") or precision in ("day", "week", "weekend"):
            start, end, prec, _rule, _reason = _relative_unit(anchor, shift, unit)
            return start, end, prec, ("following_" if shift > 0 else "previous_") + unit, None
    return _relative_unit(ctx.ref, shift, unit)


@_resolves("ago")
def _ago(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "two weeks ago": counted back from the reference date."""
    n = _counted(m.group("ago_n"))
    if n is None:
        return _unresolved("ago", "vague quantity")
    if ctx.ref is None:
        return _unresolved("ago", _NO_REF)
    return _shift(ctx.ref, n, m.group("ago_u").lower().rstrip("s"), -1, "ago")


@_resolves("in_count")
def _in_count(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "in two weeks", "in just three days": counted forward from the reference date.

    Only with a future verb ("will meet in two weeks"): otherwise the phrase
    is a span ("was rebuilt in a week", "its first test in two months"),
    kept unresolved.
    """
    n = _counted(m.group("in_count_n"))
    lo, _hi = clause_bounds(ctx.text, m.start(), m.end(), limit=100)
    if n is None or _SPAN_BEFORE.search(ctx.text, lo, m.start()) or _tense(m, ctx) != "future":
        return _unresolved("in_count", "a span, not a date")
    if ctx.ref is None:
        return _unresolved("in_count", _NO_REF)
    return _shift(ctx.ref, n, m.group("in_count_u").lower().rstrip("s"), 1, "ahead")


@_resolves("deixis")
def _deixis(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "yesterday", "today", "tonight", "tomorrow", "last night", "last evening"."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("deixis", _NO_REF)
    word = " ".join(m.group("deixis_w").lower().split())
    offset = {
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
        "yesterday": -1,
        "last night": -1,
        "last evening": -1,
        "tomorrow": 1,
    }.get(word, 0)
    rule = {-2: "yesterday", -1: "yesterday", 0: "today", 1: "tomorrow", 2: "tomorrow"}[offset]
    return _day(ref + dt.timedelta(days=offset), rule)


# --- counted from another date of the sentence ------------------------------


@_resolves("offset")
def _offset(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "three days later", "a week earlier": counted from the date just named.

    "two days after the test" counts from an event, not a date: left
    unresolved (the events stage dates it from the event).
    """
    word = m.group("offset_w").lower()
    n = _counted(m.group("offset_n"))
    if n is None:
        return _unresolved("offset", "vague quantity")
    if word in ("after", "before"):
        tail = ctx.text[m.end() : m.end() + 6]
        if tail[:1] not in ("", ",", ".", ";") and not tail.lstrip().startswith("that"):
            return _unresolved("offset", "counted from an event")
    if ctx.anchor is None:
        return _unresolved("offset", "no anchor date")
    sign = 1 if word in ("later", "after") else -1
    unit = m.group("offset_u").lower().rstrip("s")
    return _shift(ctx.anchor[0], n, unit, sign, "offset_" + ("later" if sign > 0 else "earlier"))


@_resolves("anchor_day")
def _anchor_day(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "the previous day", "the next day": from the day just named, else today."""
    word = " ".join(m.group("anchor_day_w").lower().split())
    base = ctx.anchor[0] if ctx.anchor and ctx.anchor[1] == "day" else ctx.ref
    if base is None:
        return _unresolved("anchor_day", _NO_REF)
    sign = -1 if ("previous" in word or "before" in word) else 1
    return _day(base + dt.timedelta(days=sign), "previous_day" if sign < 0 else "following_day")


# --- weekdays ---------------------------------------------------------------


@_resolves("weekday")
def _weekday(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Monday": the reference day if it is one, else the last or next by tense."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("weekday", _NO_REF)
    wd = _WEEKDAY_NUMBERS[m.group("weekday_d").lower()]
    if wd == ref.weekday():
        return _day(ref, "weekday_same_day")
    if _future(m, ctx):
        return _day(_weekday_on_or_after(ref, wd), _WEEKDAY_FUTURE)
    return _day(_weekday_on_or_before(ref, wd), _WEEKDAY_PAST)


@_resolves("wd_range")
def _weekday_range(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "from Monday to Thursday": the coming days with a future verb, else the last."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("weekday_range", _NO_REF)
    a = _WEEKDAY_NUMBERS[m.group("wd_range_a").lower()]
    b = _WEEKDAY_NUMBERS[m.group("wd_range_b").lower()]
    if _future(m, ctx):
        start = _weekday_on_or_after(ref, a)
        end = start + dt.timedelta(days=(b - a) % 7)
    else:
        end = _weekday_on_or_before(ref, b)
        start = end - dt.timedelta(days=(b - a) % 7)
    return start, end, "day", "weekday_range", None


@_resolves("wd_rel_week")
def _weekday_of_week(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "Monday of next week": that day of the week named."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("weekday_relative_week", _NO_REF)
    shift = {"last": -1, "this": 0, "next": 1}[m.group("wd_rel_week_r").lower()]
    wd = _WEEKDAY_NUMBERS[m.group("wd_rel_week_d").lower()]
    return _day(_monday(ref) + dt.timedelta(days=7 * shift + wd), "weekday_relative_week")


@_resolves("rel_wd")
def _relative_weekday(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "last Monday" (before today), "next Monday" (after), "this Monday" (this week)."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("relative_weekday", _NO_REF)
    rel = " ".join(m.group("rel_wd_r").lower().split())
    wd = _WEEKDAY_NUMBERS[m.group("rel_wd_d").lower()]
    if rel in ("last", "this past"):
        return _day(_weekday_on_or_before(ref - dt.timedelta(days=1), wd), "last_weekday")
    if rel in ("next", "this coming"):
        return _day(_weekday_on_or_after(ref + dt.timedelta(days=1), wd), "next_weekday")
    return _day(_monday(ref) + dt.timedelta(days=wd), "this_weekday")


@_resolves("the_weekend")
def _the_weekend(m: re.Match, ctx: _Ctx) -> _Resolution:
    """Resolve "over the weekend": the coming Saturday and Sunday if future, else the last."""
    ref = ctx.ref
    if ref is None:
        return _unresolved("the_weekend", _NO_REF)
    if _future(m, ctx):
        sat = _weekday_on_or_after(ref, 5)
        if ref.weekday() == 6:
            sat = ref - dt.timedelta(days=1)
        return sat, sat + dt.timedelta(days=1), "weekend", "the_weekend", None
    sun = _weekday_on_or_before(ref, 6)
    return sun - dt.timedelta(days=1), sun, "weekend", "the_weekend", None


assert set(_RESOLVERS) == {name for name, _ in _ALTERNATIVES}  # one resolver per alternative


_NEXT_BEFORE = re.compile(r"\bnext\s+$", re.IGNORECASE)


def _tense(m: re.Match, ctx: _Ctx) -> str:
    """The tense that places a match: "future" after "next", else that of the nearest verb."""
    # "in their combined exercise next August": "next" makes the month the
    # coming one whatever the verb ("agreed") says.
    if _NEXT_BEFORE.search(ctx.text, max(0, m.start() - 6), m.start()):
        return "future"
    return tense_near(ctx.text, m.start(), m.end())


def _future(m: re.Match, ctx: _Ctx) -> bool:
    """Whether a match is placed after the reference date (future or past future)."""
    return _tense(m, ctx) != "past"


def _relative_unit(ref: dt.date, shift: int, unit: str) -> _Resolution:
    """The week, weekend, month or year ``shift`` units from the one holding ``ref``."""
    rel = {-1: "last", 0: "this", 1: "next"}[shift]
    if unit == "week":
        s = _monday(ref) + dt.timedelta(days=7 * shift)
        return s, s + dt.timedelta(days=6), "week", f"{rel}_week", None
    if unit == "weekend":
        if shift < 0:
            sun = _weekday_on_or_before(ref - dt.timedelta(days=1), 6)
            if ref.weekday() == 6:
                sun = ref - dt.timedelta(days=7)
        else:
            sun = _monday(ref) + dt.timedelta(days=6 + 7 * shift)
        return sun - dt.timedelta(days=1), sun, "weekend", f"{rel}_weekend", None
    if unit == "month":
        y, mth = _add_months(ref.year, ref.month, shift)
        return dt.date(y, mth, 1), _month_end(y, mth), "month", f"{rel}_month", None
    y = ref.year + shift
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"{rel}_year", None


def _shift(base: dt.date, n: int, unit: str, sign: int, rule: str) -> _Resolution:
    """The day, week, month or year ``n`` units before (``sign`` -1) or after ``base``."""
    if unit == "day":
        d = base + dt.timedelta(days=sign * n)
        return d, d, "day", f"days_{rule}", None
    if unit == "week":
        d = base + dt.timedelta(days=sign * 7 * n)
        s = _monday(d)
        return s, s + dt.timedelta(days=6), "week", f"weeks_{rule}", None
    if unit == "month":
        y, mth = _add_months(base.year, base.month, sign * n)
        return dt.date(y, mth, 1), _month_end(y, mth), "month", f"months_{rule}", None
    y = base.year + sign * n
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"years_{rule}", None


# ---------------------------------------------------------------------------
# An event's modality over the verb's tense
# ---------------------------------------------------------------------------

# In a lower-cased expression: a year ("2016", "Juche 105"), a month name
# ("jan", "january") and a word that puts it in the past ("last May").
_NAMES_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b|juche")
_NAMES_MONTH = re.compile(r"\b(?:" + "|".join(names[0] for names in MONTH_NAMES) + r")[a-z]*\b")
_PAST_WORD = re.compile(r"\b(?:last|past|ago|earlier|previous)\b")
# What :func:`redate_for_modality` appends to the rule of a date it moved.
_TO_NEXT_WEEK, _TO_LAST_WEEK, _TO_NEXT_YEAR = "+future", "+past", "+planned_next_year"


def names_year(text: str) -> bool:
    """Tell whether a lower-cased time expression names its year ("2016", "juche 105").

    Examples
    --------
    >>> names_year("jan. 6, 2016"), names_year("jan. 6")
    (True, False)
    """
    return _NAMES_YEAR.search(text) is not None


def redate_for_modality(
    date_start: pd.Timestamp,
    date_end: pd.Timestamp,
    rule: str,
    text: str,
    *,
    modality: str,
    reference: pd.Timestamp | None,
) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Move an event's date to the side of the reference date its modality says.

    The resolvers place a weekday, or a date without a year, before or after
    the reference date by the tense of the nearest verb (:func:`tense_near`).
    An event's modality, read from the clause of its trigger, says more:

    - a planned event on a weekday placed in the past is on the next such
      day, a week later (suffix ``+future``): "will meet ... on Monday";
    - an event that happened on a weekday placed in the future is on the
      last such day, a week earlier (``+past``);
    - a planned event on a month or a day without a year, placed in the
      past and not called past ("last May") or this year's ("this April"),
      is a year later (``+planned_next_year``).

    Parameters
    ----------
    date_start, date_end : pandas.Timestamp
        The range the expression resolved to.
    rule : str
        The rule that resolved it (the ``rule`` column of ``schema.TIMEX``).
    text : str
        The expression, lower-cased.
    modality : str
        The event's modality, one of ``schema.MODALITIES``.
    reference : pandas.Timestamp or None
        The publication date; without one nothing moves.

    Returns
    -------
    tuple
        ``(date_start, date_end, suffix)``: the range, moved or not, and the
        suffix for the rule, ``""`` when the range did not move.
    """
    if reference is None:
        return date_start, date_end, ""
    if modality == "planned" and date_end < reference:
        if rule == _WEEKDAY_PAST:
            week = pd.Timedelta(days=7)
            return date_start + week, date_end + week, _TO_NEXT_WEEK
        if (
            rule != _THIS_MONTH_NAME  # "this April" is in the reference year
            and not names_year(text)
            and _NAMES_MONTH.search(text)
            and not _PAST_WORD.search(text)
        ):
            year = pd.DateOffset(years=1)
            return date_start + year, date_end + year, _TO_NEXT_YEAR
    if modality == "happened" and date_start > reference and rule == _WEEKDAY_FUTURE:
        week = pd.Timedelta(days=7)
        return date_start - week, date_end - week, _TO_LAST_WEEK
    return date_start, date_end, ""


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def to_reference_day(reference_date, *, timezone: str | None = None) -> dt.date | None:
    """Return the calendar day of a reference date, or ``None`` when there is none.

    Parameters
    ----------
    reference_date : str, datetime.date, datetime.datetime, pandas.Timestamp or None
        A date or timestamp. A timestamp with a UTC offset is first moved to
        ``timezone`` (for example ``"Asia/Seoul"``), so a story posted at
        23:30 UTC counts as the next day in Seoul; a timestamp without an
        offset is taken as local time already.
    timezone : str, optional
        IANA time zone of the article's dateline.

    Raises
    ------
    ValueError
        If ``reference_date`` is a string that is not a date, or
        ``timezone`` is not a known time zone.
    """
    if reference_date is None:
        return None
    if isinstance(reference_date, float) and np.isnan(reference_date):
        return None
    if isinstance(reference_date, dt.date) and not isinstance(reference_date, dt.datetime):
        return reference_date
    try:
        ts = pd.Timestamp(reference_date)
    except (TypeError, ValueError) as err:
        raise ValueError(f"reference_date {reference_date!r} is not a date") from err
    if ts is pd.NaT or pd.isna(ts):
        return None
    if timezone:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as err:
            raise ValueError(f"timezone {timezone!r} is not a known time zone") from err
        if ts.tzinfo is not None:
            ts = ts.tz_convert(zone)
    return dt.date(ts.year, ts.month, ts.day)


def _trigger_positions(text: str) -> list[int]:
    """The offsets of the trigger words of ``text``, in order (see ``_TRIGGER_WORDS``)."""
    triggers = [m.start() for m in _TRIGGER_WORDS.finditer(text)]
    triggers.extend(m.start() for m in _TRIGGER_DIGITS.finditer(text))
    for word in _TRIGGER_LOWER:
        i = text.find(word)
        while i >= 0:
            triggers.append(i)
            i = text.find(word, i + 1)
    triggers.sort()
    return triggers


def _match_through(text: str, p: int, last_end: int) -> re.Match | None:
    """The expression that covers the trigger at ``p``, starting at or after ``last_end``.

    The word starts up to ``_LOOKBACK`` characters before the trigger are
    tried in order, each with the alternatives its first word can begin.
    """
    for w in _WORD_START.finditer(text, max(last_end, p - _LOOKBACK)):
        q = w.start()
        if q > p:
            return None
        if q and (text[q - 1].isalnum() or text[q - 1] in "_'"):
            continue  # the tail of a word cut by the look-back window
        word = w.group()
        cls = "digit" if word[0].isdigit() else _CLASS_OF_WORD.get(word.lower())
        if cls is None:
            continue
        m = _PATTERN_BY_CLASS[cls].match(text, q)
        if m is not None and m.end() > p:
            return m
    return None


def iter_time_expressions(
    text: str, reference: dt.date | None, *, base: int = 0
) -> list[TimeExpression]:
    """Find and resolve the time expressions of one text.

    The fast core of :func:`resolve_dates`, without a DataFrame: offsets are
    shifted by ``base``. Later expressions counted from an earlier one ("three
    days later") use the last resolved expression of the text as anchor.
    """
    if not text:
        return []
    ctx = _Ctx(reference, text)
    out: list[TimeExpression] = []
    last_end = 0
    for p in _trigger_positions(text):
        if p < last_end or (p and (text[p - 1].isalnum() or text[p - 1] == "_")):
            continue
        m = _match_through(text, p, last_end)
        if m is None:
            continue
        last_end = m.end()
        if ctx.anchor is not None and _has_stop(text, ctx.anchor[2], m.start()):
            ctx.anchor = None  # an expression counts only from one in its own sentence
        ds, de, prec, rule, reason = _RESOLVERS[m.lastgroup](m, ctx)
        if ds is not None and prec in ("day", "month", "week", "weekend", "month_part"):
            ctx.anchor = (ds, prec, m.end())
        out.append(
            TimeExpression(base + m.start(), base + m.end(), m.group(), ds, de, prec, rule, reason)
        )
    return out


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _date_column(days: list[dt.date | None]) -> np.ndarray:
    """Turn dates (or None) into a ``datetime64[ns]`` array, None as NaT."""
    ordinals = np.fromiter(
        (d.toordinal() - _EPOCH_ORDINAL if d is not None else -(2**62) for d in days),
        dtype="int64",
        count=len(days),
    )
    out = ordinals.astype("datetime64[D]").astype("datetime64[ns]")
    out[ordinals == -(2**62)] = np.datetime64("NaT")
    return out


def _to_frame(rows: list[TimeExpression], extra: dict[str, list] | None = None) -> pd.DataFrame:
    cols: dict[str, object] = dict(extra or {})
    cols["start"] = pd.array([r.start for r in rows], dtype=schema.INT)
    cols["end"] = pd.array([r.end for r in rows], dtype=schema.INT)
    cols["text"] = schema.strings([r.text for r in rows])
    cols["date_start"] = _date_column([r.date_start for r in rows])
    cols["date_end"] = _date_column([r.date_end for r in rows])
    cols["precision"] = schema.strings([r.precision for r in rows])
    cols["rule"] = schema.strings([r.rule for r in rows])
    cols["reason"] = schema.strings([r.reason for r in rows])
    return pd.DataFrame(cols)


def resolve_dates(text: str, reference_date, *, timezone: str | None = None) -> pd.DataFrame:
    """Find the time expressions in a text and resolve each to a date range.

    Parameters
    ----------
    text : str
        A sentence, paragraph or whole article.
    reference_date : str, datetime.date, pandas.Timestamp or None
        The publication date the expressions are relative to. ``None`` keeps
        the relative expressions unresolved, with their ``reason``.
    timezone : str, optional
        IANA time zone of the dateline; a timestamp ``reference_date`` with a
        UTC offset is converted to it before its calendar day is taken.

    Returns
    -------
    pandas.DataFrame
        One row per time expression, in text order, with the columns of
        ``schema.DATES``: ``start``/``end`` offsets into ``text``, the
        inclusive ``date_start``/``date_end``, ``precision`` (``day``,
        ``weekend``, ``week``, ``month_part``, ``month``, ``year``), the
        ``rule`` that resolved it, and the ``reason`` when it could not be
        resolved (then both dates are NaT).

    Examples
    --------
    >>> resolve_dates("They met on Thursday.", "2024-01-19")[["text", "date_start"]]
           text date_start
    0  Thursday 2024-01-18
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        text = ""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    ref = to_reference_day(reference_date, timezone=timezone)
    frame = _to_frame(iter_time_expressions(text, ref))
    return schema.check(frame, schema.DATES, name="dates")


def find_dates(articles: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find and resolve the time expressions of every article.

    Each article is resolved against its ``published_date``; an article
    without one keeps its relative expressions unresolved, with the reason.
    Tense is read within each expression's clause, and an expression counted
    from another ("three days later") only counts from one in its sentence.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows with ``article_id``, ``body`` and ``published_date``.
    sentences : pandas.DataFrame, optional
        The articles' sentences (``schema.SENTENCES``); split here when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per (article_id, start) time expression, with the columns of
        ``schema.TIMEX``; offsets index the article body and ``sentence_id``
        is the sentence holding the expression.
    """
    require_columns(articles, ("article_id", "body"))
    if sentences is None:
        sentences = split_sentences(articles)
    dates = (
        articles["published_date"]
        if "published_date" in articles.columns
        else pd.Series([None] * len(articles), index=articles.index)
    )
    rows: list[TimeExpression] = []
    ids: list[str] = []
    refs = pd.to_datetime(dates, errors="coerce")
    for article_id, body, day in zip(
        articles["article_id"].tolist(), articles["body"].tolist(), refs, strict=True
    ):
        if not isinstance(body, str) or not body:
            continue
        # The whole body at once: tense cues stop at clause ends and counted
        # expressions ("a month later") only count from their own sentence.
        found = iter_time_expressions(body, None if pd.isna(day) else day.date())
        rows.extend(found)
        ids.extend([article_id] * len(found))
    frame = _to_frame(
        rows,
        {
            "article_id": schema.strings(ids),
            "sentence_id": sentence_ids(sentences, ids, [r.start for r in rows]),
        },
    )
    return schema.check(frame[list(schema.TIMEX)], schema.TIMEX, name="timex")
