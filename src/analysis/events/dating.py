"""Dating: which time expression dates a trigger, and the date policy.

This step decides an event's ``date_start``, ``date_end``, ``precision`` and
``date_rule``. The nearest time expression of the sentence dates a trigger
unless it belongs to another predicate: one separated from the trigger by
another trigger, a coordinated conjunct ("a drill in March and a missile
test"), a semicolon or a reporting verb ("X said on Monday that
it fired": Monday dates the saying) dates no event of it; an expression that
opens the sentence ("In early January, ...") dates every event of it; a
cause named in passing ("following the rocket launch") takes only a date
attached to it. The clause facts of
:func:`~analysis.events.context.trigger_clause` decide the rest: a date of
another sentence joined to this one dates nothing of it; a launch or a test
that another predicate governs ("a spokesman on April 16 denounced the
launch") takes only a date of its own noun phrase; a date that closes the
trigger's clause dates it however far; a trigger in a quoted title takes no
date from outside it. The date is then moved by the event's modality
(:func:`analysis.nlp.timex.redate_for_modality`). Year-only dates are not
event dates. With no expression, a bare "the launch" takes the launch the
article dated, and the guidelines' fallbacks date breaking news in the lead
(a launch its own clause states, or that a statement's act names: "condemns
the DPRK for its launch") and a statement's own threat by publication. The cue patterns, gaps and
penalties are in ``data/event_cues.toml`` (``[dating]``).

A row's ``date_rule`` says which: ``timex:<rule>`` (:data:`BY_TIMEX`),
``anaphor:article_launch`` (:data:`BY_ARTICLE_LAUNCH`) or ``fallback:*``
(:data:`BY_PUBLICATION`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.events.context import (
    ARGUMENT,
    EVENT_OFFSET,
    REPORTING,
    SentenceContext,
    Timex,
    TriggerClause,
)
from analysis.events.triggers import SPEECH_TYPES, Match
from analysis.nlp.timex import NUMBER_WORDS, names_year, redate_for_modality
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["dating"]

#: ``date_rule`` prefix of a row dated by a time expression of its sentence.
BY_TIMEX = "timex"
#: ``date_rule`` of a bare "the launch" dated by the launch the article dated.
BY_ARTICLE_LAUNCH = "anaphor:article_launch"
#: ``date_rule`` prefix of a row dated by its article's publication (the
#: fallbacks of the guidelines).
BY_PUBLICATION = "fallback"
#: ``date_rule`` of breaking news in the lead, dated by publication.
BREAKING_NEWS = "fallback:breaking_news"
#: ``date_rule`` of a statement's own threat, dated by publication.
STATEMENT = "fallback:statement"
#: The rule of a date counted from the event before it ("a day after X").
OFFSET_FROM_EVENT = "offset_from_event"

_OPENERS = set(_CUES["openers"])
_MAX_GAP = _CUES["max_gap"]
_MAX_GAP_FINAL = _CUES["max_gap_final"]
_BEFORE_PENALTY = _CUES["before_penalty"]
_REPORTING_PENALTY = _CUES["reporting_penalty"]
_PLANNED_PAST_PENALTY = _CUES["planned_past_penalty"]
_SAID_ON = re.compile(_CUES["said_on"])
_SAID_ON_REACH = _CUES["said_on_reach"]
_SAID_ON_SPEECH_REACH = _CUES["said_on_speech_reach"]
_DOCUMENT_ON = re.compile(_CUES["document_on"])
_DOCUMENT_ON_REACH = _CUES["document_on_reach"]
_NAMED_DOCUMENT = re.compile(_CUES["named_document"])
_REPORTED_AFTER = re.compile(_CUES["reported_after"])
_COORDINATION = re.compile(_CUES["coordination"])
_CONSEQUENCE = re.compile(_CUES["consequence"])
_DATE_LIST = re.compile(_CUES["date_list"])
_LISTED_PRECISIONS = set(_CUES["listed_precisions"])
_BACKGROUND_HEAD = re.compile(_CUES["background_head"])
_BACKGROUND_HEAD_REACH = _CUES["background_head_reach"]
_CAUSE_HEAD = re.compile(_CUES["cause_head"])
_CAUSE_HEAD_REACH = _CUES["cause_head_reach"]
_CONJUNCT = re.compile(_CUES["conjunct"])
_BACKGROUND = re.compile(_CUES["background"])
_RELATIVE = re.compile(_CUES["relative"])
_CLOSED_RELATIVE = re.compile(_CUES["closed_relative"])
_STRONG_BREAK = re.compile(_CUES["strong_break"])
_ATTACHED = re.compile(_CUES["attached"])
_PAST_WARNING = re.compile(_CUES["past_warning"])
_NP_GAP = re.compile(_CUES["np_gap"])
_NP_GAP_VERB = re.compile(_CUES["np_gap_verb"])
_NP_GAP_REACH = _CUES["np_gap_reach"]
_ARGUMENT_TYPES = frozenset(_CUES["argument_types"])
_PREMODIFIER_LEFT = re.compile(_CUES["premodifier_left"])
_PREMODIFIER_RIGHT = re.compile(_CUES["premodifier_right"])
_PREMODIFIER_WORDS = re.compile(_CUES["premodifier_words"])
_STATEMENT_ACT = re.compile(_CUES["statement_act"])
_OCCURRENCE = re.compile(_CUES["occurrence"])
_REACTS_TO = re.compile(_CUES["reacts_to"])
_STATEMENT_GAP = re.compile(_CUES["statement_gap"])
_BREAKING_NEWS_WEIGHT = _CUES["breaking_news_weight"]
_STATEMENT_WEIGHT = _CUES["statement_weight"]


def is_dated_by_publication(row: dict) -> bool:
    """Tell whether an event row is dated by its article's publication (a fallback)."""
    return row["date_rule"].startswith(BY_PUBLICATION)


