"""Actor and participants: who did what a trigger reports, and with whom.

This step decides a trigger's ``actor`` (and ``target``) from the actor
mentions of its sentence: a mention inside the trigger phrase; else the
subject of the trigger's clause (its first actor mention that is not the
object of a preposition or verb, "sanctions on North Korea"); else the agent
of a passive ("imposed by the U.N."). A pronoun subject takes the subject of
the sentence before; a first-person statement ("we warn") speaks for the
outlet's state. A launch or a test is the state's the text attaches it to
in its clause (:func:`attached_actor`: its possessor, the subject of its verb
or support verb, its agent), read from the clause facts of
:func:`~analysis.events.context.trigger_clause`; a reaction to it ("Seoul
condemned the launch") gives it no actor. Unattached, it takes the state of
the story (the sentence joined before, the article's launch, the headline,
the state named most), and its type's usual actor only when no state is
named at all. It also decides the
``participants`` of meetings, agreements (the parties named up to the topic,
at least two) and joint exercises (the actor's conjoined partners). The cue
patterns, windows and confidence factors are in ``data/event_cues.toml``
(``[parties]``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import replace

import pycountry

from analysis.events.context import (
    ARGUMENT,
    REPORTING,
    Mention,
    SentenceContext,
    clause_before,
    sentence_parts,
)
from analysis.events.triggers import PARTICIPANT_KEYED_TYPES, SPEECH_TYPES, Lexicon, Match
from analysis.nlp.actors import match_actors
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["parties"]

#: Pseudo-actor of a first-person statement; the outlet's state replaces it.
SELF = "SELF"

_OBJECT_MARKER = re.compile(_CUES["object_marker"])
_OBJECT_REACH = _CUES["object_reach"]
_SUBJECT_BREAK = re.compile(_CUES["subject_break"])
_PRONOUN_OPENING = re.compile(_CUES["pronoun_opening"])
_FIRST_PERSON_WORD = re.compile(_CUES["first_person_word"])
_CONDITION = re.compile(_CUES["condition"])
_PARTICIPLE = re.compile(_CUES["participle"])
_APPOSITIVE = re.compile(_CUES["appositive"], re.S)
_VERB_OBJECT = re.compile(_CUES["verb_object"])
_VERB_OBJECT_REACH = _CUES["verb_object_reach"]
_PARTY_AFTER = re.compile(_CUES["party_after"])
_PARTY_AFTER_REACH = _CUES["party_after_reach"]
_PARTY_AFTER_TAIL = _CUES["party_after_tail"]
_AGENT_AFTER = re.compile(_CUES["agent_after"])
_AGENT_REACH = _CUES["agent_reach"]
_AGENT_TAIL = _CUES["agent_tail"]
_TARGET_BEFORE = re.compile(_CUES["target_before"])
_TARGET_TAIL = _CUES["target_tail"]
_ATTACHED_ACTOR = re.compile(_CUES["attached_actor"])
_VERB_LIKE = re.compile(_CUES["verb_like"])
_BY_AGENT = re.compile(_CUES["by_agent"])
_BY_AGENT_REACH = _CUES["by_agent_reach"]
_TOPIC = re.compile(_CUES["topic"])
_ARRIVAL = re.compile(_CUES["arrival"])
_DESTINATION = re.compile(_CUES["destination"])
_HOST_LIST = re.compile(_CUES["host_list"])
_ADDRESSEE = re.compile(_CUES["addressee"])
_ADDRESS_FORM = re.compile(_CUES["address_form"])
_COMPANION = re.compile(_CUES["companion"])
_COMPANION_REACH = _CUES["companion_reach"]
_COMPANION_STOP = re.compile(_CUES["companion_stop"])
_MEETING_PLACE = re.compile(_CUES["meeting_place"])
_PRONOUN_SUBJECT = re.compile(_CUES["pronoun_subject"])
_PRONOUN_SUBJECT_REACH = _CUES["pronoun_subject_reach"]
_FIRST_PERSON = re.compile(_CUES["first_person"])
_FIRST_PERSON_REACH = _CUES["first_person_reach"]
_CONJOINED = re.compile(_CUES["conjoined"])
_JOINT = re.compile(_CUES["joint"])
_JOINT_REACH = _CUES["joint_reach"]
_JOINT_WITH = tuple(_CUES["joint_with"])
_JOINT_WITH_REACH = _CUES["joint_with_reach"]
_HERE = re.compile(_CUES["here"])
_JOINT_SUBJECT = re.compile(_CUES["joint_subject"])
_JOINT_OPENING = re.compile(_CUES["joint_opening"])
_JOINT_SUBJECT_REACH = _CUES["joint_subject_reach"]
_SPEAKER_BREAK = re.compile(_CUES["speaker_break"])
_JOINT_PARTNER = re.compile(_CUES["joint_partner"])
_JOINT_PRONOUN = re.compile(_CUES["joint_pronoun"])
_JOINT_POSSESSIVE = re.compile(_CUES["joint_possessive"])
_JOINT_PRONOUN_REACH = _CUES["joint_pronoun_reach"]
_FIRST_PERSON_OPENING = re.compile(_CUES["first_person_opening"])
_FIRST_PERSON_SUBJECT = re.compile(_CUES["first_person_subject"])
_HEADLINE_OBJECT = re.compile(_CUES["headline_object"])
_HEADLINE_OBJECT_REACH = _CUES["headline_object_reach"]
_HEADLINE_COMPOUND = re.compile(_CUES["headline_compound"])
_POSSESSIVE_PRONOUN = re.compile(_CUES["possessive_pronoun"])
_POSSESSIVE_REACH = _CUES["possessive_reach"]
_ORIGIN = re.compile(_CUES["origin"])
_NO_SUBJECT = re.compile(_CUES["no_subject"])
_VERB_CLAUSE_BREAK = re.compile(_CUES["verb_clause_break"])
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_POSSESSIVE = re.compile(r"[)\"\u201d]?(?:'s|\u2019s|')\s")
_RELATIVE_SUBJECT = re.compile(_CUES["relative_subject"])
_AFTER_VERB = re.compile(_CUES["after_verb"])
_AFTER_VERB_REACH = _CUES["after_verb_reach"]
_DEFAULT_ACTOR_WEIGHT = _CUES["default_actor_weight"]
_PREVIOUS_ACTOR_WEIGHT = _CUES["previous_actor_weight"]


def event_actor(
    s: SentenceContext, match: Match, lex: Lexicon, article_launch: tuple | None
) -> tuple[str, str | None, float, bool] | None:
    """Return ``(actor, target, confidence, first_person)`` of a trigger, or None with no actor.

    The confidence is the trigger's prior, lowered when the actor is a
    default or the subject of the sentence before; ``first_person`` says
    whether the clause before the trigger speaks in the first person (a
    statement, which the dating step may date by its issue).

    Parameters
    ----------
    s : SentenceContext
        The trigger's sentence.
    match : Match
        The trigger.
    lex : Lexicon
        The trigger lexicon (its default actors and usual targets).
    article_launch : tuple or None
        The launch the article dated, ``(date_start, date_end, precision,
        actor)``, when the trigger is a bare "the launch".
    """
    low = s.low
    trig = match.trigger
    etype = trig.event_type
    confidence = trig.confidence
    actor, target = _actor(
        low, match, s.mentions, lex.usual_target.get(etype), speech=etype in SPEECH_TYPES
    )
    unattached = False
    if etype in lex.default_actor:
        # A launch or a test is the state's the text attaches it to (its
        # possessor, the subject of its verb, its agent), not the default's.
        if article_launch is not None:
            # "the launch": whoever launched the article's launch, unless
            # its own phrase names another ("Japan's launch").
            actor = (
                _close_actor(low, match, s.mentions, objects=False)
                or _passive_agent(low, match, s.mentions)
                or article_launch[3]
            )
        else:
            actor = attached_actor(s, match)
        unattached = actor is None
    first_person = (
        _FIRST_PERSON.search(clause_before(low, match.start, limit=_FIRST_PERSON_REACH)) is not None
    )
    if actor == SELF or (actor is None and (first_person or etype == "threat")):
        # A statement carried by a state outlet speaks for that state.
        actor = s.outlet_state
    if actor is None and unattached:
        actor = _discourse_actor(s, match, lex)
        if actor is None:
            return None
        confidence *= _PREVIOUS_ACTOR_WEIGHT
    if actor is None:
        actor = trig.default_actor or lex.default_actor.get(etype)
        confidence *= _DEFAULT_ACTOR_WEIGHT
    if (
        actor is None
        and s.previous_actor
        and (
            s.continuation
            or _PRONOUN_SUBJECT.search(
                clause_before(low, match.start, limit=_PRONOUN_SUBJECT_REACH)
            )
        )
    ):
        # "They also launched artillery drills": the subject named before.
        actor = s.previous_actor
        confidence *= _PREVIOUS_ACTOR_WEIGHT
    if actor is None:
        return None
    return actor, target, confidence, first_person


def _possessor(s: SentenceContext, match: Match) -> str | None:
    """The antecedent of a possessive pronoun leading a trigger ("North Korea's ...
    as evidenced by its February 7 launch"), or None."""
    low = s.low
    clause = s.clause_of(match)
    lo = max(clause.part_start, match.start - _POSSESSIVE_REACH)
    if not _POSSESSIVE_PRONOUN.search(low, lo, match.start):
        return None
    mentions = [m for m in s.mentions if clause.part_start <= m.start < clause.part_end]
    return _antecedent(
        s, clause.part_start, match.start, mentions, match.trigger.event_type, objects=True
    )


def attached_actor(s: SentenceContext, match: Match) -> str | None:
    """Return the actor the text attaches to a trigger in its clause, or None.

    In order: a mention inside the trigger phrase or its possessor ("the
    DPRK's satellite launch", "the U.S. tests"); the antecedent of a
    possessive pronoun ("the U.S. ... its test of an interceptor"); for a
    trigger that is a predicate (a verb, or a noun after a support verb: "the
    U.S. conducted a nuclear test") the subject of its verb, where a pronoun
    ("Japan said it had launched") or a relative pronoun ("North Korea, which
    conducted a test") stands for the party named before it; the agent of a
    passive ("launched by the ROK"); the origin of a launch ("a launch from
    North Korea"). A trigger that another predicate governs ("Seoul condemned
    the launch") takes no actor from that predicate.

    Parameters
    ----------
    s : SentenceContext
        The trigger's sentence.
    match : Match
        The trigger.
    """
    low = s.low
    clause = s.clause_of(match)
    mentions = [m for m in s.mentions if clause.part_start <= m.start < clause.part_end]
    actor = _close_actor(low, match, mentions, objects=False)
    if actor is None and clause.finite and clause.governor is None:
        # A word read as a verb that a possessive pronoun leads is a noun ("as
        # evidenced by its February 7 launch"): the pronoun's antecedent.
        actor = _possessor(s, match)
    if actor is not None:
        return actor
    head = None
    if clause.finite and clause.governor is None:
        head = match.start
    elif clause.governor is not None and clause.role != ARGUMENT:
        head = clause.governor[0]
    if head is not None:
        actor = _verb_subject(s, match, head, mentions, clause.part_start)
        if actor is not None:
            return actor
    elif clause.verbal or _POSSESSIVE_PRONOUN.search(
        low, max(clause.part_start, match.start - _POSSESSIVE_REACH), match.start
    ):
        # "denounces Pyongyang over its test", "accusing the North of launching",
        # "the DPRK's decision to launch": the party named last before it.
        return _antecedent(
            s, clause.part_start, match.start, mentions, match.trigger.event_type, objects=True
        )
    return _passive_agent(low, match, mentions) or _origin(low, match, mentions)


def _verb_subject(
    s: SentenceContext, match: Match, head: int, mentions: Sequence[Mention], part_start: int
) -> str | None:
    """The party that is the subject of the verb at ``head``, or None when it names none."""
    low = s.low
    before = [m for m in mentions if m.end <= head and m.kind != "place"]
    relatives = list(_RELATIVE_SUBJECT.finditer(low, 0, head))
    relative = relatives[-1] if relatives else None
    if relative is not None and not any(m.start >= relative.end() for m in before):
        # "North Korea, which conducted a test ... and launched": the noun
        # the relative clause is about.
        named = [m for m in before if m.end <= relative.start()]
        if named and not low[named[-1].end : relative.start()].strip(" ,'\u2019s"):
            return named[-1].actor
    cut = part_start
    for brk in _VERB_CLAUSE_BREAK.finditer(low, part_start, head):
        cut = brk.end()
    subjects = [
        m
        for m in before
        if m.start >= cut
        and not _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start)
        and not _AFTER_VERB.search(low, max(0, m.start - _AFTER_VERB_REACH), m.start)
    ]
    if subjects:
        return subjects[0].actor
    if _PRONOUN_SUBJECT.search(clause_before(low, head, limit=_PRONOUN_SUBJECT_REACH)):
        return _antecedent(s, part_start, head, mentions, match.trigger.event_type, objects=False)
    if any(not _NO_SUBJECT.fullmatch(w) for w in _WORD.findall(low, cut, head)):
        # "the isolated state conducted ...": a subject the registry does not
        # name; the discourse decides.
        return None
    # No subject in its own clause ("and a month later launched"): the verb
    # shares that of the clause before.
    actor = _subject(low, replace(match, start=head), before, speech=False)
    return actor if actor != SELF else None


