"""Actor mentions: one pass over each text with a registry compiled to one regex.

The registry is package data written for the project, over the ISO 3166
country list that ``pycountry`` ships:

- ``data/nlp_states.csv``: for each ISO 3166 alpha-3 code, the names
  pycountry lacks (short names such as "DPRK", spellings such as "N. Korea"),
  demonyms ("North Korean"), the capitals that stand for the state's
  government ("Pyongyang"), pycountry names too ambiguous in English news to
  stand for the state ("Georgia", a US state too), and, for a dependent
  territory, the state it belongs to (its names are places of that state).
  pycountry gives every code its name, official name and common name.
- ``data/nlp_actors.csv``: organisations (the UN and its organs, the EU,
  NATO, the IAEA ... and the organs of the states that matter here), places,
  seats of government ("Kremlin") and the aliases that read only in Korean
  context ("the North"). Rows of kind ``source`` (news outlets such as KCNA
  or Yonhap, with the state an outlet speaks for) and ``block`` (names that
  contain an actor's name but are not the actor, such as "South China Sea" or
  "USS George Washington") are matched so that they win over the shorter
  alias inside them, and are then dropped.
- ``data/nlp_people.csv``: people, the actor they belong to and their name
  variants (romanisations such as "Kim Jong-un" and "Kim Jong Un").
- ``data/nlp_roles.csv``: the offices each person held, whose office it was
  (``actor``) and when, so a mention is labelled with the office held on the
  article's publication date and stands for that office's state.
- ``data/nlp_titles.csv``: titles ("the president", "Foreign Minister") and
  the office each names. A title is resolved to the person who held that
  office on the publication date: by the surname after it ("President
  Yoon"), the state before or after it ("Japan's prime minister", "the
  prime minister of Japan"), the last person named who held it,
  or else the article's home state, from its dateline or outlet.
- ``data/nlp_actor_rules.toml``: when a capital is a place ("talks in
  Seoul") rather than its government ("Seoul said"), and which words make a
  title a past holder's ("former President Moon").

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

import pandas as pd
import pycountry

from analysis import schema
from analysis.nlp.sentences import require_columns, sentence_ids, split_sentences
from analysis.nlp.trie import trie_regex
from analysis.resources import read_csv, read_toml

#: Kinds of registry rows that are matched but never emitted.
SILENT_KINDS = frozenset({"source", "block"})
#: Kinds that may be emitted, for documentation and checks.
ACTOR_KINDS = ("state", "demonym", "capital", "organisation", "person", "place")
#: Kind of a title's registry entry ("the president"): emitted as a person
#: once resolved to an office holder, else dropped.
TITLE_KIND = "title"
#: Kinds a title's state can come from ("Japan's prime minister").
_STATE_KINDS = frozenset({"state", "demonym", "capital", "organisation"})
# Kinds emitted as they are registered.
_PLAIN_KINDS = frozenset({"state", "demonym", "organisation", "place"})

_RULES = "nlp_actor_rules.toml"
_KOREAN_CONTEXT = re.compile(r"Korea|Pyongyang|Seoul|DPRK|ROK\b")
_KOREAN_NAME = re.compile(r"^([A-Z][a-z]+) ([A-Z][a-z]+)[- ]([A-Za-z][a-z]+)$")
# A capitalised word right after a title: the holder's surname.
_NAME_AFTER = re.compile(r"\s+([A-Z][\w'’-]*)")
# "of" (and an article) between a title and the state it belongs to.
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?")
# Between a state and its title: "Japan's prime minister", "U.S. President".
_STATE_GAP = re.compile(r"(?:['’]s)?\s+(?:(?:newly\s+)?(?:elected|new|acting)\s+)?$")
_SMALL_WORDS = frozenset({"of", "the", "for", "and"})


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(frozen=True)
class _Entry:
    actor: str
    kind: str
    person: str  # the person's name; for a title, the office it names


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
        Alias to its actor code, kind and person (for a title, its office).
    roles : pandas.DataFrame
        One row per (person, role) term with the office's ``actor``,
        ``start_date`` and ``end_date``.
    holders : dict
        ``(actor, role)`` to the terms of that office, as
        ``(start, end, person)`` with open ends filled in.
    surnames : dict
        A name word ("Yoon", "Kishida") to the people whose name has it.
    bare_title : re.Pattern
        A title in lower case after "the" ("the president", "The
        president"): the candidates, which :func:`_resolve_title` checks.
    title_after : re.Pattern
        A title in lower case right after a state ("Japan's prime
        minister"), matched at the state's end.
    lower : tuple
        The other aliases that begin in lower case ("south Korea", as KCNA
        writes it), less those that hold another, and the pattern over them,
        run only on texts that hold one of them.
    """

    pattern: re.Pattern
    contextual: re.Pattern
    entries: dict
    roles: pd.DataFrame
    holders: dict
    surnames: dict
    bare_title: re.Pattern
    title_after: re.Pattern
    lower: tuple[tuple[str, ...], re.Pattern]


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


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _iso_names(code: str) -> list[str]:
    """The names pycountry gives a code, without inverted forms ("Korea, Republic of")."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise ValueError(f"nlp_states.csv: {code!r} is not an ISO 3166 alpha-3 code")
    names = []
    for attr in ("name", "official_name", "common_name"):
        name = getattr(country, attr, None)
        if name and "," not in name and "(" not in name:
            names.append(name.removeprefix("the "))
    return names


def state_aliases(states: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Return every state's and territory's aliases as ``(alias, actor, kind)``.

    Parameters
    ----------
    states : pandas.DataFrame
        The rows of ``data/nlp_states.csv``: ``code``, ``sovereign``,
        ``names``, ``demonyms``, ``capitals``, ``exclude``.

    Returns
    -------
    list of tuple
        One tuple per alias: the names pycountry gives the code and the
        table's own names (kind ``state``, or ``place`` of the sovereign
        state for a territory), demonyms (``demonym``) and capitals
        (``capital``), less the excluded names.

    Examples
    --------
    >>> rows = pd.DataFrame([{"code": "PRK", "sovereign": "", "names": "DPRK",
    ...     "demonyms": "North Korean", "capitals": "Pyongyang", "exclude": ""}])
    >>> state_aliases(rows)[:2]
    [("Democratic People's Republic of Korea", 'PRK', 'state'), ('North Korea', 'PRK', 'state')]
    """
    out: list[tuple[str, str, str]] = []
    for row in states.itertuples(index=False):
        actor = row.sovereign or row.code
        name_kind = "place" if row.sovereign else "state"
        excluded = set(_split(row.exclude))
        names = dict.fromkeys([*_iso_names(row.code), *_split(row.names)])
        out += [(name, actor, name_kind) for name in names if name not in excluded]
        out += [(name, actor, "demonym") for name in _split(row.demonyms)]
        out += [(name, actor, "capital") for name in _split(row.capitals)]
    return out


