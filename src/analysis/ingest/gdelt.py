"""GDELT exports: coded-event and mention tables read as metadata-only articles.

A GDELT 1.0 daily event export (tab-separated, no header, 58 columns; 57 in
the backfile, which has no source URL), a GDELT 2.0 event export (61 columns)
and a GDELT 2.0 mentions table (16 columns, headerless or with the names as a
header) list coded events or mentions, each citing the article it was coded
from. They hold no article text. Each distinct source (``SOURCEURL`` or
``MentionIdentifier``) becomes one article with its URL, outlet and the time
GDELT first saw it (``DATEADDED`` or ``MentionTimeDate``, UTC) and an empty
body; every further record citing the same source is a ``duplicate`` in the
manifest, so every record is accounted for.

The column layouts are GDELT's published codebooks, written here so that
nothing outside the package is read at run time. A file that only lists
those column names (a codebook) is told apart and rejected.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

import pandas as pd

from analysis.ingest.fields import InputError
from analysis.ingest.outlets import URL_HOST, outlets_of_hosts

#: GDELT 1.0 event columns (the daily exports since April 2013; the backfile
#: lacks the last, ``SOURCEURL``).
GDELT1_EVENTS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)

#: GDELT 2.0 event columns: those of 1.0 with an ADM2 code for each place.
GDELT2_EVENTS = tuple(
    name
    for column in GDELT1_EVENTS
    for name in (
        (column, column.replace("ADM1", "ADM2")) if column.endswith("_ADM1Code") else (column,)
    )
)

#: GDELT 2.0 mentions columns.
GDELT2_MENTIONS = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)

#: Layout of each headerless kind: its column names, and the field counts a row may have.
LAYOUTS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "gdelt1-events": (GDELT1_EVENTS, (len(GDELT1_EVENTS), len(GDELT1_EVENTS) - 1)),
    "gdelt2-events": (GDELT2_EVENTS, (len(GDELT2_EVENTS),)),
    "gdelt2-mentions": (GDELT2_MENTIONS, (len(GDELT2_MENTIONS),)),
}

#: Every GDELT column name, lower-case: to tell a codebook (a list of them).
KNOWN_NAMES = frozenset(n.lower() for n in GDELT2_EVENTS + GDELT1_EVENTS + GDELT2_MENTIONS)

#: The columns read from a record (lower-case names); the rest are event coding.
NEEDED = (
    "globaleventid",
    "sqldate",
    "dateadded",
    "sourceurl",
    "mentiontimedate",
    "mentiontype",
    "mentionsourcename",
    "mentionidentifier",
    "mentiondoctranslationinfo",
)

#: ISO 639-2 codes of GDELT's translingual sources (``srclc:``) to ISO 639-1.
LANGUAGES = dict(
    pair.split(":")
    for pair in [
        "afr:af",
        "amh:am",
        "ara:ar",
        "aze:az",
        "bel:be",
        "ben:bn",
        "bos:bs",
        "bul:bg",
        "cat:ca",
        "ces:cs",
        "dan:da",
        "deu:de",
        "ell:el",
        "eng:en",
        "est:et",
        "eus:eu",
        "fas:fa",
        "fin:fi",
        "fra:fr",
        "glg:gl",
        "guj:gu",
        "heb:he",
        "hin:hi",
        "hrv:hr",
        "hun:hu",
        "hye:hy",
        "ind:id",
        "isl:is",
        "ita:it",
        "jpn:ja",
        "kan:kn",
        "kat:ka",
        "kaz:kk",
        "kor:ko",
        "lav:lv",
        "lit:lt",
        "mal:ml",
        "mar:mr",
        "mkd:mk",
        "mon:mn",
        "msa:ms",
        "nep:ne",
        "nld:nl",
        "nor:no",
        "pan:pa",
        "pol:pl",
        "por:pt",
        "ron:ro",
        "rus:ru",
        "sin:si",
        "slk:sk",
        "slv:sl",
        "som:so",
        "spa:es",
        "sqi:sq",
        "srp:sr",
        "swa:sw",
        "swe:sv",
        "tam:ta",
        "tel:te",
        "tgl:tl",
        "tha:th",
        "tur:tr",
        "ukr:uk",
        "urd:ur",
        "uzb:uz",
        "vie:vi",
        "zho:zh",
    ]
)

_FIRST_LINE = re.compile(r"\A\d{1,20}\t(?:19|20)\d{6}(?:\d{6})?\t")
_STAMP = re.compile(r"^(?:19|20)\d{6}(?:\d{6})?$")


def looks_headerless(text: str) -> bool:
    """Return whether ``text`` starts like a headerless GDELT table (id, then a date)."""
    return _FIRST_LINE.match(text) is not None


def headerless_kind(text: str) -> str | None:
    """Return the kind of a headerless GDELT table by its first row's fields, or None."""
    first = text.split("\n", 1)[0].rstrip("\r").split("\t")
    for kind, (_, counts) in LAYOUTS.items():
        if len(first) in counts:
            if kind == "gdelt2-mentions" and not _STAMP.match(first[2]):
                continue
            return kind
    return None


