"""Scoring: events against gold annotations, incidents against reference lists.

Events (``../shared/gold/GUIDELINES.md``): a predicted row matches a gold row
when they name the same article, the same type and the same actor (for
meetings, agreements and joint exercises any participant of one side counts,
as the gold README says) and their date ranges overlap once each is widened
by one day. Matching is one-to-one: the closest pairs first (exact ranges,
then the smallest date difference). Precision, recall and F1 follow per type
and overall, with the share of matched rows whose range equals the gold range;
:func:`error_table` lists every miss and false positive beside its nearest
counterpart, with a cause (type, actor, modality, date, not found).

Incidents: reference lists (CSIS Beyond Parallel provocations, the CNS
missile test database) are mapped to the project's event types; within the
corpus's date window each reference incident is ``found`` when an incident
of its type lies within ``tolerance_days`` of its date, else ``missed``; found
incidents of those types that no reference row explains are ``unmatched``.
:func:`explain_incidents` asks the converse, incident by incident: which
reference row explains each launch or test of a timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import pandas as pd

from analysis import schema
from analysis.pipeline import run_pipeline
from analysis.timeline import PARTY_TYPES, parties

#: Columns of a gold events file (``GUIDELINES.md``).
GOLD_COLUMNS = ("article_id", *schema.EVENT_FIELDS, "evidence")

#: The corpora each gold set annotates, as paths under the shared data folder
#: (``../shared``): ``dev`` is news, ``dev2`` official statements (gold README).
GOLD_CORPORA = {
    "dev": ("seeds/000_b0b6ea29c2469582.txt", "corpora/reuters-2016", "corpora/kcna-2024"),
    "dev2": ("corpora/wh-briefings",),
}
#: Fields of an event shown for both sides of a match: ``gold_<field>`` and ``<field>``.
_PAIRED = (*(f for f in schema.EVENT_FIELDS if f != "event_type"), "evidence")
#: Columns of a :func:`match_events` table.
MATCH_COLUMNS = (
    "status",
    "source_id",
    "event_type",
    "exact",
    *(f"{side}{name}" for name in _PAIRED for side in ("gold_", "")),
    "trigger",
    "date_rule",
    "event_id",
)
_MATCH_DTYPES = {
    "exact": bool,
    "gold_date_start": "datetime64[ns]",
    "gold_date_end": "datetime64[ns]",
    "date_start": "datetime64[ns]",
    "date_end": "datetime64[ns]",
}
#: Causes of an error, in the order they are tried (:func:`error_table`).
ERROR_CAUSES = ("type", "actor", "modality", "date", "not_found", "spurious")
#: Columns of an :func:`error_table`.
ERROR_COLUMNS = (
    "status",
    "cause",
    "source_id",
    "sentence",
    "gold_event_type",
    "event_type",
    *(f"{side}{name}" for name in _PAIRED for side in ("gold_", "")),
    "trigger",
    "date_rule",
    "counterpart_status",
    "event_id",
)

#: CSIS ``event`` labels -> event type; first matching pattern wins.
_CSIS_TYPES = (
    (r"satellite", "satellite_launch"),
    (r"nuclear (?:test|detonation)", "nuclear_test"),
    (r"engine test|underwater nuclear attack drone|drone test|nuclear warhead", "weapons_test"),
    (r"missile|icbm|mlrs|rocket system|ballistic|cruise|hypersonic|projectile", "missile_launch"),
    (r"artillery|exchange of fire|fire at|shelling|naval campaign|shots", "artillery_fire"),
    (r"balloon|incursion|infiltration|dmz|territorial|drone|gps", "border_incident"),
    (r"exercise|drill", "military_exercise"),
)
#: CNS missile names that are space launch vehicles.
_CNS_SPACE = re.compile(r"unha|taepodong|chollima|safir|kwangmyongsong", re.IGNORECASE)


# --------------------------------------------------------------------------- gold


def read_gold(folder: str | PathLike[str], *, name: str = "dev") -> tuple[pd.DataFrame, list[str]]:
    """Read one set of gold annotations: ``<name>_events.csv`` and ``<name>_articles.txt``.

    Parameters
    ----------
    folder : path-like
        A folder of gold sets, such as ``../shared/gold``.
    name : str
        Which set: ``dev`` (news) or ``dev2`` (official statements).

    Returns
    -------
    (pandas.DataFrame, list of str)
        The gold events (one row per event per article, the columns of
        ``GUIDELINES.md``, dates as ``datetime64``) and the annotated article
        ids, including those with no event (all the events' articles when the
        set lists none).

    Raises
    ------
    FileNotFoundError
        When the folder holds no such events file.
    """
    folder = Path(folder)
    events_file = folder / f"{name}_events.csv"
    if not events_file.is_file():
        sets = sorted(p.name.removesuffix("_events.csv") for p in folder.glob("*_events.csv"))
        raise FileNotFoundError(f"no gold set {name!r} in {folder} (sets there: {sets})")
    gold = read_gold_events(events_file)
    articles_file = folder / f"{name}_articles.txt"
    if articles_file.is_file():
        ids = [
            line.strip()
            for line in articles_file.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    else:
        ids = sorted(gold["article_id"].unique())
    return gold, ids


def gold_names(source_ids: Iterable[str], listed: Iterable[str]) -> dict[str, str]:
    """Map the articles' ``source_id`` to the names a gold set gives them.

    A gold set names an article as its corpus does: a file name, or a
    record's own id. A corpus loaded from a folder of folders has source ids
    with the folders in front (``statements/2024-01/a.md``), so a source id
    that is not listed itself is known by its file name when that is listed.

    Examples
    --------
    >>> gold_names(["s/2024-01/a.md", "b.md", "c.md"], ["a.md", "b.md"])
    {'s/2024-01/a.md': 'a.md', 'b.md': 'b.md'}
    """
    listed = set(listed)
    names = {}
    for source_id in source_ids:
        if source_id in listed:
            names[source_id] = source_id
        elif (base := source_id.rsplit("/", 1)[-1]) in listed:
            names[source_id] = base
    return names


def read_gold_events(path: str | PathLike[str]) -> pd.DataFrame:
    """Read one gold events CSV: one row per event per article, dates parsed."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise ValueError(f"{path}: missing gold columns {missing}")
    return gold.assign(
        date_start=pd.to_datetime(gold["date_start"], errors="coerce"),
        date_end=pd.to_datetime(gold["date_end"], errors="coerce"),
    )


