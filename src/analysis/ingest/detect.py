"""Reading an input file: bytes to text, and which format the text is in.

The format is told from the content (the file name's suffix only breaks
ties), so a JSON file called ``.txt`` or an HTML page saved as ``.dat`` still
loads. Decoding tries UTF-8 (and UTF-16 with a byte-order mark) first, then
asks ``charset-normalizer``; text it cannot tell is rejected with the reason,
never decoded into mojibake silently.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from analysis.ingest.feeds import looks_feed
from analysis.ingest.fields import ALIAS_NAMES, InputError
from analysis.ingest.gdelt import column_list, looks_headerless

#: Leading bytes of common binary formats, named for the manifest.
MAGIC = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PAR1", "Parquet file"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3", "SQLite database"),
)

#: The largest share of "chaos" (charset-normalizer's mess score) accepted.
MAX_CHAOS = 0.2

#: The formats read as tables of records (see :mod:`analysis.ingest.tables`).
TABLE_FORMATS = ("json", "jsonl", "csv", "gdelt", "feed")


@dataclass(frozen=True)
class Decoded:
    """A file's text and its encoding, or why it could not be read."""

    text: str | None
    encoding: str | None
    reason: str | None = None


def read_bytes(path: Path, limit: int = -1) -> bytes:
    """Return the bytes of ``path`` (the first ``limit`` only, when given).

    Raises
    ------
    InputError
        With the reason in words when the file cannot be read.
    """
    try:
        with path.open("rb") as handle:
            return handle.read(limit)
    except IsADirectoryError as err:
        raise InputError("unreadable: is a folder, not a file") from err
    except PermissionError as err:
        raise InputError("unreadable: permission denied") from err
    except OSError as err:
        raise InputError(f"unreadable: {err.strerror or err}") from err


def decode(data: bytes) -> Decoded:
    """Decode ``data`` to text, telling the encoding; the reason when it cannot."""
    if not data.strip():
        return Decoded(None, None, "empty file")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError:
                return Decoded(
                    None, None, f"undecodable: byte-order mark says {name} but it is not"
                )
    for magic, what in MAGIC:
        if data.startswith(magic):
            return Decoded(None, None, f"binary file ({what})")
    head = data[:8192]
    if b"\x00" in head:
        return Decoded(None, None, "binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # Lazy: charset-normalizer is slow to import and most inputs are UTF-8.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return Decoded(None, None, "undecodable: not UTF-8 and no known encoding fits")
    if best.chaos > MAX_CHAOS:
        return Decoded(
            None,
            None,
            f"undecodable: not UTF-8, and the best guess ({best.encoding}) "
            f"gives garbled text ({best.chaos:.0%} mess)",
        )
    text = str(best)
    if _control_share(text) > 0.01:
        return Decoded(None, None, "binary file (control characters)")
    return Decoded(text, best.encoding)


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / len(sample)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
#: Front matter whose closing ``---`` was lost (a truncated or hand-cut page):
#: ``key: value`` lines from the opening ``---`` to the first blank line.
_OPEN_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n((?:[A-Za-z_][\w.\- ]*:[^\n]*\n(?:[ \t]+\S[^\n]*\n)*)+)[ \t]*\r?\n"
)
#: A Markdown heading opening a file: "# Title".
_MARKDOWN_HEADING = re.compile(r"\A#{1,3}[ \t]+\S")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)
_TAG = re.compile(
    r"</?(?:p|div|span|br|a|h[1-6]|li|ul|article|section|table|img|em|strong)\b", re.I
)


class FrontMatter(NamedTuple):
    """A file's front matter: its ``kind`` ("yaml", "toml" or None), the block and the rest."""

    kind: str | None
    block: str | None
    rest: str
    closed: bool = True  # False when the closing line was missing


def split_front_matter(text: str) -> FrontMatter:
    """Return the front matter of ``text``: YAML between ``---`` lines or TOML between ``+++``.

    Examples
    --------
    >>> split_front_matter("+++\\ntitle = 'T'\\n+++\\nText")
    FrontMatter(kind='toml', block="title = 'T'", rest='Text')
    """
    for kind, pattern in (("yaml", _FRONT_MATTER), ("toml", _TOML_FRONT_MATTER)):
        match = pattern.match(text)
        if match is not None:
            return FrontMatter(kind, match[1], text[match.end() :])
    match = _OPEN_FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is not None:
        return FrontMatter(
            "yaml", match[1].rstrip("\n"), text.replace("\r\n", "\n")[match.end() :], False
        )
    return FrontMatter(None, None, text)


def looks_html(text: str) -> bool:
    """Return whether ``text`` is HTML markup rather than prose."""
    if _HTML_START.match(text):
        return True
    tags = len(_TAG.findall(text[:20000]))
    return tags >= 3 and tags * 40 > min(len(text), 20000) / 10


def detect_format(text: str, suffix: str = "") -> str:
    """Return the format of a decoded input: ``json``, ``jsonl``, ``csv``, ``feed`` (RSS,
    Atom or a WordPress export), ``gdelt``
    (a headerless GDELT export), ``gdelt-columns`` (a list of GDELT's column
    names), ``html``, ``markdown`` (front matter with Markdown or HTML, or a
    Markdown file without it) or ``text``."""

    stripped = text.lstrip().lstrip("\ufeff")
    suffix = suffix.lower()
    if stripped.startswith(("---", "+++")) and split_front_matter(stripped).kind is not None:
        return "markdown"
    if stripped[:1] in "[{":
        first = stripped.split("\n", 1)[0].strip()
        if stripped[:1] == "{" and first.endswith("}") and "\n" in stripped.strip():
            try:
                json.loads(first)
                return "jsonl"
            except ValueError:
                pass
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        return "json"
    if looks_feed(stripped):
        return "feed"
    if looks_headerless(stripped):
        return "gdelt"
    if column_list(stripped):
        return "gdelt-columns"
    if looks_html(stripped):
        return "html"
    if suffix in _MARKDOWN_SUFFIXES or _MARKDOWN_HEADING.match(stripped):
        return "markdown"  # Markdown without front matter: a mirror's "# Title" page
    if _looks_table(stripped, suffix):
        return "csv"
    return "text"


def sniff_csv(data: bytes, suffix: str = "") -> bool:
    """Return whether ``data`` starts like a UTF-8 CSV table (checked on its head only)."""
    head = data[:65536]
    if not head.strip() or b"\x00" in head or head.startswith((codecs.BOM_UTF8, b"\xff", b"\xfe")):
        return False
    for cut in range(4):  # the head may end inside a multi-byte character
        try:
            text = head[: len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    return detect_format(text, suffix) == "csv"


def _looks_table(text: str, suffix: str) -> bool:
    """Return whether the first lines look like a delimited table with a header."""
    lines = text.split("\n", 5)[:5]
    header = lines[0]
    for sep in (",", "\t", ";", "|"):
        n = header.count(sep)
        if n == 0:
            continue
        cells = [c.strip().strip('"').lower() for c in header.split(sep)]
        # A header is short names, not a sentence with commas.
        namelike = all(0 < len(c) <= 40 and len(c.split()) <= 3 for c in cells)
        if namelike and (suffix in (".csv", ".tsv") or ALIAS_NAMES & set(cells)):
            return True
    return False
