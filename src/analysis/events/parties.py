"""Actor and participants: who did what a trigger reports, and with whom.

This step decides a trigger's ``actor`` (and ``target``) from the actor
mentions of its sentence: a mention inside the trigger phrase; else the
subject of the trigger's clause (its first actor mention that is not the
object of a preposition or verb, "sanctions on North Korea"); else the agent
of a passive ("imposed by the U.N."). A pronoun subject takes the subject of
the sentence before; a first-person statement ("we warn") speaks for the
outlet's state. Launches and tests take their type's default actor unless
another actor is attached to the trigger itself. It also decides the
``participants`` of meetings, agreements (the parties named up to the topic,
at least two) and joint exercises (the actor's conjoined partners). The cue
patterns, windows and confidence factors are in ``data/event_cues.toml``
(``[parties]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.events.context import REPORTING, Mention, SentenceContext, clause_before
from analysis.events.triggers import PARTICIPANT_KEYED_TYPES, SPEECH_TYPES, Lexicon, Match
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
    if etype in lex.default_actor:
        # Weapons tests and border incidents are reported about one state
        # (the default); another actor must be attached to the trigger itself.
        actor = _close_actor(low, match, s.mentions) or _passive_agent(low, match, s.mentions)
        if actor is None and article_launch is not None:
            # "the launch": whoever launched the article's launch.
            actor = article_launch[3]
    first_person = (
        _FIRST_PERSON.search(clause_before(low, match.start, limit=_FIRST_PERSON_REACH)) is not None
    )
    if actor == SELF or (actor is None and (first_person or etype == "threat")):
        # A statement carried by a state outlet speaks for that state.
        actor = s.outlet_state
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
    if s.outlet_state and _HERE.search(s.low) and s.outlet_state not in participants.split(";"):
        # "arrived here" in a dateline story: the outlet's own country.
        participants = ";".join(sorted({*participants.split(";"), s.outlet_state} - {""}))
    if ";" not in participants:
        # A meeting or an agreement takes two parties.
        return None
    return participants


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


def _close_actor(low: str, match: Match, mentions: Sequence[Mention]) -> str | None:
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
        if _OBJECT_MARKER.search(low, max(0, m.start - _OBJECT_REACH), m.start):
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

    "U.S. and South Korean troops began drills", "the drill staged by the
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
    visit"), which is talked about, not talked with.
    """
    codes = {actor} if actor else set()
    topic = _TOPIC.search(low, match.start)
    stop = topic.start() if topic else len(low)
    for m in mentions:
        if m.start < stop and not _VERB_OBJECT.search(
            low, max(0, m.start - _VERB_OBJECT_REACH), m.start
        ):
            codes.add(m.actor)
    return ";".join(sorted(c for c in codes if c))