def _title_forms(title: str) -> list[str]:
    """A title as written in running text and before a name ("Foreign Minister")."""
    capitalised = " ".join(
        w if w in _SMALL_WORDS else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
        for w in title.split()
    )
    return list(dict.fromkeys([title, capitalised]))


def _date(value: str, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


def _add(entries: dict, alias: str, entry: _Entry, conflicts: list[str]) -> None:
    # Typeset text writes the apostrophe curly ("People’s"): both spellings.
    for spelling in dict.fromkeys((alias, alias.replace("'", "’"))):
        old = entries.setdefault(spelling, entry)
        if old != entry:
            conflicts.append(f"{spelling!r}: {old} / {entry}")


def _entries() -> tuple[dict[str, _Entry], list[str], list[str], dict[str, frozenset[str]]]:
    """Every alias with its meaning, from the data files.

    Returns the entries, the aliases that need Korean context, the titles in
    lower case, and the people by the words of their names (for "President
    Yoon").
    """
    entries: dict[str, _Entry] = {}
    conflicts: list[str] = []
    contextual: list[str] = []
    for row in read_csv("nlp_actors.csv").itertuples(index=False):
        if row.context:
            contextual.append(row.alias)
        _add(entries, row.alias, _Entry(row.actor, row.actor_kind, ""), conflicts)
    for alias, actor, kind in state_aliases(read_csv("nlp_states.csv")):
        _add(entries, alias, _Entry(actor, kind, ""), conflicts)
    titles: list[str] = []
    for row in read_csv("nlp_titles.csv").itertuples(index=False):
        for form in _title_forms(row.title):
            _add(entries, form, _Entry("", TITLE_KIND, row.role), conflicts)
        titles.append(row.title)
    surnames: dict[str, set[str]] = {}
    for row in read_csv("nlp_people.csv").itertuples(index=False):
        entry = _Entry(row.actor, "person", row.person)
        for alias in _split(row.aliases):
            _add(entries, alias, entry, conflicts)
            for variant in _romanisations(alias):
                for spelling in (variant, variant.replace("'", "’")):
                    entries.setdefault(spelling, entry)
            words = alias.split()
            for word in {words[0], words[-1]}:
                surnames.setdefault(word, set()).add(row.person)
    if conflicts:
        raise ValueError("actor registry: aliases with two meanings: " + "; ".join(conflicts))
    return entries, contextual, titles, {k: frozenset(v) for k, v in surnames.items()}


def _holders(roles: pd.DataFrame) -> dict[tuple[str, str], tuple]:
    """``(actor, role)`` to its terms ``(start, end, person)``, open ends filled in."""
    holders: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = {}
    for row in roles.itertuples(index=False):
        term = (_date(row.start_date, dt.date.min), _date(row.end_date, dt.date.max), row.person)
        holders.setdefault((row.actor, row.role), []).append(term)
    return {k: tuple(v) for k, v in holders.items()}


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """Load and compile the actor registry from the package data.

    Returns
    -------
    Registry
        The compiled patterns, alias entries, the roles table and the
        indexes of office holders.

    Raises
    ------
    ValueError
        When one alias is given two meanings in the data files.
    """
    entries, contextual, titles, surnames = _entries()
    # Titles in lower case are looked for only where they can name an office
    # holder, after "the" or a state, and other aliases in lower case only in
    # texts that hold them: in the main pattern their first letters (p, s, f
    # ...) would make the scan stop at most words.
    lower = sorted(a for a in set(entries) - {*titles, *contextual} if a[0].islower())
    main = sorted(set(entries) - {*contextual, *titles, *lower})
    # Whole words: none just after (a final period in "U.S." is part of the
    # alias); "none just before" is checked in Python, because a leading
    # lookbehind would stop the engine from skipping to the alias's first
    # letters and make the scan three times slower.
    pattern = re.compile(r"(?:" + trie_regex(main) + r")(?![\w$])")
    ctx = re.compile(r"(?<![\w])(?:" + trie_regex(sorted(contextual)) + r")(?![\w-])(?!\s+[A-Z])")
    title_trie = trie_regex(sorted(titles))
    # The definite article without its first letter: a literal start ("he ")
    # lets the engine skip to candidates quickly, in either case of "The".
    tails = "|".join(sorted({re.escape(w[1:]) for w in read_toml(_RULES)["titles"]["definite"]}))
    roles = read_csv("nlp_roles.csv")
    return Registry(
        pattern=pattern,
        contextual=ctx,
        entries=entries,
        roles=roles.assign(
            start_date=pd.to_datetime(roles["start_date"].replace("", None)),
            end_date=pd.to_datetime(roles["end_date"].replace("", None)),
        ),
        holders=_holders(roles),
        surnames=surnames,
        bare_title=re.compile(rf"(?:{tails})\s({title_trie})(?![\w$])"),
        title_after=re.compile(_STATE_GAP.pattern.removesuffix("$") + rf"({title_trie})(?![\w$])"),
        lower=(
            tuple(a for a in lower if not any(b != a and b in a for b in lower)),
            re.compile(r"(?:" + trie_regex(lower) + r")(?![\w$])"),
        ),
    )


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, ...]:
    """The rules of ``nlp_actor_rules.toml``, compiled.

    Returns the words before and after a capital that make it a place, the
    words that make a title a past holder's, the definite article, and the
    words that make a state's title no one's in particular.
    """
    rules = read_toml(_RULES)
    place = rules["capital_as_place"]
    titles = rules["titles"]

    def alternatives(words: list[str]) -> str:
        return "|".join(map(re.escape, words))

    before = re.compile(
        rf"(?<![\w-])(?:{alternatives(place['before'])})\s+(?:the\s+)?$", re.IGNORECASE
    )
    after = re.compile(
        rf"(?:{alternatives(place['after'])})"
        rf"|\s+(?:{alternatives(place['after_words'])})(?![\w-])",
        re.IGNORECASE,
    )
    return (
        before,
        after,
        re.compile(rf"(?<![\w-])(?:{alternatives(titles['past'])})[\s-]+$", re.IGNORECASE),
        re.compile(rf"(?<![\w-])(?:{alternatives(titles['definite'])})\s+$", re.IGNORECASE),
        re.compile(
            rf"(?<![\w-])(?:{alternatives(titles['indefinite'])})\s+(?:[\w-]+\s+)?$",
            re.IGNORECASE,
        ),
    )