def event_dates(
    s: SentenceContext,
    match: Match,
    timexes: Sequence[Timex],
    modality: str,
    article_launch: tuple | None,
    *,
    actor: str,
    first_person: bool,
) -> list[tuple[pd.Timestamp, pd.Timestamp, str, str, float]] | None:
    """Return the dates of a trigger: ``(date_start, date_end, precision, date_rule, weight)``.

    A time expression of the sentence dates it (moved by the event's
    modality, :func:`analysis.nlp.timex.redate_for_modality`), and a list
    of dates it is in ("tests on May 3 and June 9") gives one date
    per event, the chosen one first; else the
    launch the article dated, for a bare "the launch"; else, by the
    guidelines' fallbacks, the publication date for breaking news in the
    lead and for a statement's own threat. ``weight`` lowers the confidence
    of a fallback. Empty when nothing dates it; None when a year opening
    the sentence does (no event, and no fallback either).

    Parameters
    ----------
    s : SentenceContext
        The trigger's sentence.
    match : Match
        The trigger.
    timexes : sequence of Timex
        The sentence's time expressions (and offsets resolved from its events).
    modality : str
        The trigger's modality.
    article_launch : tuple or None
        The launch the article dated, for a bare "the launch".
    actor : str
        The trigger's actor.
    first_person : bool
        The clause before the trigger speaks in the first person.
    """
    low = s.low
    etype = match.trigger.event_type
    published = s.published
    clause = s.clause_of(match)
    tx = _choose_date(
        low,
        match,
        timexes,
        s.matches,
        clause,
        planned=modality == "planned",
        published=published,
        speech=etype in SPEECH_TYPES,
    )
    if tx is not None:
        if tx.precision == "year":
            # Dated only to the year: not an event (the guidelines). A year
            # that opens the sentence dates all of it, so no fallback dates
            # it either ("Last year, at the summit, we agreed" is not today);
            # another year may be another phrase's ("approved the plan for
            # 2024"), and leaves the fallbacks their say.
            return None if _is_opener(low, tx) else []
        others = [o for o in s.matches if o is not match]
        listed = _listed_with(low, tx, timexes, others)
        return [_timex_date(low, t, modality, published) for t in listed]
    if article_launch is not None and modality == "happened":
        # "The test came two days after ...": the launch the article dated.
        date_start, date_end, precision = article_launch[:3]
        return [(date_start, date_end, precision, BY_ARTICLE_LAUNCH, 1.0)]
    if published is None or modality != "happened":
        return []
    if (
        s.is_lead
        and etype in s.title_types
        and (
            etype not in _ARGUMENT_TYPES
            or _reports_the_act(low, match, clause)
            or _statement_reports(low, match, clause)
        )
        and not _CAUSE_HEAD.search(low, max(0, match.start - _CAUSE_HEAD_REACH), match.start)
    ):
        # (A cause named in passing, "in response to a naval exercise", is
        # not the news: it has no date of its own.)
        # Plainly breaking news of this event: dated by publication.
        return [(published, published, "day", BREAKING_NEWS, _BREAKING_NEWS_WEIGHT)]
    if etype == "threat" and (
        first_person
        or (s.outlet_state and actor == s.outlet_state)
        or ("threat" in s.title_types and _PAST_WARNING.search(low, match.start, match.end))
    ):
        # A statement's own threat is made on the day it is issued; so is a
        # warning a story about threats reports with no date of its own.
        return [(published, published, "day", STATEMENT, _STATEMENT_WEIGHT)]
    return []


