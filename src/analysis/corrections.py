"""Analysts' corrections of events: read, check and apply them; review events.

Automatic event data is never all right. A corrections file lets an analyst
fix the extractor's rows once and keep the fixes when the corpus is rerun or
grows: each row names an event by its ``event_id`` and says what to do.

=============  ==================================================================
column         meaning
=============  ==================================================================
event_id       the event corrected (from ``events.csv``); optional for ``add``
action         ``reject`` (drop the row), ``correct`` (set fields) or ``add``
source_id      ``add`` only: the article, as its corpus names it
evidence       ``add`` only: the sentence that says so
event_type,    the fields a ``correct`` or ``add`` row sets; empty cells set
actor, ...     nothing (``participants``, ``date_start``, ``date_end``,
               ``precision``, ``modality``, ``missile_class``)
note, author,  free text, who, and the day (``YYYY-MM-DD``): shown in the report
corrected_on
=============  ==================================================================

Only ``action`` is a required column (and ``event_id`` but for a file of adds). Dates are
``YYYY-MM-DD``; a ``date_start`` without ``date_end`` is a one-day range, and
a range of several days needs its ``precision``. Rows are checked before any
work (:func:`read_corrections`, :func:`validate_corrections`): an unknown
column, action or category, a bad date, two rows for one event that disagree,
an ``add`` without its article or sentence, each raise
:class:`CorrectionsError` naming the line. :func:`apply_corrections` then
rejects, corrects and adds rows; a correction whose ``event_id`` (or, for an
``add``, whose ``source_id``) is not in the corpus is returned as
``unmatched``, never dropped silently.

Ids of added events come from :func:`analysis.schema.stable_event_id`.
The review helpers (:func:`review_queue`, :func:`event_context`,
:func:`decision_rows`, :func:`write_corrections`, :func:`review_widget`)
serve ``notebooks/05-review.ipynb``.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis import schema
from analysis.codes import code_for
from analysis.schema import stable_event_id

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets

#: What a correction does.
ACTIONS = ("reject", "correct", "add")

#: The fields of an event a ``correct`` or ``add`` row may set: those of the
#: guidelines.
SETTABLE = schema.EVENT_FIELDS

#: The columns of a corrections file, in the order :func:`write_corrections`
#: writes them.
COLUMNS = (
    "event_id",
    "action",
    "source_id",
    "evidence",
    *SETTABLE,
    "note",
    "author",
    "corrected_on",
)

#: Columns a corrections file must have (``event_id`` too, unless it only adds).
REQUIRED = ("action",)

#: ``date_rule`` of a row whose dates an analyst set, and ``trigger`` of a row
#: an analyst added.
BY_CORRECTION = "correction"

#: The columns of :attr:`AppliedCorrections.applied`.
APPLIED_COLUMNS = (
    "line",
    "action",
    "event_id",
    "source_id",
    "event_type",
    "change",
    "author",
    "corrected_on",
    "note",
)

_DATES = ("date_start", "date_end", "corrected_on")
_CATEGORIES = ("event_type", "precision", "modality", "missile_class")
_LAUNCH = "missile_launch"
_ADDED = "added"


class CorrectionsError(ValueError):
    """A corrections file is wrong: the message names the line and the problem.

    Attributes
    ----------
    line : int or None
        The line of the file (the header is line 1).
    problem : str
        What is wrong, in words.
    """

    def __init__(self, problem: str, *, line: int | None = None, source: str = "corrections"):
        self.line = line
        self.problem = problem
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class AppliedCorrections:
    """What :func:`apply_corrections` did.

    Attributes
    ----------
    events : pandas.DataFrame
        The corrected events, with the columns of ``schema.EVENTS``.
    applied : pandas.DataFrame
        One row per event rejected, corrected or added (:data:`APPLIED_COLUMNS`):
        the correction's line(s), what it changed in words, who and when.
    unmatched : pandas.DataFrame
        One row per correction that matched nothing: the columns of the
        corrections file with its ``line`` first and a ``reason`` last.
    """

    events: pd.DataFrame
    applied: pd.DataFrame
    unmatched: pd.DataFrame

    def summary(self) -> str:
        """Say in one line how many corrections applied and which matched nothing."""
        n, m = len(self.applied), len(self.unmatched)
        text = f"{n} correction{'s' if n != 1 else ''} applied"
        if m:
            lines = ", ".join(str(line) for line in self.unmatched["line"].head(5))
            more = " ..." if m > 5 else ""
            text += f"; {m} matched nothing (line{'s' if m > 1 else ''} {lines}{more})"
        return text


# --------------------------------------------------------------------------- ids


def _normal(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def added_event_id(article_id: str, evidence: str, event_type: str) -> str:
    """Return the id of an event an analyst added: its article, sentence and type.

    Examples
    --------
    >>> first = added_event_id("a1", "They met.", "meeting")
    >>> first == added_event_id("a1", "they  met.", "meeting")
    True
    """
    return stable_event_id(article_id, evidence, _ADDED, event_type)


# --------------------------------------------------------------------------- reading


def read_corrections(path: str | PathLike[str]) -> pd.DataFrame:
    """Read and check a corrections file (CSV, UTF-8).

    Parameters
    ----------
    path : path-like
        The corrections file: a header, then one correction per row.

    Returns
    -------
    pandas.DataFrame
        As :func:`validate_corrections`: one row per correction, ``line``
        being its line in the file.

    Raises
    ------
    CorrectionsError
        Naming the line and the problem; also when the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise CorrectionsError(f"cannot read it ({err})", source=str(path)) from err
    return _parse(text, source=str(path))