def header_kind(columns: Iterable[object]) -> str | None:
    """Return the kind of a GDELT table from its header names, or None when it is not one."""
    names = {str(c).strip().lower() for c in columns}
    if "globaleventid" not in names:
        return None
    if "mentionidentifier" in names:
        return "gdelt2-mentions"
    if "sourceurl" in names:
        return "gdelt2-events" if "actiongeo_adm2code" in names else "gdelt1-events"
    return None


def column_list(text: str) -> int:
    """Return how many GDELT column names ``text`` lists one per line (0 when it is not a list).

    A codebook, such as GDELT's ``tableId``/``dataType`` schema export or a
    bare list of names, starts each line with a column name; a data table's
    rows start with an event id.
    """
    lines = [line for line in text[:200_000].splitlines() if line.strip()][:200]
    if len(lines) < 10:
        return 0
    sep = "\t" if lines[0].count("\t") >= lines[0].count(",") else ","
    firsts = [row[0].strip().lower() for row in csv.reader(lines, delimiter=sep) if row]
    named = [name for name in firsts if name in KNOWN_NAMES]
    return len(set(named)) if len(set(named)) >= 10 and len(named) * 2 >= len(firsts) else 0


def read_headerless(text: str) -> tuple[str, pd.DataFrame, list[tuple[int, str]]]:
    """Parse a headerless GDELT table: ``(kind, records, bad)``.

    ``records`` holds the needed columns (:data:`NEEDED`, lower-case) as
    strings, indexed by line number; ``bad`` lists ``(line, reason)`` for rows
    with the wrong number of fields. Only a few fields of each row are kept.

    Raises
    ------
    InputError
        When the first row's field count fits no known layout.
    """
    kind = headerless_kind(text)
    if kind is None:
        n = len(text.split("\n", 1)[0].split("\t"))
        expected = ", ".join(
            "/".join(map(str, counts)) + f" ({name})" for name, (_, counts) in LAYOUTS.items()
        )
        raise InputError(f"unknown GDELT layout: {n} tab-separated fields (expected {expected})")
    names, counts = LAYOUTS[kind]
    lower = [name.lower() for name in names]
    wanted = [(lower.index(col), col) for col in NEEDED if col in lower]
    values: dict[str, list[str | None]] = {col: [] for _, col in wanted}
    index: list[int] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n")):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) not in counts:
            expected = " or ".join(map(str, counts))
            bad.append((number, f"malformed GDELT row: {len(cells)} fields, expected {expected}"))
            continue
        index.append(number)
        for position, col in wanted:
            values[col].append(cells[position] if position < len(cells) else None)
    records = pd.DataFrame(values, index=pd.Index(index, dtype="int64"), dtype="string")
    return kind, records, bad


def _column(records: pd.DataFrame, name: str) -> pd.Series:
    """Return a needed column by its lower-case name, stripped, NA for empty."""
    have = {str(c).strip().lower(): c for c in records.columns}
    if name not in have:
        return pd.Series(pd.NA, index=records.index, dtype="string")
    out = records[have[name]].astype("string").str.strip()
    return out.mask(out == "")