def _antecedent(
    s: SentenceContext,
    part_start: int,
    pos: int,
    mentions: Sequence[Mention],
    etype: str,
    *,
    objects: bool,
) -> str | None:
    """What a pronoun at ``pos`` stands for: the party named last before it.

    The nearest party of the sentence part before the pronoun (an object
    too when ``objects``: "denounces Pyongyang over its test"), else the first
    of the nearest earlier part (sentences the splitter left joined), else
    the party the headline attaches to a trigger of type ``etype``, else the
    subject of the sentence before, else the actor of the article's launch,
    else the state the article names most; never an organisation (launches
    and tests are made by states).
    """
    before = [
        m
        for m in mentions
        if m.end <= pos
        and m.kind != "place"
        and (objects or not _OBJECT_MARKER.search(s.low, max(0, m.start - _OBJECT_REACH), m.start))
    ]
    states = [m.actor for m in before if is_state(m.actor)]
    if states:
        return states[-1]
    previous = s.previous_actor if is_state(s.previous_actor) else None
    return (
        _earlier_part_actor(s, part_start)
        or _title_actor(s, etype)
        or previous
        or s.launch_actor
        or _topic_state(s)
    )


def _earlier_part_actor(s: SentenceContext, part_start: int) -> str | None:
    """The first party named in the nearest earlier part of the sentence that names one."""
    earlier = [
        m for m in s.mentions if m.end <= part_start and m.kind != "place" and is_state(m.actor)
    ]
    if not earlier:
        return None
    last = max(p for p, _ in sentence_parts(s.text) if p <= earlier[-1].start)
    return next(m.actor for m in earlier if m.start >= last)


