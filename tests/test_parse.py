"""Tests of the dependency parser and the clause functions in ``analysis.nlp.parse``.

The clause functions are tested on hand-built trees, which need no model;
the parser's tests run the shipped model on sentences of the kind the event
extractor meets and skip, with the reason, when its files are absent.
"""

from __future__ import annotations

import pytest

from analysis.nlp.parse import (
    Parse,
    Token,
    clause_of,
    model_available,
    parse,
    predicate_of,
    subject_of,
)

needs_model = pytest.mark.skipif(
    not model_available(),
    reason="no parser model in analysis/data/parser (or no spaCy): "
    "run python scripts/train_parser.py",
)


def tree(text: str, rows: list[tuple[str, str, int, str]]) -> Parse:
    """Build a Parse of ``text`` from (word, UPOS, head, label) rows, words in text order."""
    tokens, cursor = [], 0
    for word, pos, head, dep in rows:
        start = text.index(word, cursor)
        cursor = start + len(word)
        tokens.append(Token(start, cursor, word, pos, "", head, dep))
    return Parse(text, tuple(tokens))


def span(text: str, phrase: str) -> tuple[int, int]:
    """Return the character range of the first ``phrase`` in ``text``."""
    start = text.index(phrase)
    return start, start + len(phrase)


def word_at(p: Parse, index: int | None) -> str | None:
    """Return the text of token ``index``, or None."""
    return None if index is None else p.tokens[index].text


# "Japan said it had launched a spy satellite on Tuesday." as UD annotates it.
SAID = tree(
    "Japan said it had launched a spy satellite on Tuesday.",
    [
        ("Japan", "PROPN", 1, "nsubj"),
        ("said", "VERB", -1, "root"),
        ("it", "PRON", 4, "nsubj"),
        ("had", "AUX", 4, "aux"),
        ("launched", "VERB", 1, "ccomp"),
        ("a", "DET", 7, "det"),
        ("spy", "NOUN", 7, "compound"),
        ("satellite", "NOUN", 4, "obj"),
        ("on", "ADP", 9, "case"),
        ("Tuesday", "PROPN", 4, "obl"),
        (".", "PUNCT", 1, "punct"),
    ],
)


def test_predicate_of_climbs_to_the_clause_that_holds_the_span():
    assert word_at(SAID, predicate_of(SAID, *span(SAID.text, "on Tuesday"))) == "launched"
    assert word_at(SAID, predicate_of(SAID, *span(SAID.text, "spy satellite"))) == "launched"
    assert word_at(SAID, predicate_of(SAID, *span(SAID.text, "Japan"))) == "said"
    assert word_at(SAID, predicate_of(SAID, *span(SAID.text, "said"))) == "said"
    assert predicate_of(SAID, 200, 210) is None


def test_clause_of_leaves_out_the_embedded_clause_and_edge_punctuation():
    said, launched = 1, 4
    assert SAID.text[slice(*clause_of(SAID, said))] == "Japan said"
    assert (
        SAID.text[slice(*clause_of(SAID, launched))] == "it had launched a spy satellite on Tuesday"
    )


def test_subject_of_finds_the_subject_agent_and_controller():
    assert word_at(SAID, subject_of(SAID, 4)) == "it"
    assert word_at(SAID, subject_of(SAID, 1)) == "Japan"
    passive = tree(
        "The satellite was launched by Japan.",
        [
            ("The", "DET", 1, "det"),
            ("satellite", "NOUN", 3, "nsubj:pass"),
            ("was", "AUX", 3, "aux:pass"),
            ("launched", "VERB", -1, "root"),
            ("by", "ADP", 5, "case"),
            ("Japan", "PROPN", 3, "obl:agent"),
            (".", "PUNCT", 3, "punct"),
        ],
    )
    assert word_at(passive, subject_of(passive, 3)) == "Japan"
    control = tree(
        "Seoul urged Pyongyang to return.",
        [
            ("Seoul", "PROPN", 1, "nsubj"),
            ("urged", "VERB", -1, "root"),
            ("Pyongyang", "PROPN", 1, "obj"),
            ("to", "PART", 4, "mark"),
            ("return", "VERB", 1, "xcomp"),
            (".", "PUNCT", 1, "punct"),
        ],
    )
    assert word_at(control, subject_of(control, 4)) == "Pyongyang"
    relative = tree(
        "The country that fired it denied it.",
        [
            ("The", "DET", 1, "det"),
            ("country", "NOUN", 5, "nsubj"),
            ("that", "PRON", 3, "nsubj"),
            ("fired", "VERB", 1, "acl:relcl"),
            ("it", "PRON", 3, "obj"),
            ("denied", "VERB", -1, "root"),
            ("it", "PRON", 5, "obj"),
            (".", "PUNCT", 5, "punct"),
        ],
    )
    assert word_at(relative, subject_of(relative, 3)) == "country"
    assert word_at(relative, predicate_of(relative, *span(relative.text, "fired it"))) == "denied"


