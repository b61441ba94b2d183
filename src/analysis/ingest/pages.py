"""Copied web pages: the article inside the text a browser gives when a page is copied.

A copied page is the article surrounded by the site's furniture: navigation,
login links, comment counters, share buttons, "trending" panels and related
links. The article body is the longest run of prose paragraphs (long lines
that end like sentences); the headline, section word, photo caption, byline
and dateline are found among the short lines just above it, and the agency
credit ("© KYODO") just below it. Everything else is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.ingest.dates import CRAWL_WORDS, page_stamp, parse_dateline, zone_of
from analysis.ingest.outlets import outlet_of

#: Lines that belong to the site, not the article (matched anywhere in a line
#: of at most a few words, or at the start of a longer one).
BOILERPLATE = re.compile(
    r"\b(?:log ?in|log ?out|sign ?in|sign ?up|register|registration|subscribe|subscription|"
    r"newsletter|password|comments?|share (?:this|on)|facebook|twitter|instagram|linkedin|"
    r"whatsapp|telegram|follow us|read more|related (?:articles|stories|news|links)|"
    r"most (?:read|popular|viewed)|trending|advertisement|sponsored|cookies?|"
    r"privacy policy|terms of (?:use|service)|all rights reserved|back to top|"
    r"click here|skip to|main menu|view comments|leave a comment|recommended)\b",
    re.I,
)

#: Photo captions name the picture's credit: "Photo: AP/Ahn Young-joon",
#: "(AP Photo/...)", "Getty Images", "(Yonhap)" at the end of a caption.
CAPTION = re.compile(
    r"(?:\b(?:photo|photograph|image|file photo|picture|screenshot)\b\s*(?:[:/]|by\b|credit)"
    r"|\((?:AP|AFP|Reuters|EPA|Yonhap|KCNA)[^)]*(?:photo|via)[^)]*\)"
    r"|getty images|/\s*(?:AP|AFP|EPA)\b|\b(?:AP|AFP|Reuters|Yonhap) (?:photo|file photo)\b"
    r"|\bphoto courtesy\b)",
    re.I,
)

#: An agency or copyright credit line under the article: "© KYODO",
#: "(c) 2024 Yonhap", "Copyright AFP", "-- AP".
CREDIT = re.compile(r"^(?:©|\(c\)|copyright\b|--|—)\s*(?:(?:19|20)\d\d\b)?\s*(?P<who>.*)$", re.I)
BYLINE = re.compile(r"^by\s+(?P<who>[A-Z][\w.'\- ]{1,60}?)(?:,.*)?$", re.I)

_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)」]*$|[\"”]$")
_PLACE_LINE = re.compile(r"^[A-Z][A-Z .'\-/]{1,40}$")


@dataclass
class PageParts:
    """The parts of an article found on a copied page."""

    title: str | None = None
    section: str | None = None
    caption: str | None = None
    dateline: str | None = None
    byline: str | None = None
    outlet: str | None = None
    body: str = ""
    header: list[str] = field(default_factory=list)
    dateline_match: re.Match[str] | None = None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _words(line: str) -> int:
    """Return the words of a line; Chinese and Japanese, unspaced, count two characters a word."""
    return len(line.split()) + len(_CJK.findall(line)) // 2


def is_boilerplate(line: str) -> bool:
    """Return whether a line is site furniture (login, comments, share, trending...)."""
    if re.fullmatch(r"\d+\s+(?:comments?|shares?|views?|likes?)", line, re.I):
        return True
    if _words(line) <= 8:
        return bool(BOILERPLATE.search(line))
    return bool(BOILERPLATE.search(line[:60])) and not _SENTENCE_END.search(line)


def is_prose(line: str, *, strong: bool) -> bool:
    """Return whether a line reads like a paragraph of the article.

    A strong prose line has at least ten words and ends like a sentence; a weak
    one (a short quote paragraph) has at least four.
    """
    if not _SENTENCE_END.search(line) or CREDIT.match(line):
        return False
    if BOILERPLATE.search(line) and (_words(line) <= 8 or is_boilerplate(line)):
        return False
    return _words(line) >= (10 if strong else 4)


def _best_run(lines: list[str]) -> tuple[int, int] | None:
    """Return ``(first, last)`` indices of the longest run of prose lines."""
    best: tuple[int, int, int] | None = None  # (score, first, last)
    i = 0
    while i < len(lines):
        if not is_prose(lines[i], strong=True):
            i += 1
            continue
        first = last = i
        score = len(lines[i])
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if is_prose(line, strong=False):
                last = j
                score += len(line) if is_prose(line, strong=True) else 0
                j += 1
                continue
            # One short subheading between two paragraphs stays in the run.
            nxt = lines[j + 1] if j + 1 < len(lines) else ""
            if (
                _words(line) <= 10
                and not is_boilerplate(line)
                and not CREDIT.match(line)
                and not CAPTION.search(line)
                and is_prose(nxt, strong=True)
            ):
                j += 1
                continue
            break
        if best is None or score > best[0]:
            best = (score, first, last)
        i = max(j, i + 1)
    return None if best is None else (best[1], best[2])


def _is_stamp(line: str) -> bool:
    """Return whether a short line is a date or time stamp ("Jan. 18, 2024", "Updated: ...")."""
    return len(line) <= 60 and page_stamp([line]).date is not None


def _is_place(line: str) -> bool:
    return bool(_PLACE_LINE.match(line)) and _words(line) <= 4 and zone_of(line) is not None


def extract_page(text: str) -> PageParts:
    """Find the parts of the article on a copied web page.

    Parameters
    ----------
    text : str
        The page's text as copied from a browser.

    Returns
    -------
    PageParts
        Title, section, caption, dateline place, byline and outlet (from an
        agency credit) where found, and the body as paragraphs joined by
        newlines; ``header`` holds the non-body lines for date clues.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    parts = PageParts()
    run = _best_run(lines)
    if run is None:
        parts.header = lines
        return parts
    first, last = run
    paragraphs = lines[first : last + 1]
    match = parse_dateline(paragraphs[0])
    if match is not None:
        parts.dateline = match["place"]
        parts.dateline_match = match
        if match["agency"]:
            parts.byline = match["agency"].strip()
            parts.outlet = outlet_of(parts.byline)
        paragraphs[0] = paragraphs[0][match.end() :]
    parts.body = "\n".join(paragraphs)
    parts.header = lines[:first] + lines[last + 1 :]
    _read_head(parts, lines[max(0, first - 15) : first])
    _read_tail(parts, lines[last + 1 : last + 6])
    return parts


