"""Sentence splitting: Punkt with the project's parameters, offsets into the body."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import shared_path
from nlp_corpora import read_seed

from analysis import schema
from analysis.nlp import punkt_parameters, sentence_spans, split_sentences
from analysis.nlp.sentences import punkt_spans

SEED = "000_b0b6ea29c2469582.txt"


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_no_break_after_abbreviations_and_initials() -> None:
    text = (
        "The U.S. and S. Korea met N. Korea's envoy on Jan. 14 at 3 p.m. in Seoul. "
        "Gen. Kim and Lt. Col. Park spoke. Mr. Lee said No. 2 was next."
    )
    assert texts(text) == [
        "The U.S. and S. Korea met N. Korea's envoy on Jan. 14 at 3 p.m. in Seoul.",
        "Gen. Kim and Lt. Col. Park spoke.",
        "Mr. Lee said No. 2 was next.",
    ]


def test_break_after_abbreviation_before_a_sentence_starter() -> None:
    assert texts("Talks were held with the U.S. The North did not attend.") == [
        "Talks were held with the U.S.",
        "The North did not attend.",
    ]


def test_quotes_and_question_marks() -> None:
    assert texts('He said: "We will respond." Did they? Yes! It ended.') == [
        'He said: "We will respond."',
        "Did they?",
        "Yes!",
        "It ended.",
    ]


def test_newlines_are_hard_boundaries() -> None:
    assert texts("A headline without a period\nThe body starts here. It goes on") == [
        "A headline without a period",
        "The body starts here.",
        "It goes on",
    ]


def test_punkt_parameters_are_the_projects() -> None:
    params = punkt_parameters()
    assert {"u.s", "n", "s", "jan", "feb", "gen", "lt", "col", "mr", "mrs", "dr", "no", "st"} <= (
        params.abbrev_types
    )
    assert "the" in params.sent_starters


def test_split_sentences_frame() -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "body": ["  First one. Second one.  ", None, ""],
        }
    )
    out = split_sentences(articles)
    schema.check(out, schema.SENTENCES)
    assert out["sentence_id"].tolist() == [0, 1]
    body = articles["body"].iloc[0]
    assert [body[s:e] for s, e in zip(out["start"], out["end"], strict=True)] == out[
        "text"
    ].tolist()


def test_split_sentences_bad_input() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        split_sentences("a body")
    with pytest.raises(ValueError, match="body"):
        split_sentences(pd.DataFrame({"article_id": ["a"], "text": ["x"]}))


def test_seed_body() -> None:
    path = shared_path("seeds", SEED)
    text = read_seed(path.parents[1], SEED)
    spans = sentence_spans(text)
    sentences = [text[s:e] for s, e in spans]
    # Offsets are exact and cover every non-blank character once.
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    covered = "".join(sentences)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)
    # Never a break after "U.S." before a lower-case or non-starter word, nor
    # after an initial: every "U.S." of the seed sits inside a sentence.
    for match in re.finditer(r"U\.S\.", text):
        holder = [(s, e) for s, e in spans if s <= match.start() < e]
        assert holder and holder[0][1] != match.end(), text[match.start() - 40 : match.end() + 20]
    # The sentence that names both envoys keeps "his U.S. and Japanese counterparts" whole.
    assert any("U.S. and Japanese counterparts" in s and s.endswith(".") for s in sentences)
    # Agrees with NLTK's own Punkt run with the same parameters.
    assert spans == punkt_spans(text)


def test_agrees_with_nltk_punkt_on_kcna() -> None:
    path = shared_path("corpora", "kcna-2011-2012", "KCNA_2012.csv")
    stories = pd.read_csv(path, usecols=["story", "language"])
    stories = stories.loc[stories["language"] == "en", "story"].dropna().head(1500)
    # Paragraph breaks appear as ", ," in this corpus.
    bodies = stories.str.replace(r"\s*,\s*,[\s,]*", "\n", regex=True)
    same = sum(sentence_spans(b) == punkt_spans(b) for b in bodies)
    assert same / len(bodies) >= 0.99, f"{same} of {len(bodies)} identical"


def test_punkt_method_gives_the_same_frame_here() -> None:
    articles = pd.DataFrame(
        {"article_id": ["a"], "body": ["The U.S. envoy met N. Korea's delegate. They spoke."]}
    )
    pd.testing.assert_frame_equal(
        split_sentences(articles), split_sentences(articles, method="punkt")
    )
    with pytest.raises(ValueError, match="method"):
        split_sentences(articles, method="spacy")