def _timex_date(
    low: str, tx: Timex, modality: str, published: pd.Timestamp | None
) -> tuple[pd.Timestamp, pd.Timestamp, str, str, float]:
    """The date a time expression gives an event, moved by the event's modality."""
    date_start, date_end, moved = redate_for_modality(
        tx.date_start,
        tx.date_end,
        tx.rule,
        low[tx.start : tx.end],
        modality=modality,
        reference=published,
    )
    date_rule = (f"{BY_TIMEX}:{tx.rule}" if tx.rule else BY_TIMEX) + moved
    return date_start, date_end, tx.precision, date_rule, 1.0


def _listed_with(
    low: str, tx: Timex, timexes: Sequence[Timex], others: Sequence[Match]
) -> list[Timex]:
    """Return ``tx``, then the other dates of a list it is in, in text order.

    "tests on May 3 and June 9", "visited China in May and August":
    one event on each date. The dates must be of one precision, the day or
    the month, and chained by commas or "and". A date next to another
    trigger is that trigger's ("tested a bomb on May 2 and on Friday
    launched a rocket").
    """
    if tx.precision not in _LISTED_PRECISIONS:
        return [tx]
    chain = sorted(
        (
            t
            for t in timexes
            if t.end > t.start
            and t.precision == tx.precision
            and (
                t is tx
                or not any(_adjacent(low, _gap((t.start, t.end), (o.start, o.end))) for o in others)
            )
        ),
        key=lambda t: t.start,
    )
    if tx not in chain:
        return [tx]
    lo = hi = chain.index(tx)
    while lo > 0 and _DATE_LIST.fullmatch(low, chain[lo - 1].end, chain[lo].start):
        lo -= 1
    while hi + 1 < len(chain) and _DATE_LIST.fullmatch(low, chain[hi].end, chain[hi + 1].start):
        hi += 1
    listed = [t for t in chain[lo : hi + 1] if t is tx or t.date_start != tx.date_start]
    listed = _year_of_list(low, listed)
    # The chosen date first: a date counted from the event ("a day after")
    # counts from it.
    at = [t.start for t in listed].index(tx.start)
    return [listed[at], *listed[:at], *listed[at + 1 :]]


def _year_of_list(low: str, listed: list[Timex]) -> list[Timex]:
    """Give each date of a list that names no year the year of the next one that does.

    "In July and September 2023": July 2023, not the July nearest the text
    ("December and January 2012" leaves December to its own year).
    """
    out = list(listed)
    named = None
    for i in range(len(out) - 1, -1, -1):
        t = out[i]
        if names_year(low[t.start : t.end]):
            named = t.date_start
        elif (
            named is not None
            and t.date_start.year != named.year
            and t.date_start.month <= named.month
        ):
            try:
                out[i] = replace(
                    t,
                    date_start=t.date_start.replace(year=named.year),
                    date_end=t.date_end.replace(year=named.year),
                )
            except ValueError:  # 29 February in another year
                continue
    return out