@needs_model
def test_parse_returns_one_parse_per_text_with_offsets_into_it():
    texts = ["North Korea fired a missile on Sunday.", "", "Talks resumed."]
    parses = parse(texts)
    assert [p.text for p in parses] == texts
    assert parses[1].tokens == ()
    for p in parses:
        assert all(p.text[t.start : t.end] == t.text for t in p.tokens)
        assert all(-1 <= t.head < len(p.tokens) for t in p.tokens)
        assert sum(t.dep == "root" for t in p.tokens) == (1 if p.tokens else 0)
    assert [(t.text, t.pos) for t in parses[2].tokens][1:] == [("resumed", "VERB"), (".", "PUNCT")]
    assert parse([]) == []


@needs_model
@pytest.mark.parametrize(
    ("text", "phrase", "predicate"),
    [
        (
            "Moon will hold talks with Abe on Friday, their third meeting since they met "
            "in Osaka in June.",
            "on Friday",
            "hold",
        ),
        (
            "Moon will hold talks with Abe on Friday, their third meeting since they met "
            "in Osaka in June.",
            "in June",
            "met",
        ),
        ("Japan said it had launched a spy satellite on Tuesday.", "on Tuesday", "launched"),
        ("A spokesman on April 16 denounced the launch.", "on April 16", "denounced"),
        (
            "North Korea fired two ballistic missiles on Sunday, days after the allies "
            "ended their drills.",
            "on Sunday",
            "fired",
        ),
        (
            "The ministers met in Hanoi on Wednesday and signed a fisheries accord on Thursday.",
            "on Thursday",
            "signed",
        ),
        (
            "The ministers met in Hanoi on Wednesday and signed a fisheries accord on Thursday.",
            "on Wednesday",
            "met",
        ),
        (
            "Officials said yesterday that the envoy would arrive in Seoul next week.",
            "next week",
            "arrive",
        ),
        (
            "Officials said yesterday that the envoy would arrive in Seoul next week.",
            "yesterday",
            "said",
        ),
    ],
)
def test_time_expression_attaches_to_its_own_predicate(text, phrase, predicate):
    p = parse([text])[0]
    assert word_at(p, predicate_of(p, *span(text, phrase))) == predicate


@needs_model
def test_said_clause_keeps_the_launch_with_its_own_subject():
    text = "Japan said it had launched a spy satellite on Tuesday."
    p = parse([text])[0]
    launched = predicate_of(p, *span(text, "on Tuesday"))
    assert word_at(p, launched) == "launched"
    assert word_at(p, subject_of(p, launched)) == "it"
    said = p.tokens[launched].head
    assert word_at(p, said) == "said"
    assert p.tokens[launched].dep == "ccomp"
    assert word_at(p, subject_of(p, said)) == "Japan"
    assert text[slice(*clause_of(p, said))] == "Japan said"


@needs_model
def test_actor_of_a_passive_or_controlled_clause():
    text = "The satellite was launched by Japan on Tuesday."
    p = parse([text])[0]
    launched = predicate_of(p, *span(text, "on Tuesday"))
    assert word_at(p, subject_of(p, launched)) == "Japan"
    text = "Seoul urged Pyongyang to return to the talks."
    p = parse([text])[0]
    ret = next(i for i, t in enumerate(p.tokens) if t.text == "return")
    assert word_at(p, subject_of(p, ret)) == "Pyongyang"