# --------------------------------------------------------------------------- events


def _actor_ok(etype: str, pred: dict, gold: dict) -> bool:
    if pred["actor"] == gold["actor"]:
        return True
    if etype in PARTY_TYPES:
        # any participant of one side counts as the actor (gold README)
        return gold["actor"] in parties(pred["actor"], pred["participants"]) or pred[
            "actor"
        ] in parties(gold["actor"], gold["participants"])
    return False


def match_events(
    events: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    source_ids: Iterable[str] | None = None,
    tolerance_days: int = 1,
) -> pd.DataFrame:
    """Match predicted events to gold events one-to-one.

    Parameters
    ----------
    events : pandas.DataFrame
        Predicted events (``schema.EVENTS`` or at least the gold columns).
    gold : pandas.DataFrame
        Gold events, as :func:`read_gold_events` returns them.
    source_ids : iterable of str, optional
        Score only these articles, named as their corpus names them (the
        gold's ``article_id``, the events' ``source_id``, as listed in
        ``dev_articles.txt``): predictions in other articles are neither
        right nor wrong.
    tolerance_days : int
        Each range is widened by this many days before testing overlap.

    Returns
    -------
    pandas.DataFrame
        One row per gold or predicted event (:data:`MATCH_COLUMNS`):
        ``status`` is ``matched``, ``missed`` (gold only) or ``spurious``
        (prediction only), with the article (``source_id``), the type,
        ``exact`` (ranges equal), and each field of both sides side by side
        (``gold_actor`` and ``actor``, ``gold_date_start`` and
        ``date_start``, ... ``gold_evidence`` and ``evidence``), then the
        prediction's ``trigger``, ``date_rule`` and ``event_id``, for reading
        the errors (:func:`error_table`).
    """
    if source_ids is not None:
        ids = set(source_ids)
        events = events.loc[events["source_id"].isin(ids)]
        gold = gold.loc[gold["article_id"].isin(ids)]
    tol = pd.Timedelta(days=tolerance_days)
    preds = events.reset_index(drop=True).to_dict("records")
    golds = gold.reset_index(drop=True).to_dict("records")
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(golds):
        by_key.setdefault((g["article_id"], g["event_type"]), []).append(i)
    pairs = []
    for j, p in enumerate(preds):
        for i in by_key.get((p["source_id"], p["event_type"]), ()):
            g = golds[i]
            if pd.isna(p["date_start"]) or pd.isna(g["date_start"]):
                continue
            if not _actor_ok(p["event_type"], p, g):
                continue
            if (
                p["date_start"] - tol > g["date_end"] + tol
                or g["date_start"] - tol > p["date_end"] + tol
            ):
                continue
            exact = p["date_start"] == g["date_start"] and p["date_end"] == g["date_end"]
            cost = abs((p["date_start"] - g["date_start"]).days) + abs(
                (p["date_end"] - g["date_end"]).days
            )
            pairs.append((not exact, cost, i, j, exact))
    pairs.sort()
    used_g: dict[int, tuple[int, bool]] = {}
    used_p: set[int] = set()
    for _, _, i, j, exact in pairs:
        if i in used_g or j in used_p:
            continue
        used_g[i] = (j, exact)
        used_p.add(j)
    rows = []
    for i, g in enumerate(golds):
        j, exact = used_g.get(i, (None, False))
        p = preds[j] if j is not None else None
        rows.append(_pair_row("matched" if p else "missed", g, p, exact))
    for j, p in enumerate(preds):
        if j not in used_p:
            rows.append(_pair_row("spurious", None, p, False))
    out = pd.DataFrame.from_records(rows, columns=MATCH_COLUMNS)
    return out.astype(_MATCH_DTYPES)


