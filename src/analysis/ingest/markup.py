"""HTML pages and Markdown/HTML files with YAML front matter.

The article text of HTML is taken by trafilatura (paragraphs become lines);
front matter is read with PyYAML. Blog reposts of wire stories keep the
story's place in a ``<span class="articleLocation">`` or a leading dateline,
which gives the time zone that a UTC ``post_date`` is converted into.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from html import unescape
from typing import Any

import pandas as pd
import yaml

from analysis.ingest.chrome import (
    Blocks,
    clean_paragraphs,
    clean_title,
    decode_entities,
    markdown_blocks,
    trim_edges,
)
from analysis.ingest.dates import PubDate, parse_dateline, parse_stamp, stamp_date, zone_of
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
#: The names under which a page's ``<meta>`` tags give its publication time,
#: best first: Open Graph, schema.org, then common site conventions.
PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_TIME_PUBLISHED = re.compile(
    r"<time\b[^>]*?(?:itemprop=[\"']datePublished[\"'][^>]*?datetime=[\"']([^\"']+)|"
    r"datetime=[\"']([^\"']+)[\"'][^>]*?itemprop=[\"']datePublished)",
    re.I,
)
_SITE_NAME = re.compile(r'<meta[^>]+property="og:site_name"[^>]+content="([^"]+)"', re.I)
_LOCATION_SPAN = re.compile(r'class="articleLocation"[^>]*>\s*([^<]{1,40}?)\s*<', re.I)
_HTML_END = re.compile(r"</html\s*>|</body\s*>", re.I)
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
    if isinstance(value, dict):  # author: {name: ..., email: ...}
        value = next((v for k, v in value.items() if str(k).lower() in ("name", "title")), None)
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


_KEY_LINE = {
    "yaml": re.compile(
        r"^(?P<key>[A-Za-z_][\w.\-]*(?: [\w.\-]+){0,3})\s*:(?!//)(?:[ \t]+(?P<value>.*?))?\s*$"
    ),
    "toml": re.compile(r"^(?P<key>[A-Za-z_][\w.\-]*)\s*=\s*(?P<value>.*?)\s*$"),
}
_LIST_LINE = re.compile(r"^\s*-\s+(?P<value>.*?)\s*$")


def _scalar(value: str) -> Any:
    """Return a front-matter value read leniently: quotes off, ``[a, b]`` a list."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if value.startswith("[") and value.endswith("]"):
        items = [_scalar(item) for item in value[1:-1].split(",")]
        return [item for item in items if item not in ("", None)]
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value or None


def key_value_lines(block: str, kind: str = "yaml") -> tuple[dict[str, Any], int]:
    """Read front matter that strict YAML (or TOML) refuses as ``key: value`` lines.

    A line indented by tabs or spaces continues the value above it (a
    multi-line author), joined with a space; ``- item`` lines under an empty
    key make a list; ``#`` comments are skipped. Returns the mapping and the
    number of lines that could not be read.

    Examples
    --------
    >>> key_value_lines("title: Kim: talks resume\\nauthor: Kim Min-ji\\n\\tLee Jun-ho")
    ({'title': 'Kim: talks resume', 'author': 'Kim Min-ji Lee Jun-ho'}, 0)
    """
    pattern = _KEY_LINE[kind]
    meta: dict[str, Any] = {}
    raw: dict[str, list[str]] = {}
    key = None
    skipped = 0
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = None if line[0] in " \t" else pattern.match(line)
        if match is not None:
            key = match["key"].strip()
            raw[key] = [match["value"] or ""]
            continue
        item = _LIST_LINE.match(line)
        if key is not None and item is not None and not "".join(raw[key]).strip():
            meta.setdefault(key, []).append(_scalar(item["value"]))
            continue
        if key is not None and line[0] in " \t":
            raw[key].append(line.strip())
            continue
        skipped += 1
    for name, parts in raw.items():
        if parts[0].strip() in ("|", ">", "|-", ">-", "|+", ">+"):
            parts = parts[1:]  # a block scalar: its lines are the value
        text = " ".join(part for part in parts if part)
        if name in meta and not text:
            continue
        meta[name] = _scalar(text)
    return meta, skipped


