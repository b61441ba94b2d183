"""HTML pages and Markdown/HTML files with YAML front matter.

The article text of HTML is taken by trafilatura (paragraphs become lines);
front matter is read with PyYAML. Blog reposts of wire stories keep the
story's place in a ``<span class="articleLocation">`` or a leading dateline,
which gives the time zone that a UTC ``post_date`` is converted into.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pandas as pd
import yaml

from analysis.ingest.dates import PubDate, localize, parse_dateline, zone_of
from analysis.ingest.detect import looks_html, split_front_matter
from analysis.ingest.fields import FIELD_ALIASES, InputError
from analysis.ingest.outlets import outlet_from_url, outlet_of
from analysis.ingest.pages import is_boilerplate

#: libyaml's safe loader when PyYAML was built with it (ten times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.I | re.S)
_PUBLISHED_TIME = re.compile(
    r'<meta[^>]+(?:property|name|itemprop)="(?:article:published_time|datePublished|pubdate)"'
    r'[^>]+content="([^"]+)"',
    re.I,
)
_SITE_NAME = re.compile(r'<meta[^>]+property="og:site_name"[^>]+content="([^"]+)"', re.I)
_LOCATION_SPAN = re.compile(r'class="articleLocation"[^>]*>\s*([^<]{1,40}?)\s*<', re.I)
_HTML_END = re.compile(r"</html\s*>|</body\s*>", re.I)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)")
_BOILER_TOKENS = re.compile(r"\[ad_\d+\]")
#: A wire story's closing credit: "(Reporting by A and B; Editing by C)".
_CREDIT_LINE = re.compile(
    r"^\((?:additional )?(?:reporting|writing|editing)\b.*\)$|^(?:reporting|writing) by\b.*$", re.I
)
_REPORTERS = re.compile(r"reporting by ([^;)]+)", re.I)


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    value = _first(value)
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def read_front_matter(yaml_text: str) -> dict[str, Any]:
    """Parse front matter with PyYAML; raise :class:`InputError` when it is malformed."""
    try:
        meta = yaml.load(yaml_text, Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        raise InputError(f"malformed YAML front matter{line}") from err
    except ValueError as err:  # a timestamp YAML reads that does not exist: "2024-13-45"
        raise InputError(f"malformed YAML front matter: {err}") from err
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise InputError("malformed YAML front matter: not a mapping of keys to values")
    return meta


def pick(meta: dict[str, Any], field: str) -> Any:
    """Return the first front-matter value among the names of ``field`` (:data:`FIELD_ALIASES`)."""
    lowered = {str(k).lower(): v for k, v in meta.items()}
    for key in FIELD_ALIASES[field]:
        value = lowered.get(key.lower())
        if value not in (None, "", []):
            return value
    return None


def html_body(html: str) -> str:
    """Return the article text of an HTML page, one paragraph per line."""
    # Lazy: trafilatura (and lxml) take a second to import; only HTML needs them.
    import trafilatura

    text = trafilatura.extract(
        _BOILER_TOKENS.sub("", html),
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        favor_recall=True,
    )
    return normalise_paragraphs(text or "")


def html_metadata(html: str) -> dict[str, Any]:
    """Return the title, date, author and site name that an HTML page declares."""
    # Lazy: see html_body.
    from trafilatura import extract_metadata

    meta = extract_metadata(html, extensive=False)
    if meta is None:
        return {}
    heading = _H1.search(html)
    published = _PUBLISHED_TIME.search(html)
    site = _SITE_NAME.search(html)
    return {
        "title": _strip_tags(heading[1]) if heading else meta.title,
        "date": published[1] if published else meta.date,
        "byline": meta.author,
        "outlet": unescape(site[1]) if site else None,
        "url": meta.url,
    }


def _strip_tags(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _drop_heading(body: str, title: str | None) -> str:
    """Drop the headline and byline lines that HTML extraction keeps above the story."""
    lines = body.split("\n")
    key = " ".join((title or "").split()).lower()
    while lines and (
        (key and " ".join(lines[0].split()).lower() == key)
        or (len(lines[0].split()) <= 8 and re.match(r"by\s+[A-Z]", lines[0], re.I))
    ):
        lines = lines[1:]
    return "\n".join(lines)


def _drop_tail(body: str) -> tuple[str, str | None]:
    """Drop the furniture after the story ("Source", "Read more", credit lines).

    Returns the body and the reporters' names from a "(Reporting by ...)" credit.
    """
    lines = body.split("\n")
    reporters = None
    while lines:
        last = lines[-1].strip()
        if _CREDIT_LINE.match(last):
            found = _REPORTERS.search(last)
            reporters = reporters or (found[1].strip() if found else None)
        elif not (
            is_boilerplate(last) or (len(last.split()) <= 3 and not re.search(r"[.!?\"”]$", last))
        ):
            break
        lines.pop()
    return "\n".join(lines), reporters


def normalise_paragraphs(text: str) -> str:
    """Return ``text`` with one paragraph per line, spaces collapsed, no blank lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def markdown_body(text: str) -> tuple[str | None, str]:
    """Return ``(heading, body)`` of Markdown: the first ``#`` heading and the prose.

    Paragraphs (blank-line separated, possibly hard-wrapped) become one line each;
    links keep their text; emphasis marks go.
    """
    heading = None
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            title = line.lstrip("#").strip()
            if heading is None and not paragraphs:
                heading = title
            elif title:
                paragraphs.append(title)
            continue
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line.lstrip(">").strip())
    if current:
        paragraphs.append(" ".join(current))
    body = "\n".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", p)) for p in paragraphs)
    return heading, normalise_paragraphs(body)


