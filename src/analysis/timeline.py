"""Incidents from event mentions: one row per real-world incident.

The same launch is reported by many sentences, articles and outlets, with
dates of different precision ("on Thursday", "last week", "in January") and,
across time zones, sometimes a day apart. :func:`build_timeline` merges them:

1. Mentions are grouped by event type and modality (a planned launch and the
   launch itself are different rows).
2. *Fine* mentions (a range of at most ``fine_days`` days) of compatible
   actors join an incident when their range, widened by ``tolerance_days``
   on each side, overlaps the incident's core range (the range its first
   mention gave): a wire story and its rewrites merge, two launches a week
   apart never do.
3. A *coarse* mention ("its fourth nuclear test in January") attaches to the
   one fine incident whose core range it contains; when it contains none or
   several it stands alone, merged with the one coarse incident whose range
   holds it or lies in it ("next week" and "Feb. 8-25" for one planned
   launch), so a month never fuses separate launches.

Actors are compatible when equal, or, for meetings, agreements and joint
exercises, when their parties overlap.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right

import pandas as pd

from analysis import schema
from analysis.codes import code_for

#: Event types with several parties (meetings, agreements, joint exercises):
#: their mentions are compatible, and their gold rows matched, when the
#: parties overlap, whoever is named first.
PARTY_TYPES = ("meeting", "agreement", "military_exercise")
_PRECISION_RANK = {p: i for i, p in enumerate(schema.PRECISIONS)}


def parties(actor: object, participants: object) -> frozenset[str]:
    """Return the codes of every party to an event: its actor and its participants.

    Examples
    --------
    >>> sorted(parties("USA", "JPN;KOR"))
    ['JPN', 'KOR', 'USA']
    >>> parties(None, "")
    frozenset()
    """
    codes = set()
    if isinstance(actor, str) and actor:
        codes.add(actor)
    if isinstance(participants, str) and participants:
        codes.update(p for p in participants.split(";") if p)
    return frozenset(codes)


def _compatible(etype: str, a: dict, b: dict) -> bool:
    if a["actor"] == b["actor"]:
        return True
    if etype in PARTY_TYPES and a["parties"] and b["parties"]:
        # Joint events: one side's parties are among the other's.
        return a["parties"] <= b["parties"] or b["parties"] <= a["parties"]
    return False


#: Classes a "hypersonic" missile may also be reported as: a hypersonic
#: glide vehicle rides a ballistic booster, so one outlet's "hypersonic" and
#: another's "intermediate-range ballistic missile" can be one launch.
_HYPERSONIC_ALSO = frozenset({"hypersonic", "SRBM", "MRBM", "IRBM", "ICBM"})


def _same_class(a: dict, b: dict) -> bool:
    """Whether two mentions may name one launch: their missile classes agree or one is unknown."""
    unknown = {"", "unknown"}
    ca, cb = a.get("missile_class"), b.get("missile_class")
    if not isinstance(ca, str) or not isinstance(cb, str) or ca in unknown or cb in unknown:
        return True
    if "hypersonic" in (ca, cb):
        return {ca, cb} <= _HYPERSONIC_ALSO
    return ca == cb


def build_timeline(
    events: pd.DataFrame, *, tolerance_days: int = 1, fine_days: int = 3
) -> pd.DataFrame:
    """Merge event mentions into incidents: one row per real-world incident.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of ``schema.EVENTS`` (any number of articles and outlets).
    tolerance_days : int
        Fine mentions whose ranges overlap once each is widened by this many
        days are the same incident (time zones and "early on Thursday"
        across the date line put honest reports a day apart).
    fine_days : int
        Ranges of at most this many days are fine; longer ones are coarse
        and attach to a fine incident they contain.

    Returns
    -------
    pandas.DataFrame
        One row per incident with the columns of ``schema.INCIDENTS``, sorted
        by date, type and actor. ``incident_id`` is a hash of the incident's
        type, modality, actor and core range, so the same events give the
        same ids on every run.

    Examples
    --------
    >>> incidents = build_timeline(events)  # doctest: +SKIP
    >>> incidents.query("event_type == 'missile_launch'")  # doctest: +SKIP
    """
    missing = [c for c in schema.EVENTS if c not in events.columns]
    if missing:
        raise schema.SchemaError(f"events: missing columns {missing}")
    events = events.loc[events["date_start"].notna() & events["date_end"].notna()]
    if events.empty:
        return schema.empty(schema.INCIDENTS)
    tol = pd.Timedelta(days=tolerance_days)
    fine_span = pd.Timedelta(days=fine_days - 1)
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in _mention_records(events, fine_span):
        groups.setdefault((r["event_type"], str(r["modality"])), []).append(r)
    incidents: list[dict] = []
    for (etype, _modality), rows in groups.items():
        fine = _merge_fine(etype, [r for r in rows if r["is_fine"]], tol, fine_span)
        coarse = _attach_coarse(etype, [r for r in rows if not r["is_fine"]], fine)
        incidents += fine + coarse
    return _incidents_frame([_incident_row(inc) for inc in incidents])


def _mention_records(events: pd.DataFrame, fine_span: pd.Timedelta) -> list[dict]:
    """The mentions as records with their parties and fineness, in a stable order."""
    records = events.to_dict("records")
    for r in records:
        r["parties"] = parties(r["actor"], r["participants"])
        r["is_fine"] = (r["date_end"] - r["date_start"]) <= fine_span
    # Stable order: by group, date, then what makes every mention unique.
    records.sort(
        key=lambda r: (
            r["event_type"],
            str(r["modality"]),
            r["date_start"],
            r["date_end"],
            str(r["published_date"]),
            str(r["source_id"]),
            int(r["start"]) if pd.notna(r["start"]) else -1,
        )
    )
    return records


def _joins(etype: str, core: dict, r: dict) -> bool:
    """Whether mention ``r`` may belong to the incident whose first mention is ``core``."""
    return _compatible(etype, core, r) and _same_class(core, r)


def _merge_fine(
    etype: str, rows: list[dict], tol: pd.Timedelta, fine_span: pd.Timedelta
) -> list[dict]:
    """Step 2: fine mentions in date order join the incident whose core range they overlap."""
    fine: list[dict] = []
    horizon = fine_span + 2 * tol
    for r in rows:
        for inc in reversed(fine):
            core = inc["core"]
            if core["date_start"] < r["date_start"] - horizon:
                # Cores come in date order: none further back can overlap.
                fine.append({"core": r, "members": [r]})
                break
            if (
                r["date_start"] - tol <= core["date_end"] + tol
                and core["date_start"] - tol <= r["date_end"] + tol
                and _joins(etype, core, r)
            ):
                inc["members"].append(r)
                break
        else:
            fine.append({"core": r, "members": [r]})
    return fine


def _nests(a: dict, b: dict) -> bool:
    """Whether one mention's range holds the other's."""
    return (a["date_start"] <= b["date_start"] <= b["date_end"] <= a["date_end"]) or (
        b["date_start"] <= a["date_start"] <= a["date_end"] <= b["date_end"]
    )


def _attach_coarse(etype: str, rows: list[dict], fine: list[dict]) -> list[dict]:
    """Step 3: coarse mentions join the one fine incident they hold, else merge by nesting.

    Returns the coarse incidents; mentions that join a fine incident are
    added to its members.
    """
    coarse: list[dict] = []
    starts = [inc["core"]["date_start"] for inc in fine]
    for r in rows:
        lo, hi = bisect_left(starts, r["date_start"]), bisect_right(starts, r["date_end"])
        holders = [
            inc
            for inc in fine[lo:hi]
            if r["date_start"] <= inc["core"]["date_start"]
            and inc["core"]["date_end"] <= r["date_end"]
            and _joins(etype, inc["core"], r)
        ]
        if len(holders) == 1:
            holders[0]["members"].append(r)
            continue
        # Coarse mentions merge when one range holds the other ("next week"
        # and "between Feb. 8 and 25" for one planned launch), if exactly one
        # coarse incident qualifies.
        nested = [inc for inc in coarse if _joins(etype, inc["core"], r) and _nests(inc["core"], r)]
        if len(nested) == 1:
            nested[0]["members"].append(r)
        else:
            coarse.append({"core": r, "members": [r]})
    return coarse


def _incidents_frame(rows: list[dict]) -> pd.DataFrame:
    """The incident rows as a frame in date order, with ids made unique."""
    out = pd.DataFrame.from_records(rows)
    out = out.sort_values(
        ["date_start", "date_end", "event_type", "actor", "incident_id", "first_reported"]
    ).reset_index(drop=True)
    # Two incidents with the same key (rare: incompatible parties on one day)
    # keep distinct ids, numbered in their sorted order.
    seen = out.groupby("incident_id").cumcount()
    out["incident_id"] = out["incident_id"].where(
        seen == 0, out["incident_id"] + "-" + (seen + 1).astype(str)
    )
    return schema.conform(out, schema.INCIDENTS)


def _join(values) -> str:
    return ";".join(sorted({str(v) for v in values if isinstance(v, str) and v}))


def _incident_row(inc: dict) -> dict:
    core = inc["core"]
    members = inc["members"]
    etype = core["event_type"]
    # The core range is the range most mentions at the finest precision give.
    best_rank = min(_PRECISION_RANK.get(m["precision"], 99) for m in members)
    finest = [m for m in members if _PRECISION_RANK.get(m["precision"], 99) == best_rank]
    counts: dict[tuple, int] = {}
    for m in finest:
        key = (m["date_start"], m["date_end"])
        counts[key] = counts.get(key, 0) + 1
    (date_start, date_end) = min(counts, key=lambda k: (-counts[k], k))
    # Evidence: the most confident mention with the core range, first reported.
    candidates = [m for m in finest if (m["date_start"], m["date_end"]) == (date_start, date_end)]
    rep = min(
        candidates,
        key=lambda m: (
            -(m["confidence"] if pd.notna(m["confidence"]) else 0.0),
            str(m["published_date"]),
            str(m["source_id"]),
            int(m["start"]) if pd.notna(m["start"]) else -1,
        ),
    )
    actors: dict[str, int] = {}
    for m in members:
        if isinstance(m["actor"], str):
            actors[m["actor"]] = actors.get(m["actor"], 0) + 1
    actor = min(actors, key=lambda a: (-actors[a], a)) if actors else rep["actor"]
    participants = _join(p for m in members for p in m["parties"]) if etype in PARTY_TYPES else ""
    if etype == "military_exercise" and ";" not in participants:
        participants = ""
    classes = [
        m["missile_class"]
        for m in members
        if isinstance(m["missile_class"], str) and m["missile_class"]
    ]
    known = [c for c in classes if c != "unknown"]
    missile_class = (
        min(set(known), key=lambda c: (-known.count(c), c))
        if known
        else ("unknown" if classes else "")
    )
    outlets = [
        m["outlet"] if isinstance(m["outlet"], str) and m["outlet"] else None for m in members
    ]
    sources = {
        o if o else f"article:{m['article_id']}" for o, m in zip(outlets, members, strict=True)
    }
    published = [m["published_date"] for m in members if pd.notna(m["published_date"])]
    key = "|".join(
        [
            etype,
            str(core["modality"]),
            str(actor),
            participants,
            str(date_start.date()),
            str(date_end.date()),
        ]
    )
    return {
        "incident_id": hashlib.blake2b(key.encode(), digest_size=8).hexdigest(),
        "event_type": etype,
        "actor": actor,
        "participants": participants,
        "date_start": date_start,
        "date_end": date_end,
        "precision": rep["precision"],
        "modality": core["modality"],
        "missile_class": missile_class,
        "n_mentions": len(members),
        "n_articles": len({m["article_id"] for m in members}),
        "n_sources": len(sources),
        "first_reported": min(published) if published else pd.NaT,
        "last_reported": max(published) if published else pd.NaT,
        "article_ids": _join(m["article_id"] for m in members),
        "source_ids": _join(m["source_id"] for m in members),
        "outlets": _join(outlets),
        "evidence": rep["evidence"],
        "goldstein": code_for(etype)[2],
    }
