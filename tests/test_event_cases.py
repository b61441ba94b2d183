"""Every rule of the extractor carries its evidence: sentences it must read right.

``tests/data/event_cases.csv`` holds one row per piece of evidence for a rule
(the way ``nlp_timex_cases.csv`` holds the time expressions):

- ``rule``: what the case backs. ``triggers.<name>`` is the ``[[trigger]]`` of
  that name in ``data/event_triggers.toml``; any other dotted path names a key
  of ``data/event_cues.toml`` (``modality.habitual``) or of
  ``event_triggers.toml`` (``macros.MISSILE``, ``missile_class.SLBM``; an
  array of tables is indexed by its ``name`` or ``class``).
- ``corpus``: where the article is: ``reuters-2016``, ``kcna-2024``,
  ``kcna-2011-2012``, ``wh-briefings`` (``../shared/corpora/``) or ``sample``
  (``data/sample``, always present; the others are skipped when absent).
- ``source_id``: the article's ``source_id`` as loaded from that corpus.
- ``anchor``: a short substring (at most five words) that locates the sentence
  in the article's body. Whole sentences of ``../shared`` are never copied
  into the repository: the anchor finds them there.
- ``expect``: what the extractor must make of that sentence, read on the
  events whose ``sentence_id`` is that sentence's: ``none`` (no event);
  ``field=value;field=value`` (some event has all these values); or
  ``no field=value;...`` (no event has them all). Fields are columns of
  ``schema.EVENTS``; dates are ``YYYY-MM-DD``; a participants value keeps its
  own ``;`` (``participants=KOR;USA``).

An event repeated in a later sentence points at its first sentence (one row
per event per article), so a case anchors the sentence that first states it.
The extractor runs on the case's article alone.

Each rule should be backed by at least two cases from two different corpora
(issue 12); the coverage report prints those that are not.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pytest
from conftest import SAMPLE, shared_path

from analysis import resources, schema
from analysis.evaluate import GOLD_CORPORA
from analysis.events import extract_events
from analysis.ingest import load_articles
from analysis.nlp import split_sentences

CASES_FILE = Path(__file__).parent / "data" / "event_cases.csv"
#: Where each corpus of the case table lives: under ``../shared`` or the sample.
CORPORA = {
    "reuters-2016": ("corpora", "reuters-2016"),
    "kcna-2024": ("corpora", "kcna-2024"),
    "kcna-2011-2012": ("corpora", "kcna-2011-2012"),
    "wh-briefings": ("corpora", "wh-briefings"),
    "sample": None,
}
#: The event types the starting cases cover from two corpora each.
MAIN_TYPES = (
    "missile_launch",
    "nuclear_test",
    "satellite_launch",
    "sanctions",
    "meeting",
    "threat",
)
MAX_ANCHOR_WORDS = 5


class Case(NamedTuple):
    rule: str
    corpus: str
    source_id: str
    anchor: str
    expect: str


def read_cases() -> list[Case]:
    """Read the case table, one :class:`Case` per row."""
    with CASES_FILE.open(encoding="utf-8", newline="") as f:
        return [Case(**row) for row in csv.DictReader(f)]


CASES = read_cases()


def parse_expect(expect: str) -> tuple[str, dict[str, str]]:
    """Split an expectation into its kind (``none``, ``some``, ``no``) and its conditions.

    Examples
    --------
    >>> parse_expect("event_type=meeting;participants=KOR;USA;date_start=2022-05-21")
    ('some', {'event_type': 'meeting', 'participants': 'KOR;USA', 'date_start': '2022-05-21'})
    >>> parse_expect("no event_type=satellite_launch;actor=PRK")
    ('no', {'event_type': 'satellite_launch', 'actor': 'PRK'})
    """
    text = expect.strip()
    if text == "none":
        return "none", {}
    kind = "some"
    if text.startswith("no "):
        kind, text = "no", text[3:]
    conditions: dict[str, str] = {}
    last = None
    for part in text.split(";"):
        if "=" in part:
            last, value = part.split("=", 1)
            conditions[last.strip()] = value.strip()
        elif last is not None:
            # a participants list keeps its own separator
            conditions[last] += ";" + part.strip()
        else:
            raise ValueError(f"not a condition: {part!r} in {expect!r}")
    return kind, conditions


def rule_exists(rule: str) -> bool:
    """Whether ``rule`` names a trigger or a key of the events' data files."""
    cues = resources.read_toml("event_cues.toml")
    triggers = resources.read_toml("event_triggers.toml")
    head, _, name = rule.partition(".")
    if head == "triggers" and any(t["name"] == name for t in triggers["trigger"]):
        return True
    return _walk(cues, rule) or _walk(triggers, rule)


def _walk(table: Any, path: str) -> bool:
    for key in path.split("."):
        if isinstance(table, dict) and key in table:
            table = table[key]
        elif isinstance(table, list):
            found = [
                t for t in table if isinstance(t, dict) and key in (t.get("name"), t.get("class"))
            ]
            if not found:
                return False
            table = found[0]
        else:
            return False
    return True