def _read_head(parts: PageParts, head: list[str]) -> None:
    """Fill title, section, caption, dateline and byline from the lines above the body."""
    title_at = None
    for k in range(len(head) - 1, -1, -1):
        line = head[k]
        if (
            is_boilerplate(line)
            or "://" in line
            or (CRAWL_WORDS.search(line) and _words(line) <= 8)
        ):
            continue  # site furniture, an address, a crawler's stamp
        if parts.caption is None and CAPTION.search(line) and _words(line) >= 5:
            parts.caption = line
            continue
        if parts.dateline is None and title_at is None and _is_place(line):
            parts.dateline = line
            continue
        by = BYLINE.match(line)
        if by and _words(line) <= 8:
            parts.byline = parts.byline or by["who"].strip()
            continue
        if _is_stamp(line):
            continue
        if title_at is None and 3 <= _words(line) <= 30 and not line.endswith("."):
            parts.title = line
            title_at = k
            continue
    if title_at is None:
        return
    # The section word sits next to the headline: one or two short words.
    for k in (title_at - 1, title_at + 1):
        if 0 <= k < len(head):
            line = head[k]
            if (
                _words(line) <= 2
                and len(line) <= 24
                and not is_boilerplate(line)
                and not _is_place(line)
                and not re.search(r"\d", line)
                and line != parts.caption
            ):
                parts.section = line
                return


def _read_tail(parts: PageParts, tail: list[str]) -> None:
    """Take the agency credit ("© KYODO") from the lines just below the body."""
    for line in tail:
        match = CREDIT.match(line)
        who = match["who"].strip(" .") if match else ""
        if not who:
            who = line.strip("() ") if re.fullmatch(r"\(\w+\)", line) else ""
        outlet = outlet_of(who)
        if outlet is not None:
            parts.byline = who
            parts.outlet = outlet
            return
