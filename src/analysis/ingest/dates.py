"""Publication dates: datelines, URLs, time zones and inference from page clues.

Precedence (see :data:`analysis.schema.DATE_METHODS`): a date in the input's
metadata, then the text's dateline ("SEOUL, Dec. 28 (Yonhap) --"), then a date
in the URL or file name, then a date inferred from clues on the page, else
missing. Nothing here ever falls back to today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analysis import resources

#: Each month's names, lower-case and shortest first: its abbreviations, then
#: its full name. The one list of month words: every table and pattern of
#: month names in the package is built from it.
MONTH_NAMES = (
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
)
#: Every month name and abbreviation, lower-case, to the month's number.
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
#: The weekdays, lower-case, Monday first: a name's position is its ``date.weekday()``.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _nested_tails(names: tuple[str, ...]) -> str:
    """Return a pattern for one month's names, each a prefix of the next.

    ``("sep", "sept", "september")`` gives ``Sep(?:t(?:ember)?)?``.
    """
    tails = ""
    for shorter, longer in reversed(list(zip(names, names[1:], strict=False))):
        tail = longer[len(shorter) :] + tails
        tails = tail + "?" if len(tail) == 1 else f"(?:{tail})?"
    return names[0].capitalize() + tails


#: A month name as news writes it: "January", "Jan.", "Sept.".
MONTH_RE = r"(?:" + "|".join(_nested_tails(names) for names in MONTH_NAMES) + r")\.?"

#: A wire dateline at the start of a story: place, optional date, optional
#: agency in brackets, then a dash. "SEOUL, Dec. 28 (Yonhap) --",
#: "Pyongyang, January 2 (KCNA) --", "TOKYO (Reuters) -", "SEOUL --".
#: The place is one to four capitalised words; the dash is required so that an
#: ordinary first sentence is never taken for a dateline.
DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3})"
    r"(?:,\s*(?P<date>" + MONTH_RE + r"\s+\d{1,2}|\d{1,2}\s+[a-z]{3,10}\.?)"
    r"(?:,\s*(?P<year>\d{4}))?)?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{0,30})\))?"
    r"\s*(?:(?:--|—|–)\s*|-\s+)"
)

URL_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
)


@dataclass(frozen=True)
class PubDate:
    """A publication date and how it was found."""

    date: dt.date | None
    method: str = "missing"
    precision: str | None = None
    at: str | None = None  # ISO 8601 with offset, when the time is known
    timezone: str | None = None


MISSING = PubDate(None)


@lru_cache(maxsize=1)
def place_zones() -> dict[str, str]:
    """Return the IANA time zone of each known dateline place, keyed lower-case."""
    table = resources.read_csv("dateline_places.csv")
    return dict(zip(table["place"].str.lower(), table["timezone"], strict=True))


def zone_of(place: str | None) -> str | None:
    """Return the IANA zone of a dateline place ("SEOUL" -> "Asia/Seoul"), or None.

    Examples
    --------
    >>> zone_of("SEOUL"), zone_of("Yeonpyeong Island"), zone_of("Atlantis")
    ('Asia/Seoul', 'Asia/Seoul', None)
    """
    if not place:
        return None
    key = " ".join(place.replace(".", "").split()).lower()
    zones = place_zones()
    if key in zones:
        return zones[key]
    # "YEONPYEONG ISLAND", "SEOUL/TOKYO": try the first word(s).
    for word in re.split(r"[ /,]+", key):
        if word in zones:
            return zones[word]
    return None


def month_number(name: str) -> int:
    """Return the month number of a month name or abbreviation."""
    return MONTHS[name.strip(". ").lower()[:3]]


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date, or None when it does not exist (Feb. 30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_dateline(text: str) -> re.Match[str] | None:
    """Return the dateline match at the start of ``text``, or None."""
    match = DATELINE_RE.match(text[:200])
    if match is None:
        return None
    place = match["place"]
    # An all-lower or sentence-like opening is not a place: require either an
    # all-caps place, a known place, a date or an agency in brackets.
    if not (place.isupper() or zone_of(place) or match["date"] or match["agency"]):
        return None
    return match


def dateline_date(
    match: re.Match[str] | Mapping[str, str | None], year: int | None
) -> dt.date | None:
    """Return the date a dateline gives, with ``year`` when it names none."""
    if not match["date"]:
        return None
    first, second = match["date"].split(None, 1)
    month_name, day = (second, first) if first.isdigit() else (first, second)
    y = int(match["year"]) if match["year"] else year
    if y is None or month_name.strip(". ").lower()[:3] not in MONTHS:
        return None  # a year is needed; a foreign month name is not read
    return safe_date(y, month_number(month_name), int(day))


def url_date(*addresses: str | None) -> dt.date | None:
    """Return the first plausible date written in a URL or file name."""
    for address in addresses:
        if not address:
            continue
        for pattern in URL_DATE_RES:
            for m in pattern.finditer(address):
                date = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
                if date is not None:
                    return date
    return None


_URL_YEAR = re.compile(r"(?:^|[/_-])((?:19|20)\d\d)(?=[/_-]|$)")


def url_year(*addresses: str | None) -> int | None:
    """Return the year a URL or file name is filed under ("/2024/01/..."), or None."""
    date = url_date(*addresses)
    if date is not None:
        return date.year
    for address in addresses:
        match = _URL_YEAR.search(address or "")
        if match:
            return int(match[1])
    return None


def localize(timestamp: dt.datetime, zone: str | None) -> PubDate:
    """Return the metadata date of a UTC ``timestamp`` in the time zone ``zone``.

    A repost or feed time is written in UTC; the local calendar date of the
    dateline's place is the publication date a reader there saw.
    """
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=dt.UTC)
    try:
        tz = ZoneInfo(zone) if zone else None
    except ZoneInfoNotFoundError:
        tz, zone = None, None
    # Without a known place, the stamp's own offset is the best local time.
    local = timestamp.astimezone(tz) if tz is not None else timestamp
    if zone is None and local.utcoffset() == dt.timedelta(0):
        zone = "UTC"
    return PubDate(local.date(), "metadata", "day", local.isoformat(timespec="seconds"), zone)


# --- inference from page clues -------------------------------------------------

_YEAR_CLUES = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?((?:19|20)\d\d)", re.I)
_RANGE_CLUE = re.compile(
    r"(?P<m1>" + MONTH_RE + r")\s+(?P<d1>\d{1,2})\s*(?:–|-|—|to)\s*"
    r"(?:(?P<m2>" + MONTH_RE + r")\s+)?(?P<d2>\d{1,2})(?!\d)(?:,?\s+(?P<y>(?:19|20)\d\d))?"
)
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)


def weekday_of_lead(body: str) -> int | None:
    """Return the weekday named in the article's lead paragraph, or None.

    A news lead says when its main event happened ("met in Seoul on
    Thursday"); for a breaking story that is the day of publication.
    """
    for paragraph in body.split("\n"):
        if paragraph.strip():
            match = _WEEKDAY_RE.search(paragraph)
            return WEEKDAYS.index(match[1].lower()) if match else None
    return None


def infer_date(page: str, body: str) -> PubDate:
    """Infer a publication date from clues on a page that states none.

    Anchors come from the page around the article: a copyright year
    ("©2024") and a date range of a week ("Events for Jan. 15 – 21"), which
    a page's side panels show for the week it was served. Within that week, the
    weekday that the article's lead names is the publication day. With a week
    but no weekday, the week is returned (precision ``week``). A year alone is
    too vague and gives no date.

    Parameters
    ----------
    page : str
        The whole page text, boilerplate included.
    body : str
        The extracted article body.
    """
    years = [int(y) for y in _YEAR_CLUES.findall(page)]
    year = max(years) if years else None
    weekday = weekday_of_lead(body)
    for match in _RANGE_CLUE.finditer(page):
        m1 = month_number(match["m1"])
        m2 = month_number(match["m2"]) if match["m2"] else m1
        y = int(match["y"]) if match["y"] else year
        if y is None:
            continue
        start = safe_date(y, m1, int(match["d1"]))
        end = safe_date(y + (m2 < m1), m2, int(match["d2"]))
        if start is None or end is None or not 0 < (end - start).days <= 7:
            continue
        if weekday is None:
            return PubDate(start, "inferred", "week")
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
        if day <= end:
            return PubDate(day, "inferred", "day")
        return PubDate(start, "inferred", "week")
    return MISSING


# --- a date or time written in any common form ---------------------------------

#: Time-zone abbreviations a stamp may carry, to their IANA zone.
STAMP_ZONES = {
    "KST": "Asia/Seoul",
    "JST": "Asia/Tokyo",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "UTC": "UTC",
    "GMT": "UTC",
    "BST": "Europe/London",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
}
_ZONE = r"(?P<zone>Z|[+-][01]\d(?::?[0-5]\d)?(?!\d)|(?:" + "|".join(STAMP_ZONES) + r")\b)"
_TIME = (
    r"(?P<H>[0-2]?\d)[:.](?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?!\w))?(?:\s*" + _ZONE + ")?"
)
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
#: The written forms of a date, each with an optional time after it: ISO 8601
#: and its relatives ("2024-07-25T09:35:53+09:00", "2020-09-25-07-58-10",
#: "2024/07/25", "2024.07.25 09:35", Korean pages' "2024. 7. 25." and
#: "2024년 7월 25일"), "Dec. 28, 2025" (also "Dec.28,2025"), and "28 December
#: 2025" or "28-Dec-2025" (RFC 2822's "Thu, 25 Jul 2024 09:35:53 +0900" among
#: them).
STAMP_RES = (
    re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[-/]|\.\s?)(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)"
        r"(?![\d/])\.?"
        r"(?:(?:T|,?\s+|-)(?P<H>[0-2]?\d)[:-](?P<M>[0-5]\d)(?:[:-](?P<S>[0-5]\d)(?:\.\d+)?)?"
        r"(?!\d)(?:\s*(?P<ampm>[ap]\.?m\.?)(?!\w))?(?:\s*" + _ZONE + ")?)?",
        re.I,
    ),
    re.compile(
        r"(?P<y>(?:19|20)\d\d)\s*년\s*(?P<m>[01]?\d)\s*월\s*(?P<d>[0-3]?\d)\s*일"
        r"(?:\s+(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?)?"
    ),
    re.compile(
        r"\b(?P<mon>"
        + MONTH_RE
        + r")(?:\s+|(?<=\.))"
        + _DAY
        + r"(?:,\s*|\s+)"
        + _YEAR
        + r"(?:,?\s+(?:at\s+)?"
        + _TIME
        + ")?",
        re.I,
    ),
    re.compile(
        r"(?<![\d.:])"
        + _DAY
        + r"(?:\s+|-)(?P<mon>"
        + MONTH_RE
        + r")(?:,?\s+|-)"
        + _YEAR
        + r"(?:,?\s+(?:at\s+)?"
        + _TIME
        + ")?",
        re.I,
    ),
)
#: A time written before its date: "07:58 BST, 25 September 2020".
_TIME_BEFORE = re.compile(_TIME + r"\s*,?\s*(?:on\s+)?$", re.I)
#: Epoch seconds or milliseconds: 1990 to 2100.
_EPOCH = re.compile(r"\s*(?P<n>\d{9,10}|\d{12,13})(?:\.\d+)?\s*")
_EPOCH_RANGE = (631_152_000, 4_102_444_800)


def _tz(zone: str | None) -> dt.tzinfo | None:
    """Return the tzinfo of a stamp's zone: "Z", "+09:00", "-0400", "+09" or "KST"."""
    if not zone:
        return None
    name = zone.upper()
    if name == "Z":
        return dt.UTC
    if name in STAMP_ZONES:
        return dt.UTC if STAMP_ZONES[name] == "UTC" else ZoneInfo(STAMP_ZONES[name])
    digits = name[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    if minutes >= 24 * 60:
        return None
    return dt.timezone(dt.timedelta(minutes=minutes if name[0] == "+" else -minutes))


def _from_match(match: re.Match[str], head: str = "") -> dt.datetime | dt.date | None:
    """Return the date, or the time when the match (or ``head`` before it) gives one."""
    groups = match.groupdict()
    month = month_number(groups["mon"]) if groups.get("mon") else int(groups["m"])
    date = safe_date(int(match["y"]), month, int(match["d"]))
    if date is None:
        return None
    if groups.get("H") is None and head:
        before = _TIME_BEFORE.search(head)
        groups = before.groupdict() if before else groups
    if groups.get("H") is None:
        return date
    hour, minute, second = int(groups["H"]), int(groups["M"]), int(groups["S"] or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return date
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23:
        return date
    return dt.datetime(
        date.year, date.month, date.day, hour, minute, second, tzinfo=_tz(groups.get("zone"))
    )


def parse_stamp(value: object) -> dt.datetime | dt.date | None:
    """Return the date or time that ``value`` states, in any common written form.

    Reads ISO 8601 with or without time and offset, ``YYYY-MM-DD-HH-MM-SS``,
    ``YYYY/MM/DD`` and ``YYYY.MM.DD``, RFC 2822, "Dec. 28, 2025",
    "28 December 2025", a time before its date ("07:58 BST, 25 September
    2020") and epoch seconds or milliseconds. A time keeps the offset or
    zone it states (aware) and is naive without one; a date alone is a
    ``datetime.date``. The first date in ``value`` is read; None when it
    holds none.

    Examples
    --------
    >>> parse_stamp("2020-09-25-07-58-10")
    datetime.datetime(2020, 9, 25, 7, 58, 10)
    >>> parse_stamp("Dec. 28, 2025")
    datetime.date(2025, 12, 28)
    >>> parse_stamp(1703721600).isoformat()
    '2023-12-28T00:00:00+00:00'
    """
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(int(value)) if value == value and abs(value) < 1e15 else ""
    text = str(value)[:400]
    epoch = _EPOCH.fullmatch(text)
    if epoch is not None:
        number = int(epoch["n"])
        seconds = number / 1000 if len(epoch["n"]) > 10 else number
        if not _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1]:
            return None
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    found = []
    for pattern in STAMP_RES:
        match = pattern.search(text)
        if match is not None:
            found.append(match)
    for match in sorted(found, key=lambda m: m.start()):
        stamp = _from_match(match, text[: match.start()])
        if stamp is not None:
            return stamp
    return None


def stamp_date(stamp: dt.datetime | dt.date, zone: str | None, *, utc: bool = False) -> PubDate:
    """Return the metadata date of a stamp: the local date where it was published.

    A time with an offset or zone is converted to ``zone`` (the dateline
    place's) when given, and keeps the zone it states otherwise; a naive
    time is the wall-clock time of ``zone``, or UTC when ``utc`` (a repost
    or feed time, see :func:`localize`).
    """
    if not isinstance(stamp, dt.datetime):
        return PubDate(stamp, "metadata", "day", None, zone)
    if stamp.tzinfo is not None or utc:
        found = localize(stamp, zone)
        own = getattr(stamp.tzinfo, "key", None)
        if zone is None and own and own != "UTC":
            return PubDate(found.date, found.method, found.precision, found.at, own)
        return found
    try:
        tz = ZoneInfo(zone) if zone else None
    except ZoneInfoNotFoundError:
        tz = None
    at = stamp.replace(tzinfo=tz).isoformat(timespec="seconds") if tz is not None else None
    return PubDate(stamp.date(), "metadata", "day", at, zone if tz is not None else None)


#: Words of a stamp line: a publication line wins over an update line.
_PUBLISHED_WORDS = re.compile(r"\b(?:posted|published|date[ds]?|released|issued|created)\b", re.I)
#: A crawler's own time ("Crawled at: ..."), which is no publication date.
CRAWL_WORDS = re.compile(r"\b(?:crawled|scraped|fetched|retrieved|accessed|archived)\b", re.I)
_UPDATED_WORDS = re.compile(r"\b(?:updated|modified|edited|last updated)\b", re.I)


def line_stamp(line: str) -> tuple[int, dt.datetime | dt.date] | None:
    """Return ``(rank, stamp)`` of a short stamp line, or None when it is not one.

    ``rank`` orders the stamps of a page: 0 for a publication line
    ("Published : 2024-07-25 09:35:53"), 1 for a bare date, 2 for an update
    line. A line of "Published: ... | Updated: ..." gives its published part.
    A line longer than 120 characters is a sentence, not a stamp.
    """
    if len(line) > 120 or CRAWL_WORDS.search(line):
        return None
    parts = re.split(r"\s[|·•]\s|\s{2,}|(?<=\d)\s*/\s*(?=[A-Z])", line)
    best: tuple[int, dt.datetime | dt.date] | None = None
    for part in parts:
        stamp = parse_stamp(part)
        if stamp is None:
            continue
        rank = 0 if _PUBLISHED_WORDS.search(part) else 2 if _UPDATED_WORDS.search(part) else 1
        if best is None or rank < best[0]:
            best = (rank, stamp)
    return best


def page_stamp(lines: list[str]) -> PubDate:
    """Return the publication stamp of a page header ("Published: Jan. 15, 2024 10:24 KST").

    Only short lines are read (a stamp, not a sentence mentioning a date); a
    publication line wins over a bare date line, which wins over an update
    line (:func:`line_stamp`). A time with a zone gives the local date there.
    """
    best: tuple[int, dt.datetime | dt.date] | None = None
    for line in lines:
        if len(line) > 80:
            continue
        found = line_stamp(line)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return MISSING
    return stamp_date(best[1], None)


# --- the precedence ------------------------------------------------------------

#: The first copyright year on a page ("© 2024"): the year of a dateline's date.
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*((?:19|20)\d\d)", re.I)


def publication_date(
    stated: PubDate,
    *,
    dateline: re.Match[str] | Mapping[str, str | None] | None = None,
    place: str | None = None,
    addresses: Sequence[str | None] = (),
    page: str = "",
    body: str = "",
) -> PubDate:
    """Return an article's publication date, by the precedence of ``DATE_METHODS``.

    The date the input states (metadata) comes first, then the date of its
    dateline, then a date in its URL or file name, then one inferred from the
    page (:func:`infer_date`), else the date is missing; never today's date.
    The time zone is the stated one, else the dateline place's.

    Parameters
    ----------
    stated : PubDate
        The date the input's metadata gives (:data:`MISSING` when none).
    dateline : re.Match or mapping, optional
        The story's dateline (:func:`parse_dateline`); its date takes the year
        of the URL or file name, else of the page's copyright line.
    place : str, optional
        The dateline place, for the time zone (:func:`zone_of`).
    addresses : sequence of str
        The URL and the file name, in that order of preference.
    page, body : str
        The whole input and the article's body, for :func:`infer_date`.

    Examples
    --------
    >>> line = parse_dateline("SEOUL, Dec. 28 (Yonhap) -- North Korea said ...")
    >>> publication_date(MISSING, dateline=line, place="SEOUL", addresses=["2023/x.html"])
    PubDate(date=datetime.date(2023, 12, 28), method='dateline', precision='day', at=None, \
timezone='Asia/Seoul')
    """
    zone = stated.timezone or zone_of(place)
    if stated.date is not None:
        return PubDate(stated.date, stated.method, stated.precision, stated.at, zone)
    if dateline is not None and dateline["date"]:
        found = _COPYRIGHT_YEAR.search(page) if page else None
        year = url_year(*addresses) or (int(found[1]) if found else None)
        date = dateline_date(dateline, year)
        if date is not None:
            return PubDate(date, "dateline", "day", None, zone)
    date = url_date(*addresses)
    if date is not None:
        return PubDate(date, "url", "day", None, zone)
    inferred = infer_date(page, body)
    if inferred.date is not None:
        return PubDate(inferred.date, "inferred", inferred.precision, None, zone)
    return PubDate(None, "missing", None, None, zone)