def _discourse_actor(s: SentenceContext, match: Match, lex: Lexicon) -> str | None:
    """The actor of a launch or test its clause does not attach to anyone.

    The state named in the sentence part before (the splitter may have left
    several sentences joined), else the actor of the launch the article
    dated, else the party the headline attaches to a trigger of this type
    ("North Korea fires missile"), else the state the article is about (the
    one it names most); the type's usual actor only when the article names
    no state at all.
    """
    clause = s.clause_of(match)
    found = (
        _earlier_part_actor(s, clause.part_start)
        or s.launch_actor
        or _title_actor(s, match.trigger.event_type)
        or _topic_state(s)
    )
    if found is None:
        # No state named anywhere ("The North tested ..."): nothing speaks
        # against the type's usual actor.
        found = match.trigger.default_actor or lex.default_actor.get(match.trigger.event_type)
    return found


def _topic_state(s: SentenceContext) -> str | None:
    """The state the article names most often in its headline and up to the sentence.

    On a tie, the first named (the headline's first).
    """
    counts: dict[str, int] = {}
    headline = [found[2] for found in match_actors(s.title)] if s.title else []
    for code in (*headline, *s.named_before):
        if is_state(code):
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


@functools.cache
def is_state(code: object) -> bool:
    """Tell whether an actor code is a state's (an ISO 3166 alpha-3 code), not an organisation's.

    Launches and tests are made by states: an international organisation
    named before a pronoun is not its antecedent.

    Examples
    --------
    >>> is_state("PRK"), is_state("UN")
    (True, False)
    """
    return isinstance(code, str) and pycountry.countries.get(alpha_3=code) is not None


