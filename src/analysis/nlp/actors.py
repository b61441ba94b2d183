"""Actor mentions: one pass over each text with a registry compiled to one regex.

The registry is package data written for the project:

- ``data/nlp_actors.csv``: aliases of states, demonyms, capitals used as
  metonyms, organisations and places, each with the actor code it stands for
  and its kind. Rows of kind ``source`` (news outlets such as KCNA or Yonhap)
  and ``block`` (names that contain an actor's name but are not the actor,
  such as "South China Sea" or "USS George Washington") are matched so that
  they win over the shorter alias inside them, and are then dropped.
- ``data/nlp_people.csv``: people, the actor they belong to and their name
  variants (romanisations such as "Kim Jong-un" and "Kim Jong Un").
- ``data/nlp_roles.csv``: the roles each person held and when, so a mention is
  labelled with the role held on the article's publication date.

All aliases are compiled into a single trie-shaped regular expression: a
left-to-right scan, longest alias first at each position, whole words only.
"the North" and "the South" count only in texts that speak of Korea and when
no capitalised word follows ("the North Korean ..." is the demonym).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from analysis import schema
from analysis.nlp.sentences import _require, sentence_ids, split_sentences
from analysis.nlp.trie import trie_regex

#: Kinds of ``nlp_actors.csv`` rows that are matched but never emitted.
SILENT_KINDS = frozenset({"source", "block"})
#: Kinds that may be emitted, for documentation and checks.
ACTOR_KINDS = ("state", "demonym", "capital", "organisation", "person", "place")

_KOREAN_CONTEXT = re.compile(r"Korea|Pyongyang|Seoul|DPRK|ROK\b")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class _Entry:
    actor: str
    kind: str
    person: str


@dataclass(frozen=True)
class Registry:
    """The compiled actor registry.

    Attributes
    ----------
    pattern : re.Pattern
        One regular expression over every alias.
    contextual : re.Pattern
        "the North" / "the South", counted only in texts about Korea.
    entries : dict
        Alias to its actor code, kind and person.
    roles : pandas.DataFrame
        One row per (person, role) with ``start_date`` and ``end_date``.
    """

    pattern: re.Pattern
    contextual: re.Pattern
    entries: dict
    roles: pd.DataFrame


def _read_csv(name: str) -> pd.DataFrame:
    path = resources.files("analysis").joinpath("data", name)
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


_KOREAN_NAME = re.compile(r"^([A-Z][a-z]+) ([A-Z][a-z]+)[- ]([A-Za-z][a-z]+)$")


def _romanisations(alias: str) -> list[str]:
    """Return an alias with the spellings of a Korean given name it may take.

    "Moon Jae-in" is also written "Moon Jae-In" and "Moon Jae In" (KCNA
    writes the syllables apart, capitalised), so each form is registered.
    """
    if not alias:
        return []
    m = _KOREAN_NAME.match(alias)
    if not m:
        return [alias]
    family, first, second = m.groups()
    forms = [
        alias,
        f"{family} {first}-{second.lower()}",
        f"{family} {first}-{second.capitalize()}",
        f"{family} {first} {second.capitalize()}",
    ]
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """Load and compile the actor registry from the package data.

    Returns
    -------
    Registry
        The compiled patterns, alias entries and the roles table.
    """
    actors = _read_csv("nlp_actors.csv")
    people = _read_csv("nlp_people.csv")
    roles = _read_csv("nlp_roles.csv")
    entries: dict[str, _Entry] = {}
    contextual: list[str] = []
    for row in actors.itertuples(index=False):
        if row.context:
            contextual.append(row.alias)
        entries[row.alias] = _Entry(row.actor, row.actor_kind, "")
    for row in people.itertuples(index=False):
        for alias in row.aliases.split(";"):
            for variant in _romanisations(alias.strip()):
                entries.setdefault(variant, _Entry(row.actor, "person", row.person))
    main = sorted(a for a in entries if a not in contextual)
    # Whole words: none just after (a final period in "U.S." is part of the
    # alias); "none just before" is checked in Python, because a leading
    # lookbehind would stop the engine from skipping to the alias's first
    # letters and make the scan three times slower.
    pattern = re.compile(r"(?:" + trie_regex(main) + r")(?![\w$])")
    ctx = re.compile(r"(?<![\w])(?:" + trie_regex(sorted(contextual)) + r")(?![\w-])(?!\s+[A-Z])")
    roles = roles.assign(
        start_date=pd.to_datetime(roles["start_date"].replace("", None)),
        end_date=pd.to_datetime(roles["end_date"].replace("", None)),
    )
    return Registry(pattern=pattern, contextual=ctx, entries=entries, roles=roles)


def match_actors(text: str) -> list[tuple[int, int, str, str, str]]:
    """Return the actor mentions in one text as ``(start, end, actor, kind, person)``.

    Sources and blocked names are left out; "the North"/"the South" count only
    when the text mentions Korea.

    Examples
    --------
    >>> [m[2] for m in match_actors("Kim Jong-un met Putin in Moscow, KCNA said.")]
    ['PRK', 'RUS', 'RUS']
    """
    if not isinstance(text, str) or not text:
        return []
    reg = load_registry()
    entries = reg.entries
    found = [
        (m.start(), m.end(), m.group())
        for m in reg.pattern.finditer(text)
        if not m.start() or not _is_word_char(text[m.start() - 1])
    ]
    if ("North" in text or "South" in text) and _KOREAN_CONTEXT.search(text):
        taken = [(s, e) for s, e, _ in found]
        for m in reg.contextual.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), m.group()))
        found.sort()
    out = []
    for start, end, alias in found:
        entry = entries[alias]
        if entry.kind in SILENT_KINDS:
            continue
        out.append((start, end, entry.actor, entry.kind, entry.person))
    return out


@lru_cache(maxsize=1)
def _terms() -> dict[str, list[tuple[dt.date, dt.date, str]]]:
    """Each person's roles as ``(start, end, role)``, open ends filled in."""
    terms: dict[str, list[tuple[dt.date, dt.date, str]]] = {}
    for row in load_registry().roles.itertuples(index=False):
        start = row.start_date.date() if pd.notna(row.start_date) else dt.date.min
        end = row.end_date.date() if pd.notna(row.end_date) else dt.date.max
        terms.setdefault(row.person, []).append((start, end, row.role))
    return terms