def lenient_front_matter(block: str, kind: str = "yaml") -> tuple[dict[str, Any], list[str]]:
    """Return front matter as a mapping, and the warnings of reading it leniently.

    Strict YAML (or TOML) first; when it refuses the block, the block is
    read as ``key: value`` lines (:func:`key_value_lines`) and a warning
    says so. Nothing raises: front matter that gives no keys at all is
    ignored, with a warning.
    """
    try:
        if kind == "toml":
            try:
                return tomllib.loads(block), []
            except tomllib.TOMLDecodeError as err:
                raise InputError(f"malformed TOML front matter ({err})") from err
        return read_front_matter(block), []
    except InputError as err:
        reason = str(err)
    meta, skipped = key_value_lines(block, kind)
    if not meta:
        return {}, [f"{reason}; ignored"]
    warnings = [f"{reason}; read as key: value lines"]
    if skipped:
        warnings.append(f"{skipped} front-matter line{'s' if skipped > 1 else ''} not read")
    return meta, warnings


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
    site = _SITE_NAME.search(html)
    return {
        "title": _strip_tags(heading[1]) if heading else meta.title,
        "date": published_meta(html) or meta.date,
        "byline": meta.author,
        "outlet": unescape(site[1]) if site else None,
        "url": meta.url,
    }


def published_meta(html: str) -> str | None:
    """Return the publication time an HTML page declares, as written, or None.

    Read from ``<meta>`` tags in either attribute order (:data:`PUBLISHED_META`,
    best first), then schema.org's ``datePublished`` in JSON-LD, then a
    ``<time itemprop="datePublished">``. Modification times are never read.
    """
    found = _PUBLISHED_TIME.search(html)
    if found:
        return found[1]
    declared: dict[str, str] = {}
    for tag in _META_TAG.findall(html[:300_000]):
        attrs = {name.lower(): first or second for name, first, second in _ATTRIBUTE.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in PUBLISHED_META and attrs.get("content"):
            declared.setdefault(key, attrs["content"])
    for key in PUBLISHED_META:
        if key in declared:
            return declared[key]
    found = _LD_PUBLISHED.search(html)
    if found:
        return found[1]
    found = _TIME_PUBLISHED.search(html)
    return (found[1] or found[2]) if found else None


_FULL_PAGE = re.compile(r"<html|<body|<head", re.I)
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|section|article)\s*>|<br\s*/?>", re.I)


def fragment_text(fragment: str) -> str:
    """Return the text of an HTML fragment, one paragraph per block element.

    Examples
    --------
    >>> fragment_text("<p>One &amp; two.</p><p>Three.</p>")
    'One & two.\\nThree.'
    """
    return normalise_paragraphs("\n".join(_strip_tags(part) for part in _BLOCK_END.split(fragment)))


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


def markdown_body(text: str, title: str | None = None) -> Blocks:
    """Return the story of a Markdown (or plain) text, without its chrome.

    ``paragraphs`` are the story's paragraphs as plain text, one line each;
    ``heading`` is the first ``#`` heading (a title when front matter gives
    none); ``stamps`` and ``bylines`` are what the date lines and bylines
    around the story said (see :mod:`analysis.ingest.chrome`).
    """
    blocks = markdown_blocks(text)
    story = trim_edges(blocks.paragraphs, title or clean_title(blocks.heading))
    story.heading = blocks.heading
    story.paragraphs = clean_paragraphs(story.paragraphs)
    return story


_EMAIL = re.compile(r"\(?[^\s@()]+@[^\s@()]+\)?")
_BYLINE_LABEL = re.compile(
    r"^(?:by|written by|reported by|words by|authors?|reporters?|correspondent)\s*[:：]?\s*", re.I
)


def _byline_name(line: str) -> str | None:
    """Return the names of a byline line: "By Kim Min-ji, Yonhap" -> "Kim Min-ji, Yonhap"."""
    text = _BYLINE_LABEL.sub("", _EMAIL.sub("", line).strip())
    return " ".join(text.split()).strip(" ,;") or None


def _as_timestamp(value: Any) -> dt.datetime | dt.date | None:
    """Return a front-matter date value as a datetime or date, or None."""
    if value is None:
        return None
    stamp = parse_stamp(value)
    if stamp is not None:
        return stamp
    try:
        found = pd.Timestamp(str(value))
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(found):
        return None
    if found.hour == found.minute == found.second == 0 and len(str(value).strip()) <= 10:
        return found.date()
    return found.to_pydatetime()


