"""Tables of articles: JSON lists, JSON Lines and CSV.

Columns map to article fields by name (``story``/``text``/``body`` ->
``body``, ``headline``/``title`` -> ``title`` ...) or by the caller's
``columns`` option. Everything after parsing is vectorised over the whole
table (pandas string methods on Arrow-backed strings), so a corpus of tens of
thousands of records loads in seconds.

GDELT exports (one coded event or mention per row, citing its source
article's URL) are read by :mod:`analysis.ingest.gdelt`: headerless exports
straight from their text, tables with GDELT's names as a header after
:func:`read_table`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analysis.ingest.dates import (
    DATELINE_RE,
    dateline_date,
    localize,
    parse_stamp,
    place_zones,
    url_date,
    url_year,
)
from analysis.ingest.dedup import as_chunked, byte_slices
from analysis.ingest.feeds import read_feed
from analysis.ingest.fields import FIELD_ALIASES, InputError
from analysis.ingest.language import guess_language
from analysis.ingest.outlets import URL_HOST, outlet_of, outlets_of_hosts

#: Keys under which a JSON object may hold its list of records.
_RECORD_KEYS = ("articles", "records", "items", "data", "results", "stories", "news")

_PARAGRAPH_COMMAS = r"[ \t]*,(?:[ \t]*,)+[ \t]*"  # KCNA CSV: ", ," marks a paragraph break


def read_table(
    data: bytes | Path, text: str | None, fmt: str
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Parse a table; return ``(records, bad)`` where ``bad`` lists ``(record, reason)``.

    ``records`` keeps its original record numbers as the index, so rows of a
    JSON Lines file stay numbered by line even when some lines are malformed.
    A CSV file in UTF-8 may come as ``data`` only (``text`` None): Arrow parses
    the bytes without building a Python string of the whole file. What was
    repaired to read a record (a short CSV row, JSON with trailing commas)
    is in a ``__warn__`` column, one phrase per record.
    """
    if fmt == "csv":
        return _read_csv(data, text)
    assert text is not None
    if fmt == "jsonl":
        return _read_jsonl(text)
    if fmt == "feed":
        return read_feed(text), []
    return _read_json(text), []


def read_csv_bytes(data: bytes | Path) -> pd.DataFrame:
    """Parse UTF-8 CSV bytes or file with Arrow, every column as strings (no Python objects).

    Raises
    ------
    pyarrow.ArrowInvalid
        When the bytes are not valid UTF-8 or not a well-formed CSV table.
    """
    if isinstance(data, Path):
        with data.open("rb") as handle:
            head = handle.read(4096)
        source: Any = str(data)
    else:
        head, source = data[:4096], pa.BufferReader(data)
    header = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip("\r\ufeff")
    sep = _separator(header)
    names = next(csv.reader([header], delimiter=sep))
    table = pacsv.read_csv(
        source,
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
        # Every column read as text straight away: no second copy to cast.
        convert_options=pacsv.ConvertOptions(
            strings_can_be_null=True, column_types=dict.fromkeys(names, pa.large_string())
        ),
        # One thread and small blocks: the reader's buffers stay small.
        read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 20),
    )
    columns = {}
    # The reader's blocks stay as chunks: joining them would copy the table.
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_large_string(column.type):
            column = pc.cast(column, pa.large_string())
        columns[name] = pd.arrays.ArrowStringArray(column)
    del table
    return pd.DataFrame(columns)


def _read_csv(data: bytes | Path, text: str | None) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    if text is None:
        return read_csv_bytes(data), []  # ArrowInvalid: the caller decodes and retries
    sep = _separator(text.split("\n", 1)[0])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as err:
        return _read_ragged_csv(text, sep, f"malformed CSV: {_first_line(err)}")
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas made the extra leading fields of rows longer than the header an index.
        return _read_ragged_csv(text, sep, "malformed CSV: rows longer than the header")
    if _is_ragged(text, sep):
        # pandas fills a short row's missing fields with "" and says nothing.
        return _read_ragged_csv(text, sep, "malformed CSV: rows of different lengths")
    return frame.astype("string"), []