def _scan(text: str) -> list[tuple[int, int, _Entry]]:
    """Every registry match in ``text``, sources, blocks and titles included."""
    reg = load_registry()
    entries = reg.entries
    found = [
        (start, m.end(), entries[m.group()])
        for m in reg.pattern.finditer(text)
        if not (start := m.start()) or not _is_word_char(text[start - 1])
    ]
    aliases, lower = reg.lower
    if any(map(text.__contains__, aliases)):
        found += [
            (start, m.end(), entries[m.group()])
            for m in lower.finditer(text)
            if not (start := m.start()) or not _is_word_char(text[start - 1])
        ]
        found.sort(key=lambda match: match[0])
    if ("North" in text or "South" in text) and _KOREAN_CONTEXT.search(text):
        taken = [(s, e) for s, e, _ in found]
        for m in reg.contextual.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                found.append((m.start(), m.end(), entries[m.group()]))
        found.sort(key=lambda match: match[0])
    return found


def _bare_titles(text: str, found: list[tuple[int, int, _Entry]]) -> list:
    """``found`` with the titles in lower case after "the" ("the president") added."""
    reg = load_registry()
    extra = [(m.start(1), m.end(1), reg.entries[m.group(1)]) for m in reg.bare_title.finditer(text)]
    return sorted(found + extra, key=lambda match: match[0]) if extra else found