def _title_actor(s: SentenceContext, etype: str) -> str | None:
    """The party the headline attaches to its trigger of type ``etype``, if any."""
    matches = [m for m in s.title_matches if m.trigger.event_type == etype]
    if not matches or not s.title:
        return None
    low = s.title.lower()
    mentions = [Mention(*found[:4]) for found in match_actors(s.title)]
    for match in matches:
        actor = _close_actor(low, match, mentions, objects=False)
        if actor is not None:
            return actor
    return None


def _origin(low: str, match: Match, mentions: Sequence[Mention]) -> str | None:
    """The state a launch is made from, named right after it ("a launch from North Korea")."""
    for m in mentions:
        if m.start >= match.end:
            if _ORIGIN.fullmatch(low, match.end, m.start):
                return m.actor
            return None
    return None


def event_participants(s: SentenceContext, match: Match, actor: str) -> str | None:
    """Return the ``participants`` of a trigger's row; None for a meeting of one.

    Joint exercises list the actor's partners; meetings and agreements every
    party named up to the topic, and need two; other types have none (an
    empty string).
    """
    etype = match.trigger.event_type
    if etype == "military_exercise":
        return _joint_parties(s.low, match, s.mentions, actor)
    if etype not in PARTICIPANT_KEYED_TYPES:
        return ""
    participants = _participants(s.low, match, s.mentions, actor)
    if match.trigger.companion:
        # "visited the memorial with President X": whoever goes with the actor.
        stop = _COMPANION_STOP.search(s.low, match.end)
        hi = stop.start() if stop else len(s.low)
        companions = {
            m.actor
            for m in s.mentions
            if match.end <= m.start < hi
            and m.kind == "person"
            and _COMPANION.search(s.low, max(0, m.start - _COMPANION_REACH), m.start)
        }
        participants = ";".join(sorted({*participants.split(";"), *companions} - {""}))
    speaker_takes_part = etype == "meeting" and _FIRST_PERSON_SUBJECT.search(
        clause_before(s.low, match.start, limit=_FIRST_PERSON_REACH)
    )
    if s.outlet_state and (speaker_takes_part or _HERE.search(s.low)):
        # "President X and I met": the speaker's state takes part; "arrived
        # here" in a dateline story: the outlet's own country.
        participants = ";".join(sorted({*participants.split(";"), s.outlet_state} - {""}))
    if ";" not in participants:
        # A meeting or an agreement takes two parties.
        return None
    return participants