def _reports_the_act(low: str, match: Match, clause: TriggerClause) -> bool:
    """Tell whether a lead trigger states its event, as breaking news does.

    It must head its clause: a finite verb ("North Korea fired a missile"),
    a noun after a support verb ("conducted a test") or the subject of a verb
    of occurrence ("the launch took place"); not the argument of another
    predicate ("denounced ... its satellite launch", "the plan for
    launching"), a gerund or an infinitive, nor stand in a quoted title or
    in a later sentence that the splitter joined to the lead.
    """
    if clause.role == ARGUMENT or clause.part_start > 0 or clause.quote is not None:
        return False
    if clause.verbal:
        return clause.finite
    # A noun: after a support verb ("conducted a test"), or the subject of a
    # verb of occurrence ("the launch took place").
    return clause.governor is not None or _OCCURRENCE.match(low, match.end) is not None


def _statement_reports(low: str, match: Match, clause: TriggerClause) -> bool:
    """Tell whether a statement's own act names the trigger: "denounces Pyongyang over its test".

    The guidelines date a launch that a statement reports with no date by
    the statement: the object of its main verb in the present tense, with no
    other verb between them, or the launch it reacts to ("spoke ... following
    the DPRK's ICBM test").
    """
    if clause.part_start > 0 or clause.quote is not None:
        return False
    if clause.governor is not None and _REACTS_TO.match(low[slice(*clause.governor)]):
        return True
    act = _STATEMENT_ACT.search(low, clause.part_start, match.start)
    return act is not None and _STATEMENT_GAP.search(low, act.end(), match.start) is None


def offset_timexes(
    match: Match, offsets: Sequence[tuple[int, int, str]], done: Sequence[tuple[Match, dict]]
) -> list[Timex]:
    """Resolve "a day after"-style offsets that precede ``match`` from the event before them.

    In "Friday's test came a day after the two navies ended their drill ...",
    the agreement is dated one day before the launch: the offset counts from
    the last dated event of the sentence that ends before the offset.

    Parameters
    ----------
    match : Match
        The trigger to date.
    offsets : sequence of tuple
        The sentence's open offsets, ``(start, end, text)``.
    done : sequence of tuple
        The sentence's triggers already made rows, ``(match, row)``, in order.

    Returns
    -------
    list of Timex
        One day-precise expression per offset that can be counted, with the
        rule :data:`OFFSET_FROM_EVENT`.
    """
    out = []
    # Chained offsets ("a day after X, and two days after Y") all count from
    # the event the sentence opens with.
    first = min((start for start, _, _ in offsets), default=0)
    for start, end, text in offsets:
        if end > match.start:
            continue
        anchors = [row for m, row in done if m.end <= first and row["date_rule"] != STATEMENT]
        parsed = EVENT_OFFSET.match(text.lower())
        if not anchors or not parsed:
            continue
        anchor = anchors[-1]
        if anchor["precision"] not in ("day",) or anchor["date_start"] != anchor["date_end"]:
            continue
        word, unit, direction = parsed.groups()
        n = int(word) if word.isdigit() else NUMBER_WORDS.get(word) or 1
        days = n * (7 if unit.startswith("week") else 1)
        # "X came a day AFTER Y": Y is a day before X.
        sign = -1 if direction in ("after", "later") else 1
        day = anchor["date_start"] + pd.Timedelta(days=sign * days)
        out.append(Timex(start, end, day, day, "day", OFFSET_FROM_EVENT))
    return out


def _is_opener(low: str, tx: Timex) -> bool:
    lead = low[: tx.start].strip(" \t\"'\u201c\u2018(-")
    return lead in _OPENERS