def _is_place(text: str, start: int, end: int) -> bool:
    """Whether the capital at ``text[start:end]`` is a place ("in Seoul"), not its government."""
    before, after, *_titles = _rules()
    if after.match(text, end):
        return True
    return before.search(text, max(0, start - 16), start) is not None


def _role_matches(role: str, office: str) -> bool:
    """Whether a registry ``role`` is the ``office`` a title names.

    "acting president" is a president; "UN secretary-general" and "NATO
    secretary-general" are secretaries-general; "deputy secretary of state"
    is not a secretary of state.
    """
    if role == office or role == f"acting {office}":
        return True
    head, _, rest = role.partition(" ")
    return rest == office and head.isupper()


@lru_cache(maxsize=4096)
def office_holder(actor: str, role: str, day: dt.date) -> str | None:
    """Return who held ``actor``'s office ``role`` on ``day``, or None.

    Parameters
    ----------
    actor : str
        The code of the state or organisation (``KOR``, ``USA``, ``UN`` ...).
    role : str
        The office, as ``nlp_roles.csv`` and ``nlp_titles.csv`` name it
        ("president", "prime minister", "foreign minister" ...); an acting
        holder counts.
    day : datetime.date
        The day.

    Examples
    --------
    >>> office_holder("KOR", "president", dt.date(2019, 3, 1))
    'Moon Jae-in'
    >>> office_holder("USA", "secretary of state", dt.date(2016, 6, 1))
    'John Kerry'
    """
    held = [
        person
        for office, terms in _offices().get(actor, ())
        if _role_matches(office, role)
        for start, end, person in terms
        if start <= day <= end
    ]
    return held[-1] if held else None


@lru_cache(maxsize=1)
def _offices() -> dict[str, list[tuple[str, tuple]]]:
    """Each actor's offices as ``(role, terms)``, from :attr:`Registry.holders`."""
    offices: dict[str, list[tuple[str, tuple]]] = {}
    for (actor, role), terms in load_registry().holders.items():
        offices.setdefault(actor, []).append((role, terms))
    return offices