#: Front-matter keys whose naive times are UTC (a repost's time), not local.
UTC_DATE_KEYS = ("post_date",)


def _front_date(
    meta: dict[str, Any],
) -> tuple[dt.datetime | dt.date | None, str | None, str | None]:
    """Return the first front-matter date, the key it came from, and a warning.

    The warning names a date key whose value is not a date (the first one).
    """
    lowered = {str(k).lower(): v for k, v in meta.items()}
    unread = None
    for key in FIELD_ALIASES["date"]:
        value = _first(lowered.get(key))
        if isinstance(value, bool) or value in (None, ""):
            continue  # "published: true" is a flag, not a date
        stamp = _as_timestamp(value)
        # A year a frame's dates cannot hold (1677-2262) is a typo, not a date.
        if stamp is not None and pd.Timestamp.min.year < stamp.year < pd.Timestamp.max.year:
            return stamp, key, None
        unread = unread or f"unreadable date in {key}: {str(value)[:40]!r}"
    return None, None, unread


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
        ``note`` (a remark for the manifest), ``warnings`` (what was
        repaired or not read, one short phrase each) and ``format``.
    """
    meta: dict[str, Any] = {}
    rest = text
    warnings: list[str] = []
    if fmt == "markdown":
        front = split_front_matter(text.lstrip())
        rest = front.rest
        if front.kind is not None:
            meta, warnings = lenient_front_matter(front.block or "", front.kind)
            if not front.closed:
                warnings.append("front matter not closed; read up to the first blank line")
    is_html = looks_html(rest)
    note = None
    story = None
    if is_html:
        body = html_body(rest)
        if not body and not _FULL_PAGE.search(rest[:2000]):
            # A fragment too short for boilerplate removal ("<p>...</p>" under
            # front matter) is all story: its paragraphs as written.
            body = fragment_text(rest)
        # The page's own metadata only when front matter lacks a title or a date;
        # front matter wins where both give a field.
        page_meta = {}
        if not (pick(meta, "title") and _front_date(meta)[0] is not None):
            page_meta = {k: v for k, v in html_metadata(rest).items() if v}
        meta = {**page_meta, **meta}
        body = _drop_heading(body, _text(pick(meta, "title")) or page_meta.get("title"))
        body, reporters = _drop_tail(body)
        if re.search(r"<html|<body", rest[:2000], re.I) and not _HTML_END.search(rest[-4000:]):
            note = "truncated HTML (no closing </body> or </html>)"
    else:
        story = markdown_body(rest, clean_title(_text(pick(meta, "title"))))
        body, reporters = _drop_tail("\n".join(story.paragraphs))
    out_format = "html" if is_html and fmt == "html" else fmt
    if fmt == "markdown" and is_html:
        out_format = "html+frontmatter"
    elif fmt == "markdown":
        out_format = "markdown"

    location = _LOCATION_SPAN.search(rest) if is_html else None
    dateline = _text(pick(meta, "dateline")) or (location[1].strip() if location else None)
    byline = reporters or _text(pick(meta, "byline"))
    if byline and "@" in byline:
        byline = _byline_name(byline)  # "Kim Min-ji (desk@example.co.kr)": the name
    if byline and "&" in byline and not is_html:
        byline = decode_entities(byline)
    if not byline and story is not None and story.bylines:
        byline = _byline_name(story.bylines[0])
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

    stamp, key, unread = _front_date(meta)
    if stamp is None and story is not None and story.stamps:
        # "Published : 2024-07-25 09:35:53" above the story: the page's own stamp.
        stamp, key = min(story.stamps, key=lambda found: found[0])[1], None
    if stamp is not None:
        pubdate = stamp_date(stamp, zone, utc=key in UTC_DATE_KEYS)
    elif dl_match is not None and dl_match["date"]:
        pubdate = PubDate(None, "dateline", "day", None, zone)  # year filled later
    else:
        pubdate = PubDate(None, "missing", None, None, zone)
    if unread and stamp is None:
        warnings.append(unread)
    section = _text(pick(meta, "section"))
    return {
        "title": (
            unescape(_text(pick(meta, "title")) or "") or None
            if is_html
            else clean_title(_text(pick(meta, "title")) or (story.heading if story else None))
        ),
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
        "warnings": warnings,
        "format": out_format,
    }
