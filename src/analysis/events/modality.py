"""Modality: whether a trigger reports an event that happened, is planned or was denied.

This step decides, from the words around a trigger, one of ``happened``,
``planned`` and ``denied``, or that the trigger is not a specific event at
all (None): a hypothetical ("could conduct a nuclear test"), a habit or
trend ("frequently threatened", "five times since January"), an aggregate
("missile launches" with no count), a possibility a hedge governs
("concerns that Pyongyang is about to test"), or a photo caption (the
picture's date is not the event's). A threat itself always happened; a date
after the publication date makes a happened event planned. The cue patterns
are in ``data/event_cues.toml`` (``[modality]``); the hypothetical, planned
and denied word lists in ``data/event_triggers.toml`` (``[modality]``).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.events.context import REPORTING, clause_before
from analysis.events.triggers import Lexicon, Match
from analysis.resources import read_toml

_CUES = read_toml("event_cues.toml")["modality"]

_CLAUSE_REACH = _CUES["clause_reach"]
_HABITUAL = re.compile(_CUES["habitual"])
_DENIAL_FRAME = re.compile(_CUES["denial_frame"])
_DENIAL_REACH = _CUES["denial_reach"]
_MODAL_AFTER = re.compile(_CUES["modal_after"])
_ANY = re.compile(_CUES["any_of"])
_FREQUENCY = re.compile(_CUES["frequency"])
_PERFECT_BEFORE = re.compile(_CUES["perfect_before"])
_TALLY_AFTER = re.compile(_CUES["tally_after"])
_DAY_POSSESSIVE = re.compile(_CUES["day_possessive"])
_HEDGE_FRAME = re.compile(_CUES["hedge_frame"])
_HEDGE_REACH = _CUES["hedge_reach"]
_PLURAL_NOUN = re.compile(_CUES["plural_noun"])
_COUNTED = re.compile(_CUES["counted"])
_COUNTED_REACH = _CUES["counted_reach"]
_CAPTION_WORDS = tuple(_CUES["caption_words"])
_CAPTION = re.compile(_CUES["caption"])


def is_caption(low: str) -> bool:
    """Tell whether a lower-cased sentence is a photo caption: its events are not dated by it.

    Examples
    --------
    >>> is_caption("a photo released on thursday shows the missile launch")
    True
    >>> is_caption("the north fired a missile on thursday")
    False
    """
    return any(word in low for word in _CAPTION_WORDS) and _CAPTION.search(low) is not None


def find_modality(low: str, match: Match, lex: Lexicon) -> str | None:
    """Return the modality of a trigger, or None when it is not a specific event.

    Hypothetical cues ("could", "may", "if") and habitual ones ("frequently")
    drop the trigger; a plural noun with no count ("missile launches") is an
    aggregate and dropped too. "would" after a reporting verb is the future
    of reported speech ("said he would visit"): planned.

    Parameters
    ----------
    low : str
        The sentence, lower-cased.
    match : Match
        One of its triggers.
    lex : Lexicon
        The trigger lexicon (its hypothetical, planned and denied cues).

    Returns
    -------
    str or None
        ``"happened"``, ``"planned"`` or ``"denied"``; None when the trigger
        names no particular event.
    """
    head = low[match.start : match.end]
    before = clause_before(low, match.start, limit=_CLAUSE_REACH)
    if _HABITUAL.search(before):
        return None
    if lex.denied.search(before) or _DENIAL_FRAME.search(
        low, max(0, match.start - _DENIAL_REACH), match.start
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
    if (
        match.trigger.modal_check
        and _PERFECT_BEFORE.search(before)
        and _TALLY_AFTER.match(low, match.end)
    ):
        # "has launched some 50 missiles to date": a tally, no particular event.
        return None
    if match.trigger.modal_check and _HEDGE_FRAME.search(
        low, max(0, match.start - _HEDGE_REACH), match.start
    ):
        return None
    if match.trigger.modal_check:
        hyp = [h.group() for h in lex.hypothetical.finditer(before)]
        if hyp:
            if hyp == ["would"] and REPORTING.search(low, 0, match.start):
                return "planned"
            return None
        if (
            _PLURAL_NOUN.search(head)
            and not _COUNTED.search(low, max(0, match.start - _COUNTED_REACH), match.end)
            and not _DAY_POSSESSIVE.search(before)
        ):
            return None
    if lex.planned.search(before) or lex.planned.search(head):
        return "planned"
    return "happened"


def modality_for_date(
    modality: str, date_start: pd.Timestamp, published: pd.Timestamp | None
) -> str:
    """Return the modality of a dated event: one that happened after publication is planned.

    Examples
    --------
    >>> modality_for_date("happened", pd.Timestamp("2024-03-20"), pd.Timestamp("2024-03-14"))
    'planned'
    >>> modality_for_date("happened", pd.Timestamp("2024-03-10"), pd.Timestamp("2024-03-14"))
    'happened'
    """
    if modality == "happened" and published is not None and date_start > published:
        return "planned"
    return modality