def _is_ragged(text: str, sep: str) -> bool:
    """Return whether a CSV text has rows with another number of fields than its header."""
    try:
        widths = {
            len(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if row
        }
    except csv.Error:
        return False
    return len(widths) > 1


def _read_ragged_csv(
    text: str, sep: str, reason: str
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Read a CSV table row by row: rows that fit load, longer rows are rejected.

    A row with fewer fields than the header loads with the rest empty and a
    warning; a row with more is a rejected record with the reason (its
    fields cannot be told apart). Raises :class:`InputError` with ``reason``
    when no row fits or the text is not CSV at all.
    """
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if row]
    except csv.Error as err:
        raise InputError(f"{reason} ({err})") from err
    if len(rows) < 2:
        raise InputError(reason)
    header, width = rows[0], len(rows[0])
    kept: list[list[str | None]] = []
    index: list[int] = []
    warns: list[str | None] = []
    bad: list[tuple[int, str]] = []
    for number, row in enumerate(rows[1:]):
        if len(row) > width:
            bad.append((number, f"malformed CSV row: {len(row)} fields, the header names {width}"))
            continue
        warns.append(f"short row: {len(row)} of {width} fields" if len(row) < width else None)
        kept.append([*row, *[None] * (width - len(row))])
        index.append(number)
    if not kept and not bad:
        raise InputError(reason)
    frame = pd.DataFrame(kept, columns=header, index=pd.Index(index, dtype="int64"))
    if any(warns):
        frame["__warn__"] = warns
    return frame.astype("string"), bad


def _is_stringish(col: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(col) or str(col.dtype).startswith(
        ("string", "large_string")
    )


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    return max(counts, key=lambda s: counts[s])


def _first_line(err: Exception) -> str:
    return str(err).strip().split("\n", 1)[0][:200]


#: A JSON string (kept) or a comma before a closing bracket (dropped).
_TRAILING_COMMA = re.compile(r'("(?:[^"\\\n]|\\.)*")|,(\s*[\]}])')


def _lenient_json(text: str) -> tuple[Any, str | None]:
    """Parse JSON; repair trailing commas and byte-order marks; return a warning when repaired.

    Raises
    ------
    json.JSONDecodeError
        The strict parser's error, when the repair does not help.
    """
    try:
        return json.loads(text), None
    except json.JSONDecodeError as err:
        error = err
    repaired = _TRAILING_COMMA.sub(lambda m: m[1] or m[2], text.lstrip("\ufeff"))
    if repaired == text:
        raise error
    try:
        value = json.loads(repaired)
    except json.JSONDecodeError:
        raise error from None
    what = "trailing commas" if repaired != text.lstrip("\ufeff") else "a byte-order mark"
    return value, f"JSON with {what} (repaired)"


def _read_json(text: str) -> pd.DataFrame:
    try:
        value, warning = _lenient_json(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from err
    if isinstance(value, dict):
        for key in _RECORD_KEYS:
            if isinstance(value.get(key), list):
                value = value[key]
                break
        else:
            value = [value]
    if not isinstance(value, list):
        raise InputError("JSON holds neither a list of records nor a record")
    bad = [i for i, item in enumerate(value) if not isinstance(item, dict)]
    if bad and len(bad) == len(value):
        raise InputError("JSON list holds no records (objects)")
    frame = pd.DataFrame([item if isinstance(item, dict) else {} for item in value])
    if bad:
        frame.loc[bad, "__bad__"] = "not a JSON object"
    if warning:
        frame["__warn__"] = warning
    return frame


def _read_jsonl(text: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    rows: list[dict[str, Any]] = []
    index: list[int] = []
    warns: list[str | None] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            value, warning = _lenient_json(line.strip().removesuffix(","))
        except json.JSONDecodeError as err:
            bad.append((number, f"malformed JSON on line {number + 1}: {err.msg}"))
            continue
        if not isinstance(value, dict):
            bad.append((number, f"line {number + 1} is not a JSON object"))
            continue
        rows.append(value)
        index.append(number)
        warns.append(warning)
    frame = pd.DataFrame(rows, index=index)
    if any(warns):
        frame["__warn__"] = warns
    return frame, bad


def map_columns(frame: pd.DataFrame, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Return the table column of each article field, by option or by name.

    Raises
    ------
    InputError
        When an option names a column the table lacks, or no column holds text.
    """
    have = {str(c).lower(): c for c in frame.columns}
    mapping: dict[str, str] = {}
    for field, column in (columns or {}).items():
        if field not in FIELD_ALIASES:
            continue
        if column in frame.columns:
            mapping[field] = column
        elif column.lower() in have:
            mapping[field] = have[column.lower()]
        else:
            raise InputError(
                f"column {column!r} given for {field} is not in the table "
                f"(columns: {', '.join(map(str, frame.columns))})"
            )
    for field, names in FIELD_ALIASES.items():
        if field in mapping:
            continue
        for name in names:
            if name in have:
                mapping[field] = have[name]
                break
    if "body" not in mapping and "globaleventid" in have:
        raise InputError(
            f"GDELT table ({len(frame)} rows keyed by GLOBALEVENTID, source URLs, "
            "no article text); not an article table"
        )
    if "body" not in mapping:
        raise InputError(
            "no text column (looked for "
            + ", ".join(FIELD_ALIASES["body"])
            + "; the table has "
            + ", ".join(map(str, frame.columns))
            + ")"
        )
    return mapping


def _strings(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    col = frame[column]
    if not _is_stringish(col):
        col = col.map(lambda v: None if v is None or v != v else str(v), na_action="ignore")
    out = col.astype("string").str.strip()
    return out.mask(out == "")


def _clean(arr: pa.Array) -> pa.Array:
    """Return one slice of story texts cleaned (see :func:`clean_bodies`)."""
    arr = pc.fill_null(arr, "")
    if pc.any(pc.match_substring(arr, "\r")).as_py():
        arr = pc.replace_substring(pc.replace_substring(arr, "\r\n", "\n"), "\r", "\n")
    # Each replacement runs only where its pattern occurs: a replace allocates
    # a new copy of every text, a search does not.
    for pattern, repl in (
        (_PARAGRAPH_COMMAS, "\n"),
        # Only runs of two or more, tabs and no-break spaces: replacing every
        # single space would cost a match per word.
        (r"[ \t\x{00a0}][ \t\x{00a0}]+|[\t\x{00a0}]", " "),
        (r" ?\n[\s,]*", "\n"),
    ):
        hit = pc.match_substring_regex(arr, pattern)
        if pc.any(hit).as_py():
            if pc.mean(hit.cast(pa.int8())).as_py() > 0.5:
                arr = pc.replace_substring_regex(arr, pattern, repl)
            else:
                changed = pc.replace_substring_regex(pc.filter(arr, hit), pattern, repl)
                arr = pc.replace_with_mask(arr, hit, changed)
    return pc.utf8_trim(arr, " ,\n\t\r")


#: Most bytes of story text cleaned at a time: each step of the cleaning
#: makes a copy of what it changes, so slices keep those copies small.
CLEAN_BYTES = 1 << 21


def _text_slices(bodies: pd.Series) -> tuple[pa.ChunkedArray, list[tuple[int, int]]]:
    arr = as_chunked(bodies)
    return arr, byte_slices(arr, rows=len(arr), max_bytes=CLEAN_BYTES)


def _string_series(chunks: list[pa.Array], index: pd.Index) -> pd.Series:
    arr = pa.chunked_array(chunks, type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index)


def clean_bodies(bodies: pd.Series) -> pd.Series:
    """Return story texts with one paragraph per line and spaces collapsed.

    ``, ,`` sequences (how the KCNA CSV writes paragraph breaks) become line
    breaks; runs of spaces collapse; blank lines and trailing commas go.
    Runs on Arrow strings with RE2, never row by row in Python, a slice of a
    few MB at a time so that no step copies the whole corpus.
    """
    arr, slices = _text_slices(bodies)
    chunks = [_clean(arr.slice(start, length).combine_chunks()) for start, length in slices]
    return _string_series(chunks, bodies.index)


_DATELINE_FIELDS = ("whole", "place", "date", "year", "agency")


def split_datelines(
    bodies: pd.Series, *, drop_empty: bool = False
) -> tuple[pd.Series, pd.DataFrame]:
    """Clean story texts and take the wire dateline off their start.

    Returns the cleaned bodies without their dateline (only those left with
    text when ``drop_empty``: their index tells which), and per story the
    dateline's parts (``whole``, ``place``, ``date``, ``year``, ``agency``,
    NA when absent) with ``is_dateline``: whether the opening is a dateline
    (a date, an agency credit, a known place or a place in capitals) rather
    than an ordinary sentence with a dash. A slice at a time (see
    :func:`clean_bodies`), so that dropping the empty stories copies a slice,
    not the corpus.
    """
    arr, slices = _text_slices(bodies)
    zones = place_zones()
    pattern = "^(?P<whole>" + DATELINE_RE.pattern.removeprefix("^") + ")"
    chunks: list[pa.Array] = []
    parts: list[pd.DataFrame] = []
    kept: list[np.ndarray] = []
    for start, length in slices:
        body = _clean(arr.slice(start, length).combine_chunks())
        found = pc.extract_regex(body, pattern)
        index = pd.RangeIndex(start, start + length)
        match = pd.DataFrame(
            {
                name: pd.Series(pd.arrays.ArrowStringArray(found.field(name)), index=index)
                for name in _DATELINE_FIELDS
            }
        ).replace("", pd.NA)
        place_key = match["place"].str.lower().str.replace(".", "", regex=False)
        is_dateline = match["whole"].notna() & (
            match["date"].notna()
            | match["agency"].notna()
            | place_key.isin(list(zones)).fillna(False)
            | (match["place"] == match["place"].str.upper())
        ).fillna(False)
        flags = pa.array(is_dateline.to_numpy(dtype=bool))
        if is_dateline.any():
            stripped = pc.replace_substring_regex(
                pc.filter(body, flags), DATELINE_RE.pattern, "", max_replacements=1
            )
            body = pc.replace_with_mask(body, flags, stripped)
        if drop_empty:
            has_text = pc.greater(pc.binary_length(body), 0)
            if not pc.all(has_text).as_py():
                body = pc.filter(body, has_text)
                kept.append(np.asarray(has_text, dtype=bool))
            else:
                kept.append(np.ones(length, dtype=bool))
        chunks.append(body)
        parts.append(match.assign(is_dateline=is_dateline.astype(bool)))
    if parts:
        match = pd.concat(parts).set_axis(bodies.index)
    else:
        match = pd.DataFrame(
            {name: pd.Series(dtype="string") for name in _DATELINE_FIELDS}
            | {"is_dateline": pd.Series(dtype=bool)}
        )
    index = bodies.index
    if drop_empty and kept:
        index = index[np.concatenate(kept)]
    elif drop_empty:
        index = index[:0]
    return _string_series(chunks, index), match


def parse_dates(values: pd.Series) -> pd.Series:
    """Return UTC timestamps of a date column: epoch seconds/milliseconds or text."""
    if pd.api.types.is_numeric_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        big = numbers.abs().max()
        unit = "ms" if big and big > 1e11 else "s"
        return pd.to_datetime(numbers, unit=unit, utc=True, errors="coerce")
    if pd.api.types.is_datetime64_any_dtype(values):
        out = pd.to_datetime(values, errors="coerce")
        return out.dt.tz_localize("UTC") if out.dt.tz is None else out.dt.tz_convert("UTC")
    text = values.astype("string")
    numeric = text.str.fullmatch(r"\d{10,13}").fillna(False)
    out = pd.to_datetime(text.where(~numeric), errors="coerce", utc=True, format="ISO8601")
    rest = out.isna() & text.notna() & ~numeric
    if rest.any():
        # The written forms first ("2020-09-25-07-58-10", "Dec. 28, 2025 10:24 KST"):
        # pandas' guess reads the first as a time at a UTC offset of -10.
        stamps = [_utc(parse_stamp(value)) for value in text[rest]]
        out[rest] = pd.Series(stamps, index=text.index[rest], dtype="datetime64[ns, UTC]")
        rest = out.isna() & text.notna() & ~numeric
    if rest.any():
        out[rest] = _guess_dates(text[rest])
    if numeric.any():
        nums = pd.to_numeric(text.where(numeric), errors="coerce")
        out[numeric] = pd.to_datetime(
            nums[numeric], unit="ms" if nums.max() > 1e11 else "s", utc=True
        )
    # A year a frame's dates cannot hold ("0000") is a typo, not a date.
    years = out.dt.year
    return out.where(years.isna() | ((years > 1677) & (years < 2262)))


#: What pandas raises for a date it cannot hold or format ("0000", "9999-99").
_DATE_ERRORS = (ValueError, OverflowError, NotImplementedError, pd.errors.OutOfBoundsDatetime)


def _guess_dates(text: pd.Series) -> pd.Series:
    """Return pandas' guess at each date (UTC), NaT where it has none or fails."""
    try:
        return pd.to_datetime(text, errors="coerce", utc=True, format="mixed")
    except _DATE_ERRORS:
        pass  # one value breaks the whole column: guess them one by one
    guessed = []
    for value in text:
        try:
            guessed.append(pd.to_datetime(value, errors="coerce", utc=True))
        except _DATE_ERRORS:
            guessed.append(pd.NaT)
    return pd.Series(guessed, index=text.index, dtype="datetime64[ns, UTC]")


def _utc(stamp: dt.datetime | dt.date | None) -> pd.Timestamp:
    """Return a stamp as a UTC timestamp (a naive time or a date is UTC), NaT for None."""
    if stamp is None:
        return pd.NaT
    found = pd.Timestamp(stamp)
    if not pd.Timestamp.min.year < found.year < pd.Timestamp.max.year:
        return pd.NaT
    return found.tz_localize("UTC") if found.tzinfo is None else found.tz_convert("UTC")


def table_articles(
    records: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None,
    id_prefix: str,
    fmt: str,
) -> tuple[pd.DataFrame, pd.Series]:
    """Turn parsed records into article rows and a per-record rejection reason.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per record, index = record number in the file.
    columns : mapping, optional
        Article field -> table column, overriding the names.
    id_prefix : str
        The file's path relative to its corpus root, for records without an id.
    fmt : str
        The table's format, copied to the ``format`` column.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        One row per loaded record with the article fields (``pubdate``
        columns ``published_date``, ``published_at``, ``date_method``,
        ``date_precision``, ``timezone``); and per record of the table its
        ``reason`` for rejection (NA when it loads), its ``warnings`` (what was
        repaired to read it) and its ``source_id``.
    """
    mapping = map_columns(records, columns)
    reason = pd.Series(pd.NA, index=records.index, dtype="string")
    if "__bad__" in records.columns:
        reason = reason.fillna(records["__bad__"].astype("string"))
    warnings = pd.Series(pd.NA, index=records.index, dtype="string")
    if "__warn__" in records.columns:
        warnings = warnings.fillna(records["__warn__"].astype("string"))

    raw = records[mapping["body"]]
    raw = raw if _is_stringish(raw) else _strings(records, mapping["body"])
    # Only the stories left with text are kept: filtering them later would copy them all.
    body, match = split_datelines(raw, drop_empty=True)
    del raw
    records = records.drop(columns=[mapping["body"]])  # the raw stories are no longer needed
    is_dateline = match.pop("is_dateline")
    zones = place_zones()
    reason = reason.mask(reason.isna() & ~records.index.isin(body.index), "empty story")

    out = pd.DataFrame(index=records.index)
    out["title"] = _strings(records, mapping.get("title"))
    out["url"] = _strings(records, mapping.get("url"))
    out["section"] = _strings(records, mapping.get("section"))
    out["caption"] = _strings(records, mapping.get("caption"))
    place = match["place"].where(is_dateline)
    out["dateline"] = _strings(records, mapping.get("dateline")).fillna(place)
    agency = match["agency"].where(is_dateline).str.strip()
    out["byline"] = _strings(records, mapping.get("byline")).fillna(agency)
    language = _strings(records, mapping.get("language")).str.lower()
    if "language" not in mapping:
        # No language column: guess from each story's opening (cheap, per row).
        openings = body.str.slice(0, 600).astype(object)
        language = pd.Series(
            [guess_language(text) if isinstance(text, str) else None for text in openings],
            index=body.index,
            dtype="string",
        ).reindex(records.index)
    out["language"] = language.fillna("en")
    zone = _strings(records, mapping.get("timezone"))
    zone = zone.fillna(place.str.lower().str.replace(".", "", regex=False).map(zones))
    out["timezone"] = zone.astype("string")

    outlet = _strings(records, mapping.get("outlet"))
    if outlet.isna().any():
        agencies = {a: outlet_of(a) for a in agency.dropna().unique()}
        outlet = outlet.fillna(agency.map(agencies).astype("string"))
        hosts = out["url"].str.extract(URL_HOST, expand=False)
        outlet = outlet.fillna(outlets_of_hosts(hosts))
    out["outlet"] = outlet

    # The record's own id: the first of its id columns (link, url, id...) it fills.
    ids = _strings(records, mapping.get("id"))
    for name in FIELD_ALIASES["id"]:
        column = {str(c).lower(): c for c in records.columns}.get(name)
        if column is not None and ids.isna().any() and "id" not in (columns or {}):
            ids = ids.fillna(_strings(records, column))
    # An id on two or three records is one story listed more than once (under
    # two topics, or revised); an id on many records is an index page's.
    listed = ids.groupby(ids, sort=False).transform("size")
    out["story_key"] = ids.where(listed <= 3)
    fallback = pd.Series([f"{id_prefix}#{i}" for i in records.index], index=records.index)
    ids = ids.fillna(fallback.astype("string"))
    # Records sharing an id (an index page's link) get "#2", "#3": ids stay unique.
    occurrence = ids.groupby(ids, sort=False).cumcount()
    ids = ids.where(occurrence == 0, ids + "#" + (occurrence + 1).astype("string"))
    out["source_id"] = ids
    out["format"] = fmt

    _add_dates(out, records, mapping, match, is_dateline)
    info = pd.DataFrame(
        {"reason": reason, "warnings": warnings.where(reason.isna()), "source_id": out["source_id"]}
    )
    out = out[reason.isna().to_numpy()]
    if not body.index.equals(out.index):  # a record rejected for another reason
        body = body[body.index.isin(out.index)]
    out.insert(0, "body", body)
    return out, info


def _add_dates(
    out: pd.DataFrame,
    records: pd.DataFrame,
    mapping: dict[str, str],
    match: pd.DataFrame,
    is_dateline: pd.Series,
) -> None:
    """Fill the date columns of ``out``: metadata, then dateline, then URL."""
    stamps = pd.Series(pd.NaT, index=records.index, dtype="datetime64[ns, UTC]")
    origin = pd.Series(None, index=records.index, dtype=object)  # the column of each stamp
    candidates = [mapping["date"]] if "date" in mapping else []
    candidates += [c for c in records.columns if str(c).lower() in FIELD_ALIASES["date"]]
    for column in dict.fromkeys(candidates):
        if stamps.notna().all():
            break
        parsed = parse_dates(records[column]).astype("datetime64[ns, UTC]")
        origin = origin.mask(stamps.isna() & parsed.notna(), column)
        stamps = stamps.fillna(parsed)
    has_time = stamps.notna() & (stamps != stamps.dt.normalize())
    date = stamps.dt.tz_localize(None).dt.normalize()
    at = pd.Series(pd.NA, index=out.index, dtype="string")
    precision = pd.Series(pd.NA, index=out.index, dtype="string")
    method = pd.Series("missing", index=out.index, dtype="string")
    method = method.mask(stamps.notna(), "metadata")
    precision = precision.mask(stamps.notna(), "day")
    if has_time.any():
        # A time of day: the local calendar date in the record's time zone.
        for i in out.index[has_time]:
            zone = out.at[i, "timezone"]
            stamp = stamps[i].to_pydatetime()
            if pd.isna(zone):
                # No place to date it in: the local time at the offset the record states.
                stated = parse_stamp(records.at[i, origin[i]])
                if isinstance(stated, dt.datetime) and stated.tzinfo is not None:
                    stamp = stated
            local = localize(stamp, None if pd.isna(zone) else zone)
            date[i] = pd.Timestamp(local.date)
            at[i] = local.at
            out.at[i, "timezone"] = local.timezone
    need = date.isna() & is_dateline & match["date"].notna()
    for i in out.index[need]:
        url = out.at[i, "url"]
        year = url_year(None if pd.isna(url) else url)
        parts = {key: (None if pd.isna(v) else str(v)) for key, v in match.loc[i].items()}
        found = dateline_date(parts, year)
        if found is not None:
            date[i] = pd.Timestamp(found)
            method[i], precision[i] = "dateline", "day"
    need = date.isna() & out["url"].notna()
    for i in out.index[need]:
        found = url_date(out.at[i, "url"])
        if found is not None:
            date[i] = pd.Timestamp(found)
            method[i], precision[i] = "url", "day"
    out["published_date"] = date.astype("datetime64[ns]")
    out["published_at"] = at
    out["date_method"] = method
    out["date_precision"] = precision
