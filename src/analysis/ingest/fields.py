"""The article fields an input may name, and the error a bad input raises.

The bottom of the ingest package: every reader imports from here, and this
module imports nothing from the package.
"""

from __future__ import annotations

__all__ = ["ALIAS_NAMES", "FIELD_ALIASES", "InputError"]


class InputError(Exception):
    """An input that cannot be loaded; the message is the manifest's reason."""


#: The names under which an input may give each article field, in order of
#: preference: a table's column names and a front-matter file's keys (both
#: compared lower-case). ``body``, ``caption`` and ``id`` are read from tables
#: only; front matter's body is the text below it.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "body": ("story", "story_text", "text", "body", "content", "article", "article_text"),
    "title": ("headline", "title", "post_title", "original_title"),
    "date": (
        "date",
        "date_str",
        "date_from_index_link",
        "published",
        "published_at",
        "published_date",
        "pubdate",
        "datetime",
        "post_date",
        "publish_date",
        "published_time",
        "published_on",
        "date_published",
        "datepublished",
        "pub_date",
        "posted",
        "posted_at",
        "posted_on",
        "release_date",
    ),
    "url": (
        "link",
        "url",
        "index.link",
        "original_link",
        "canonical_url",
        "permalink",
        "source_url",
    ),
    "id": ("link", "url", "id", "article_id", "source_id", "index.link"),
    "language": ("language", "lang"),
    "outlet": ("outlet", "source", "publisher", "agency"),
    "section": ("section", "topic", "category", "categories", "original_cats"),
    "byline": ("byline", "author", "authors"),
    "dateline": ("dateline", "place"),
    "caption": ("caption",),
    "timezone": ("timezone", "tz"),
}


#: Every name that gives an article field: the column names known by default.
ALIAS_NAMES = frozenset(name for names in FIELD_ALIASES.values() for name in names)