def addressed(s: SentenceContext, match: Match) -> bool:
    """Tell whether a trigger is said to "you" ("I welcome you", "honored to meet you"), or
    to one the words before it address by title ("Mr. President and I visited")."""
    return _ADDRESSEE.search(s.low, match.start, match.end) is not None or (
        _ADDRESS_FORM.search(s.low, max(0, match.start - _FIRST_PERSON_REACH), match.start)
        is not None
    )


def is_visit(s: SentenceContext, match: Match) -> bool:
    """Tell whether a trigger is a visit or an arrival ("visited", "traveled to", ``arrival``)."""
    return _ARRIVAL.search(s.low, match.start, match.end) is not None


def listed_hosts(s: SentenceContext, match: Match, actor: str) -> tuple[list[str], bool]:
    """Return the hosts of a meeting held at several places, each one meeting, and whether
    they are visited (so each is a party); no hosts for one place.

    "will visit Mongolia and Japan", "left to visit Vietnam,
    Laos and Cambodia": the destinations listed right after a visit (see
    ``arrival``), other than the visitor's own state. "their conversations
    in Seoul and Tokyo": the places listed after "in" (``meeting_place``),
    each the place of one meeting.
    """
    low = s.low
    after = [m for m in s.mentions if m.start >= match.end]
    if not after:
        return [], False
    visit = is_visit(s, match)
    if visit:
        if not _DESTINATION.fullmatch(low, match.end, after[0].start):
            return [], False
    elif not _MEETING_PLACE.search(low[match.start : after[0].start]) or (
        len(low[match.end : after[0].start].split()) > 2
    ):
        return [], False
    listed = [after[0]]
    for m in after[1:]:
        if not _HOST_LIST.fullmatch(low, listed[-1].end, m.start):
            break
        listed.append(m)
    hosts = list(dict.fromkeys(m.actor for m in listed if m.actor and m.actor != actor))
    return (hosts, visit) if len(hosts) > 1 else ([], False)