@lru_cache(maxsize=1)
def _terms() -> dict[str, list[tuple[dt.date, dt.date, str, str]]]:
    """Each person's roles as ``(start, end, role, actor)``, open ends filled in."""
    terms: dict[str, list[tuple[dt.date, dt.date, str, str]]] = {}
    for row in load_registry().roles.itertuples(index=False):
        start = row.start_date.date() if pd.notna(row.start_date) else dt.date.min
        end = row.end_date.date() if pd.notna(row.end_date) else dt.date.max
        terms.setdefault(row.person, []).append((start, end, row.role, row.actor))
    return terms


@lru_cache(maxsize=65536)
def _office_on(person: str, day: dt.date | None) -> tuple[str, str] | None:
    """The ``(role, actor)`` ``person`` held on ``day`` (see :func:`role_on`)."""
    terms = _terms().get(person)
    if not terms:
        return None
    if day is None:
        return terms[-1][2:]
    held = [term[2:] for term in terms if term[0] <= day <= term[1]]
    if held:
        return held[-1]
    before = [term[2:] for term in terms if term[0] <= day]
    return before[-1] if before else terms[0][2:]


def _held(person: str, office: str, day: dt.date) -> tuple[str, str] | None:
    """The ``(role, actor)`` of ``person``'s term of ``office`` that covers ``day``, or None."""
    for start, end, role, actor in _terms().get(person, ()):
        if start <= day <= end and _role_matches(role, office):
            return role, actor
    return None


def role_on(person: str, day: dt.date | None) -> str | None:
    """Return the role ``person`` held on ``day``.

    When several terms cover the day, the one listed last in
    ``nlp_roles.csv``; when none does, the last term that began before it,
    else the first one; without a day, the last one listed.

    Examples
    --------
    >>> role_on("Ban Ki-moon", dt.date(2005, 1, 1))
    'foreign minister'
    """
    office = _office_on(person, day)
    return office[0] if office else None


def home_state(outlet: object = None, dateline: object = None) -> str | None:
    """Return the state an article speaks from: its dateline's, else its outlet's.

    Parameters
    ----------
    outlet : str, optional
        The publisher ("Yonhap", "KCNA"); outlets of ``nlp_actors.csv``
        carry the state they speak for.
    dateline : str, optional
        The wire dateline ("SEOUL", "PAJU, South Korea").

    Returns
    -------
    str or None
        The code of the first state or organisation named, or None.

    Examples
    --------
    >>> home_state("Reuters", "SEOUL/WASHINGTON"), home_state("Yonhap", None)
    ('KOR', 'KOR')
    """
    for text in (dateline, outlet):
        if isinstance(text, str) and text:
            # Datelines are written in capitals ("SEOUL"), the registry is not.
            for cased in dict.fromkeys((text, text.title())):
                for _start, _end, entry in _scan(cased):
                    if entry.actor and entry.kind not in ("block", TITLE_KIND):
                        return entry.actor
    return None


def _resolve_title(
    text: str,
    index: int,
    found: list[tuple[int, int, _Entry]],
    out: list[tuple],
    day: dt.date,
    home: str | None,
) -> tuple | None:
    """The office holder a title names, as a mention tuple, or None.

    ``out`` holds the mentions emitted so far, for "the president" to refer
    back to the last person named who held the office.
    """
    start, end, entry = found[index]
    office = entry.person
    nxt = found[index + 1] if index + 1 < len(found) else None
    if nxt and nxt[2].kind == "person" and text[end : nxt[0]].strip() in ("", ","):
        return None  # "President Yoon Suk Yeol", "the president, Han": the name is the mention.
    _before, _after, past, definite, indefinite = _rules()
    is_past = past.search(text, max(0, start - 12), start) is not None
    name = _NAME_AFTER.match(text, end)
    if name and text[start].isupper():
        # "President Yoon": the holder by surname; an unknown name is someone else.
        for person in sorted(load_registry().surnames.get(name.group(1), ())):
            for t_start, t_end, role, actor in _terms().get(person, ()):
                current = t_start <= day <= t_end
                if _role_matches(role, office) and (t_end < day if is_past else current):
                    return (start, name.end(), actor, "person", person, role)
        return None
    if is_past:
        return None
    state = None
    of = _OF_AFTER.match(text, end)
    if of:
        if not (nxt and nxt[0] == of.end() and nxt[2].kind in _STATE_KINDS):
            return None  # "president of the federation": not a registered body.
        state = nxt[2].actor
    elif index and found[index - 1][2].kind in _STATE_KINDS:
        prev_start, prev_end, prev = found[index - 1]
        if _STATE_GAP.fullmatch(text, prev_end, start):
            if indefinite.search(text, max(0, prev_start - 24), prev_start):
                return None  # "a U.S. president": no one in particular.
            state = prev.actor
    if state:
        person = office_holder(state, office, day)
        return (start, end, state, "person", person, office) if person else None
    if not definite.search(text, max(0, start - 8), start):
        return None
    # The last person named who held the office, if all who did are of one
    # state ("President Biden ... the president"); else the home state's.
    named = [(m[4], _held(m[4], office, day)) for m in out if m[3] == "person" and m[4]]
    named = [(person, held) for person, held in named if held]
    if named and len({held[1] for _person, held in named}) == 1:
        person, (role, actor) = named[-1]
        return (start, end, actor, "person", person, role)
    person = office_holder(home, office, day) if home else None
    return (start, end, home, "person", person, office) if person else None