def _pair_row(status: str, g: dict | None, p: dict | None, exact: bool) -> dict:
    src = g or p
    row = {
        "status": status,
        "source_id": g["article_id"] if g else p["source_id"],
        "event_type": src["event_type"],
        "exact": exact,
    }
    for side, r in (("gold_", g), ("", p)):
        for name in _PAIRED:
            value = r.get(name) if r else None
            row[side + name] = pd.NaT if name.startswith("date") and value is None else value
    row["trigger"] = p.get("trigger") if p else None
    row["date_rule"] = p.get("date_rule") if p else None
    row["event_id"] = p.get("event_id") if p else None
    return row


def score_events(
    events: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    source_ids: Iterable[str] | None = None,
    tolerance_days: int = 1,
) -> pd.DataFrame:
    """Score predicted events against gold: one row per event type, then ``all``.

    Parameters
    ----------
    events, gold, source_ids, tolerance_days
        As for :func:`match_events`.

    Returns
    -------
    pandas.DataFrame
        One row per event type present in either frame, sorted, then a row
        ``all``: ``n_gold``, ``n_predicted``, ``n_matched``, ``precision``,
        ``recall``, ``f1`` and ``exact_share`` (matched rows whose range equals
        the gold range). Ratios with a zero denominator are NaN; ``f1`` is 0
        for a type with gold or predicted rows and no match.

    Examples
    --------
    >>> gold, ids = read_gold("../shared/gold")  # doctest: +SKIP
    >>> score_events(events, gold, source_ids=ids)  # doctest: +SKIP
    """
    pairs = match_events(events, gold, source_ids=source_ids, tolerance_days=tolerance_days)
    return score_table(pairs)