@functools.cache
def corpus_articles(corpus: str) -> pd.DataFrame:
    """The articles of one corpus of the table (skips when ``../shared`` lacks it)."""
    parts = CORPORA[corpus]
    path = SAMPLE if parts is None else shared_path(*parts)
    return load_articles([path]).articles


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _value(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _holds(event: dict, conditions: dict[str, str]) -> bool:
    return all(_value(event.get(k)) == v for k, v in conditions.items())


def _param(i: int, case: Case):
    marks = [] if case.corpus == "sample" else [pytest.mark.shared]
    return pytest.param(case, id=f"{i:03d}-{case.rule}-{case.corpus}", marks=marks)


# ----------------------------------------------------------------- the table


def test_the_case_table_is_well_formed():
    assert CASES, CASES_FILE
    columns = set(schema.EVENTS.columns)
    for case in CASES:
        assert case.corpus in CORPORA, case
        assert case.source_id and case.anchor.strip(), case
        assert len(case.anchor.split()) <= MAX_ANCHOR_WORDS, case
        kind, conditions = parse_expect(case.expect)
        assert kind == "none" or conditions, case
        assert set(conditions) <= columns, (set(conditions) - columns, case)


def test_every_rule_named_in_the_table_exists_in_the_data_files():
    missing = sorted({case.rule for case in CASES if not rule_exists(case.rule)})
    assert not missing, f"rules of {CASES_FILE.name} not in event_cues/event_triggers: {missing}"


def test_rule_names_resolve_against_both_data_files():
    # the resolver itself, on names that exist and names that do not
    assert rule_exists("triggers.fire_missile")
    assert rule_exists("modality.habitual") and rule_exists("triggers.time_words")
    assert rule_exists("missile_class.SLBM") and rule_exists("macros.MISSILE")
    assert not rule_exists("triggers.no_such_trigger")
    assert not rule_exists("modality.no_such_cue")


def coverage_report(cases: list[Case]) -> list[str]:
    """Lines naming each rule backed by fewer than two corpora, and triggers with no case."""
    corpora: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        corpora[case.rule].add(case.corpus)
        counts[case.rule] += 1
    lines = [
        f"  {rule}: {counts[rule]} case(s) from {', '.join(sorted(corpora[rule]))}"
        for rule in sorted(corpora)
        if len(corpora[rule]) < 2
    ]
    names = [t["name"] for t in resources.read_toml("event_triggers.toml")["trigger"]]
    lines += [f"  triggers.{n}: no case" for n in names if f"triggers.{n}" not in corpora]
    return lines


def test_main_event_types_are_backed_by_two_corpora_and_thin_rules_are_reported():
    report = coverage_report(CASES)
    print("\nrules with fewer than two cases from two different corpora:")
    print("\n".join(report) or "  none")
    # which gold set each corpus belongs to: where a rule was written
    sets = {Path(p).name: name for name, paths in GOLD_CORPORA.items() for p in paths}
    by_type: dict[str, set[str]] = defaultdict(set)
    for case in CASES:
        kind, conditions = parse_expect(case.expect)
        if kind == "some" and "event_type" in conditions:
            by_type[conditions["event_type"]].add(case.corpus)
    print("event types by corpus (gold set):")
    for etype in sorted(by_type):
        where = ", ".join(f"{c} ({sets.get(c, '-')})" for c in sorted(by_type[etype]))
        print(f"  {etype}: {where}")
    thin = [t for t in MAIN_TYPES if len(by_type[t]) < 2]
    assert not thin, f"main event types with cases from fewer than two corpora: {thin}"


# ----------------------------------------------------------------- the cases


@pytest.mark.parametrize("case", [_param(i, c) for i, c in enumerate(CASES)])
def test_case(case: Case):
    articles = corpus_articles(case.corpus)
    article = articles.loc[articles["source_id"] == case.source_id]
    assert len(article) == 1, f"{case.source_id} is not one article of {case.corpus}"
    sentences = split_sentences(article)
    anchor = _flat(case.anchor)
    hits = sentences.loc[sentences["text"].map(lambda t: anchor in _flat(t))]
    assert len(hits) == 1, f"anchor {case.anchor!r} is in {len(hits)} sentences, not one"
    sentence = hits.iloc[0]
    events = extract_events(article)
    found = events.loc[events["sentence_id"] == sentence["sentence_id"]].to_dict("records")
    shown = "\n".join(
        "  "
        + " ".join(f"{k}={_value(e.get(k))}" for k in ("event_type", "actor", "participants"))
        + " "
        + " ".join(f"{k}={_value(e.get(k))}" for k in ("date_start", "date_end", "precision"))
        + " "
        + " ".join(f"{k}={_value(e.get(k))}" for k in ("modality", "trigger", "date_rule"))
        for e in found
    )
    message = (
        f"{case.rule} on {sentence['text']!r}\nexpected {case.expect}\ngot:\n{shown or '  nothing'}"
    )
    kind, conditions = parse_expect(case.expect)
    if kind == "none":
        assert not found, message
    elif kind == "no":
        assert not any(_holds(e, conditions) for e in found), message
    else:
        assert any(_holds(e, conditions) for e in found), message