def _mentions(
    text: str, day: dt.date | None = None, home: str | None = None
) -> list[tuple[int, int, str, str, str, str | None]]:
    """Mentions in one text as ``(start, end, actor, kind, person, role)``."""
    if not isinstance(text, str) or not text:
        return []
    found = _scan(text)
    reg = load_registry()
    title_after = None
    if day is not None:
        found = _bare_titles(text, found)
        title_after = reg.title_after
    out: list[tuple[int, int, str, str, str, str | None]] = []
    # A title found right after a state ("Japan's prime minister") is
    # inserted as the next match, which the loop then reaches.
    for i, (start, end, entry) in enumerate(found):
        kind = entry.kind
        if kind in _PLAIN_KINDS:
            out.append((start, end, entry.actor, kind, "", None))
            if title_after is not None and kind != "place" and (m := title_after.match(text, end)):
                _insert_title(found, i, m, reg.entries)
            continue
        if kind in SILENT_KINDS:
            continue
        if kind == TITLE_KIND:
            if day is not None:
                mention = _resolve_title(text, i, found, out, day, home)
                if mention:
                    out.append(mention)
            continue
        actor, role = entry.actor, None
        if kind == "capital" and _is_place(text, start, end):
            kind = "place"
        elif kind == "person":
            office = _office_on(entry.person, day)
            if office:
                role = office[0]
                if day is not None:
                    actor = office[1]
        if title_after is not None and kind == "capital" and (m := title_after.match(text, end)):
            _insert_title(found, i, m, reg.entries)
        out.append((start, end, actor, kind, entry.person, role))
    return _with_surnames(text, out)


def _with_surnames(text: str, out: list[tuple]) -> list[tuple]:
    """Add the later mentions of a person by one part of their name ("Yoon said").

    News names a person in full once and by surname after ("President Yoon
    Suk Yeol ... Yoon said"); some surnames are blocked as names on their
    own ("Moon", "Lee"), so the article's own first mention decides whom
    they mean. The first and last parts of the registered name are read
    (family names come first in Korean and Chinese order), each only after
    that person's first mention, not when two people of the text share it,
    and not when another capitalised word follows ("Kim Sung-han" is
    somebody else).
    """
    people: dict[str, tuple | None] = {}
    for mention in out:
        person = mention[4]
        if mention[3] != "person" or not person:
            continue
        parts = person.split()
        for part in {parts[0], parts[-1]} if len(parts) > 1 else ():
            if len(part) < 2 or not part[0].isupper():
                continue
            seen = people.get(part, mention)
            # two people share the part: it names neither
            people[part] = mention if seen is not None and seen[4] == person else None
    people = {part: m for part, m in people.items() if m is not None}
    if not people:
        return out
    taken = [(m[0], m[1]) for m in out]
    added = []
    for found in re.finditer(rf"\b(?:{'|'.join(map(re.escape, people))})\b", text):
        first = people[found.group()]
        start, end = found.span()
        if start < first[1] or any(s < end and start < e for s, e in taken):
            continue
        if _NAME_AFTER.match(text, end) and not text[end:].lstrip().startswith(("(", "[")):
            continue
        added.append((start, end, first[2], "person", first[4], first[5]))
    return sorted(out + added) if added else out