def score_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Turn a :func:`match_events` table into precision, recall and F1 per type."""
    rows = []
    types = sorted(pairs["event_type"].dropna().unique())
    for etype in [*types, "all"]:
        sub = pairs if etype == "all" else pairs.loc[pairs["event_type"] == etype]
        matched = int((sub["status"] == "matched").sum())
        n_gold = matched + int((sub["status"] == "missed").sum())
        n_pred = matched + int((sub["status"] == "spurious").sum())
        exact = int((sub["exact"] & (sub["status"] == "matched")).sum())
        precision = matched / n_pred if n_pred else float("nan")
        recall = matched / n_gold if n_gold else float("nan")
        # 2PR/(P+R) written so that a type found nowhere, or only wrongly,
        # scores 0 rather than NaN: a floor can then be held on it.
        f1 = 2 * matched / (n_gold + n_pred) if n_gold + n_pred else float("nan")
        rows.append(
            {
                "event_type": etype,
                "n_gold": n_gold,
                "n_predicted": n_pred,
                "n_matched": matched,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "exact_share": exact / matched if matched else float("nan"),
            }
        )
    return pd.DataFrame.from_records(rows).astype(
        {"n_gold": "Int64", "n_predicted": "Int64", "n_matched": "Int64"}
    )


def error_table(
    pairs: pd.DataFrame,
    events: pd.DataFrame | None = None,
    *,
    tolerance_days: int = 1,
) -> pd.DataFrame:
    """Every miss and false positive of a match table, beside its nearest counterpart.

    For a missed gold row the counterpart is the prediction of the same
    article that comes nearest to it, for a spurious prediction the nearest
    gold row; the ``cause`` says what parts them, tried in this order:

    - ``type``: the counterpart has another type and the same sentence, or
      overlapping dates and a party in common;
    - ``actor``: the same type and overlapping dates (or the same
      sentence), no actor or participant in common;
    - ``modality``: the same type and parties, overlapping dates or the same
      sentence, another modality (which also moves a date);
    - ``date``: the same type and parties, the dates too far apart (or the
      counterpart already matched another row);
    - ``not_found`` (a miss) or ``spurious`` (a false positive): nothing near.

    Counterparts are looked for among the other side's errors, and among its
    matched rows only when they have the same type and come from the same
    sentence. Among several,
    one from the same sentence wins, then the earlier cause, then the
    smaller distance in days.

    Parameters
    ----------
    pairs : pandas.DataFrame
        A :func:`match_events` table.
    events : pandas.DataFrame, optional
        The predictions the table was made from, with ``event_id``; when
        given, the predicted side's fields that the table lacks or leaves
        empty are read from them.
    tolerance_days : int
        As for :func:`match_events`: how far dates may be and still overlap.

    Returns
    -------
    pandas.DataFrame
        One row per ``missed`` or ``spurious`` row of ``pairs``
        (:data:`ERROR_COLUMNS`): ``status``, ``cause``, ``source_id``, the
        error's own ``sentence``, then the gold and the predicted row side by
        side (``gold_event_type`` and ``event_type``, ``gold_actor`` and
        ``actor``, ... ``gold_evidence`` and ``evidence``), the prediction's
        ``trigger`` and ``date_rule``, and the ``counterpart_status``
        (empty when there is no counterpart).

    Examples
    --------
    >>> errors = error_table(match_events(events, gold, source_ids=ids))  # doctest: +SKIP
    >>> errors.groupby(["status", "cause"]).size()  # doctest: +SKIP
    """
    pairs = pairs.reset_index(drop=True)
    for name in ("gold_date_start", "gold_date_end", "date_start", "date_end"):
        if name in pairs:
            pairs[name] = pd.to_datetime(pairs[name], errors="coerce")
    if events is not None:
        pairs = _fill_from_events(pairs, events)
    tol = pd.Timedelta(days=tolerance_days)
    golds: dict[str, list[dict]] = {}
    preds: dict[str, list[dict]] = {}
    for r in pairs.to_dict("records"):
        if r["status"] != "spurious":
            golds.setdefault(r["source_id"], []).append(_side(r, "gold_"))
        if r["status"] != "missed":
            preds.setdefault(r["source_id"], []).append(_side(r, ""))
    rows = []
    for article in sorted(set(golds) | set(preds)):
        for own, others, missed in (
            (golds.get(article, []), preds.get(article, []), True),
            (preds.get(article, []), golds.get(article, []), False),
        ):
            for x in own:
                if x["status"] == "matched":
                    continue
                cause, y = _nearest(x, others, tol)
                gold, pred = (x, y) if missed else (y, x)
                rows.append(_error_row(article, x, gold, pred, cause, y))
    out = pd.DataFrame.from_records(rows, columns=ERROR_COLUMNS)
    return out.astype({k: v for k, v in _MATCH_DTYPES.items() if k in ERROR_COLUMNS})


def _fill_from_events(pairs: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    if "event_id" not in events or "event_id" not in pairs:
        return pairs
    known = events.drop_duplicates("event_id").set_index("event_id")
    ids = pairs["event_id"]
    for name in (*_PAIRED, "event_type", "trigger", "date_rule"):
        if name not in known:
            continue
        values = ids.map(known[name])
        if name not in pairs:
            pairs[name] = values
        else:
            empty = pairs[name].isna() | pairs[name].astype(str).eq("")
            pairs[name] = pairs[name].where(~empty | values.isna(), values)
    return pairs


def _side(r: dict, prefix: str) -> dict:
    side = {name: r.get(prefix + name) for name in _PAIRED}
    side["event_type"] = r["event_type"]
    side["status"] = r["status"]
    for name in ("trigger", "date_rule", "event_id"):
        side[name] = r.get(name) if not prefix else None
    side["words"] = _words(side["evidence"])
    return side


def _words(text: object) -> frozenset[str]:
    if not isinstance(text, str):
        return frozenset()
    return frozenset(re.findall(r"[a-z0-9]+", text.lower()))


def _same_sentence(a: dict, b: dict) -> bool:
    # Gold evidence is cut at 300 characters and written without markup, so
    # "the same sentence" is most of the shorter one's words in the other.
    small = min(len(a["words"]), len(b["words"]))
    return small >= 3 and len(a["words"] & b["words"]) >= 0.6 * small


def _nearest(x: dict, others: list[dict], tol: pd.Timedelta) -> tuple[str, dict | None]:
    best: tuple | None = None
    for y in others:
        same = _same_sentence(x, y)
        # A matched row of another type, or of another sentence, is an event
        # of its own: it explains nothing about this one.
        if y["status"] == "matched" and not (same and y["event_type"] == x["event_type"]):
            continue
        cause = _cause(x, y, same, tol)
        if cause is None:
            continue
        key = (not same, ERROR_CAUSES.index(cause), _distance(x, y))
        if best is None or key < best[0]:
            best = (key, cause, y)
    if best is None:
        return ("not_found" if x["status"] == "missed" else "spurious"), None
    return best[1], best[2]


def _cause(x: dict, y: dict, same: bool, tol: pd.Timedelta) -> str | None:
    near = _overlap(x, y, tol)
    if x["event_type"] != y["event_type"]:
        shared = parties(x["actor"], x["participants"]) & parties(y["actor"], y["participants"])
        return "type" if same or (near and shared) else None
    gold, pred = (x, y) if x["status"] == "missed" else (y, x)
    if not _actor_ok(x["event_type"], pred, gold):
        return "actor" if near or same else None
    if (near or same) and _text(x["modality"]) != _text(y["modality"]):
        return "modality"
    return "date"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _overlap(a: dict, b: dict, tol: pd.Timedelta) -> bool:
    if pd.isna(a["date_start"]) or pd.isna(b["date_start"]):
        return False
    return not (
        a["date_start"] - tol > b["date_end"] + tol or b["date_start"] - tol > a["date_end"] + tol
    )


def _distance(a: dict, b: dict) -> int:
    if pd.isna(a["date_start"]) or pd.isna(b["date_start"]):
        return 1 << 30
    return abs((a["date_start"] - b["date_start"]).days)


def _error_row(
    article: str, x: dict, gold: dict | None, pred: dict | None, cause: str, y: dict | None
) -> dict:
    row = {
        "status": x["status"],
        "cause": cause,
        "source_id": article,
        "sentence": x["evidence"],
        "gold_event_type": gold["event_type"] if gold else None,
        "event_type": pred["event_type"] if pred else None,
    }
    for prefix, side in (("gold_", gold), ("", pred)):
        for name in _PAIRED:
            value = side[name] if side else None
            row[prefix + name] = pd.NaT if name.startswith("date") and value is None else value
    for name in ("trigger", "date_rule", "event_id"):
        row[name] = pred[name] if pred else None
    row["counterpart_status"] = y["status"] if y else None
    return row


# --------------------------------------------------------------------------- references


def read_reference(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a reference list of incidents (CSIS or CNS format).

    Parameters
    ----------
    path : path-like
        ``csis_provocations.csv`` (``date, type, event, ...``) or
        ``cns_missile_tests.csv`` (one row per missile: ``date, missile, ...``).

    Returns
    -------
    pandas.DataFrame
        One row per reference incident: ``source`` (the file's stem),
        ``ref_id``, ``date``, ``event_type`` (the project's type, or missing
        when the label maps to none) and ``label``. CNS rows of one date are
        one incident (several missiles of one salvo).

    Raises
    ------
    ValueError
        When the file is in neither format.
    """
    path = Path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    if {"date", "event"} <= set(raw.columns):
        labels = raw["event"].str.strip()
        types = labels.map(_csis_type)
        out = pd.DataFrame({"date": raw["date"], "event_type": types, "label": labels})
    elif {"date", "missile"} <= set(raw.columns):
        missile = raw["missile"].str.strip()
        types = missile.map(
            lambda m: "satellite_launch" if _CNS_SPACE.search(m) else "missile_launch"
        )
        out = (
            pd.DataFrame({"date": raw["date"], "event_type": types, "label": missile})
            .groupby(["date", "event_type"], as_index=False, sort=True)
            .agg(label=("label", lambda s: ";".join(sorted(set(s)))))
        )
    else:
        raise ValueError(f"{path}: not a CSIS or CNS reference list (columns {list(raw.columns)})")
    out = out.assign(date=pd.to_datetime(out["date"], errors="coerce")).dropna(subset=["date"])
    out = out.sort_values(["date", "label"], kind="stable").reset_index(drop=True)
    out.insert(0, "ref_id", [f"{path.stem}:{i}" for i in range(len(out))])
    out.insert(0, "source", path.stem)
    return out.astype({"event_type": "string", "label": "string"})


