"""Rows: one event row per trigger that is an event, and one per distinct event per article.

This step decides whether a trigger becomes a row (it needs an actor, a date
and, for a meeting or an agreement, two parties) and assembles the row with
the columns of ``schema.EVENTS``: why it exists (``trigger``), how it was
dated (``date_rule``), its details (missile class, count, place, evidence)
and its codes. A speech act or joint decision the text does not date
(``occasion`` triggers: "They committed to ...") takes the date of the
article's occasion (:class:`Occasion`): a meeting of its sentence it is a
relative clause of, else the meeting the article reports as held on its
date, else the day an official statement was issued; its parties are those
its clause names, or the meeting's when its subject is joint ("they", "the
two leaders"). Within an article, rows are deduplicated by (type, actor or
parties, date range); a row dated by publication gives way to one the text
dates; and a row whose range lies inside another row's of the same event is
dropped. The cue patterns and windows are in ``data/event_cues.toml``
(``[rows]``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import schema
from analysis.codes import code_for
from analysis.events.context import Article, SentenceContext, Timex, clause_before
from analysis.events.dating import (
    BREAKING_NEWS,
    BY_TIMEX,
    STATEMENT,
    event_dates,
    is_dated_by_publication,
    offset_timexes,
)
from analysis.events.modality import modality_for_date
from analysis.events.parties import (
    addressed,
    event_actor,
    event_participants,
    first_person_opening,
    headline_parties,
    is_visit,
    joint_parties,
    joint_pronoun_subject,
    listed_hosts,
    opening_parties,
    speaker_of,
)
from analysis.events.triggers import LAUNCH_TYPES, PARTICIPANT_KEYED_TYPES, Lexicon, Match
from analysis.ingest.dates import MONTH_NAMES, WEEKDAYS
from analysis.nlp.timex import NUMBER_WORDS
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["rows"]

_MAX_EVIDENCE = _CUES["max_evidence"]
_MISSILE_CLASS_REACH = _CUES["missile_class_reach"]
_COUNT = re.compile(_CUES["count"])
_COUNT_BEFORE = _CUES["count_before"]
_COUNT_AFTER = _CUES["count_after"]
_PLACE = re.compile(_CUES["place"])
_PLACE_REACH = _CUES["place_reach"]
_STATEMENT_TITLE = _CUES["statement_title"]
_OCCASION_WEIGHT = _CUES["occasion_weight"]
_OCCASION_DAYS = pd.Timedelta(days=_CUES["occasion_days"])
_MEETING_RELATIVE = re.compile(_CUES["meeting_relative"])
_CLAUSE_STOP = re.compile(_CUES["clause_stop"])
_PARTY_CLAUSE_REACH = _CUES["party_clause_reach"]
_DASHES = ("\u2013", "\u2014")

#: ``date_rule`` of a speech act or joint decision dated by the meeting it was
#: made at (the article's occasion, :class:`Occasion`).
OCCASION = "fallback:occasion"
_DATE_WORDS = (
    *(names[-1].capitalize() for names in MONTH_NAMES),
    *(short.capitalize() for names in MONTH_NAMES for short in names[:-1]),
    *(day.capitalize() for day in WEEKDAYS),
)
# Capitalised words after a preposition that name no place.
_NOT_PLACE = re.compile(r"^(?:the\s+)?(?:" + "|".join((*_DATE_WORDS, *_CUES["not_place"])) + r")\b")


@dataclass
class Occasion:
    """The occasion an article reports: what its undated speech acts and joint decisions belong to.

    In a readout, "They committed to ..." was said at the meeting it reports
    as held on its date ("spoke by phone today with ..."); in a joint
    statement, "We affirm ..." on the day it was issued. Its parties are
    whom "they", "we" and "the two leaders" stand for: the meeting's, else
    those its lead names as acting ("We, the leaders of A, B and C, ..."),
    else, in an official statement, those its headline names ("Remarks by
    President A and President B before Bilateral Meeting").
    """

    statement: bool  # an official statement, by its title
    meeting: dict | None = None  # the row of the meeting it reports as held on its date
    lead_parties: str | None = None  # the parties the lead names as acting, ``;``-joined
    headline: str = ""  # the article's headline
    day: dt.date | None = None  # its publication date, for the office holders its headline names
    home: str | None = None  # the state its outlet speaks for

    @functools.cached_property
    def headline_parties(self) -> str | None:
        """The parties an official statement's headline names as acting together,
        ``;``-joined (read once); None for news, whose headline names who is talked about."""
        if not self.statement:
            return None
        return headline_parties(self.headline, day=self.day, home=self.home)

    def parties(self) -> str | None:
        """The occasion's parties, ``;``-joined: its meeting's, else its lead's, else its
        headline's."""
        if self.meeting is not None:
            return self.meeting["participants"]
        return self.lead_parties or self.headline_parties

    def actor(self, voice: str | None) -> str | None:
        """The occasion's actor: its meeting's, else ``voice`` (the state the text speaks
        for) when it is a party, else the first party."""
        if self.meeting is not None:
            return self.meeting["actor"]
        parties = (self.parties() or "").split(";")
        if voice in parties:
            return voice
        return parties[0] or None


def statement_titles(titles: pd.Series) -> np.ndarray:
    """Flag the titles of official statements: readouts, statements, declarations, fact sheets.

    Examples
    --------
    >>> statement_titles(pd.Series(["Readout of a Call", "N. Korea fires missile", None])).tolist()
    [True, False, False]
    """
    found = titles.astype("string").str.contains(_STATEMENT_TITLE, case=False, regex=True)
    return found.fillna(False).to_numpy(dtype=bool)


def add_events(
    article: Article,
    s: SentenceContext,
    modalities: Sequence[str | None],
    timexes: list[Timex],
    offsets: list[tuple[int, int, str]],
    lex: Lexicon,
    occasion: Occasion | None = None,
) -> None:
    """Make the row of each trigger of a sentence that is an event, and keep it in the article.

    The first launch dated by a time expression is the one a later bare
    "the launch" refers to; "a day after X" counts from the event before it;
    the first meeting held on the article's date (or the day before) is the
    occasion of its undated joint decisions and speech acts, and a meeting
    of the sentence is the occasion of a decision in its relative clause
    ("the meeting on Sunday, where they resolved to ...").

    Parameters
    ----------
    article : Article
        The article being read; its ``rows`` (and ``article_launch``) are updated.
    s : SentenceContext
        The sentence.
    modalities : sequence of str or None
        The modality of each of the sentence's triggers (None: not an event).
    timexes : list of Timex
        The sentence's time expressions.
    offsets : list of tuple
        Its offsets counted from an event, ``(start, end, text)``.
    lex : Lexicon
        The trigger lexicon.
    occasion : Occasion, optional
        The article's occasion; its ``meeting`` is set by the first meeting
        held on the article's date.
    """
    done: list[tuple[Match, dict]] = []
    if occasion is not None and occasion.lead_parties is None and s.is_lead:
        # "We, the leaders of A, B and C, ...": whom a statement's "we" stands for.
        occasion.lead_parties = opening_parties(s)
    for match, modality in zip(s.matches, modalities, strict=True):
        if modality is None:
            continue
        rows = _event_rows(
            s,
            match,
            timexes + offset_timexes(match, offsets, done),
            lex,
            modality=modality,
            article_launch=article.article_launch if match.trigger.name == "the_launch" else None,
            occasion=occasion,
            local_meeting=_meeting_before(s, match, done) if match.trigger.occasion else None,
        )
        if rows:
            done.append((match, rows[0]))
        for row in rows:
            _add_row(article, s, occasion, match, row)


def _add_row(
    article: Article, s: SentenceContext, occasion: Occasion | None, match: Match, row: dict
) -> None:
    """Keep one row of a trigger in its article, and note the occasion and launch it sets."""
    on_the_day = _held_on_the_day(row, s)
    if (
        occasion is not None
        and occasion.meeting is None
        and on_the_day
        and row["event_type"] == "meeting"
    ):
        occasion.meeting = row
    if (
        occasion is not None
        and occasion.lead_parties is None
        and s.is_lead
        and row["event_type"] in PARTICIPANT_KEYED_TYPES
        and on_the_day
    ):
        # "X, Y and Z affirm their commitment to ..." in the lead, on the
        # text's date: the parties the statement's later "they" stand for.
        occasion.lead_parties = row["participants"]
    if (
        article.article_launch is None
        and row["event_type"] in LAUNCH_TYPES
        and row["date_rule"].startswith(BY_TIMEX)
    ):
        article.article_launch = (
            row["date_start"],
            row["date_end"],
            row["precision"],
            row["actor"],
        )
    row.update(
        source_id=article.source_id,
        article_id=article.article_id,
        sentence_id=s.sentence_id,
        start=s.offset + match.start,
        end=s.offset + match.end,
        # the words the id is made of (see article_rows)
        id_words=(s.text, s.text[match.start : match.end]),
        outlet=article.outlet,
        published_date=article.published,
    )
    _keep(article.rows, row)


def article_rows(article: Article) -> list[dict]:
    """Return the rows of a read article: one per distinct event.

    A publication-dated row of breaking news is dropped when the article
    dates that event itself, and a row whose range lies inside another
    row's range of the same event is dropped.
    """
    rows = _drop_contained(_drop_fallbacks(list(article.rows.values())))
    # Ids come from what the text says (sentence and trigger words), not from
    # offsets a rule change moves; rows with the same words are numbered.
    seen: Counter[str] = Counter()
    for row in sorted(rows, key=lambda r: r["start"]):
        words = (*row.pop("id_words"), row["event_type"])
        first = schema.stable_event_id(article.article_id, *words)
        row["event_id"] = schema.stable_event_id(article.article_id, *words, occurrence=seen[first])
        seen[first] += 1
    return rows


def _event_rows(
    s: SentenceContext,
    match: Match,
    timexes: Sequence[Timex],
    lex: Lexicon,
    *,
    modality: str,
    article_launch: tuple | None = None,
    occasion: Occasion | None = None,
    local_meeting: dict | None = None,
) -> list[dict]:
    """Return the rows of one trigger: its actor, date and parties; none when it lacks one.

    A trigger is one row, or one per date of a list of dates ("tests on
    May 3 and June 9") and per host of a meeting at several places
    ("will visit A and B", "their talks in A and B").
    """
    trig = match.trigger
    etype = trig.event_type
    # A speech act or joint decision may belong to the article's occasion, or
    # to the meeting of its sentence whose relative clause it is in.
    on_occasion = trig.occasion and modality == "happened" and occasion is not None
    meeting = (local_meeting or occasion.meeting) if on_occasion else None
    if (
        not timexes
        and article_launch is None
        and not on_occasion
        and not (
            modality == "happened" and ((s.is_lead and etype in s.title_types) or etype == "threat")
        )
    ):
        # Nothing could date it: skip the rest of the work.
        return []
    found = _actor(s, match, lex, article_launch, meeting, occasion)
    # "they met", "their talks", "the two leaders agreed": the occasion's parties.
    joint_parties_of = _joint_occasion_parties(s, match, meeting, occasion)
    if found is None and etype in PARTICIPANT_KEYED_TYPES:
        # "the President's meeting with X and Y": a meeting or an agreement
        # is acted by whichever of its parties the sentence names first.
        found = _first_party(s, match)
    if found is None and meeting is not None:
        # "They committed to ...": said at the occasion's meeting.
        found = (meeting["actor"], None, trig.confidence * _OCCASION_WEIGHT, False)
    if (
        joint_parties_of is not None
        and occasion is not None
        and (found is None or found[0] not in joint_parties_of.split(";"))
    ):
        # "They later followed up on their talks": the pronoun stands for the
        # occasion's parties, not for whoever the sentence before named.
        voice = occasion.actor(s.outlet_state)
        found = (voice, None, trig.confidence * _OCCASION_WEIGHT, False) if voice else found
    if found is None:
        return []
    actor, target, confidence, first_person = found
    dates = event_dates(
        s, match, timexes, modality, article_launch, actor=actor, first_person=first_person
    )
    if dates is None:
        return []
    if len(dates) > 1 and etype == "meeting" and is_visit(s, match):
        # A visit over days listed one by one ("traveled to Seoul for
        # meetings on Friday, December 8 and Saturday, December 9") is one
        # visit spanning them (the guidelines); apart, they are visits of their own.
        dates = _one_span(dates)
    if not dates and on_occasion:
        statement = occasion.statement or first_person or first_person_opening(s)
        dated = _occasion_date(s, meeting, statement)
        dates = [dated] if dated is not None else []
    if not dates:
        return []
    participants = _parties(s, match, actor, meeting, occasion, joint_parties_of)
    if participants is None:
        return []
    code, plover, goldstein = code_for(etype)
    fields = {
        "event_type": etype,
        "actor": actor,
        "missile_class": _missile_class(s.low, match, lex) if etype == "missile_launch" else "",
        "evidence": _evidence(s.text),
        "trigger": trig.name,
        "target": target,
        "place": _place(s.text, match),
        "n_items": _n_items(s.low, match),
        "cameo_code": code,
        "plover_type": plover,
        "goldstein": goldstein,
    }
    return [
        {
            **fields,
            "participants": who,
            "date_start": pd.Timestamp(date_start),
            "date_end": pd.Timestamp(date_end),
            "precision": precision,
            "modality": modality_for_date(modality, date_start, s.published),
            "date_rule": date_rule,
            "confidence": round(confidence * weight, 3),
        }
        for date_start, date_end, precision, date_rule, weight in dates
        for who in _by_host(s, match, actor, participants)
    ]


def _parties(
    s: SentenceContext,
    match: Match,
    actor: str,
    meeting: dict | None,
    occasion: Occasion | None,
    joint_parties_of: str | None,
) -> str | None:
    """The ``participants`` of a trigger's row; None for a meeting or agreement of one.

    A joint decision's are the parties its clause names, else, for a joint
    subject, the occasion's; other triggers' are those they name
    (:func:`~analysis.events.parties.event_participants`), with the
    occasion's parties for a plural pronoun or possessive ("their talks with
    X") and for "you" ("I welcome you to Korea").
    """
    trig = match.trigger
    if trig.occasion and trig.event_type in PARTICIPANT_KEYED_TYPES and not trig.speaker:
        named, joint = joint_parties(s, match, actor)
        if named is None and joint:
            named = meeting["participants"] if meeting else _occasion_parties(occasion)
        return named
    participants = event_participants(s, match, actor)
    if joint_parties_of is not None:
        # "their talks with X": the occasion's parties and whoever is named.
        participants = _with_parties(participants, joint_parties_of, actor)
    if participants is None and addressed(s, match):
        # "I welcome you to Korea": the one addressed is the occasion's other party.
        participants = _with_parties(None, _occasion_parties(occasion), actor)
    return participants


def _with_parties(participants: str | None, parties: str | None, actor: str) -> str | None:
    """``participants`` joined with ``parties`` and the actor; None for fewer than two."""
    codes = {*(participants or "").split(";"), *(parties or "").split(";"), actor} - {""}
    return ";".join(sorted(codes)) if len(codes) > 1 else None


def _by_host(s: SentenceContext, match: Match, actor: str, participants: str) -> list[str]:
    """The participants of each meeting of a trigger held at several places, else the one.

    "will visit A and B": a visit to each, its host a party; "their talks in
    A and B": a meeting at each, with the parties named of that place's state
    (:func:`~analysis.events.parties.listed_hosts`).
    """
    if match.trigger.event_type != "meeting":
        return [participants]
    hosts, visit = listed_hosts(s, match, actor)
    named = set(participants.split(";"))
    each = [
        ";".join(sorted((named - set(hosts)) | {actor} | ({host} if visit else {host} & named)))
        for host in hosts
    ]
    return [p for p in dict.fromkeys(each) if ";" in p] or [participants]


def _one_span(dates: list[tuple]) -> list[tuple]:
    """Join dates of consecutive days into one range; other dates stay as they are."""
    days = sorted(dates, key=lambda d: d[0])
    consecutive = all(d[2] == "day" for d in days) and all(
        b[0] - a[1] == pd.Timedelta(days=1) for a, b in zip(days, days[1:], strict=False)
    )
    if not consecutive:
        return dates
    first = dates[0]
    return [(days[0][0], days[-1][1], "day", first[3], first[4])]


def _actor(
    s: SentenceContext,
    match: Match,
    lex: Lexicon,
    article_launch: tuple | None,
    meeting: dict | None,
    occasion: Occasion | None = None,
) -> tuple[str, str | None, float, bool] | None:
    """The actor of a trigger (:func:`~analysis.events.parties.event_actor`); for a
    ``speaker`` trigger, whoever says it, the occasion's speaker for a joint one.

    A joint speaker ("They stress that an attack would meet a firm response") is
    the occasion's meeting's actor; with no meeting, the state the text
    speaks for (an official statement is that state's) when it is one of
    the parties the lead names, or the lead names none. The test's state is
    no speaker. In an official text, a speaker trigger with no speaker named
    is the one speaking's ("It is a pleasure to receive you").
    """
    if match.trigger.speaker:
        speaker, joint = speaker_of(s, match)
        confidence = match.trigger.confidence
        if joint and meeting is not None:
            speaker = meeting["actor"]
        elif joint and occasion is not None and s.outlet_state is not None:
            parties = occasion.parties()
            if s.outlet_state in (parties or "").split(";") or (not parties and occasion.statement):
                speaker = s.outlet_state
            confidence *= _OCCASION_WEIGHT
        if speaker is not None:
            return speaker, None, confidence, False
        if joint:
            # The speakers are not known.
            return None
        found = event_actor(s, match, lex, article_launch)
        if found is None and occasion is not None and occasion.statement and s.outlet_state:
            # "It is a pleasure to receive you": in an official text, whoever speaks.
            return s.outlet_state, None, confidence * _OCCASION_WEIGHT, False
        return found
    return event_actor(s, match, lex, article_launch)


def _occasion_parties(occasion: Occasion | None) -> str | None:
    """The occasion's parties, if the article has an occasion and it has parties."""
    return occasion.parties() if occasion is not None else None


def _joint_occasion_parties(
    s: SentenceContext, match: Match, meeting: dict | None, occasion: Occasion | None
) -> str | None:
    """The parties a meeting's or an agreement's plural subject or possessive stands for.

    "they met", "their December talks", "the two leaders agreed"
    (:func:`~analysis.events.parties.joint_pronoun_subject`): the parties of
    the meeting the trigger belongs to, else the occasion's; None for
    other triggers, or when the occasion has no parties.
    """
    if match.trigger.event_type not in PARTICIPANT_KEYED_TYPES:
        return None
    parties = meeting["participants"] if meeting is not None else _occasion_parties(occasion)
    if not parties or ";" not in parties or not joint_pronoun_subject(s, match):
        return None
    return parties


def _first_party(s: SentenceContext, match: Match) -> tuple[str, None, float, bool] | None:
    """The first party a meeting or an agreement names in its clause, when it names two or more.

    "the minister's trilateral meeting on Monday with Minister X of
    Japan and President Y of the ROK, where ...": the clause runs from the
    clause before the trigger to the first comma after it.
    """
    low = s.low
    lo = match.start - len(clause_before(low, match.start, limit=_PARTY_CLAUSE_REACH))
    stop = _CLAUSE_STOP.search(low, match.end)
    while stop is not None and _compound_dash(low, stop, s.mentions):
        # "the Forum of the US – Japan – Philippines Partnership": a
        # dash between two parties joins a compound name; the clause goes on.
        stop = _CLAUSE_STOP.search(low, stop.end())
    hi = stop.start() if stop else len(low)
    named = [m for m in s.mentions if lo <= m.start and m.end <= hi and m.kind != "place"]
    if len({m.actor for m in named}) < 2:
        return None
    return named[0].actor, None, match.trigger.confidence * _OCCASION_WEIGHT, False


def _compound_dash(low: str, stop: re.Match, mentions: Sequence) -> bool:
    """Tell whether a clause stop is a dash that joins two mentions ("US – Japan")."""
    if stop.group() not in _DASHES:
        return False
    left = low[: stop.start()].rstrip()
    right = stop.end() + len(low[stop.end() :]) - len(low[stop.end() :].lstrip())
    return any(m.end == len(left) for m in mentions) and any(m.start == right for m in mentions)


def _held_on_the_day(row: dict, s: SentenceContext) -> bool:
    """Tell whether a row happened on its article's date or the day before it."""
    return (
        row["modality"] == "happened"
        and row["precision"] == "day"
        and s.published is not None
        and s.published - _OCCASION_DAYS <= row["date_start"] <= s.published
    )


def _meeting_before(
    s: SentenceContext, match: Match, done: Sequence[tuple[Match, dict]]
) -> dict | None:
    """The meeting of the sentence whose relative clause holds ``match``, if any.

    "the trilateral meeting on Sunday with X and Y, where they resolved to
    ...": the decision was made at that meeting.
    """
    for other, row in reversed(done):
        if (
            row["event_type"] == "meeting"
            and other.end <= match.start
            and _MEETING_RELATIVE.search(s.low, other.end, match.start)
        ):
            return row
    return None


def _occasion_date(
    s: SentenceContext, meeting: dict | None, statement: bool
) -> tuple[pd.Timestamp, pd.Timestamp, str, str, float] | None:
    """The date of an undated speech act or joint decision: its occasion's.

    The meeting the lead reports, else the day an official statement (or a
    text speaking in the first person) was issued; None for other texts.
    """
    if meeting is not None:
        return (
            meeting["date_start"],
            meeting["date_end"],
            meeting["precision"],
            OCCASION,
            _OCCASION_WEIGHT,
        )
    if statement and s.published is not None:
        return s.published, s.published, "day", STATEMENT, _OCCASION_WEIGHT
    return None


def _missile_class(low: str, match: Match, lex: Lexicon) -> str:
    """The class of the missile cue nearest the trigger (``[[missile_class]]``), or "unknown"."""
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
            if dist > _MISSILE_CLASS_REACH:
                continue
            if best_dist is None or dist < best_dist:
                best, best_dist = cls, dist
    return best or "unknown"


def _n_items(low: str, match: Match) -> int | None:
    """The number of missiles, shells or balloons named near a trigger, if any."""
    for m in _COUNT.finditer(
        low, max(0, match.start - _COUNT_BEFORE), min(len(low), match.end + _COUNT_AFTER)
    ):
        word = m.group(1)
        return int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    return None


def _place(text: str, match: Match) -> str | None:
    """The first place named after a trigger ("in the East Sea"), or None."""
    for m in _PLACE.finditer(text, match.start, min(len(text), match.end + _PLACE_REACH)):
        name = m.group(1).strip()
        if name.endswith(" of"):
            name = name[:-3]
        if name and not _NOT_PLACE.match(name):
            return name
    return None


def _evidence(text: str) -> str:
    """The sentence as evidence: white space collapsed, cut to the longest evidence kept."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 1].rstrip() + "\u2026"


def _keep(rows: dict[tuple, dict], row: dict) -> None:
    """Add a row to an article's rows: one per (type, actor or parties, date range).

    A row dated by the text replaces one dated by publication; the parties a
    duplicate names join the kept row's.
    """
    # One agreement or meeting is one row whoever is named first.
    who = row["participants"] if row["event_type"] in PARTICIPANT_KEYED_TYPES else row["actor"]
    dedupe = (row["event_type"], who, row["date_start"], row["date_end"])
    kept = rows.get(dedupe)
    if kept is None or (is_dated_by_publication(kept) and not is_dated_by_publication(row)):
        rows[dedupe] = row
    elif row["participants"]:
        merged = set(filter(None, kept["participants"].split(";")))
        merged |= set(row["participants"].split(";"))
        kept["participants"] = ";".join(sorted(merged))


def _drop_fallbacks(rows: list[dict]) -> list[dict]:
    """Drop a publication-dated row when the article dates that event itself."""
    dated = {(r["event_type"], r["actor"]) for r in rows if not is_dated_by_publication(r)}
    return [
        r
        for r in rows
        if not (r["date_rule"] == BREAKING_NEWS and (r["event_type"], r["actor"]) in dated)
    ]


def _drop_contained(rows: list[dict]) -> list[dict]:
    """Drop a row whose range lies inside another row's range of the same event.

    "its fourth nuclear test in January" and "the Jan. 6 test" in one article
    are one event, as are "as soon as next week" and "between Feb. 8 and 25"
    for one planned launch: the row of finer precision stands for it (of
    equal precision, the narrower range). Meetings dated to the day are
    kept: a visit "from March 18 to 20" and "talks on March 19" are two
    rows (the guidelines).
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
        if row["event_type"] == "meeting" and row["precision"] == other["precision"] == "day":
            # A visit of several days and the talks of one of them are two
            # occasions, each dated to the day.
            return False
        key_row = (rank[row["precision"]], row["date_end"] - row["date_start"])
        key_other = (rank[other["precision"]], other["date_end"] - other["date_start"])
        return key_row > key_other

    return [row for row in rows if not any(o is not row and weaker(row, o) for o in rows)]
