"""Crawled text made clean: Markdown syntax, entities, glued sentences and crawler chrome.

Crawlers that save a page as Markdown or text keep the page's furniture
around the story ("chrome"): a publisher-and-date line, rules, the URL slug,
the headline again, "Crawled at" stamps, source links, bylines, share
counters, "View comments" and "(END)". They also keep the page's HTML
entities (``Xi&#x27;s``) and lose the space between two paragraphs
("...ended on Friday.The two sides"). The rules that tell chrome from the
story are the tables below (:data:`ANYWHERE_RULES`, :data:`EDGE_RULES`);
photo captions are text and stay.

The steps, in order: :func:`markdown_blocks` (Markdown to paragraphs, one
line each, a chrome line never glued to its neighbours),
:func:`trim_edges` (chrome above and below the story), then per paragraph
:func:`clean_inline` (syntax, tags, entities) and :func:`split_glued`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

from analysis.ingest.dates import STAMP_RES, STAMP_ZONES, line_stamp
from analysis.ingest.pages import is_boilerplate
from analysis.resources import read_text

# --- inline syntax and entities -------------------------------------------------

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(
    r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)|\[([^\]]+)\]\[[^\]]*\]"
)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_STRUCK = re.compile(r"<(s|del|strike)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_DROPPED_TAGS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(r"\*{2,}|_{2,}|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
#: Escaped marks become private-use characters while the syntax is taken off.
_HIDDEN = 0xE000
_HIDDEN_MARK = re.compile("[\ue000-\ue07f]")
_STRAY_MARKS = re.compile(r"(?:^|\s)[*_]{1,3}(?=\s|$)")


def decode_entities(text: str) -> str:
    """Return ``text`` with HTML entities decoded, twice when they were escaped twice.

    Examples
    --------
    >>> decode_entities("Xi&#x27;s &quot;visit&quot; &amp;amp; talks")
    'Xi\\'s "visit" & talks'
    """
    if "&" not in text:
        return text
    text = unescape(text)
    return unescape(text) if _ENTITY.search(text) else text


def clean_inline(text: str) -> str:
    """Return a line of Markdown or text as plain text.

    Images go; links keep their text; emphasis, inline code marks, footnote
    marks, backslash escapes and HTML tags go (struck-out text with its tag,
    so a transcript's correction reads once); entities are decoded and
    spaces collapsed.

    Examples
    --------
    >>> clean_inline("**Kim** met [Yoon](https://example.org/y) ![x](a.jpg) on the 70<sup>th</sup>")
    'Kim met Yoon on the 70th'
    """
    if any(mark in text for mark in "[]<>*_`\\&~"):
        # An escaped mark (\\*, \\[) is text: hidden from the steps below.
        text = _ESCAPE.sub(lambda m: chr(_HIDDEN + ord(m[1])), text)
        text = _IMAGE.sub("", text)
        text = _LINK.sub(lambda m: m[1] if m[1] is not None else m[2], text)
        text = _AUTOLINK.sub(r"\1", text)
        text = _FOOTNOTE.sub("", text)
        text = _STRUCK.sub("", text)
        text = _DROPPED_TAGS.sub("", text)
        text = _TAG.sub("", text)
        text = _EMPHASIS.sub("", text)
        text = _STRAY_MARKS.sub(" ", text)
        text = _HIDDEN_MARK.sub(lambda m: chr(ord(m[0]) - _HIDDEN), text)
        text = decode_entities(text)
    return " ".join(text.split())


_BLOCK_BREAK = re.compile(
    r"<br\s*/?>|</?(?:p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figure|"
    r"figcaption|pre|header|footer)\b[^>]*>",
    re.I,
)


def html_paragraphs(fragment: str) -> list[str]:
    """Return the paragraphs of an HTML fragment (a feed item's content) as plain text.

    Block tags and line breaks end a paragraph; other tags go; entities are decoded.

    Examples
    --------
    >>> html_paragraphs("<p>Kim&#8217;s visit</p><p>Talks <b>ended</b>.<br>Next</p>")
    ['Kim’s visit', 'Talks ended.', 'Next']
    """
    text = _BLOCK_BREAK.sub("\n", _DROPPED_TAGS.sub("", fragment))
    lines = (" ".join(decode_entities(_TAG.sub("", line)).split()) for line in text.split("\n"))
    return [line for line in lines if line]


def clean_title(title: str | None) -> str | None:
    """Return a headline without Markdown heading marks, emphasis, links or entities.

    Examples
    --------
    >>> clean_title("# N. Korea&#x27;s **Kim** visits Russia")
    "N. Korea's Kim visits Russia"
    """
    if title is None:
        return None
    text = re.sub(r"^\s*#{1,6}\s+|\s+#+\s*$", "", str(title))
    text = clean_inline(re.sub(r"^\s*(?:title|headline)\s*[:：]\s*", "", text, flags=re.I))
    return text or None


# --- glued sentences ------------------------------------------------------------

#: A sentence end glued to the next sentence: "Friday.The", "said.”The",
#: "(JCS).North", "2023.The". Two lower-case letters (or a digit or a closing
#: bracket) before the stop keep initials, "U.S." and "Ph.D." whole; a capital
#: followed by a lower-case letter (or a one-letter word) after it keeps
#: decimals and domain names ("yna.co.kr") whole.
_GLUED = re.compile(
    r"(?P<word>[A-Za-z]*[a-z]{2}|\b[A-Z]{2,}|\b[ap]\.m|\d|[)\]%])(?P<stop>[.!?]+)(?P<close>[\"”’)]*)"
    r"(?P<next>[“\"]?(?:[A-Z][a-z]|[A-Z][ ’']|I\b))"
)


#: A stop right before a capital: the cheap test before :data:`_GLUED`.
_GLUE_HINT = re.compile(r"[.!?][\"”’)]*[“\"]?[A-Z]")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Return the words that end with a period without ending a sentence ("gen", "sept").

    Read from the project's sentence lexicon (``data/nlp_abbreviations.txt``,
    its ``[abbreviations]`` section), lower-case without the period.
    """
    words: set[str] = set()
    section = None
    for raw in read_text("nlp_abbreviations.txt").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and section == "abbreviations":
            words.add(line.lower().rstrip("."))
    return frozenset(words)


def split_glued(text: str) -> str:
    """Return ``text`` with a space put between sentences glued without one.

    Abbreviations ("Gen.Kim"), decimals ("3.5"), initials and "U.S." and
    domain names ("yna.co.kr", "NKNews.org") are left whole.

    Examples
    --------
    >>> split_glued("The talks ended on Friday.The two sides met in the U.S. on 3.5 days.")
    'The talks ended on Friday. The two sides met in the U.S. on 3.5 days.'
    >>> split_glued('He said "no."The envoy left yna.co.kr for Gen.Kim.')
    'He said "no." The envoy left yna.co.kr for Gen.Kim.'
    """
    if not _GLUE_HINT.search(text) or not _GLUED.search(text):
        return text
    short = abbreviations()

    def fix(match: re.Match[str]) -> str:
        word, stop, close, nxt = match["word"], match["stop"], match["close"], match["next"]
        start = match.start()
        before = text[max(0, start - 1) : start]
        if before in (".", "@", "/") or (word[:1].isupper() and word.lower() in short):
            return match[0]  # "e.g.The", a domain name, "Gen.Kim" (but "said no.The")
        after = text[match.end() : match.end() + 40]
        if re.match(r"[a-z]*\.(?:com|org|net|gov|edu|kr|kp|jp|cn|co|io|int)\b", after):
            return match[0]  # "NKNews.Org.kr": a domain name
        if close.startswith('"') and text.count('"', 0, match.start("close")) % 2 == 0:
            # An even count before it: the straight quote opens the next sentence.
            return f"{word}{stop} {close}{nxt}"
        return f"{word}{stop}{close} {nxt}"

    return _GLUED.sub(fix, text)


# --- chrome lines ---------------------------------------------------------------

_WORDS = r"[^\s]+(?:\s+[^\s]+){0,%d}"
#: Share buttons, as a crawler keeps their labels.
_SHARE = (
    r"(?:share|tweet|e-?mail|print|save|copy link|pin it|whatsapp|facebook|twitter|x|linkedin|"
    r"reddit|flipboard|kakaotalk|telegram)"
)
_SOURCE = (
    r"(?:source|sources|original(?: article| story| link| url| post)?|via|link|"
    r"read (?:the )?(?:original|more|full (?:article|story))|canonical(?: url)?|출처)"
)
_ADDRESS = r"<?(?:https?://|www\.)\S+>?"

#: Lines that are crawler or site chrome wherever they stand (whole line,
#: case-insensitive): (name, pattern).
ANYWHERE_RULES: tuple[tuple[str, str], ...] = (
    ("rule", r"(?:[-*_=~]\s*){3,}"),
    ("image", r"(?:!\[[^\]]*\]\([^)]*\)\s*)+"),
    (
        "crawl stamp",
        r"(?:crawled|scraped|fetched|archived|retrieved|collected|saved)"
        r"(?:[ _]?(?:at|on|date|time))?\s*[:：=]?\s*(?:[^\s\d]*\s*){0,3}\d.{0,50}",
    ),
    ("end mark", r"[(\[]?\s*(?:end|ends|-end-|끝)\s*[)\]]?|-{1,2}\s*end\s*-{1,2}|#{3}|\*{3}"),
    (
        "comments",
        r"(?:view|show|read|load|see|add|leave|post)\s+(?:all\s+)?(?:\d+\s+)?comments?"
        r"(?:\s*\(\d+\))?",
    ),
    (
        "counter",
        r"(?:\d[\d.,]*\s*[km]?\s+)?(?:shares?|comments?|views?|likes?|reactions?|tweets?)"
        r"(?:\s*[:(]?\s*\d[\d.,]*\s*[km]?\)?)?",
    ),
    ("share", _SHARE + r"(?:\s*(?:[|/·•,]|\s)\s*" + _SHARE + ")*"),
    (
        "share",
        r"share (?:this|the) (?:article|story|page|post)(?:\s+on\s+\w+)?|share (?:on|via) \w+",
    ),
    ("url", _ADDRESS),
    ("source link", _SOURCE + r"\s*[:：\-–]\s*(?:\[[^\]]*\]\(\S+\)|" + _ADDRESS + r")\s*"),
    (
        "source link",
        r"\[(?:source|original(?: article| story)?|read (?:the )?(?:original|more)|link)\]"
        r"\([^)]*\)",
    ),
    ("advertisement", r"(?:advertisement|advertising|sponsored(?: content)?|ad|\[?ad_\d+\]?)"),
    ("shortcode", r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}"),
    (
        "related",
        r"related (?:articles|stories|news|links|posts)|more (?:on this|stories)|previous|next",
    ),
)

#: Lines that are chrome above or below the story only (a short line there):
#: (name, pattern). The publisher-and-date line, bylines and the URL slug are
#: told by :func:`edge_kind` with these and :func:`analysis.ingest.dates.line_stamp`.
EDGE_RULES: tuple[tuple[str, str], ...] = (
    ("slug", r"/?[a-z0-9]+(?:[-_][a-z0-9]+){2,}(?:\.html?)?/?"),
    ("slug", r"/[a-z0-9._~%/-]+|[a-z0-9-]+(?:/[a-z0-9._-]+){2,}/?"),
    (
        "byline",
        r"(?i:by|written by|reported by|words by|reporter|correspondent)\s*[:：]?\s+"
        r"(?:[A-Z][\w.'’\-]*|and|&|of|the|staff|reporter|correspondent|writer|editor|[,;])"
        r"(?:\s*(?:[A-Z][\w.'’\-]*|and|&|of|the|for|staff|reporter|correspondent|writer|editor|[,;]|\(\S+@\S+\)))*",
    ),
    ("byline", r"[^@\s]+@[^@\s]+\.[a-z]{2,}"),
    ("byline", r"(?i:authors?|writers?|reporters?|editors?)\s*[:：]\s*\S.{0,80}"),
    ("byline", r"(?:[A-Z][\w.'’\-]*\s+){1,4}\(?[^@\s()]+@[^@\s()]+\.[a-z]{2,}\)?"),
    ("source", r"(?:source|sources|copyright|©|\(c\))\s*[:：]?\s*" + _WORDS % 6),
    ("tags", r"(?:tags?|categories|category|keywords|topics?|filed under)\s*[:：]\s*.{0,120}"),
    ("counter", r"[+]?\d[\d.,]*\s*[km]?"),
    (
        "section",
        r"(?:home|news|world|politics|north korea|nation|national)"
        r"(?:\s*[>›»/|]\s*[\w ]{1,30}){1,4}",
    ),
)

#: All the rules in one pattern, a group per rule: one match per line, not one per rule.
_ANYWHERE = re.compile(
    "|".join(f"(?P<rule{i}>{pattern})" for i, (_, pattern) in enumerate(ANYWHERE_RULES)), re.I
)
#: Names in a byline start with a capital: the byline rules are case-sensitive.
_EDGE = tuple(
    (name, re.compile(pattern, 0 if name == "byline" else re.I)) for name, pattern in EDGE_RULES
)
_SENTENCE_END = re.compile(r"[.!?。][\"'”’)]*$")


def chrome_kind(line: str) -> str | None:
    """Return the kind of chrome a line is wherever it stands ("rule", "share" ...), or None.

    Examples
    --------
    >>> chrome_kind("View comments"), chrome_kind("1.2k shares"), chrome_kind("Crawled at: 2024")
    ('comments', 'counter', 'crawl stamp')
    >>> chrome_kind("The talks ended.") is None
    True
    """
    text = line.strip()
    if not text or len(text) > 160:
        return None
    match = _ANYWHERE.fullmatch(text)
    if match is None or match.lastgroup is None:
        return None
    return ANYWHERE_RULES[int(match.lastgroup.removeprefix("rule"))][0]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


_LABELLED = re.compile(r"\b(?:published|updated|posted|modified|released|date[d]?)\s*[:：]", re.I)
_TIME_WORDS = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?|\b(?:[ap]\.?m\.?|at|on|" + "|".join(STAMP_ZONES) + r")\b", re.I
)


def _stamp_line(text: str) -> tuple[int, dt.datetime | dt.date] | None:
    """Return the stamp of a publisher-and-date line ("Yonhap | 2024-03-18"), or None."""
    if len(text) > 120:
        return None
    found = line_stamp(text)
    if found is None or _LABELLED.search(text):
        return found
    rest = text
    for pattern in STAMP_RES:
        rest = pattern.sub(" ", rest)
    words = re.findall(r"[^\W\d_]{2,}", _TIME_WORDS.sub(" ", rest))
    if not words:
        return found  # a date and nothing else
    separated = re.search(r"[|·•]|\s[-–—/]\s|^\W|\W$", text.strip())
    # Without a separator, only names: "Yonhap News Agency 2024-03-18 08:15".
    named = all(word[0].isupper() for word in words)
    if len(words) <= 6 and (separated or named) and not _SENTENCE_END.search(text):
        return found
    return None


def edge_kind(line: str, title: str | None = None) -> str | None:
    """Return the kind of chrome a short line above or below the story is, or None.

    Besides :func:`chrome_kind`: a publisher-and-date line ("Yonhap | 2024-03-18
    08:15", "Published :`2024-07-25 09:35:53`"), a byline ("By Kim Min-ji",
    an e-mail address), the URL slug, a source or copyright line, and a line
    that repeats the ``title``.

    Examples
    --------
    >>> edge_kind("Published :`2024-07-25 09:35:53`"), edge_kind("n-korea-fires-missile-jcs")
    ('date line', 'slug')
    >>> edge_kind("By Kim Min-ji, Yonhap"), edge_kind("North Korea fired a missile on Monday.")
    ('byline', None)
    """
    kind = chrome_kind(line.strip().strip("`").strip())
    if kind is not None:
        return kind
    text = clean_inline(line).strip("`> ").strip()  # "**Yonhap** | [2024-03-18](...)"
    kind = chrome_kind(text)
    if kind is not None or not text:
        return kind
    if title and _norm(text) == _norm(title):
        return "title"
    if _stamp_line(text) is not None:
        return "date line"
    if len(text) > 120 or len(text.split()) > 14:
        return None
    for name, pattern in _EDGE:
        if pattern.fullmatch(text) and (name == "byline" or not _SENTENCE_END.search(text)):
            return name
    if len(text.split()) <= 8 and not _SENTENCE_END.search(text) and is_boilerplate(text):
        return "boilerplate"
    return None


def strip_title_prefix(text: str, title: str | None) -> str:
    """Return a first paragraph without a slug and headline glued before the story.

    "n-korea-fires-missile N. Korea fires missile SEOUL, March 18 (Yonhap) --
    North Korea ..." gives "SEOUL, March 18 (Yonhap) -- North Korea ...". The
    headline (with or without a " | Site" suffix) is taken off only when a new
    sentence or a dateline follows it.
    """
    slug = re.match(r"/?[a-z0-9]+(?:[-_][a-z0-9]+){2,}/?\s+(?=\S)", text)
    if slug is not None:
        text = text[slug.end() :]
    if not title:
        return text
    short = re.sub(r"\s+[-–—|:]\s+[^-–—|:]{1,40}$", "", title)
    for candidate in dict.fromkeys((title, short)):
        rest = _after_prefix(text, candidate)
        if rest is not None:
            return rest
    return text


def _after_prefix(text: str, title: str) -> str | None:
    """Return what follows ``title`` at the start of ``text`` (letters and digits compared)."""
    key = _norm(title).replace(" ", "")
    if len(_norm(title).split()) < 3:
        return None
    i = 0
    for j, char in enumerate(text):
        if i == len(key):
            rest = text[j:].lstrip(" :-–—|")
            return rest if re.match(r"[A-Z\"“‘'(]", rest) else None
        if not (char.isalnum() or char == "_"):
            continue
        if char.lower() != key[i]:
            return None
        i += 1
    return None


# --- Markdown blocks --------------------------------------------------------------

_ATX = re.compile(r"^(#{1,6})(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)\s*$")
_LIST_ITEM = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+(?=\S)")
_INTERRUPTS_NOT = re.compile(r"^(?!1[.)])\d{1,3}[.)]")
_FENCE = re.compile(r"^(?:```|~~~)")
_REFERENCE = re.compile(r"^\[[^\]]+\]:\s*\S+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: What a stamp, byline or slug line has and most lines of prose lack (a cheap
#: test before :func:`edge_kind`): a year, a byline's first word, an e-mail,
#: or no space at all.
_STANDALONE_HINT = re.compile(
    r"(?:19|20)\d\d|^\W*(?:by|written|reported|authors?|reporters?)\b|@|^\S+$", re.I
)


@dataclass
class Blocks:
    """A Markdown text's paragraphs, one line each, and its first heading."""

    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    stamps: list[tuple[int, dt.datetime | dt.date]] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)


def markdown_blocks(text: str) -> Blocks:
    """Return the paragraphs of Markdown, one line each, and its first ``#`` heading.

    Blank lines separate paragraphs; hard-wrapped lines join; a heading, a
    list item, a rule and a line of chrome (:func:`chrome_kind`) stand
    alone, so chrome is never glued to the story (rules, images and chrome
    lines are dropped here). Inline syntax stays for :func:`clean_inline`.
    """
    blocks = Blocks()
    current: list[str] = []
    fenced = False
    in_list = False  # the current paragraph is a list item

    def flush() -> None:
        nonlocal in_list
        in_list = False
        if current:
            blocks.paragraphs.append(" ".join(current))
            current.clear()

    for raw in _COMMENT.sub("", text).splitlines():
        line = raw.strip().removesuffix("\\").rstrip()  # "\\" at the end: a hard line break
        if _FENCE.match(line):
            flush()
            fenced = not fenced
            continue
        if fenced:
            if line:
                blocks.paragraphs.append(line)
            continue
        if not line:
            flush()
            continue
        if _SETEXT.match(line) and current and len(current) == 1 and not blocks.paragraphs:
            # "Title" over "=====": the first heading.
            if blocks.heading is None and line.startswith("=") and chrome_kind(current[0]) is None:
                blocks.heading = current.pop()
            flush()
            continue
        if chrome_kind(line) is not None or _REFERENCE.match(line) or _TABLE_RULE.match(line):
            flush()
            continue
        heading = _ATX.match(line)
        if heading is not None:
            flush()
            title = heading[2].strip()
            if blocks.heading is None and not blocks.paragraphs and title:
                blocks.heading = title
            elif title:
                blocks.paragraphs.append(title)
            continue
        line = line.lstrip(">").strip()
        if not line:
            flush()
            continue
        item = _LIST_ITEM.match(line)
        if item is not None and current and not in_list and _INTERRUPTS_NOT.match(line):
            # "on August / 25. Notably": a number that wraps to the line's
            # start; only an ordered list starting at 1 interrupts a
            # paragraph (CommonMark).
            item = None
        elif item is not None:
            flush()
            in_list = True
            line = line[item.end() :]
        elif (
            not (current and line[:1].islower())
            and _STANDALONE_HINT.search(line)
            and edge_kind(line) in ("date line", "byline", "slug")
        ):
            # A short stamp, byline or slug line stands alone, for trim_edges
            # (a line that opens in lower case goes on with its paragraph:
            # "... led / by Prime Minister X").
            flush()
            blocks.paragraphs.append(line)
            continue
        if line.startswith("|") and line.endswith("|"):
            line = " ".join(cell.strip() for cell in line.strip("|").split("|"))
        current.append(line)
    flush()
    return blocks


_END_MARK = re.compile(r"\s*[(\[](?:END|End)[)\]]\s*$")


def trim_edges(paragraphs: list[str], title: str | None) -> Blocks:
    """Drop the chrome above and below the story; keep what it says.

    Returns the story's paragraphs with the stamps of the date lines above
    it (``stamps``, ranked by :func:`analysis.ingest.dates.line_stamp`) and
    the names of its byline lines (``bylines``).
    """
    out = Blocks()
    kept = list(paragraphs)
    while kept:
        first = kept[0].strip()
        kind = edge_kind(first, title)
        if kind is None:
            break
        if kind == "date line":
            found = _stamp_line(first.strip("`"))
            if found is not None:
                out.stamps.append(found)
        elif kind == "byline":
            out.bylines.append(first)
        kept.pop(0)
    if kept:
        kept[0] = strip_title_prefix(kept[0], title)
    while kept:
        last = _END_MARK.sub("", kept[-1]).strip()
        kind = edge_kind(last, title)
        if kind is None and last:
            kept[-1] = last
            break
        if kind == "byline":
            out.bylines.append(last)
        kept.pop()
    out.paragraphs = kept
    return out


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Return paragraphs as plain text (:func:`clean_inline`, :func:`split_glued`), none empty."""
    out = []
    for paragraph in paragraphs:
        text = split_glued(clean_inline(paragraph))
        if text and chrome_kind(text) is None:
            out.append(text)
    return out
