"""RSS and Atom feeds and WordPress exports (WXR): one record per item.

A feed is a table of articles written in XML: each ``<item>`` (RSS, and
WordPress's export format WXR, which is RSS with ``wp:`` fields) or
``<entry>`` (Atom) becomes a record with the columns that
:mod:`analysis.ingest.tables` knows by name (``title``, ``link``,
``published``, ``author``, ``content``, ``category``). The item's HTML
becomes paragraphs of text. A WordPress item that is not a post or a page
(an attachment, a menu item) is accounted for and rejected, with the reason.

The publication time keeps the zone the site stated: WXR gives the post's
local time (``wp:post_date``) beside its UTC time (``wp:post_date_gmt``),
and their difference is the site's offset.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pandas as pd

from analysis.ingest.chrome import html_paragraphs
from analysis.ingest.dates import parse_stamp
from analysis.ingest.fields import InputError

#: The start of a feed: an RSS, RDF or Atom root element near the top.
FEED_START = re.compile(r"<(?:rss|rdf:RDF|feed)\b", re.I)

#: WordPress item types that are articles.
WXR_ARTICLE_TYPES = ("post", "page")


def looks_feed(text: str) -> bool:
    """Return whether ``text`` is an RSS, Atom or WordPress export (XML) file."""
    head = text.lstrip()[:4000]
    return head.startswith("<") and FEED_START.search(head) is not None


def _local(tag: str) -> str:
    """Return an element's name without its namespace: ``{...content/}encoded`` -> ``encoded``."""
    return tag.rsplit("}", 1)[-1]


def _prefixed(element: ET.Element) -> dict[str, str]:
    """Return an item's child texts by short name (``content:encoded`` -> ``encoded``).

    A repeated child (categories) keeps its first text; an Atom link keeps its ``href``.
    """
    fields: dict[str, str] = {}
    for child in element:
        name = _local(child.tag).lower()
        text = child.get("href") if name == "link" and child.get("href") else child.text
        if name == "author" and len(child):
            text = " ".join((part.text or "") for part in child if _local(part.tag) == "name")
        text = (text or "").strip()
        if text and name not in fields:
            fields[name] = text
    return fields


def _published(fields: dict[str, str]) -> str | None:
    """Return an item's publication time as ISO 8601, with the site's offset when known."""
    local, utc = fields.get("post_date"), fields.get("post_date_gmt")
    if local and utc and not utc.startswith("0000"):
        at, at_utc = parse_stamp(local), parse_stamp(utc)
        if isinstance(at, dt.datetime) and isinstance(at_utc, dt.datetime):
            minutes = round((at - at_utc).total_seconds() / 900) * 15
            if abs(minutes) < 24 * 60:
                zone = dt.timezone(dt.timedelta(minutes=minutes))
                return at.replace(tzinfo=zone).isoformat(timespec="seconds")
    for name in ("pubdate", "published", "issued", "date", "updated", "post_date"):
        stamp = parse_stamp(fields.get(name))
        if isinstance(stamp, dt.datetime):
            return stamp.isoformat(timespec="seconds")
        if isinstance(stamp, dt.date):
            return stamp.isoformat()
    return None


def read_feed(text: str) -> pd.DataFrame:
    """Return the items of an RSS, Atom or WXR feed, one record per item.

    Columns: ``title``, ``link``, ``published``, ``author``, ``category``,
    ``guid`` and ``content`` (the item's text, one paragraph per line), and
    ``__bad__`` naming why an item is not an article (a WordPress attachment).

    Raises
    ------
    InputError
        When the XML is malformed or holds no items.
    """
    try:
        root = ET.fromstring(text.lstrip())
    except ET.ParseError as err:
        raise InputError(f"malformed XML feed: {err}") from err
    items = [el for el in root.iter() if _local(el.tag) in ("item", "entry")]
    if not items:
        raise InputError("XML feed holds no items")
    rows = []
    for item in items:
        fields = _prefixed(item)
        html = fields.get("encoded") or fields.get("content") or fields.get("description") or ""
        post_type = fields.get("post_type")
        bad = None
        if post_type and post_type not in WXR_ARTICLE_TYPES:
            bad = f"not an article (WordPress {post_type})"
        rows.append(
            {
                "title": fields.get("title"),
                "link": fields.get("link") or fields.get("id"),
                "published": _published(fields),
                "author": fields.get("creator") or fields.get("author"),
                "category": fields.get("category"),
                "guid": fields.get("guid"),
                "content": "\n".join(html_paragraphs(html)) or None,
                "__bad__": bad,
            }
        )
    frame = pd.DataFrame(rows)
    if frame["__bad__"].isna().all():
        frame = frame.drop(columns="__bad__")
    return frame