def joint_parties(s: SentenceContext, match: Match, actor: str | None) -> tuple[str | None, bool]:
    """Return the parties of a joint decision named in its clause, and whether its subject is joint.

    "Japan and Australia pledge to ...": the parties named in the
    clause before the trigger that are no object, when two or more
    (``;``-joined, sorted), else None. The flag says whether that clause or
    the sentence's opening is a joint subject ("They also committed to",
    "the two leaders agreed"), whose parties are those of the occasion the
    text reports. A party named after "with" right after the
    trigger is a party too ("established relations with Cuba").

    Parameters
    ----------
    s : SentenceContext
        The trigger's sentence.
    match : Match
        The trigger (a joint decision).
    actor : str or None
        The trigger's actor, if found.
    """
    low = s.low
    lo = _list_start(low, _clause_start(low, match.start), match.start, s.mentions)
    # The subject stands before the clause's first verb ("They condemned the
    # DPRK's launch and committed to ...": the DPRK is no party).
    hi = _first_verb(low, lo, match.start, s.mentions)
    codes = {
        m.actor
        for m in s.mentions
        if lo <= m.start
        and m.end <= hi
        and m.kind != "place"
        and not _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start)
        and not _VERB_OBJECT.search(low, max(0, m.start - _VERB_OBJECT_REACH), m.start)
    }
    codes |= {
        m.actor
        for m in s.mentions
        if m.start >= match.end
        and m.kind != "place"
        and _JOINT_PARTNER.match(low[match.end : m.start])
    }
    opening = _JOINT_OPENING.match(low) is not None
    if opening and len(codes) < 2:
        # "We, Prime Minister X, President Y and President Z, affirm ...": the
        # parties the opening subject lists before its verb.
        codes |= _opening_codes(s, match.start)
    if actor and actor != SELF and codes:
        codes.add(actor)
    joint = opening or _JOINT_SUBJECT.search(low, lo, match.start) is not None
    return (";".join(sorted(codes)) if len(codes) > 1 else None), joint


def _opening_codes(s: SentenceContext, end: int) -> set[str]:
    """The parties a sentence's opening subject names before its first verb (up to ``end``)."""
    low = s.low
    stop = _first_verb(low, 0, end, s.mentions)
    return {
        m.actor
        for m in s.mentions
        if m.end <= stop
        and m.kind != "place"
        and not _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start)
        and not _VERB_OBJECT.search(low, max(0, m.start - _VERB_OBJECT_REACH), m.start)
    }


def opening_parties(s: SentenceContext) -> str | None:
    """Return the parties a sentence names as its joint subject, when it opens with one.

    "We, the leaders of A, B and C, convened ...", "The two leaders, X
    and Y, ...": the parties named before the opening's first verb
    (``;``-joined, sorted), when two or more; else None. A statement's lead
    names so the parties its "they" and "we" stand for.
    """
    if _JOINT_OPENING.match(s.low) is None:
        return None
    codes = _opening_codes(s, len(s.low))
    return ";".join(sorted(codes)) if len(codes) > 1 else None


def headline_parties(
    headline: str, *, day: dt.date | None = None, home: str | None = None
) -> str | None:
    """Return the parties a headline names as acting together, when two or more.

    "Remarks by President A and President B of C before Bilateral Meeting",
    "Readout of A's Meeting with B", "Leaders of A, B, C issue new warning
    to D": every state and organisation the headline names, except a place
    (a city, "Phnom Penh Statement", or what follows a bar: "| Lima, Peru")
    and what it names as an object (``headline_object``: "warning to D",
    "on D's launch", "condemn D"), unless dashed to another party ("on US –
    Japan – ROK Partnership", ``headline_compound``). A text's "we" and
    "they" stand for these parties when its body names none.

    Parameters
    ----------
    headline : str
        The headline.
    day : datetime.date, optional
        The publication date: the office holders the headline names are
        those of that day.
    home : str, optional
        The state the outlet speaks for.

    Returns
    -------
    str or None
        The parties' codes, sorted and ``;``-joined; None when fewer than two.

    Examples
    --------
    >>> headline_parties("Leaders of U.S., Japan, South Korea issue new warning to North Korea")
    'JPN;KOR;USA'
    """
    # "... in Trilateral Meeting | Lima, Peru": what follows a bar is the place.
    headline = headline.split("|", 1)[0]
    low = headline.lower()
    codes = {
        actor
        for start, end, actor, kind, _ in match_actors(headline, day=day, home=home)
        if kind not in ("place", "capital")
        and (
            _HEADLINE_COMPOUND.match(low, end)
            or not _HEADLINE_OBJECT.search(low, max(0, start - _HEADLINE_OBJECT_REACH), start)
        )
    }
    return ";".join(sorted(codes)) if len(codes) > 1 else None


def first_person_opening(s: SentenceContext) -> bool:
    """Tell whether a sentence opens with "we" ("We, the leaders of ..., affirm"): a statement."""
    return _FIRST_PERSON_OPENING.match(s.low) is not None