def _premodifies(low: str, tx: Timex, match: Match) -> bool:
    """Whether ``tx`` premodifies the noun phrase the trigger heads ("its May 2 foreign
    ministers' trilateral meeting")."""
    gap = low[tx.end : match.start]
    return (
        _PREMODIFIER_LEFT.search(low, max(0, tx.start - 8), tx.start) is not None
        and _PREMODIFIER_WORDS.match(gap) is not None
        and _NP_GAP_VERB.search(gap) is None
    )


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
    match: Match,
    timexes: Sequence[Timex],
    others: Sequence[Match],
    clause: TriggerClause,
    *,
    planned: bool,
    published: pd.Timestamp | None,
    speech: bool = False,
) -> Timex | None:
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
            if tx.end <= match.start and _SAID_ON.search(
                low, max(0, tx.start - _SAID_ON_SPEECH_REACH), tx.start
            ):
                return tx
    query = _DateQuery(
        low,
        match,
        others,
        clause,
        planned=planned,
        published=published,
        speech=speech,
        background=_BACKGROUND_HEAD.search(
            low, max(0, match.start - _BACKGROUND_HEAD_REACH), match.start
        )
        is not None,
    )
    best = None
    best_score = None
    for tx in timexes:
        score = _date_distance(query, tx)
        if score is not None and (best_score is None or score < best_score):
            best, best_score = tx, score
    return best


@dataclass(frozen=True)
class _DateQuery:
    """A trigger whose date is sought, in its sentence among the other triggers."""

    low: str
    match: Match
    others: Sequence[Match]
    clause: TriggerClause  # the trigger's clause and role
    planned: bool
    published: pd.Timestamp | None
    speech: bool  # dated by its saying
    background: bool  # names an earlier event as a cause ("following the launch")


def _date_distance(q: _DateQuery, tx: Timex) -> int | None:
    """How far ``tx`` is from the trigger, in characters and penalties; None if it cannot date it.

    The nearest expression that can date a trigger dates it (:func:`_choose_date`).
    """
    low, match, speech, clause = q.low, q.match, q.speech, q.clause
    if _NAMED_DOCUMENT.match(low, tx.end) and not names_year(low[tx.start : tx.end]):
        return None
    if tx.end > tx.start and not (clause.part_start <= tx.start and tx.end <= clause.part_end):
        # Another sentence, joined to this one.
        return None
    if not _attached_here(low, match, tx, clause):
        return None
    if clause.quote is not None and not (clause.quote[0] <= tx.start and tx.end <= clause.quote[1]):
        # A title quoted ("an article titled '...' on April 2") is dated by its document.
        return None
    if not speech and tx.precision == "day" and _REPORTED_AFTER.match(low, tx.end):
        return None
    gap = _gap((tx.start, tx.end), (match.start, match.end))
    opener = _is_opener(low, tx)
    relative = _RELATIVE.search(low, gap[0], gap[1]) if tx.start >= match.end else None
    if _dates_another_clause(q, tx, gap, opener=opener, relative=relative):
        return None
    score = gap[1] - gap[0]
    if relative:
        # The parenthetical does not count as distance.
        score = relative.start() - gap[0]
    # A date that closes the trigger's clause modifies its predicate, far or not.
    final = tx.start >= match.end and (
        not low[tx.end : clause.part_end].strip(" .,\"'\u201d)")
        or (clause.role != ARGUMENT and not low[tx.end : clause.clause_end].strip(" ,"))
    )
    if score > (_MAX_GAP_FINAL if final else _MAX_GAP) and not opener:
        # A date that closes the sentence modifies its main verb, far or not.
        return None
    before = tx.end <= match.start and not opener
    if before and _CONSEQUENCE.search(low, gap[0], gap[1]):
        return None
    if before and _BACKGROUND.search(low, gap[0], gap[1]):
        # "talks next week ... following the rocket launch": the trigger
        # names an earlier event in a clause of its own.
        return None
    if before:
        if _CONJUNCT.match(low, gap[0], gap[1]):
            # "... on June 10 and the joint drill": the date closes the
            # conjunct before; the trigger opens a new one.
            return None
        if not _adjacent(low, gap):
            # English puts an event's date after it ("fired ... on
            # Friday"); a date before it more often belongs elsewhere.
            score += _BEFORE_PENALTY
    if not speech and REPORTING.search(low, gap[0], gap[1]):
        if before:
            # "X on April 3 said the launch ...": the date of the saying.
            return None
        score += _REPORTING_PENALTY
    if q.planned and q.published is not None and tx.date_end < q.published:
        score += _PLANNED_PAST_PENALTY
    return score