def _insert_title(found: list, i: int, m: re.Match, entries: dict) -> None:
    """Insert the title ``m`` found right after ``found[i]`` unless a match overlaps it."""
    if i + 1 == len(found) or found[i + 1][0] >= m.end():
        found.insert(i + 1, (m.start(1), m.end(1), entries[m.group(1)]))


def match_actors(
    text: str, *, day: dt.date | None = None, home: str | None = None
) -> list[tuple[int, int, str, str, str]]:
    """Return the actor mentions in one text as ``(start, end, actor, kind, person)``.

    Sources and blocked names are left out; "the North"/"the South" count only
    when the text mentions Korea; a capital after "in", "at" ... is a
    ``place``, not its government.

    Parameters
    ----------
    text : str
        The text.
    day : datetime.date, optional
        Its publication date: with it, titles ("the president", "Prime
        Minister Kishida") are resolved to the office holder of that day, and
        a person stands for the state of the office held that day.
    home : str, optional
        The code of the article's home state (:func:`home_state`), whose
        office a title names when nothing else in the text does.

    Examples
    --------
    >>> [m[2] for m in match_actors("Kim Jong-un met Putin in Moscow, KCNA said.")]
    ['PRK', 'RUS', 'RUS']
    >>> [m[3] for m in match_actors("Tokyo protested talks in Seoul.")]
    ['capital', 'place']
    """
    return [m[:5] for m in _mentions(text, day, home)]


def _homes(articles: pd.DataFrame) -> list[str | None]:
    """Each article's home state (:func:`home_state`), or None."""
    none = [None] * len(articles)
    outlets = articles["outlet"].tolist() if "outlet" in articles.columns else none
    datelines = articles["dateline"].tolist() if "dateline" in articles.columns else none
    cache: dict[tuple, str | None] = {}
    for key in zip(outlets, datelines, strict=True):
        if key not in cache:
            cache[key] = home_state(*(v if isinstance(v, str) else None for v in key))
    return [cache[key] for key in zip(outlets, datelines, strict=True)]


def find_mentions(articles: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find the mentions of registered actors in each article body.

    Parameters
    ----------
    articles : pandas.DataFrame
        Rows with ``article_id`` and ``body``; ``published_date``, when
        present, picks the role a person held at the time and resolves
        titles ("the president") to office holders; ``dateline`` and
        ``outlet``, when present, give the home state whose office a bare
        title names.
    sentences : pandas.DataFrame, optional
        The articles' sentences (``schema.SENTENCES``); split here when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per (article_id, start) actor mention, with the columns of
        ``schema.MENTIONS``: ``actor`` is the code of the state or
        organisation (``PRK``, ``KOR``, ``USA``, ``UN`` ...), ``actor_kind``
        one of ``state``, ``demonym``, ``capital``, ``organisation``,
        ``person``, ``place``; ``person`` and ``role`` say who a person is
        (a resolved title is a ``person`` mention). News outlets (KCNA,
        Yonhap ...) are sources, not actors, and are not listed.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "body": ["Pyongyang fired. Seoul said."]})
    >>> find_mentions(arts)[["text", "actor", "sentence_id"]].values.tolist()
    [['Pyongyang', 'PRK', 0], ['Seoul', 'KOR', 1]]
    """
    require_columns(articles, ("article_id", "body"))
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
    # The appends bound once: this loop runs once per mention.
    add_id, add_start, add_end, add_text, add_actor, add_kind, add_person, add_role = (
        cols[k].append
        for k in ("article_id", "start", "end", "text", "actor", "actor_kind", "person", "role")
    )
    for article_id, body, day, home in zip(
        articles["article_id"].tolist(),
        articles["body"].tolist(),
        days,
        _homes(articles),
        strict=True,
    ):
        if not isinstance(body, str):
            continue
        for start, end, actor, kind, person, role in _mentions(body, day, home):
            add_id(article_id)
            add_start(start)
            add_end(end)
            add_text(body[start:end])
            add_actor(actor)
            add_kind(kind)
            add_person(person or None)
            add_role(role)
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