def _parse(text: str, *, source: str) -> pd.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    first = 1
    try:
        for record in reader:
            line, first = first, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                header_line = line
                continue
            if len(record) != len(header):
                raise CorrectionsError(
                    f"{len(record)} cells, but the header has {len(header)}",
                    line=line,
                    source=source,
                )
            rows.append(record)
            lines.append(line)
    except csv.Error as err:
        raise CorrectionsError(f"not CSV ({err})", line=first, source=source) from err
    if header is None:
        raise CorrectionsError("the file is empty: it needs a header", line=1, source=source)
    _check_columns(header, line=header_line, source=source)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return validate_corrections(frame.assign(line=lines), source=source)


def _check_columns(columns: Sequence[str], *, line: int, source: str) -> None:
    unknown = [c for c in columns if c not in COLUMNS and c != "line"]
    if unknown:
        raise CorrectionsError(
            f"unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}",
            line=line,
            source=source,
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise CorrectionsError(f"missing column {missing[0]!r}", line=line, source=source)
    repeated = sorted({c for c in columns if list(columns).count(c) > 1})
    if repeated:
        raise CorrectionsError(f"column {repeated[0]!r} repeats", line=line, source=source)


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    text = str(value).strip()
    return text or None


def _date(value: str | None, column: str, *, line: int, source: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(pd.to_datetime(value, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise CorrectionsError(
            f"{column} {value!r} is not a date (write YYYY-MM-DD)", line=line, source=source
        ) from None


def _check_row(row: dict[str, Any], *, line: int, source: str) -> dict[str, Any]:
    """Return one correction with its values checked and typed; raise on a mistake."""

    def fail(problem: str) -> CorrectionsError:
        return CorrectionsError(problem, line=line, source=source)

    action = (row.get("action") or "").lower()
    if action not in ACTIONS:
        shown = row.get("action") or "(empty)"
        raise fail(f"unknown action {shown!r}; use {', '.join(ACTIONS)}")
    for column in _CATEGORIES:
        value = row.get(column)
        allowed = schema.FIELDS[column].values or ()
        if value is not None and value not in allowed:
            raise fail(
                f"unknown {column} {value!r}; use one of {', '.join(v for v in allowed if v)}"
            )
    for column in _DATES:
        row[column] = _date(row.get(column), column, line=line, source=source)
    if row.get("participants") is not None:
        codes = sorted({c.strip() for c in row["participants"].split(";") if c.strip()})
        row["participants"] = ";".join(codes) or None
    row["action"] = action
    sets = [c for c in SETTABLE if row.get(c) is not None]
    if action != "add":
        stray = [c for c in ("source_id", "evidence") if row.get(c) is not None]
        if stray:
            raise fail(f"{stray[0]} is for an add; a {action} names its event by event_id")
    if action in ("reject", "correct") and not row.get("event_id"):
        raise fail(f"a {action} needs the event_id of the event it changes")
    if action == "reject" and sets:
        raise fail(f"a reject sets no fields, but this row sets {', '.join(sets)}")
    if action == "correct" and not sets:
        raise fail(f"a correct sets at least one of {', '.join(SETTABLE)}")
    if action == "add":
        needed = ("source_id", "evidence", "event_type", "actor", "date_start")
        missing = [c for c in needed if row.get(c) is None]
        if missing:
            raise fail(f"an add needs {', '.join(missing)}")
    start, end = row.get("date_start"), row.get("date_end")
    if end is not None and start is None:
        raise fail("date_end without date_start: give both")
    if start is not None and end is not None:
        if end < start:
            raise fail(f"date_end {end:%Y-%m-%d} is before date_start {start:%Y-%m-%d}")
        if end > start and row.get("precision") is None:
            raise fail("a range of several days needs its precision (week, month ...)")
    if row.get("precision") not in (None, "day") and start is not None and end in (None, start):
        raise fail(f"precision {row['precision']} for a one-day range: give date_end")
    etype, mclass = row.get("event_type"), row.get("missile_class")
    if etype is not None and etype != _LAUNCH and mclass:
        raise fail(f"missile_class {mclass} is for a missile_launch, not a {etype}")
    return row


def _key(row: Mapping[str, Any]) -> tuple:
    """Which event a correction is about: rows with one key must agree."""
    if row["action"] != "add":
        return ("event", row["event_id"])
    if row.get("event_id"):
        return ("added", row["event_id"])
    return ("added", row["source_id"], _normal(row["evidence"]), row["event_type"])


def _values(row: Mapping[str, Any]) -> dict[str, Any]:
    columns = ("source_id", "evidence", *SETTABLE)
    return {c: _normal(row[c]) if c == "evidence" and row[c] else row[c] for c in columns}


def _disagreement(first: Mapping[str, Any], row: Mapping[str, Any]) -> str | None:
    """Why ``row`` contradicts ``first`` (a row for the same event), or None."""
    if first["action"] != row["action"]:
        return f"a {row['action']}, but line {first['line']} is a {first['action']} of it"
    if row["action"] == "reject":
        return None
    a, b = _values(first), _values(row)
    for column in a:
        both = a[column] is not None and b[column] is not None
        if (both or row["action"] == "add") and a[column] != b[column]:
            shown = _text(b[column]) or "(empty)"
            other = _text(a[column]) or "(empty)"
            return f"sets {column} {shown}, but line {first['line']} sets {other}"
    return None


def validate_corrections(corrections: pd.DataFrame, *, source: str = "corrections") -> pd.DataFrame:
    """Check a table of corrections and return it typed.

    Parameters
    ----------
    corrections : pandas.DataFrame
        One row per correction, with the columns of a corrections file
        (:data:`COLUMNS`; only ``action`` is required).
        A ``line`` column gives each row's line in its file; without it,
        rows are numbered as a file's would be (the first on line 2).
    source : str
        The file's name in messages.

    Returns
    -------
    pandas.DataFrame
        One row per correction: ``line`` then :data:`COLUMNS`; text columns
        are strings (missing when empty), ``date_start``, ``date_end`` and
        ``corrected_on`` dates, ``action`` lower case and ``participants``
        sorted.

    Raises
    ------
    CorrectionsError
        Naming the first wrong line: an unknown column, action, event type,
        precision, modality or missile class, a bad date, a reject that
        sets fields, a correct that sets none, an add without ``source_id``,
        ``evidence``, ``event_type``, ``actor`` or ``date_start``, or two
        rows for one event that disagree.

    Examples
    --------
    >>> table = validate_corrections(pd.DataFrame(
    ...     {"event_id": ["e1"], "action": ["correct"], "date_start": ["2016-01-07"]}))
    >>> table.loc[0, "date_end"]
    Timestamp('2016-01-07 00:00:00')
    """
    columns = [str(c) for c in corrections.columns]
    _check_columns(columns, line=1, source=source)
    if "line" in corrections:
        lines = [int(n) for n in corrections["line"]]
    else:
        lines = list(range(2, len(corrections) + 2))
    records = corrections.drop(columns=["line"], errors="ignore").to_dict("records")
    checked: list[dict[str, Any]] = []
    first_of: dict[tuple, dict[str, Any]] = {}
    for line, record in zip(lines, records, strict=True):
        row = {c: _text(record.get(c)) for c in COLUMNS}
        row = _check_row(row, line=line, source=source)
        if row["date_start"] is not None and row["date_end"] is None:
            row["date_end"] = row["date_start"]
        row["line"] = line
        key = _key(row)
        if key in first_of:
            why = _disagreement(first_of[key], row)
            if why:
                raise CorrectionsError(
                    f"two rows for event {row['event_id'] or row['evidence'][:40]!r} disagree: "
                    f"this one is {why}",
                    line=line,
                    source=source,
                )
        else:
            first_of[key] = row
        checked.append(row)
    return _table(checked)


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=["line", *COLUMNS])
    dtypes = {c: (schema.DATE if c in _DATES else schema.STR) for c in COLUMNS}
    return frame.astype({"line": schema.INT, **dtypes})


# --------------------------------------------------------------------------- applying


def _sentence_span(body: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence stands in the body, whitespace and case aside."""
    words = evidence.rstrip("\u2026").split()
    if not words or not isinstance(body, str):
        return None
    found = re.search(r"\s+".join(map(re.escape, words)), body, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def _change(column: str, old: object, new: object) -> str:
    return f"{column} {_text(old) or '(empty)'} -> {_text(new) or '(empty)'}"


def _corrected_values(
    event: Mapping[str, Any], sets: dict[str, Any], *, where: str
) -> tuple[dict[str, Any], list[str]]:
    """The new values of a corrected event's columns, and the changes in words.

    Besides the fields set, what follows from them: ``precision`` ``day`` for
    a one-day range without one, the missile class of a type that is or is
    no longer a launch, the codes of a new type, ``date_rule`` for new dates.
    """
    sets = dict(sets)
    etype = sets.get("event_type", event["event_type"])
    if "date_start" in sets and "precision" not in sets and sets["date_start"] == sets["date_end"]:
        sets["precision"] = "day"
    if "event_type" in sets and "missile_class" not in sets:
        if etype != _LAUNCH:
            sets["missile_class"] = ""
        elif event["event_type"] != _LAUNCH or not _text(event["missile_class"]):
            sets["missile_class"] = "unknown"
    if sets.get("missile_class") and etype != _LAUNCH:
        raise CorrectionsError(
            f"missile_class {sets['missile_class']} is for a missile_launch, and event "
            f"{event['event_id']} is a {etype}",
            line=int(where.split(";")[0]),
        )
    changes = [
        _change(c, event[c], sets[c])
        for c in SETTABLE
        if c in sets and _text(event[c]) != _text(sets[c])
    ]
    values = dict(sets)
    if "event_type" in sets:
        values["cameo_code"], values["plover_type"], values["goldstein"] = code_for(etype)
    if "date_start" in sets:
        values["date_rule"] = BY_CORRECTION
    values["corrected_by"] = where
    return values, changes


def _merged(rows: pd.DataFrame) -> dict[str, Any]:
    """The fields set by the rows of one event (validation checked they agree)."""
    sets = {}
    for column in SETTABLE:
        values = rows[column].dropna()
        if len(values):
            sets[column] = values.iloc[0]
    return sets


def _who(rows: pd.DataFrame) -> dict[str, str | None]:
    def first(column: str) -> str | None:
        values = rows[column].dropna()
        return _text(values.iloc[0]) if len(values) else None

    return {c: first(c) for c in ("author", "corrected_on", "note")}


def _added_row(
    row: Mapping[str, Any],
    article: Mapping[str, Any],
    sentences: pd.DataFrame | None,
) -> dict[str, Any]:
    etype = row["event_type"]
    evidence = " ".join(row["evidence"].split())
    span = _sentence_span(article["body"], evidence)
    sentence_id = None
    if span is not None and sentences is not None:
        own = sentences.loc[
            (sentences["article_id"] == article["article_id"])
            & (sentences["start"] <= span[0])
            & (sentences["end"] > span[0])
        ]
        sentence_id = int(own["sentence_id"].iloc[0]) if len(own) else None
    code, plover, goldstein = code_for(etype)
    one_day = row["date_start"] == row["date_end"]
    return {
        "source_id": article["source_id"],
        "event_type": etype,
        "actor": row["actor"],
        "participants": row["participants"] or "",
        "date_start": row["date_start"],
        "date_end": row["date_end"],
        "precision": row["precision"] or ("day" if one_day else None),
        "modality": row["modality"] or "happened",
        "missile_class": row["missile_class"] or ("unknown" if etype == _LAUNCH else ""),
        "evidence": evidence,
        "article_id": article["article_id"],
        "event_id": row["event_id"] or added_event_id(article["article_id"], evidence, etype),
        "sentence_id": sentence_id,
        "start": span[0] if span else None,
        "end": span[1] if span else None,
        "trigger": BY_CORRECTION,
        "date_rule": BY_CORRECTION,
        "confidence": 1.0,
        "cameo_code": code,
        "plover_type": plover,
        "goldstein": goldstein,
        "outlet": article.get("outlet"),
        "published_date": article.get("published_date"),
        "corrected_by": str(row["line"]),
    }


def _articles_by_source(articles: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each article by ``source_id``; an original before its exact copies."""
    ordered = articles.assign(_copy=articles["duplicate_of"].notna())
    ordered = ordered.sort_values("_copy", kind="stable").drop_duplicates("source_id")
    columns = ["article_id", "source_id", "body", "outlet", "published_date"]
    return {r["source_id"]: r for r in ordered[columns].to_dict("records")}


def apply_corrections(
    events: pd.DataFrame,
    corrections: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
) -> AppliedCorrections:
    """Apply an analyst's corrections to event mentions.

    Rejected rows are removed, corrected rows changed in place (with what
    follows from the change: a new type's CAMEO code, PLOVER type and
    Goldstein value, ``date_rule = "correction"`` for new dates, the missile
    class of a type that is or is no longer a launch), and added rows
    appended in the order of the file. Every changed or added row says which
    correction made it in ``corrected_by``.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of ``schema.EVENTS``.
    corrections : pandas.DataFrame
        A corrections table, raw or as :func:`read_corrections` returns it;
        checked with :func:`validate_corrections`.
    articles : pandas.DataFrame, optional
        Rows of ``schema.ARTICLES``: an ``add`` takes its article's
        ``article_id``, outlet and publication date by ``source_id``, and
        points at its sentence in the body where it is found there. Needed
        when there are ``add`` rows.
    sentences : pandas.DataFrame, optional
        Rows of ``schema.SENTENCES``, for the ``sentence_id`` of added rows.

    Returns
    -------
    AppliedCorrections
        ``events``: one row per event mention after the corrections, with the
        columns of ``schema.EVENTS``; ``applied``: one row per event
        a correction changed; ``unmatched``: the corrections whose
        ``event_id`` (or, for an add, ``source_id``) is not in the input.

    Raises
    ------
    CorrectionsError
        For a wrong corrections table, an added row whose id is already an
        event's, or a missile class set on an event that is not a launch.
    ValueError
        When there are ``add`` rows and no ``articles``.

    Examples
    --------
    >>> table = pd.DataFrame({"event_id": ["2fcb7af0d708e710"], "action": ["reject"]})
    >>> done = apply_corrections(events, table)  # doctest: +SKIP
    >>> done.events, done.applied, done.unmatched  # doctest: +SKIP
    """
    table = validate_corrections(corrections)
    out = schema.conform(events, schema.EVENTS).copy()
    position = {eid: i for i, eid in enumerate(out["event_id"])}
    dropped: list[int] = []
    applied: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []

    for event_id, rows in table.loc[table["action"] != "add"].groupby("event_id", sort=False):
        where = ";".join(str(n) for n in rows["line"])
        i = position.get(event_id)
        if i is None:
            unmatched += [{**r, "reason": "no event has this event_id"} for r in _records(rows)]
            continue
        event = out.iloc[i].to_dict()
        if rows["action"].iloc[0] == "reject":
            dropped.append(i)
            change = "rejected"
        else:
            values, changes = _corrected_values(event, _merged(rows), where=where)
            for column, value in values.items():
                out.iloc[i, out.columns.get_loc(column)] = value
            event = out.iloc[i].to_dict()
            change = "; ".join(changes) or "unchanged"
        applied.append(_applied(where, rows, event, change))

    adds = table.loc[table["action"] == "add"]
    added: list[dict[str, Any]] = []
    if len(adds) and articles is None:
        raise ValueError("corrections that add events need the articles (articles=...)")
    by_source = _articles_by_source(articles) if len(adds) else {}
    seen_adds: set[tuple] = set()
    for row in _records(adds):
        key = _key(row)
        if key in seen_adds:  # the same add again (validation checked they agree)
            continue
        seen_adds.add(key)
        article = by_source.get(row["source_id"])
        if article is None:
            unmatched.append({**row, "reason": "no article has this source_id"})
            continue
        new = _added_row(row, article, sentences)
        if new["event_id"] in position:
            raise CorrectionsError(f"event {new['event_id']} already exists", line=row["line"])
        position[new["event_id"]] = -1
        added.append(new)
        applied.append(_applied(str(row["line"]), adds.loc[[row["_index"]]], new, "added"))

    kept = out.drop(index=out.index[dropped])
    if added:
        new_rows = pd.DataFrame.from_records(added, columns=list(schema.EVENTS))
        kept = pd.concat([kept, schema.conform(new_rows, schema.EVENTS)])
    frame = schema.check(schema.conform(kept, schema.EVENTS), schema.EVENTS)
    applied_frame = pd.DataFrame.from_records(applied, columns=list(APPLIED_COLUMNS))
    unmatched_frame = pd.DataFrame.from_records(
        [{k: v for k, v in r.items() if k != "_index"} for r in unmatched],
        columns=["line", *COLUMNS, "reason"],
    )
    return AppliedCorrections(
        events=frame,
        applied=applied_frame.astype(schema.STR),
        unmatched=unmatched_frame.astype(
            {"line": schema.INT, **{c: table[c].dtype for c in COLUMNS}, "reason": schema.STR}
        ),
    )


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a corrections table as dicts (missing values as None), with their index."""
    out = []
    for index, record in zip(rows.index, rows.to_dict("records"), strict=True):
        clean = {k: (None if v is pd.NA or v is pd.NaT else v) for k, v in record.items()}
        out.append({**clean, "_index": index})
    return out


def _applied(where: str, rows: pd.DataFrame, event: Mapping[str, Any], change: str) -> dict:
    return {
        "line": where,
        "action": rows["action"].iloc[0],
        "event_id": event["event_id"],
        "source_id": event["source_id"],
        "event_type": event["event_type"],
        "change": change,
        **_who(rows),
    }


# --------------------------------------------------------------------------- reviewing


def review_queue(
    events: pd.DataFrame,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    event_types: Iterable[str] | str | None = None,
    actors: Iterable[str] | str | None = None,
    min_confidence: float | None = None,
    max_confidence: float | None = None,
) -> pd.DataFrame:
    """Return the events to review, least confident first.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of ``schema.EVENTS``.
    start, end : str or Timestamp, optional
        Keep events whose date range overlaps this window (inclusive).
    event_types, actors : str or iterable of str, optional
        Keep only these event types, these actors.
    min_confidence, max_confidence : float, optional
        Keep events with a confidence in this range.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``events``, least confident first, then by date
        and ``event_id`` (so the order is the same on every run), with a
        fresh index.
    """
    keep = pd.Series(True, index=events.index)
    if start is not None:
        keep &= events["date_end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= events["date_start"] <= pd.Timestamp(end)
    if event_types is not None:
        keep &= events["event_type"].isin(
            [event_types] if isinstance(event_types, str) else event_types
        )
    if actors is not None:
        keep &= events["actor"].isin([actors] if isinstance(actors, str) else actors)
    if min_confidence is not None:
        keep &= events["confidence"] >= min_confidence
    if max_confidence is not None:
        keep &= events["confidence"] <= max_confidence
    chosen = events.loc[keep.fillna(False).astype(bool)]
    chosen = chosen.sort_values(["confidence", "date_start", "event_id"], kind="stable")
    return chosen.reset_index(drop=True)


def event_context(event: Mapping[str, Any], articles: pd.DataFrame) -> dict[str, Any]:
    """Return what a reviewer reads beside an event: its sentence and its article.

    Parameters
    ----------
    event : mapping
        One row of ``schema.EVENTS``.
    articles : pandas.DataFrame
        Rows of ``schema.ARTICLES`` holding the event's article.

    Returns
    -------
    dict
        ``title``, ``source_id``, ``outlet``, ``published_date``, ``sentence``
        (the evidence), ``trigger`` (the words at ``start:end``) and ``html``:
        the article's body with the trigger marked, for a notebook.
    """
    found = articles.loc[articles["article_id"] == event["article_id"]]
    article = found.iloc[0] if len(found) else pd.Series(dtype=object)
    body = article.get("body") if isinstance(article.get("body"), str) else ""
    start, end = event.get("start"), event.get("end")
    has_span = pd.notna(start) and pd.notna(end) and 0 <= int(start) <= int(end) <= len(body)
    trigger = body[int(start) : int(end)] if has_span else ""
    if has_span:
        marked = (
            html.escape(body[: int(start)])
            + f"<mark>{html.escape(trigger)}</mark>"
            + html.escape(body[int(end) :])
        )
    else:
        marked = html.escape(body)
    return {
        "title": _text(article.get("title")),
        "source_id": _text(event.get("source_id")),
        "outlet": _text(article.get("outlet")),
        "published_date": _text(article.get("published_date")),
        "sentence": _text(event.get("evidence")),
        "trigger": trigger,
        "html": marked.replace("\n", "<br>"),
    }


def decision_rows(
    queue: pd.DataFrame,
    decisions: Iterable[Mapping[str, Any]],
    *,
    existing: pd.DataFrame | None = None,
    author: str | None = None,
    corrected_on: str | None = None,
) -> pd.DataFrame:
    """Turn a reviewer's decisions into corrections.

    Parameters
    ----------
    queue : pandas.DataFrame
        The events reviewed (:func:`review_queue`), in review order.
    decisions : iterable of mapping
        Each with an ``action``: ``accept`` (the row stands), ``reject``,
        ``correct`` (with the fields it sets: only those that differ from
        the event's become a correction) or ``add`` (a whole event, as a
        corrections file's row). A decision names its event by
        ``event_id``; without one it is about the next event of the queue
        after the one decided before. ``note`` and ``author`` may be given.
    existing : pandas.DataFrame, optional
        Corrections already made (:func:`read_corrections`). A new decision
        about an event replaces them; an ``accept`` removes them.
    author, corrected_on : str, optional
        Who decided and the day (``YYYY-MM-DD``), for decisions without them.

    Returns
    -------
    pandas.DataFrame
        The corrections, the existing first, as :func:`validate_corrections`
        returns them (numbered as the file :func:`write_corrections` writes).

    Examples
    --------
    >>> decision_rows(queue, [{"action": "accept"}, {"action": "reject"}])  # doctest: +SKIP
    """
    ids = queue["event_id"].tolist()
    by_id = {r["event_id"]: r for r in queue.to_dict("records")}
    pointer = 0
    new: dict[str, dict[str, Any]] = {}
    decided: list[str] = []
    for n, decision in enumerate(decisions, start=1):
        action = str(decision.get("action", "")).lower()
        event_id = decision.get("event_id")
        if action == "add":
            row = {c: decision.get(c) for c in COLUMNS}
            key = f"add:{n}"
        else:
            if event_id is None:
                if pointer >= len(ids):
                    raise ValueError(f"decision {n}: no event left in the queue")
                event_id = ids[pointer]
            if event_id in by_id:
                pointer = ids.index(event_id) + 1
            key = event_id
            decided.append(event_id)
            row = _decision_row(action, event_id, by_id.get(event_id), decision, n)
        new.pop(key, None)
        if row is not None:
            new[key] = {**row, "author": decision.get("author", author)}
            new[key]["corrected_on"] = decision.get("corrected_on", corrected_on)
            new[key]["note"] = decision.get("note")
    rows = []
    if existing is not None and len(existing):
        old = existing.loc[~existing["event_id"].isin(decided) | (existing["action"] == "add")]
        rows = [{c: _text(v) for c, v in r.items() if c in COLUMNS} for r in old.to_dict("records")]
    rows += [{c: _text(r.get(c)) for c in COLUMNS} for r in new.values()]
    return validate_corrections(pd.DataFrame.from_records(rows, columns=list(COLUMNS)))


def _decision_row(
    action: str, event_id: str, event: Mapping[str, Any] | None, decision: Mapping[str, Any], n: int
) -> dict[str, Any] | None:
    if action == "accept":
        return None
    if action == "reject":
        return {"event_id": event_id, "action": "reject"}
    if action != "correct":
        raise ValueError(f"decision {n}: action {action!r}; use accept, reject, correct or add")
    sets = {}
    for column in SETTABLE:
        value = _text(decision.get(column))
        if value is None:
            continue
        old = _text(event.get(column)) if event is not None else None
        if value != old:
            sets[column] = value
    if not sets:
        return None
    if event is not None and ("date_start" in sets or "date_end" in sets):
        # A new date is a whole range: a one-day range moves as one day.
        old_start, old_end = _text(event["date_start"]), _text(event["date_end"])
        sets.setdefault("date_start", old_start)
        if "date_end" not in sets:
            sets["date_end"] = sets["date_start"] if old_start == old_end else old_end
        if sets["date_start"] != sets["date_end"]:
            sets.setdefault(
                "precision", _text(decision.get("precision")) or _text(event["precision"])
            )
    return {"event_id": event_id, "action": "correct", **sets}


def write_corrections(corrections: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Check corrections and write them as a corrections file (CSV, UTF-8).

    The columns are :data:`COLUMNS` in order, dates ``YYYY-MM-DD``. The file
    is replaced whole, never left half written.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    table = validate_corrections(corrections)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    table[list(COLUMNS)].to_csv(tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    os.replace(tmp, path)
    return path


def review_widget(
    queue: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    path: str | PathLike[str] | None = None,
    existing: pd.DataFrame | None = None,
    author: str | None = None,
    corrected_on: str | None = None,
    on_change: Callable[[pd.DataFrame], None] | None = None,
) -> ipywidgets.Widget:
    """Return a widget that shows one event at a time and records decisions.

    Beside each event stand its sentence and its article (the trigger
    marked). *Accept* keeps the row, *Reject* drops it, *Save edit* records
    the fields changed in the form; *Back* and *Skip* move without deciding.
    After every decision the corrections (:func:`decision_rows` over all
    decisions so far) are written to ``path`` (when given) and passed to
    ``on_change``.

    Parameters
    ----------
    queue : pandas.DataFrame
        The events to review (:func:`review_queue`).
    articles : pandas.DataFrame
        Their articles (``schema.ARTICLES``).
    path : path-like, optional
        The corrections file to write.
    existing, author, corrected_on
        As for :func:`decision_rows`.
    on_change : callable, optional
        Called with the corrections after each decision.
    """
    import ipywidgets as w  # a notebook dependency; the command line never needs it

    decisions: list[dict[str, Any]] = []
    state = {"at": 0}
    header, context = w.HTML(), w.HTML()
    status = w.HTML("No decision yet." + ("" if path else " Set a path to save them."))
    fields: dict[str, w.Widget] = {}
    for column in SETTABLE:
        values = schema.FIELDS[column].values
        if values:
            options = list(values) if "" in values else ["", *values]
            fields[column] = w.Dropdown(options=options, description=column)
        else:
            fields[column] = w.Text(description=column)
    note = w.Text(description="note")

    def show() -> None:
        at = state["at"]
        if at >= len(queue):
            header.value = f"<b>All {len(queue)} events reviewed.</b>"
            context.value = ""
            return
        event = queue.iloc[at]
        ctx = event_context(event, articles)
        header.value = (
            f"<b>Event {at + 1} of {len(queue)}</b> &middot; {html.escape(str(event['event_id']))}"
            f" &middot; confidence {event['confidence']}"
        )
        context.value = (
            f"<p><b>{html.escape(ctx['sentence'] or '')}</b></p>"
            f"<p><i>{html.escape(ctx['title'] or '')}</i> ({html.escape(ctx['source_id'] or '')},"
            f" {html.escape(ctx['outlet'] or '')}, {ctx['published_date'] or 'no date'})</p>"
            f'<div style="max-height:16em;overflow:auto;border:1px solid #ddd;padding:4px">'
            f"{ctx['html']}</div>"
        )
        for column, widget in fields.items():
            widget.value = _text(event[column]) or ""
        note.value = ""

    def decide(action: str) -> None:
        if state["at"] >= len(queue):
            return
        event = queue.iloc[state["at"]]
        decision: dict[str, Any] = {"event_id": event["event_id"], "action": action}
        if action == "correct":
            decision.update({c: f.value for c, f in fields.items()})
        if note.value.strip():
            decision["note"] = note.value.strip()
        decisions.append(decision)
        try:
            table = decision_rows(
                queue, decisions, existing=existing, author=author, corrected_on=corrected_on
            )
        except ValueError as err:
            decisions.pop()
            status.value = f'<span style="color:#b00">{html.escape(str(err))}</span>'
            return
        if path is not None:
            write_corrections(table, path)
        if on_change is not None:
            on_change(table)
        status.value = f"{len(table)} corrections" + (
            f" in {html.escape(str(path))}" if path else ""
        )
        state["at"] += 1
        show()

    def move(step: int) -> None:
        state["at"] = min(max(state["at"] + step, 0), len(queue))
        show()

    buttons = []
    for label, style, handler in (
        ("Accept", "success", lambda _: decide("accept")),
        ("Reject", "danger", lambda _: decide("reject")),
        ("Save edit", "warning", lambda _: decide("correct")),
        ("Back", "", lambda _: move(-1)),
        ("Skip", "", lambda _: move(1)),
    ):
        button = w.Button(description=label, button_style=style)
        button.on_click(handler)
        buttons.append(button)
    show()
    form = w.VBox([w.HBox(list(fields.values())[:4]), w.HBox([*list(fields.values())[4:], note])])
    return w.VBox([header, context, form, w.HBox(buttons), status])