def _dates_another_clause(
    q: _DateQuery, tx: Timex, gap: tuple[int, int], *, opener: bool, relative: re.Match | None
) -> bool:
    """Tell whether ``tx`` dates another clause, saying or trigger than the query's."""
    low, match, others = q.low, q.match, q.others
    if relative and not _CLOSED_RELATIVE.match(low, relative.end(), gap[1]):
        # "fired into the zone set up under an agreement, which the North
        # declared void in November": the date is the relative clause's.
        # A closed one ("launched a rocket, which Seoul sees as a missile,
        # on February 7") leaves the date to the main clause.
        return True
    if _STRONG_BREAK.search(low, gap[0], gap[1]):
        # A semicolon or a dash: another sentence.
        return True
    if (
        not q.speech
        and tx.end <= match.start
        and (
            _SAID_ON.search(low, max(0, tx.start - _SAID_ON_REACH), tx.start)
            or _DOCUMENT_ON.search(low, max(0, tx.start - _DOCUMENT_ON_REACH), tx.start)
        )
    ):
        # "Pyongyang announced on Monday that it had fired ...": the date of the saying.
        return True
    if (
        q.background
        and not _adjacent(low, gap)
        and not _closes_noun_phrase(low, match, tx)
        and tx.rule != OFFSET_FROM_EVENT
    ):
        # "talks ... after the North's latest missile test, a spokesman
        # said on Friday": a cause named in passing takes only its own date
        # ("following the visit to Hanoi last June").
        return True
    if (
        q.planned
        and q.published is not None
        and tx.date_end < q.published
        and tx.end <= match.start
    ):
        # "In March, Kim said the North would test": the date of the saying.
        return True
    if opener:
        return False
    if any(o is not match and gap[0] <= o.start and o.end <= gap[1] for o in others):
        return True
    # "a drill in March and a missile test": the date belongs
    # to the conjunct it is attached to.
    return (
        not _adjacent(low, gap)
        and _COORDINATION.search(low, gap[0], gap[1]) is not None
        and any(
            o is not match and _adjacent(low, _gap((tx.start, tx.end), (o.start, o.end)))
            for o in others
        )
    )


def _attached_here(low: str, match: Match, tx: Timex, clause: TriggerClause) -> bool:
    """Tell whether ``tx`` may date the trigger as far as the noun phrases go.

    A date that premodifies another noun ("the February 29 agreement") is
    that noun's; a trigger that is the argument of another predicate takes
    only a date of its own noun phrase ("denounced the April 13 launch",
    "the launch of the satellite on April 13").
    """
    own = tx.end <= match.start and (
        _adjacent(low, (tx.end, match.start)) or _premodifies(low, tx, match)
    )
    if (
        not own
        and _PREMODIFIER_LEFT.search(low, max(0, tx.start - 8), tx.start)
        and _PREMODIFIER_RIGHT.match(low, tx.end)
    ):
        return False
    if clause.role != ARGUMENT or own or match.trigger.event_type not in _ARGUMENT_TYPES:
        return True
    return _closes_noun_phrase(low, match, tx)


def _closes_noun_phrase(low: str, match: Match, tx: Timex) -> bool:
    """Whether ``tx`` closes the trigger's noun phrase ("the launch of the satellite on
    April 13", "the visit to Hanoi last June"): after it, with no stop and no verb between."""
    if tx.start < match.end:
        return False
    gap = low[match.end : tx.start]
    return (
        len(gap) <= _NP_GAP_REACH
        and _NP_GAP.fullmatch(gap) is not None
        and _NP_GAP_VERB.search(gap) is None
    )