def _stamps(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return UTC timestamps of GDELT dates (YYYYMMDD or YYYYMMDDHHMMSS) and which have a time."""
    text = values.str.replace(r"\.0+$", "", regex=True)  # a float-typed export: "20160728.0"
    has_time = text.str.len().eq(14).fillna(False).astype(bool)
    full = pd.to_datetime(text.where(has_time), format="%Y%m%d%H%M%S", errors="coerce", utc=True)
    day = pd.to_datetime(
        text.where(text.str.len().eq(8).fillna(False)), format="%Y%m%d", errors="coerce", utc=True
    )
    stamps = full.fillna(day)
    return stamps, has_time & stamps.notna()


def gdelt_articles(records: pd.DataFrame, *, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn GDELT records into one metadata-only article per distinct source.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per event or mention, index = record number in the file,
        columns named as GDELT names them (any case).
    kind : str
        ``gdelt1-events``, ``gdelt2-events`` or ``gdelt2-mentions``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The articles, one row per distinct source in order of first citation,
        indexed by the record that first cites it; and per record
        ``status`` (``loaded``, ``duplicate`` or ``rejected``), ``reason``,
        ``source_id`` and ``first`` (the record number of the source's
        first citation, for a duplicate).
    """
    mentions = kind == "gdelt2-mentions"
    source = _column(records, "mentionidentifier" if mentions else "sourceurl")
    stamps, has_time = _stamps(_column(records, "mentiontimedate" if mentions else "dateadded"))
    method = pd.Series("metadata", index=records.index, dtype="string").mask(stamps.isna())
    if not mentions:
        # No DATEADDED: the event's own date (SQLDATE) is the earliest the article can be.
        event_day, _ = _stamps(_column(records, "sqldate"))
        method = method.fillna(pd.Series("inferred", index=records.index).mask(event_day.isna()))
        stamps = stamps.fillna(event_day)
    method = method.fillna("missing")

    numbers = pd.Series(records.index.to_numpy(), index=records.index)
    first = numbers.groupby(source, sort=False).transform("min")
    is_first = (first == numbers).fillna(False).astype(bool)
    citing = "mentions" if mentions else "events"
    reason = pd.Series(pd.NA, index=records.index, dtype="string")
    reason = reason.mask(
        source.notna() & ~is_first,
        "same source as record "
        + first.astype("Int64").astype("string")
        + f" (one article cited by several GDELT {citing})",
    )
    no_source = "GDELT event with no source URL" + (
        " (a backfile record)" if kind == "gdelt1-events" else ""
    )
    reason = reason.mask(source.isna(), "GDELT mention with no source" if mentions else no_source)
    status = pd.Series("duplicate", index=records.index, dtype="string")
    status = status.mask(is_first, "loaded").mask(source.isna(), "rejected")
    manifest = pd.DataFrame(
        {"status": status, "reason": reason, "source_id": source, "first": first.astype("Int64")}
    )

    # The earliest time GDELT saw the source, over every record citing it.
    group = source.where(source.notna(), "")
    earliest = stamps.groupby(group, sort=False).transform("min")
    timed = has_time.groupby(group, sort=False).transform("any")
    best_method = method.where(stamps.notna()).groupby(group, sort=False).transform("first")
    take = is_first.to_numpy()
    url = source.where(source.str.match(r"(?i)^https?://").fillna(False))
    out = pd.DataFrame(index=records.index[take])
    out["source_id"] = source[take]
    out["url"] = url[take]
    out["outlet"] = _outlets(url[take], _column(records, "mentionsourcename")[take])
    out["title"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["body"] = ""
    out["language"] = _languages(_column(records, "mentiondoctranslationinfo"))[take]
    at = earliest[take]
    out["published_date"] = at.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
    out["published_at"] = (
        at.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").astype("string").where(timed[take])
    )
    out["timezone"] = pd.Series("UTC", index=out.index, dtype="string").where(at.notna())
    out["date_method"] = best_method[take].fillna("missing").astype("string")
    out["date_precision"] = pd.Series("day", index=out.index, dtype="string").where(at.notna())
    out["format"] = kind
    return out, manifest


def _outlets(urls: pd.Series, names: pd.Series) -> pd.Series:
    """Return each source's outlet: the name a known host maps to, else the host itself.

    A mention's ``MentionSourceName`` (GDELT's domain of the outlet, without
    subdomains such as ``arabic.``) comes before the URL's host.
    """
    return outlets_of_hosts(names.fillna(urls.str.extract(URL_HOST, expand=False)))


def _languages(info: pd.Series) -> pd.Series:
    """Return ISO 639-1 languages from ``srclc:xxx`` translation info; English when absent.

    GDELT codes English sources directly and marks a translated source with
    its language; GDELT 1.0 codes English sources only.
    """
    code = info.str.extract(r"srclc:([a-z]{3})", expand=False)
    two = code.map(LANGUAGES, na_action="ignore")
    return two.fillna(code).fillna("en").astype("string")