def _as_timestamp(value: Any) -> dt.datetime | dt.date | None:
    """Return a front-matter date value as a datetime or date, or None."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    if stamp.hour == stamp.minute == stamp.second == 0 and len(str(value).strip()) <= 10:
        return stamp.date()
    return stamp.to_pydatetime()


def _front_date(meta: dict[str, Any]) -> dt.datetime | dt.date | None:
    """Return the first front-matter value among the date keys that is a date."""
    lowered = {str(k).lower(): v for k, v in meta.items()}
    for key in FIELD_ALIASES["date"]:
        value = _first(lowered.get(key))
        if isinstance(value, bool) or value in (None, ""):
            continue  # "published: true" is a flag, not a date
        stamp = _as_timestamp(value)
        # A year a frame's dates cannot hold (1677-2262) is a typo, not a date.
        if stamp is not None and pd.Timestamp.min.year < stamp.year < pd.Timestamp.max.year:
            return stamp
    return None


def parse_markup(text: str, fmt: str) -> dict[str, Any]:
    """Return the article fields of an HTML page or a front-matter file.

    Parameters
    ----------
    text : str
        The decoded file.
    fmt : {"html", "markdown"}
        As told by :func:`analysis.ingest.detect.detect_format`.

    Returns
    -------
    dict
        Article fields (``title``, ``body``, ``dateline`` ...), ``pubdate``
        (a :class:`PubDate` from metadata or dateline, possibly missing),
        ``note`` (a remark for the manifest) and ``format``.
    """
    meta: dict[str, Any] = {}
    rest = text
    if fmt == "markdown":
        yaml_text, rest = split_front_matter(text.lstrip())
        meta = read_front_matter(yaml_text or "")
    is_html = looks_html(rest)
    note = None
    heading = None
    if is_html:
        body = html_body(rest)
        # The page's own metadata only when front matter lacks a title or a date.
        page_meta = {}
        if not (pick(meta, "title") and _front_date(meta)):
            page_meta = {k: v for k, v in html_metadata(rest).items() if v}
        meta = meta or page_meta
        body = _drop_heading(body, _text(pick(meta, "title")) or page_meta.get("title"))
        body, reporters = _drop_tail(body)
        if re.search(r"<html|<body", rest[:2000], re.I) and not _HTML_END.search(rest[-4000:]):
            note = "truncated HTML (no closing </body> or </html>)"
    else:
        heading, body = markdown_body(rest)
        body, reporters = _drop_tail(body)
    out_format = "html" if is_html and fmt == "html" else fmt
    if fmt == "markdown" and is_html:
        out_format = "html+frontmatter"
    elif fmt == "markdown":
        out_format = "markdown"

    location = _LOCATION_SPAN.search(rest) if is_html else None
    dateline = _text(pick(meta, "dateline")) or (location[1].strip() if location else None)
    byline = reporters or _text(pick(meta, "byline"))
    dl_match = parse_dateline(body) if body else None
    if dl_match is not None:
        dateline = dateline or dl_match["place"]
        if dl_match["agency"] and not byline:
            byline = dl_match["agency"].strip()
        body = body[dl_match.end() :]
    elif dateline and body.startswith(dateline + " "):
        # The location span's text runs into the first sentence: "SEOUL Defence ...".
        body = body[len(dateline) + 1 :].lstrip(" -–—")
    url = _text(pick(meta, "url"))
    agency = dl_match["agency"].strip() if dl_match is not None and dl_match["agency"] else None
    outlet = (
        outlet_of(agency)
        or _text(pick(meta, "outlet"))
        or outlet_of(byline)
        or outlet_from_url(url)
    )
    zone = _text(pick(meta, "timezone")) or zone_of(dateline)

    stamp = _front_date(meta)
    if isinstance(stamp, dt.datetime):
        pubdate = localize(stamp, zone)
    elif isinstance(stamp, dt.date):
        pubdate = PubDate(stamp, "metadata", "day", None, zone)
    elif dl_match is not None and dl_match["date"]:
        pubdate = PubDate(None, "dateline", "day", None, zone)  # year filled later
    else:
        pubdate = PubDate(None, "missing", None, None, zone)
    section = _text(pick(meta, "section"))
    return {
        "title": unescape(_text(pick(meta, "title")) or heading or "") or None,
        "body": body,
        "url": url,
        "outlet": outlet,
        "byline": byline,
        "section": section,
        "language": _text(pick(meta, "language")),
        "dateline": dateline,
        "caption": None,
        "pubdate": pubdate,
        "dateline_match": dl_match,
        "note": note,
        "format": out_format,
    }