def _csis_type(label: str) -> str | None:
    low = label.lower()
    for pattern, etype in _CSIS_TYPES:
        if re.search(pattern, low):
            return etype
    return None


def score_incidents(
    incidents: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    types: Sequence[str] = ("missile_launch", "satellite_launch", "nuclear_test"),
    tolerance_days: int = 1,
    actor: str | None = "PRK",
    coverage: pd.Series | None = None,
) -> pd.DataFrame:
    """Compare incidents with a reference list: found, missed and unmatched.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows of ``schema.INCIDENTS``.
    reference : pandas.DataFrame
        As :func:`read_reference` returns it (several lists may be concatenated).
    window : (Timestamp, Timestamp), optional
        The corpus's date window; reference rows outside it are not scored.
        Defaults to the span of the incidents' report dates.
    types : sequence of str
        Event types to score.
    tolerance_days : int
        A reference incident is found when an incident of its type with a
        fine range (at most three days) lies within this many days of its date.
    actor : str, optional
        Only incidents of this actor are compared (reference lists record
        North Korea's provocations); None for all.
    coverage : pandas.Series, optional
        Publication dates of the corpus. When given, a reference incident is
        scored only if some article was published from the day before it to
        three days after (a corpus of two separate years does not "miss" the
        years between).

    Returns
    -------
    pandas.DataFrame
        One row per reference incident in the window (``status`` ``found`` or
        ``missed``) and per fine incident of those types no reference row
        explains (``unmatched``): ``source``, ``ref_id``, ``ref_date``,
        ``label``, ``event_type``, ``incident_id``, ``date_start``,
        ``date_end``, ``n_articles``, ``evidence``.
    """
    tol = pd.Timedelta(days=tolerance_days)
    inc = incidents.loc[
        incidents["event_type"].isin(types)
        & (incidents["modality"] == "happened")
        & ((incidents["date_end"] - incidents["date_start"]) <= pd.Timedelta(days=2))
    ]
    if actor is not None:
        inc = inc.loc[inc["actor"] == actor]
    if window is None:
        if incidents.empty:
            window = (pd.Timestamp.max, pd.Timestamp.min)
        else:
            window = (incidents["first_reported"].min(), incidents["last_reported"].max())
    lo, hi = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    ref = reference.loc[
        reference["event_type"].isin(types) & (reference["date"] >= lo) & (reference["date"] <= hi)
    ]
    if coverage is not None:
        days = pd.DatetimeIndex(pd.to_datetime(coverage.dropna()).unique()).sort_values()
        covered = [
            days.searchsorted(d - pd.Timedelta(days=1))
            < days.searchsorted(d + pd.Timedelta(days=3), side="right")
            for d in ref["date"]
        ]
        ref = ref.loc[covered]
    rows = []
    used: set[str] = set()
    inc_records = inc.to_dict("records")
    for r in ref.to_dict("records"):
        hits = [
            i
            for i in inc_records
            if i["event_type"] == r["event_type"]
            and i["date_start"] - tol <= r["date"] <= i["date_end"] + tol
        ]
        hits.sort(key=lambda i: (abs((i["date_start"] - r["date"]).days), -i["n_articles"]))
        best = hits[0] if hits else None
        used.update(i["incident_id"] for i in hits)
        rows.append(_ref_row("found" if best else "missed", r, best))
    for i in inc_records:
        if i["incident_id"] not in used and lo <= i["date_start"] <= hi:
            rows.append(_ref_row("unmatched", None, i))
    columns = [
        "status",
        "source",
        "ref_id",
        "ref_date",
        "label",
        "event_type",
        "incident_id",
        "date_start",
        "date_end",
        "n_articles",
        "evidence",
    ]
    out = pd.DataFrame.from_records(rows, columns=columns)
    return out.astype(
        {
            "ref_date": "datetime64[ns]",
            "date_start": "datetime64[ns]",
            "date_end": "datetime64[ns]",
            "n_articles": "Int64",
        }
    )