def joint_pronoun_subject(s: SentenceContext, match: Match) -> bool:
    """Tell whether a trigger's parties are those a plural pronoun stands for.

    True when the subject of the trigger's clause is a plural pronoun or a
    plural of the parties ("they met", "we held talks", "the two leaders
    agreed", "our three countries convened": only adverbs and auxiliaries
    between it and the trigger), or when a plural possessive leads the
    trigger's noun phrase ("their June 4 meeting", "our summit talks",
    "today's meeting").
    Structure, not distance: "they" in another clause of the sentence does
    not count.
    """
    before = clause_before(s.low, match.start, limit=_JOINT_PRONOUN_REACH)
    # The trigger's own words before its head noun premodify it too ("today's meeting").
    head = s.low[match.start : match.end]
    return (
        _JOINT_PRONOUN.match(before) is not None
        or _JOINT_POSSESSIVE.search(before + head[: head.rfind(" ") + 1]) is not None
    )


def _clause_start(low: str, pos: int) -> int:
    """Where the clause that ends at ``pos`` starts, across a parenthesis ("Korea (ROK) pledge")."""
    lo = pos - len(clause_before(low, pos, limit=_JOINT_SUBJECT_REACH))
    while lo > 0 and low[lo - 1] == ")" and (opening := low.rfind("(", 0, lo - 1)) > 0:
        lo = opening - len(clause_before(low, opening, limit=_JOINT_SUBJECT_REACH))
    return lo


def _list_start(low: str, lo: int, hi: int, mentions: Sequence[Mention]) -> int:
    """Where the list of parties that the clause from ``lo`` opens with starts.

    "Chile, Peru, and the United States are committed": the clause cut at
    the last comma opens with "and the United States"; the parties chained
    to it by commas and "and" (``conjoined``) before it are of the same
    subject.
    """
    inside = [m for m in mentions if lo <= m.start < hi and m.kind != "place"]
    if not inside or low[lo : inside[0].start].strip(" ,").removesuffix("the").strip() not in (
        "",
        "and",
    ):
        return lo
    first = inside[0]
    for m in reversed([m for m in mentions if m.end <= first.start and m.kind != "place"]):
        if not _CONJOINED.match(low, m.end, first.start):
            break
        first = m
    return min(lo, first.start)


def _first_verb(low: str, lo: int, hi: int, mentions: Sequence[Mention]) -> int:
    """Where the first verb-like word from ``lo`` to ``hi`` starts, outside mentions ("United")."""
    for verb in _VERB_LIKE.finditer(low, lo, hi):
        if not any(m.start <= verb.start() < m.end for m in mentions):
            return verb.start()
    return hi


def speaker_of(s: SentenceContext, match: Match) -> tuple[str | None, bool]:
    """Return who says what a trigger reports, and whether that speaker is joint.

    "President X reaffirmed that any attack by Y will be met with a
    response": the threat is X's, the subject of the clause before the last
    "that" (``speaker_break``), not Y's. The first actor named there that is
    no object is the speaker; the flag says whether that clause is a joint
    subject ("the Presidents highlighted that"), whose speaker is the
    occasion's. ``(None, False)`` when no "that" precedes the trigger.
    """
    low = s.low
    cuts = [c.start() for c in _SPEAKER_BREAK.finditer(low, 0, match.start)]
    if not cuts:
        return None, False
    end = cuts.pop()
    lo = _clause_start(low, end)
    while cuts and low[lo:end].strip(" ,") in ("", "and"):
        # "reaffirmed that A, and that B": the speaker is before the first "that".
        end = cuts.pop()
        lo = _clause_start(low, end)
    if _JOINT_OPENING.match(low, lo) or _JOINT_OPENING.match(low):
        return None, True
    for m in s.mentions:
        if (
            lo <= m.start
            and m.end <= end
            and m.kind != "place"
            and not _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start)
        ):
            return m.actor, False
    return None, False


def _subject(low: str, match: Match, mentions: Sequence[Mention], *, speech: bool) -> str | None:
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
        and not _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start)
    ]
    # First-person pronouns stand for the speaker of a statement ("we warn").
    candidates += [
        Mention(p.start(1), p.end(1), SELF, "pronoun")
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
            and REPORTING.fullmatch(kinds[k])
            and not speech
            and not _PRONOUN_OPENING.match(low, lo, hi)
        ):
            return None
    return None