@lru_cache(maxsize=65536)
def role_on(person: str, day: dt.date | None) -> str | None:
    """Return the role ``person`` held on ``day``.

    When no term covers the day, the last term that began before it is used,
    else the first one; without a day, the latest role.
    """
    terms = _terms().get(person)
    if not terms:
        return None
    if day is None:
        return terms[-1][2]
    held = [role for start, end, role in terms if start <= day <= end]
    if held:
        return held[-1]
    before = [role for start, _end, role in terms if start <= day]
    return before[-1] if before else terms[0][2]


def find_mentions(articles: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find the mentions of registered actors in each article body.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows with ``article_id`` and ``body``; ``published_date``, when
        present, picks the role a person held at the time.
    sentences : pandas.DataFrame, optional
        The articles' sentences (``schema.SENTENCES``); split here when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per (article_id, start) actor mention, with the columns of
        ``schema.MENTIONS``: ``actor`` is the code of the state or
        organisation (``PRK``, ``KOR``, ``USA``, ``UN`` ...), ``actor_kind``
        one of ``state``, ``demonym``, ``capital``, ``organisation``,
        ``person``, ``place``; ``person`` and ``role`` say who a person is.
        News outlets (KCNA, Yonhap ...) are sources, not actors, and are not
        listed.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "body": ["Pyongyang fired. Seoul said."]})
    >>> find_mentions(arts)[["text", "actor", "sentence_id"]].values.tolist()
    [['Pyongyang', 'PRK', 0], ['Seoul', 'KOR', 1]]
    """
    _require(articles, ("article_id", "body"))
    if sentences is None:
        sentences = split_sentences(articles)
    dates = (
        pd.to_datetime(articles["published_date"], errors="coerce")
        if "published_date" in articles.columns
        else pd.Series(pd.NaT, index=articles.index)
    )
    # datetime.date objects, None for NaT (numpy's own conversion).
    days = schema.local_dates(dates).to_numpy(dtype="datetime64[D]").astype(object).tolist()
    cols: dict[str, list] = {k: [] for k in schema.MENTIONS if k != "sentence_id"}
    for article_id, body, day in zip(
        articles["article_id"].tolist(), articles["body"].tolist(), days, strict=True
    ):
        if not isinstance(body, str):
            continue
        for start, end, actor, kind, person in match_actors(body):
            cols["article_id"].append(article_id)
            cols["start"].append(start)
            cols["end"].append(end)
            cols["text"].append(body[start:end])
            cols["actor"].append(actor)
            cols["actor_kind"].append(kind)
            cols["person"].append(person or None)
            cols["role"].append(role_on(person, day) if person else None)
    frame = pd.DataFrame(
        {
            "article_id": schema.strings(cols["article_id"]),
            "sentence_id": sentence_ids(sentences, cols["article_id"], cols["start"]),
            "start": pd.array(cols["start"], dtype=schema.INT),
            "end": pd.array(cols["end"], dtype=schema.INT),
            **{
                k: schema.strings(cols[k])
                for k in ("text", "actor", "actor_kind", "person", "role")
            },
        }
    )
    return schema.check(frame, schema.MENTIONS, name="mentions")
