"""Sentence splitting with NLTK Punkt and the project's own parameters.

Punkt needs no download here: :func:`punkt_parameters` builds its
parameters from the abbreviations and sentence starters written for the
project (``data/nlp_abbreviations.txt``), so "U.S." and "N. Korea" never end a
sentence. Newlines are hard boundaries: a paragraph never shares a sentence
with the next one.

Punkt is pure Python and costs about a third of a millisecond per article.
Most paragraphs hold no ambiguous period at all (every period follows a plain
word that is not an abbreviation, where Punkt always breaks), so those are cut
with one regular expression that applies the same rule, and only paragraphs
with an abbreviation, an initial, a number or an ellipsis before a period go
through Punkt itself. ``tests/test_sentences.py`` checks that both paths give
the same spans on the real corpora.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from analysis import schema
from analysis.resources import read_text

# A paragraph: a run of text between newlines.
_PARAGRAPH = re.compile(r"[^\n]+")
_CLOSERS = "\"')]}\u2018\u2019\u201c\u201d\xab\xbb"


@lru_cache(maxsize=1)
def punkt_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Return the abbreviations and the sentence starters of ``data/nlp_abbreviations.txt``.

    Returns
    -------
    tuple of frozenset of str
        The abbreviations, lower-case without their final period ("u.s",
        "jan"), and the words that start a sentence after one ("the").
    """
    text = read_text("nlp_abbreviations.txt")
    abbrevs: set[str] = set()
    starters: set[str] = set()
    section = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "abbreviations":
            abbrevs.add(line.lower().rstrip("."))
        elif section == "sentence_starters":
            starters.add(line.lower())
    return frozenset(abbrevs), frozenset(starters)


def punkt_parameters() -> PunktParameters:
    """Return the project's Punkt parameters: abbreviations and sentence starters.

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters
        A fresh object, safe to modify.
    """
    abbrevs, starters = punkt_lexicon()
    params = PunktParameters()
    params.abbrev_types = set(abbrevs)
    params.sent_starters = set(starters)
    return params


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    return PunktSentenceTokenizer(punkt_parameters())


_CANDIDATE = re.compile(r"[.?!\n]")
_CLOSER_SET = frozenset(_CLOSERS)
_ENDERS = frozenset(".?!")


# Characters Punkt's word tokenizer never keeps inside a word; the token
# before a period starts after the last of them.
_NON_WORD = re.compile(r"[)\";}\]*:@'({\[?!\u2018\u2019\u201c\u201d\xab\xbb]")
_NUMERIC = re.compile(r"-?[.,]?\d[\d,.-]*")
_NEXT_WORD = re.compile(r"[^\s)\";}\]*:@'({\[?!\u2018\u2019\u201c\u201d\xab\xbb]*")