def _actor(
    low: str,
    match: Match,
    mentions: Sequence[Mention],
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
            and len(prefix) <= _AGENT_REACH
            and _AGENT_AFTER.search(prefix[-_AGENT_TAIL:])
        ):
            # "sanctions imposed by the U.N.": the agent of a passive trigger
            # outranks a subject found in another clause.
            actor = m.actor
            agent_found = True
            continue
        if target is None and _TARGET_BEFORE.search(prefix[-_TARGET_TAIL:]):
            target = m.actor
    if actor is None:
        # "talks between X and Y", "the drill staged by X": a party named
        # right after a noun trigger, before any reporting verb.
        for m in mentions:
            if m.start >= match.end and m.kind != "place":
                between = low[match.end : m.start]
                if (
                    len(between) > _PARTY_AFTER_REACH
                    or REPORTING.search(between)
                    or _VERB_LIKE.search(between)
                ):
                    break
                if _PARTY_AFTER.search(between[-_PARTY_AFTER_TAIL:]):
                    actor = m.actor
                break
    if target == actor:
        target = None
    return actor, target


def _close_actor(
    low: str, match: Match, mentions: Sequence[Mention], *, objects: bool = True
) -> str | None:
    """The actor attached to a trigger: its possessor or its subject, just before it.

    A mention inside the trigger phrase ("the test of the North's missile") or
    at most three words before it, with no verb in between ("the U.S. military
    detected a missile launch" is not a U.S. launch), attaches. With
    ``objects=False`` a possessor attaches whatever governs its phrase
    ("protested against the U.S. tests").
    """
    for m in mentions:
        if match.start <= m.start and m.end <= match.end and m.kind != "place":
            return m.actor
    for m in reversed([m for m in mentions if m.end <= match.start]):
        if m.kind == "place":
            continue
        between = low[m.end : match.start]
        if not _ATTACHED_ACTOR.match(between) or (
            _VERB_LIKE.search(between) and not (not objects and _POSSESSIVE.match(between))
        ):
            # (After a possessive, "-ed" words are modifiers: "the North's
            # planned launch".)
            return None
        if objects and _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start):
            return None
        return m.actor
    return None


def _passive_agent(low: str, match: Match, mentions: Sequence[Mention]) -> str | None:
    """The agent named right after a trigger: "rubbish sent by the ROK"."""
    for m in mentions:
        if m.start >= match.end and m.kind != "place":
            prefix = low[match.end : m.start]
            if len(prefix) <= _BY_AGENT_REACH and _BY_AGENT.search(prefix):
                return m.actor
            return None
    return None


def _joint_parties(low: str, match: Match, mentions: Sequence[Mention], actor: str | None) -> str:
    """The parties of a joint exercise: the actor's conjoined partners.

    "Japanese and Indian sailors began drills", "the drill staged by the
    U.S. and the ROK", "joint drills with Japan": partners are mentions chained
    to the actor by "and", commas or a hyphen, or named after "with" in a
    sentence that calls the exercise joint. Empty for a one-country drill.
    """
    near = [m for m in mentions if m.kind != "place" and m.start < match.end + _JOINT_REACH]
    codes: set[str] = set()
    for a, b in zip(near, near[1:], strict=False):
        if _CONJOINED.match(low, a.end, b.start) and a.end <= b.start:
            codes.update((a.actor, b.actor))
    if _JOINT.search(low):
        for m in near:
            if m.start >= match.end and low[
                max(0, m.start - _JOINT_WITH_REACH) : m.start
            ].rstrip().endswith(_JOINT_WITH):
                codes.add(m.actor)
    if actor is None or (codes and actor not in codes and len(codes) < 2):
        return ""
    if codes:
        codes.add(actor)
    return ";".join(sorted(codes)) if len(codes) > 1 else ""


def _participants(low: str, match: Match, mentions: Sequence[Mention], actor: str | None) -> str:
    """The parties of a meeting or an agreement: ``;``-joined sorted codes.

    Every actor named up to the topic ("to discuss ...", "over ..."), except
    the object of a verb ("called South Korea its most hostile state during a
    visit"), which is talked about, not talked with, and a place ("talks in
    Doha"): where a meeting is held is no party (a capital that stands for its
    government, "Seoul said", is no place), but where a visitor arrives is
    the host ("arrived in Washington", "a visit to Seoul": ``arrival``).
    """
    codes = {actor} if actor else set()
    topic = _TOPIC.search(low, match.start)
    stop = topic.start() if topic else len(low)
    arrival = _ARRIVAL.search(low, match.start, match.end) is not None
    for m in mentions:
        if (
            m.start < stop
            and (m.kind != "place" or (arrival and _DESTINATION.fullmatch(low, match.end, m.start)))
            and not _VERB_OBJECT.search(low, max(0, m.start - _VERB_OBJECT_REACH), m.start)
        ):
            codes.add(m.actor)
    return ";".join(sorted(c for c in codes if c))