def _ref_row(status: str, r: dict | None, i: dict | None) -> dict:
    return {
        "status": status,
        "source": r["source"] if r else None,
        "ref_id": r["ref_id"] if r else None,
        "ref_date": r["date"] if r else pd.NaT,
        "label": r["label"] if r else None,
        "event_type": (r or i)["event_type"],
        "incident_id": i["incident_id"] if i else None,
        "date_start": i["date_start"] if i else pd.NaT,
        "date_end": i["date_end"] if i else pd.NaT,
        "n_articles": i["n_articles"] if i else pd.NA,
        "evidence": i["evidence"] if i else None,
    }


#: The event types of launches and tests, as the reference lists record them
#: (``events.LAUNCH_TYPES`` is the narrower pair a bare "the launch" may be).
WEAPONS_TEST_TYPES = ("missile_launch", "satellite_launch", "nuclear_test", "weapons_test")
_EXPLAINED = (
    "incident_id",
    "event_type",
    "date_start",
    "date_end",
    "n_articles",
    "evidence",
    "ref_id",
    "ref_date",
    "label",
)


def explain_incidents(
    incidents: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    window: tuple[object, object],
    types: Sequence[str] = WEAPONS_TEST_TYPES,
    actor: str | None = "PRK",
    modality: str = "happened",
    tolerance_days: int = 1,
) -> pd.DataFrame:
    """Say which reference incident, if any, explains each incident of a timeline.

    The converse of :func:`score_incidents`: there every reference row looks
    for an incident; here every incident of the given types, actor and
    modality that starts in the window looks for a reference row of its
    type whose date lies in its range widened by ``tolerance_days``. An
    incident no row explains is a launch or test the reference lists do not
    know: on a window they cover, a false one.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows of ``schema.INCIDENTS``.
    reference : pandas.DataFrame
        As :func:`read_reference` returns it (several lists may be concatenated).
    window : (date-like, date-like)
        First and last day (inclusive) of the incidents' ``date_start``.
    types : sequence of str
        Event types to check.
    actor : str, optional
        Only incidents of this actor; None for all.
    modality : str
        Only incidents of this modality.
    tolerance_days : int
        How far outside an incident's range a reference date may lie.

    Returns
    -------
    pandas.DataFrame
        One row per incident checked, by date: ``incident_id``,
        ``event_type``, ``date_start``, ``date_end``, ``n_articles``,
        ``evidence``, and ``ref_id``, ``ref_date``, ``label`` of the nearest
        reference row that explains it (missing when none does).
    """
    lo, hi = pd.Timestamp(window[0]), pd.Timestamp(window[1])
    tol = pd.Timedelta(days=tolerance_days)
    keep = (
        incidents["event_type"].isin(types)
        & (incidents["modality"] == modality)
        & (incidents["date_start"] >= lo)
        & (incidents["date_start"] <= hi)
    )
    if actor is not None:
        keep &= incidents["actor"] == actor
    inc = incidents.loc[keep].sort_values(["date_start", "incident_id"], kind="stable")
    refs = reference.loc[reference["event_type"].isin(types)].to_dict("records")
    rows = []
    for i in inc.to_dict("records"):
        hits = [
            r
            for r in refs
            if r["event_type"] == i["event_type"]
            and i["date_start"] - tol <= r["date"] <= i["date_end"] + tol
        ]
        best = min(hits, key=lambda r: abs((r["date"] - i["date_start"]).days), default=None)
        rows.append(
            {
                **{k: i[k] for k in _EXPLAINED[:6]},
                "ref_id": best["ref_id"] if best else None,
                "ref_date": best["date"] if best else pd.NaT,
                "label": best["label"] if best else None,
            }
        )
    out = pd.DataFrame.from_records(rows, columns=_EXPLAINED)
    return out.astype(
        {
            "date_start": "datetime64[ns]",
            "date_end": "datetime64[ns]",
            "ref_date": "datetime64[ns]",
            "n_articles": "Int64",
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- CLI


class EvaluationInputError(ValueError):
    """A gold folder or reference list that cannot be read."""


@dataclass(frozen=True)
class Evaluation:
    """Score tables of one evaluation run, with a printable summary."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    n_articles: int = 0
    n_gold_articles: tuple[int, int] = (0, 0)

    def summary(self) -> str:
        """Return the scores as plain text, one line per type."""
        lines = [f"{self.n_articles} articles"]
        scores = self.tables.get("event_scores")
        if scores is not None:
            scored, listed = self.n_gold_articles
            lines.append(f"events vs gold ({scored} of {listed} annotated articles in the corpus):")
            lines.append(
                f"  {'type':<18} {'gold':>5} {'pred':>5} {'match':>5} "
                f"{'P':>6} {'R':>6} {'F1':>6} {'exact':>6}"
            )
            for r in scores.itertuples(index=False):
                lines.append(
                    f"  {r.event_type:<18} {r.n_gold:>5} {r.n_predicted:>5} {r.n_matched:>5} "
                    f"{_fmt(r.precision)} {_fmt(r.recall)} {_fmt(r.f1)} {_fmt(r.exact_share)}"
                )
        errors = self.tables.get("event_errors")
        if errors is not None:
            counts = errors.groupby(["status", "cause"]).size()
            lines.append(f"errors by cause ({len(errors)}):")
            for (status, cause), n in counts.items():
                lines.append(f"  {status:<9} {cause:<10} {n:>5}")
        refs = self.tables.get("incident_scores")
        if refs is not None and not refs.empty:
            lines.append("incidents vs references (within a day):")
            for (source, etype), sub in refs.dropna(subset=["source"]).groupby(
                ["source", "event_type"]
            ):
                found = int((sub["status"] == "found").sum())
                lines.append(f"  {source:<18} {etype:<18} found {found}/{len(sub)}")
            unmatched = refs.loc[refs["status"] == "unmatched"]
            lines.append(f"  incidents with no reference row: {len(unmatched)}")
        return "\n".join(lines)


def _fmt(x: float) -> str:
    return "   nan" if pd.isna(x) else f"{x:6.3f}"


def run_evaluation(
    paths: Sequence[str | PathLike[str]],
    *,
    gold: str | PathLike[str] | None = None,
    gold_set: str = "dev",
    references: Sequence[str | PathLike[str]] = (),
    engine: str = "pandas",
    scheduler: str | None = None,
    errors: bool = False,
) -> Evaluation:
    """Run the pipeline on a corpus and score it against gold and references.

    Parameters
    ----------
    paths : sequence of path-like
        Files or folders of articles.
    gold : path-like, optional
        Folder of gold sets (``<set>_events.csv``, ``<set>_articles.txt``).
    gold_set : str
        Which gold set to score against (``dev`` or ``dev2``).
    references : sequence of path-like
        Reference lists (CSIS or CNS format).
    engine, scheduler
        As for :func:`analysis.run_pipeline`.
    errors : bool
        Also build ``event_errors``, every miss and false positive with its
        cause (:func:`error_table`); needs ``gold``.

    Returns
    -------
    Evaluation
        ``tables``: ``event_scores`` and ``event_matches`` (with ``gold``),
        ``event_errors`` (with ``errors``), ``incident_scores`` (with
        ``references``); ``summary()`` prints them.

    Raises
    ------
    EvaluationInputError
        When the gold folder or a reference list is missing or unreadable,
        or errors are asked for without a gold folder.
    """
    if errors and gold is None:
        raise EvaluationInputError("the error table needs a gold folder to compare with")
    # Read the answers first: a wrong path fails before the corpus is processed.
    try:
        gold_read = read_gold(gold, name=gold_set) if gold is not None else None
        refs = [read_reference(r) for r in references]
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise EvaluationInputError(str(err)) from err
    result = run_pipeline(paths, engine=engine, scheduler=scheduler)
    tables: dict[str, pd.DataFrame] = {}
    n_gold_articles = (0, 0)
    if gold_read is not None:
        gold_events, listed = gold_read
        # Annotated articles the corpus does not hold are not scored (a run
        # on one corpus is not charged with another's events); the summary
        # says how many were scored.
        names = gold_names(result.articles["source_id"].dropna(), listed)
        ids = [i for i in listed if i in set(names.values())]
        n_gold_articles = (len(ids), len(listed))
        events = result.events.assign(source_id=result.events["source_id"].map(names))
        pairs = match_events(events, gold_events, source_ids=ids)
        tables["event_matches"] = pairs
        tables["event_scores"] = score_table(pairs)
        if errors:
            tables["event_errors"] = error_table(pairs, events)
    if refs:
        ref = pd.concat(refs, ignore_index=True)
        dates = result.articles["published_date"].dropna()
        window = (dates.min(), dates.max()) if len(dates) else None
        tables["incident_scores"] = score_incidents(
            result.incidents, ref, window=window, coverage=dates
        )
    return Evaluation(
        tables=tables, n_articles=len(result.articles), n_gold_articles=n_gold_articles
    )