def punkt_breaks(
    text: str, dot: int, after: int, abbrevs: frozenset[str], starters: frozenset[str]
) -> bool:
    """Decide, as Punkt does, whether the period(s) at ``text[dot:after]`` end a sentence.

    This is Punkt's second pass (Kiss and Strunk 2006, section 4) for
    parameters without learned orthographic context or collocations, which
    is what :func:`punkt_parameters` gives: a plain word before the period
    ends the sentence; after an abbreviation or an ellipsis the sentence
    ends only if the next word is capitalised and a known sentence starter
    ("U.S. The ..."); after an initial ("N. Korea") or a number it goes on
    unless the next token starts with a digit (or, for a number, a capital).

    Parameters
    ----------
    text : str
        The text the periods are in.
    dot, after : int
        The span of the period, or of the periods of an ellipsis.
    abbrevs, starters : frozenset of str
        The abbreviations and sentence starters, as :func:`punkt_lexicon`
        returns them.

    Examples
    --------
    >>> abbrevs, starters = punkt_lexicon()
    >>> text = "The U.S. and N. Korea met. Talks ended."
    >>> [punkt_breaks(text, i, i + 1, abbrevs, starters) for i in (7, 14, 25)]
    [False, False, True]
    """
    left = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot), text.rfind("\t", 0, dot))
    before = text[left + 1 : dot]
    # The word proper starts after the last character Punkt splits off.
    cuts = [m.end() for m in _NON_WORD.finditer(before)]
    core = before[cuts[-1] :] if cuts else before
    j = after
    n = len(text)
    # Punkt's next token: a closing quote or bracket right after the period
    # is a token of its own (neither upper- nor lower-case).
    closer = j < n and text[j] in _CLOSER_SET
    while j < n and text[j].isspace():
        j += 1
    nxt = text[j] if j < n else ""
    ellipsis = after - dot > 1
    lower = core.lower()
    initial = len(core) == 1 and core.isalpha()
    abbr = lower in abbrevs or lower.rsplit("-", 1)[-1] in abbrevs
    if ellipsis or (abbr and not initial):
        if closer or not nxt.isupper():
            return False
        word = _NEXT_WORD.match(text, j).group().rstrip(".").lower()
        return word in starters
    if not core:
        return True  # a period after ")" or a quote is a token of its own: a break
    if initial or _NUMERIC.fullmatch(core):
        if closer:
            return True
        if not nxt or nxt in ";:,.!?" or nxt.islower():
            return False
        return not (initial and nxt.isupper())
    return True


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Punkt's sentence spans of ``text[start:end]`` (one paragraph), offsets into ``text``."""
    spans = []
    paragraph = text[start:end]
    for s, e in _tokenizer().span_tokenize(paragraph):
        chunk = paragraph[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if e - trail > s + lead:
            spans.append((start + s + lead, start + e - trail))
    return spans


_FRAGMENT_START = re.compile(r"[" + re.escape(_CLOSERS) + r"\s]*[a-z,;:.]")


def _merge_fragments(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join a piece that starts lowercase or with a comma to the sentence before it.

    Punkt breaks after a period that closes a quoted title ("... the song
    \"Strong Soldier.\" and ...") even though the sentence goes on.
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _FRAGMENT_START.match(text, s):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character spans of the sentences of ``text``.

    Parameters
    ----------
    text : str
        Any text; newlines are hard sentence boundaries.

    Returns
    -------
    list of tuple of int
        One span per sentence, in order, ``end`` exclusive, without the
        surrounding whitespace.

    Examples
    --------
    >>> text = "The U.S. and N. Korea met. Talks ended."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['The U.S. and N. Korea met.', 'Talks ended.']
    """
    if not isinstance(text, str) or not text:
        return []
    abbrevs, starters = punkt_lexicon()
    n = len(text)
    cuts: list[int] = []  # sentence ends (exclusive)
    skip_to = 0
    for m in _CANDIDATE.finditer(text):
        i = m.start()
        if i < skip_to:
            continue
        if text[i] == "\n":
            cuts.append(i)
            continue
        j = i
        while j < n and text[j] in _ENDERS:
            j += 1
        dots = j - i
        while j < n and text[j] in _CLOSER_SET:
            j += 1
        skip_to = j
        if j < n and not text[j].isspace():
            continue  # "3.5", "kcna.co.jp", a period inside a token
        if text[i] == "." and not punkt_breaks(text, i, i + dots, abbrevs, starters):
            continue
        cuts.append(j)
    spans = []
    start = 0
    for cut in [*cuts, n]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return _merge_fragments(spans, text)


def punkt_spans(text: str) -> list[tuple[int, int]]:
    """Return sentence spans from Punkt alone, paragraph by paragraph.

    The slow reference that :func:`sentence_spans` agrees with; tests and
    benchmarks compare the two.
    """
    if not isinstance(text, str):
        return []
    spans = []
    for para in _PARAGRAPH.finditer(text):
        spans.extend(_paragraph_spans(text, para.start(), para.end()))
    return _merge_fragments(spans, text)


def split_sentences(articles: pd.DataFrame, *, method: str = "fast") -> pd.DataFrame:
    """Split each article body into sentences.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows with at least ``article_id`` and ``body`` (``schema.ARTICLES``).
        Missing or empty bodies give no sentences.
    method : {"fast", "punkt"}
        ``"fast"`` applies Punkt's decision rules with the project's
        parameters in one pass (:func:`sentence_spans`); ``"punkt"`` runs
        NLTK's ``PunktSentenceTokenizer`` with the same parameters, about
        five times slower. They agree on more than 99 % of KCNA articles.

    Returns
    -------
    pandas.DataFrame
        One row per (article_id, sentence_id) sentence, with the columns of
        ``schema.SENTENCES``; ``sentence_id`` counts from 0 within each
        article and ``start``/``end`` index the body.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "body": ["N. Korea fired. U.S. said."]})
    >>> split_sentences(arts)["text"].tolist()
    ['N. Korea fired.', 'U.S. said.']
    """
    require_columns(articles, ("article_id", "body"))
    if method not in ("fast", "punkt"):
        raise ValueError(f"method must be 'fast' or 'punkt', not {method!r}")
    spans_of = sentence_spans if method == "fast" else punkt_spans
    ids: list[str] = []
    sids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for article_id, body in zip(
        articles["article_id"].tolist(), articles["body"].tolist(), strict=True
    ):
        if not isinstance(body, str):
            continue
        for i, (s, e) in enumerate(spans_of(body)):
            ids.append(article_id)
            sids.append(i)
            starts.append(s)
            ends.append(e)
            texts.append(body[s:e])
    frame = pd.DataFrame(
        {
            "article_id": schema.strings(ids),
            "sentence_id": pd.array(np.asarray(sids, dtype="int64"), dtype=schema.INT),
            "start": pd.array(np.asarray(starts, dtype="int64"), dtype=schema.INT),
            "end": pd.array(np.asarray(ends, dtype="int64"), dtype=schema.INT),
            "text": schema.strings(texts),
        }
    )
    return schema.check(frame, schema.SENTENCES, name="sentences")


def sentence_ids(sentences: pd.DataFrame | None, article_ids, offsets) -> pd.array:
    """Return the ``sentence_id`` holding each (article_id, offset) pair.

    Parameters
    ----------
    sentences : pandas.DataFrame or None
        Rows of ``schema.SENTENCES``.
    article_ids, offsets : sequence
        One article id and one body offset per row to place.

    Returns
    -------
    pandas.array of Int64
        The id of the last sentence of that article starting at or before
        the offset; missing when the article has no sentences.
    """
    n = len(offsets)
    out = np.full(n, -1, dtype="int64")
    if sentences is not None and len(sentences) and n:
        names = pd.Index(pd.unique(sentences["article_id"].to_numpy(dtype=object)))
        s_code = names.get_indexer(sentences["article_id"].to_numpy(dtype=object)).astype("int64")
        s_key = (s_code << 32) | sentences["start"].to_numpy(dtype="int64")
        order = np.argsort(s_key, kind="stable")
        s_key = s_key[order]
        s_code = s_code[order]
        s_ids = sentences["sentence_id"].to_numpy(dtype="int64", na_value=-1)[order]
        q_code = names.get_indexer(pd.Index(list(article_ids), dtype=object)).astype("int64")
        q_key = (q_code << 32) | np.asarray(offsets, dtype="int64")
        pos = np.searchsorted(s_key, q_key, side="right") - 1
        # An offset before the first sentence (leading blank space) belongs to it.
        first = np.searchsorted(s_key, q_code << 32, side="left")
        pos = np.where(pos >= 0, pos, first)
        pos = np.clip(pos, 0, len(s_key) - 1)
        pos = np.where((pos < first) | (s_code[pos] != q_code), first, pos)
        pos = np.clip(pos, 0, len(s_key) - 1)
        ok = (q_code >= 0) & (s_code[pos] == q_code)
        out = np.where(ok, s_ids[pos], -1)
    return pd.arrays.IntegerArray(np.where(out >= 0, out, 0), out < 0)


def require_columns(frame: object, columns: tuple[str, ...]) -> None:
    """Raise a clear error when ``frame`` is not a DataFrame holding ``columns``.

    Raises
    ------
    TypeError
        When ``frame`` is not a :class:`pandas.DataFrame`.
    ValueError
        When a column is missing; the message names it and the columns there are.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame of articles, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"articles frame lacks column(s) {missing}; it has {list(frame.columns)}")
