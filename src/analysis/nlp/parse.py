"""Dependency parses of sentences, and the clause a span belongs to.

A time expression or an actor belongs to a predicate, and the nearest verb
is often the wrong one: in "Moon will hold talks with Abe on Friday, their
third meeting since they met in Osaka in June", Friday dates the talks and
June the background meeting; in "a spokesman on April 16 denounced the
launch" the date belongs to "denounced", which comes after it. The parse
says which: :func:`predicate_of` climbs from a span to the predicate whose
clause holds it, :func:`subject_of` gives that predicate's subject and
:func:`clause_of` the clause's extent.

The parser is the project's own: a small spaCy pipeline (hash embeddings,
a convolutional encoder, a morphologizer for UPOS and features, and a
transition-based parser) trained on UD English EWT by
``scripts/train_parser.py`` and shipped in ``data/parser/`` with its model
card and licence (CC BY-SA 4.0). Loading it downloads nothing. Labels are
those of Universal Dependencies (``nsubj``, ``obl``, ``obl:unmarked``,
``advcl`` ...); the root's label is ``root``.

spaCy is an optional dependency (``pip install "analysis[parser]"``; the
``dev`` extra has it too) and is imported when the model is first loaded,
not with this module: the import costs about a second, and the pipeline
does not parse. The events stage decides which clause a time expression or
an actor belongs to from clause boundaries (``analysis.events.context``),
which found the governing predicate of EWT's time expressions about as often
(0.80 against the parser's 0.84, not a significant difference) at a fraction
of the cost; the parser finds subjects far better (0.86 against 0.74), for
uses that can pay 2 ms a sentence (``benchmarks/bench_parse.py``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

__all__ = [
    "CLAUSE_DEPS",
    "Parse",
    "Token",
    "clause_of",
    "load_parser",
    "model_available",
    "parse",
    "predicate_of",
    "subject_of",
]

# Relations whose dependent heads a clause of its own (UD v2).
CLAUSE_DEPS = frozenset(
    {
        "root",
        "ccomp",
        "xcomp",
        "advcl",
        "advcl:relcl",
        "acl",
        "acl:relcl",
        "csubj",
        "csubj:pass",
        "csubj:outer",
        "parataxis",
    }
)
_PREDICATE_POS = frozenset({"VERB", "AUX"})
_SUBJECTS = ("nsubj", "nsubj:pass", "nsubj:outer", "csubj", "csubj:pass")
_RELATIVE_WORDS = frozenset({"who", "which", "that", "whom"})
_MODEL_FILES = ("config.cfg", "meta.json", "tok2vec", "morphologizer", "parser", "vocab")
_BATCH_SIZE = 128


class Token(NamedTuple):
    """One token of a :class:`Parse`.

    Attributes
    ----------
    start, end : int
        Character offsets of the token in the parsed text, ``text[start:end]``.
    text : str
        The token's text.
    pos : str
        Its universal part of speech (UPOS: ``VERB``, ``AUX``, ``NOUN`` ...).
    morph : str
        Its UD features, ``"Tense=Past|VerbForm=Fin"`` style, or ``""``.
    head : int
        The index of its head token; ``-1`` for a root.
    dep : str
        Its relation to the head (UD label), ``root`` for a root.
    """

    start: int
    end: int
    text: str
    pos: str
    morph: str
    head: int
    dep: str


@dataclass(frozen=True, slots=True)
class Parse:
    """The dependency parse of one text: its tokens in order.

    Attributes
    ----------
    text : str
        The text that was parsed.
    tokens : tuple of Token
        One per token; ``Token.head`` indexes this tuple.
    """

    text: str
    tokens: tuple[Token, ...]

    def children(self, index: int) -> Iterator[int]:
        """Yield the indices of the tokens whose head is ``index``, in text order."""
        return (i for i, tok in enumerate(self.tokens) if tok.head == index)


def model_available() -> bool:
    """Return whether the shipped parser's files are in the package.

    The weights are package data; a checkout that lacks them (or a machine
    without spaCy) can still run everything that does not parse.
    """
    if importlib.util.find_spec("spacy") is None:
        return False
    folder = resources.files("analysis").joinpath("data", "parser")
    return all(
        folder.joinpath(name).is_file() or folder.joinpath(name).is_dir() for name in _MODEL_FILES
    )


@lru_cache(maxsize=1)
def load_parser() -> Any:
    """Load the shipped spaCy pipeline once and return it.

    Returns
    -------
    spacy.language.Language
        The pipeline of ``data/parser/``: tokenizer, tok2vec, morphologizer,
        parser.

    Raises
    ------
    FileNotFoundError
        If the model files are not in the package; ``scripts/train_parser.py``
        makes them.
    """
    if not model_available():
        raise FileNotFoundError(
            "the parser model is not in analysis/data/parser (or spaCy is not installed); "
            "train it with: python scripts/train_parser.py"
        )
    import spacy  # heavy: about a second, paid only by runs that parse

    with resources.as_file(resources.files("analysis").joinpath("data", "parser")) as path:
        return spacy.load(path)


def _to_parse(doc: Any) -> Parse:
    tokens = tuple(
        Token(
            start=tok.idx,
            end=tok.idx + len(tok.text),
            text=tok.text,
            pos=tok.pos_,
            morph=str(tok.morph),
            head=-1 if tok.head.i == tok.i else tok.head.i,
            dep="root" if tok.dep_ == "ROOT" else tok.dep_,
        )
        for tok in doc
    )
    return Parse(text=doc.text, tokens=tokens)


def parse(texts: Sequence[str]) -> list[Parse]:
    """Parse each text with the shipped parser.

    Parameters
    ----------
    texts : sequence of str
        Sentences, ideally one each: the parser was trained on single
        sentences, and a text of several gets one tree per sentence it
        finds.

    Returns
    -------
    list of Parse
        One per text, in order.

    Examples
    --------
    >>> p = parse(["Japan launched a satellite on Tuesday."])[0]  # doctest: +SKIP
    >>> [(t.text, t.dep) for t in p.tokens][:3]  # doctest: +SKIP
    [('Japan', 'nsubj'), ('launched', 'root'), ('a', 'det')]
    """
    nlp = load_parser()
    return [_to_parse(doc) for doc in nlp.pipe(texts, batch_size=_BATCH_SIZE)]


def _span_head(parse: Parse, start: int, end: int) -> int | None:
    """Return the index of the syntactic head of the tokens overlapping ``[start, end)``."""
    inside = [
        i
        for i, tok in enumerate(parse.tokens)
        if tok.start < end and tok.end > start and not tok.text.isspace()
    ]
    if not inside:
        return None
    members = set(inside)
    for i in inside:
        # The first token whose head lies outside the span (or that is a root).
        if parse.tokens[i].head not in members:
            return i
    return inside[0]


def _heads_clause(parse: Parse, index: int) -> bool:
    tok = parse.tokens[index]
    if tok.dep in CLAUSE_DEPS or tok.head < 0:
        return True
    if tok.dep == "conj":
        return tok.pos in _PREDICATE_POS or any(
            parse.tokens[c].dep in (*_SUBJECTS, "cop") for c in parse.children(index)
        )
    return False


def predicate_of(parse: Parse, start: int, end: int) -> int | None:
    """Return the predicate that the text span ``[start, end)`` depends on.

    From the span's syntactic head, climb to its governor and on up the
    tree until a token that heads a clause: a root, or a dependent by
    ``ccomp``, ``xcomp``, ``advcl``, ``acl``, ``acl:relcl``, ``csubj``,
    ``parataxis``, or ``conj`` of a verb (a conjunct with its own verb,
    subject or copula). That token is the clause's predicate: a verb, or
    the head of a copular predicate ("in Beijing" in "Kim was in Beijing").
    A span that is itself a root is its own predicate.

    Parameters
    ----------
    parse : Parse
        The parse of the text the offsets refer to.
    start, end : int
        Character offsets of the span (a time expression, an actor ...).

    Returns
    -------
    int or None
        The predicate's token index, or None if no token overlaps the span.

    Examples
    --------
    >>> text = "A spokesman on April 16 denounced the launch."
    >>> p = parse([text])[0]  # doctest: +SKIP
    >>> p.tokens[predicate_of(p, 12, 23)].text  # doctest: +SKIP
    'denounced'
    """
    index = _span_head(parse, start, end)
    if index is None:
        return None
    tokens = parse.tokens
    if tokens[index].head < 0:
        return index
    index = tokens[index].head
    seen = {index}
    while not _heads_clause(parse, index):
        index = tokens[index].head
        if index in seen:  # a malformed tree; stop rather than loop
            break
        seen.add(index)
    return index


def _clause_tokens(parse: Parse, index: int) -> list[int]:
    """Return ``index`` and its descendants, not entering the clauses embedded below it."""
    out, todo = [], [index]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(c for c in parse.children(node) if not _heads_clause(parse, c))
    return sorted(out)


def clause_of(parse: Parse, token: int) -> tuple[int, int]:
    """Return the character range of the clause that ``token`` heads.

    The clause is the token's subtree without the clauses embedded in it
    (complements, adverbial and relative clauses, verb conjuncts), and
    without punctuation at its edges. An embedded clause in the middle of
    the range stays inside it: the range is from the clause's first word to
    its last.

    Parameters
    ----------
    parse : Parse
        The parse.
    token : int
        A predicate, usually from :func:`predicate_of`.

    Returns
    -------
    tuple of int
        ``(start, end)`` character offsets into ``parse.text``.
    """
    own = _clause_tokens(parse, token)
    words = [i for i in own if parse.tokens[i].pos != "PUNCT"] or own
    return parse.tokens[words[0]].start, parse.tokens[words[-1]].end


def subject_of(parse: Parse, predicate: int) -> int | None:
    """Return the token that does the action of ``predicate``, if the parse names one.

    In order: the agent of a passive ("launched by *Japan*"); the
    predicate's own subject (``nsubj``, ``nsubj:pass``, ``csubj``), with a
    relative pronoun replaced by the noun its clause modifies ("the
    *country* that launched"); for an open complement or a subjectless
    adverbial clause, the controller (the governing verb's object for
    ``xcomp`` when it has one, else its subject: "Seoul urged *Pyongyang* to
    return"); for a verb conjunct without a subject, the first conjunct's
    subject.

    Parameters
    ----------
    parse : Parse
        The parse.
    predicate : int
        The predicate's token index.

    Returns
    -------
    int or None
        The head token of the subject, or None.
    """
    tokens = parse.tokens
    seen: set[int] = set()
    while predicate not in seen:
        seen.add(predicate)
        children = list(parse.children(predicate))
        deps = {tokens[c].dep: c for c in reversed(children)}
        if "obl:agent" in deps:
            return deps["obl:agent"]
        for dep in _SUBJECTS:
            if dep in deps:
                subject = deps[dep]
                tok = tokens[predicate]
                if (
                    tok.dep == "acl:relcl"
                    and tok.head >= 0
                    and tokens[subject].text.lower() in _RELATIVE_WORDS
                ):
                    return tok.head
                return subject
        tok = tokens[predicate]
        if tok.head < 0:
            return None
        if tok.dep == "xcomp":
            governor = {tokens[c].dep: c for c in parse.children(tok.head)}
            if "obj" in governor:
                return governor["obj"]
            predicate = tok.head
        elif tok.dep in ("advcl", "conj"):
            predicate = tok.head
        else:
            return None
    return None
