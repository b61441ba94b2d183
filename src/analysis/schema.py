"""Every frame's columns, in one place: a registry of fields and frames.

In the manner of PUDL's ``metadata/fields.py`` and its resources, each column
is defined once in :data:`FIELDS` (dtype, description and, for categories,
the values it may take) and each frame in :data:`FRAMES` as an ordered list
of those fields with its primary key. A column's name means the same thing in
every frame that has it: ``article_id`` is always the article's id,
``source_id`` always where the row came from.

A :class:`Frame` is also a read-only mapping of column name to dtype, so
``list(schema.EVENTS)`` gives the columns in order and
``schema.EVENTS["date_start"]`` a dtype. Stages build their outputs with
:func:`empty` or :func:`conform` and check them with :func:`check` at the
stage boundary, which names the offending columns, values and rows.

The flow (see ``GUIDE.md``)::

    raw files --ingest--> ARTICLES (+ MANIFEST)
    ARTICLES --nlp--> SENTENCES, MENTIONS, TIMEX
    ARTICLES --events--> EVENTS --timeline--> INCIDENTS
    ARTICLES + MENTIONS + INCIDENTS --series--> MENTION_SERIES, TENSION

Conventions: ``*_id`` identifiers, ``*_date`` dates (``datetime64[ns]``,
naive, the local calendar date), ``*_type`` categories, ``n_*`` counts,
``is_*`` booleans. Character offsets ``start``/``end`` always index the
article's ``body`` (``end`` exclusive), so every row points back to the text
that supports it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

STR = "string"
INT = "Int64"
FLOAT = "float64"
DATE = "datetime64[ns]"
BOOL = "boolean"

# --------------------------------------------------------------------------- categories

#: How a publication date was found, best first.
DATE_METHODS = ("metadata", "dateline", "url", "inferred", "missing")

#: Precision of a date or date range, finest first.
PRECISIONS = ("day", "weekend", "week", "month_part", "month", "year")

#: What happened to an input file or record.
STATUSES = ("loaded", "duplicate", "rejected")

#: Event types of ``GUIDELINES.md``.
EVENT_TYPES = (
    "missile_launch",
    "satellite_launch",
    "nuclear_test",
    "weapons_test",
    "artillery_fire",
    "military_exercise",
    "border_incident",
    "meeting",
    "threat",
    "sanctions",
    "agreement",
)

#: Whether an event happened, is planned or announced, or was denied.
MODALITIES = ("happened", "planned", "denied")

#: Classes of missile; ``unknown`` for a launch whose class the text does not
#: say, and the empty string for an event that is not a launch.
MISSILE_CLASSES = (
    "ICBM",
    "IRBM",
    "MRBM",
    "SRBM",
    "SLBM",
    "cruise",
    "hypersonic",
    "MLRS",
    "unknown",
)

#: What a mention of an actor is: the state's name, its people, its capital
#: standing for its government, a place in it, an organisation or a person.
ACTOR_KINDS = ("state", "demonym", "capital", "place", "organisation", "person")

#: What a mentions series counts: an actor's code or a chosen term.
TERM_KINDS = ("actor", "term")

#: The components of the tension index that can drive a jump.
TENSION_DRIVERS = ("incidents", "rhetoric", "tone")

#: Frequencies of the series: day, week (Monday to Sunday), month.
FREQS = ("D", "W", "M")


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class Field:
    """One column: its dtype, what it holds and, for a category, its values.

    Missing values (``<NA>``) are always allowed; a category's non-missing
    values must be among ``values``.
    """

    dtype: str
    description: str
    values: tuple[str, ...] | None = None


#: Every column of every frame, defined once.
FIELDS: dict[str, Field] = {
    # ids
    "article_id": Field(
        STR,
        "The article's id: a hash of its normalised title and body, so the same text gets "
        "the same id on every run.",
    ),
    "source_id": Field(
        STR,
        "Where the article came from, as its corpus names it: the file path relative to "
        "the corpus root, or the record's own id (such as a KCNA link). Gold annotations "
        "name articles this way.",
    ),
    "sentence_id": Field(INT, "The sentence's position in its article's body, from 0."),
    "event_id": Field(STR, "The event mention's id, a hash of where it was found."),
    "incident_id": Field(STR, "The incident's id, a hash of its type, parties and dates."),
    "duplicate_of": Field(STR, "The ``article_id`` of the article this one copies, if any."),
    "article_ids": Field(STR, "The ``article_id`` of every article reporting it, ';'-joined."),
    "source_ids": Field(STR, "The ``source_id`` of every article reporting it, ';'-joined."),
    "incident_ids": Field(STR, "Incidents that weighed most in the period, ';'-joined."),
    # articles
    "outlet": Field(STR, "The publisher or agency (Reuters, KCNA, Yonhap ...)."),
    "outlets": Field(STR, "Every outlet reporting it, ';'-joined."),
    "url": Field(STR, "The article's web address, where known."),
    "title": Field(STR, "The headline."),
    "section": Field(STR, "The site's section or topic."),
    "dateline": Field(STR, 'The wire dateline, such as "SEOUL, Dec. 28 (Yonhap) --".'),
    "byline": Field(STR, "The author line."),
    "caption": Field(STR, "Photo captions, kept apart from the body."),
    "body": Field(STR, "The article's text, without navigation, comments or markup."),
    "language": Field(STR, "ISO 639-1 code of the body's language."),
    "published_date": Field(DATE, "The local calendar date of publication in ``timezone``."),
    "published_at": Field(STR, "ISO 8601 publication time with its UTC offset, when known."),
    "timezone": Field(STR, "IANA time zone of the publication date."),
    "date_method": Field(STR, "How the publication date was found, best first.", DATE_METHODS),
    "date_precision": Field(STR, "Precision of the publication date.", PRECISIONS),
    "n_words": Field(INT, "Words in the body."),
    "format": Field(STR, "The input's format, detected from its content."),
    # manifest
    "path": Field(STR, "The input file."),
    "record": Field(INT, "The record's position in its file, from 0 (0 for a one-article file)."),
    "encoding": Field(STR, "The text encoding the input was decoded with."),
    "status": Field(STR, "What became of the input.", STATUSES),
    "reason": Field(STR, "Why it was rejected or what was noticed, in words."),
    "warnings": Field(
        STR,
        "What was repaired or left unread to load it (lenient front matter, JSON with "
        "trailing commas, a short CSV row ...), one short phrase each, '; '-joined; "
        "missing when nothing was.",
    ),
    # spans of text
    "start": Field(INT, "Offset of the span's first character (into the article's body)."),
    "end": Field(INT, "Offset just past the span's last character."),
    "text": Field(STR, "The span's text."),
    # actors
    "actor": Field(STR, "Code of the state or organisation (PRK, KOR, USA, UN ...)."),
    "actor_kind": Field(STR, "What the mention is.", ACTOR_KINDS),
    "person": Field(STR, "For a person, their name as registered."),
    "role": Field(STR, "For a person, the office they held on the article's date."),
    "participants": Field(STR, "Codes of every party to it, sorted, ';'-joined."),
    # dates
    "date_start": Field(DATE, "First day of the date range."),
    "date_end": Field(DATE, "Last day of the date range (inclusive)."),
    "precision": Field(STR, "Precision of the date range.", PRECISIONS),
    "rule": Field(STR, "The rule that resolved the time expression."),
    # events
    "event_type": Field(STR, "The type of event, as in GUIDELINES.md.", EVENT_TYPES),
    "modality": Field(STR, "Whether it happened, is planned, or was denied.", MODALITIES),
    "missile_class": Field(
        STR,
        "The class of missile; ``unknown`` when the text does not say, empty when the "
        "event is not a launch.",
        (*MISSILE_CLASSES, ""),
    ),
    "evidence": Field(STR, "The sentence that says so."),
    "trigger": Field(STR, "The name of the trigger that found it."),
    "target": Field(STR, "What it was aimed at, when said."),
    "place": Field(STR, "Where, when said."),
    "n_items": Field(INT, "How many missiles or shells, when said."),
    "date_rule": Field(STR, "How it was dated (``timex:<rule>``, ``anaphor``, ``fallback``)."),
    "confidence": Field(FLOAT, "How sure the extractor is, from 0 to 1."),
    "cameo_code": Field(STR, "The CAMEO event code."),
    "plover_type": Field(STR, "The PLOVER event type."),
    "goldstein": Field(FLOAT, "The Goldstein scale value of its CAMEO code."),
    "corrected_by": Field(
        STR,
        "The line of the corrections file (the header is line 1) whose correction changed "
        "or added the row, ';'-joined when several did; missing where the extractor's row "
        "stands as it was.",
    ),
    # incidents
    "n_mentions": Field(INT, "How many mentions it counts."),
    "n_articles": Field(INT, "How many distinct articles it counts."),
    "n_sources": Field(INT, "How many distinct outlets (or articles without one) report it."),
    "first_reported": Field(DATE, "Publication date of the first report."),
    "last_reported": Field(DATE, "Publication date of the last report."),
    # series
    "period_date": Field(DATE, "First day of the period."),
    "term": Field(STR, "The actor's code or the chosen term."),
    "term_kind": Field(STR, "Whether ``term`` is an actor or a chosen term.", TERM_KINDS),
    "n_period_articles": Field(INT, "Articles published in the period."),
    "share": Field(FLOAT, "``n_articles`` over ``n_period_articles``."),
    "n_incidents": Field(INT, "Incidents in the period."),
    "incident_score": Field(FLOAT, "Intensity-weighted incidents of the period."),
    "threat_share": Field(FLOAT, "Share of the period's articles with threat words."),
    "act_share": Field(FLOAT, "Share of the period's articles with words of hostile acts."),
    "rhetoric_share": Field(FLOAT, "Share of the period's articles with either."),
    "tone": Field(FLOAT, "Mean negative tone of the period's articles (VADER, security words)."),
    "incident_index": Field(FLOAT, "``incident_score`` normalised so the window's mean is 100."),
    "rhetoric_index": Field(FLOAT, "``rhetoric_share`` normalised so the window's mean is 100."),
    "tone_index": Field(FLOAT, "``tone`` normalised so the window's mean is 100."),
    "tension": Field(FLOAT, "The combined tension index."),
    "tension_rolling": Field(FLOAT, "Trailing rolling mean of ``tension``."),
    "change": Field(FLOAT, "Change of ``tension`` from the previous period."),
    "is_jump": Field(BOOL, "Whether the period jumps."),
    "driver": Field(STR, "The component that rose most.", TENSION_DRIVERS),
    "label": Field(STR, "A short label for a chart."),
}


# --------------------------------------------------------------------------- frames


class Frame(Mapping[str, str]):
    """A frame's schema: its columns in order, their fields and its primary key.

    As a mapping it gives each column's dtype, in column order, so
    ``list(frame_schema)`` is the column list and ``dict(frame_schema)`` what
    :meth:`pandas.DataFrame.astype` takes.

    Parameters
    ----------
    name : str
        The frame's name (``events``).
    columns : sequence of str
        Its columns, in order, each a key of :data:`FIELDS`.
    primary_key : sequence of str
        The columns whose values name each row once.
    description : str
        The grain: what one row is.
    """

    def __init__(
        self, name: str, columns: Sequence[str], *, primary_key: Sequence[str], description: str
    ) -> None:
        unknown = [c for c in [*columns, *primary_key] if c not in FIELDS or c not in columns]
        if unknown or len(set(columns)) != len(columns):
            raise ValueError(f"{name}: columns {unknown} are not fields of this frame, or repeat")
        self.name = name
        self.columns = tuple(columns)
        self.primary_key = tuple(primary_key)
        self.description = description
        self._dtypes = {c: FIELDS[c].dtype for c in columns}

    def __getitem__(self, column: str) -> str:
        return self._dtypes[column]

    def __iter__(self) -> Iterator[str]:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __repr__(self) -> str:
        return f"Frame({self.name!r}, {len(self.columns)} columns, key {list(self.primary_key)})"

    @property
    def fields(self) -> dict[str, Field]:
        """The :class:`Field` of each column, in column order."""
        return {c: FIELDS[c] for c in self.columns}

    def describe(self) -> pd.DataFrame:
        """Return one row per column: ``column``, ``dtype``, ``description``, ``values``.

        Examples
        --------
        >>> SENTENCES.describe()["column"].tolist()
        ['article_id', 'sentence_id', 'start', 'end', 'text']
        """
        return pd.DataFrame(
            [
                (c, f.dtype, f.description, ", ".join(f.values) if f.values else "")
                for c, f in self.fields.items()
            ],
            columns=["column", "dtype", "description", "values"],
        )


_DATE_COLUMNS = ("start", "end", "text", "date_start", "date_end", "precision", "rule", "reason")

ARTICLES = Frame(
    "articles",
    [
        "article_id",
        "source_id",
        "outlet",
        "url",
        "title",
        "section",
        "dateline",
        "byline",
        "caption",
        "body",
        "language",
        "published_date",
        "published_at",
        "timezone",
        "date_method",
        "date_precision",
        "n_words",
        "duplicate_of",
        "format",
    ],
    primary_key=["article_id"],
    description="One row per article, exact copies included (with ``duplicate_of``).",
)

MANIFEST = Frame(
    "manifest",
    [
        "path",
        "record",
        "source_id",
        "format",
        "encoding",
        "status",
        "reason",
        "warnings",
        "article_id",
        "duplicate_of",
    ],
    primary_key=["path", "record"],
    description="One row per input file or record: what became of it and why.",
)

SENTENCES = Frame(
    "sentences",
    ["article_id", "sentence_id", "start", "end", "text"],
    primary_key=["article_id", "sentence_id"],
    description="One row per sentence of an article body.",
)

MENTIONS = Frame(
    "mentions",
    ["article_id", "sentence_id", "start", "end", "text", "actor", "actor_kind", "person", "role"],
    primary_key=["article_id", "start", "end"],
    description="One row per mention of a registered actor (a state, organisation or person).",
)

DATES = Frame(
    "dates",
    _DATE_COLUMNS,
    primary_key=["start", "end"],
    description="One row per time expression of one string, offsets into that string.",
)

TIMEX = Frame(
    "timex",
    ["article_id", "sentence_id", *_DATE_COLUMNS],
    primary_key=["article_id", "start", "end"],
    description="One row per time expression in an article, offsets into the body.",
)

#: What an event is, in the columns of ``GUIDELINES.md``: the fields an
#: annotator writes (and an analyst may correct) besides the article and the
#: evidence sentence.
EVENT_FIELDS = (
    "event_type",
    "actor",
    "participants",
    "date_start",
    "date_end",
    "precision",
    "modality",
    "missile_class",
)

EVENTS = Frame(
    "events",
    [
        # the columns of GUIDELINES.md (its article_id is our source_id)
        "source_id",
        *EVENT_FIELDS,
        "evidence",
        # where and why
        "article_id",
        "event_id",
        "sentence_id",
        "start",
        "end",
        "trigger",
        "target",
        "place",
        "n_items",
        "date_rule",
        "confidence",
        "cameo_code",
        "plover_type",
        "goldstein",
        "outlet",
        "published_date",
        "corrected_by",
    ],
    primary_key=["event_id"],
    description=(
        "One row per event mention: (article, sentence, event type, actor), after an "
        "analyst's corrections when there are any."
    ),
)

INCIDENTS = Frame(
    "incidents",
    [
        "incident_id",
        "event_type",
        "actor",
        "participants",
        "date_start",
        "date_end",
        "precision",
        "modality",
        "missile_class",
        "n_mentions",
        "n_articles",
        "n_sources",
        "first_reported",
        "last_reported",
        "article_ids",
        "source_ids",
        "outlets",
        "evidence",
        "goldstein",
    ],
    primary_key=["incident_id"],
    description="One row per real-world incident, merged from event mentions.",
)

MENTION_SERIES = Frame(
    "mention_series",
    [
        "period_date",
        "term",
        "term_kind",
        "n_mentions",
        "n_articles",
        "n_period_articles",
        "share",
    ],
    primary_key=["period_date", "term_kind", "term"],
    description=(
        "One row per (period, term): how many articles of the period mention an actor or a "
        "chosen term; every period of the window for every term, with zero counts."
    ),
)

TENSION = Frame(
    "tension",
    [
        "period_date",
        "n_articles",
        "n_incidents",
        "incident_score",
        "threat_share",
        "act_share",
        "rhetoric_share",
        "tone",
        "incident_index",
        "rhetoric_index",
        "tone_index",
        "tension",
        "tension_rolling",
        "change",
        "is_jump",
    ],
    primary_key=["period_date"],
    description="One row per period of the tension index, its components side by side.",
)

TENSION_JUMPS = Frame(
    "tension_jumps",
    ["period_date", "tension", "change", "driver", "incident_ids", "label"],
    primary_key=["period_date"],
    description="One row per jump of the tension index: how far, what drove it, which incidents.",
)

#: Every frame, by name.
FRAMES: dict[str, Frame] = {
    f.name: f
    for f in (
        ARTICLES,
        MANIFEST,
        SENTENCES,
        MENTIONS,
        DATES,
        TIMEX,
        EVENTS,
        INCIDENTS,
        MENTION_SERIES,
        TENSION,
        TENSION_JUMPS,
    )
}

#: The frames of one pipeline run, in the order data flows: what
#: :class:`analysis.pipeline.PipelineResult` holds, what the engine gathers
#: and what ``analysis stream`` writes (the incidents once, at the end).
PIPELINE_FRAMES = ("articles", "manifest", "sentences", "mentions", "events", "incidents")

#: The frames the per-article stages return for a batch of articles.
STAGE_FRAMES = ("sentences", "mentions", "events")


# --------------------------------------------------------------------------- checks


class SchemaError(ValueError):
    """A frame does not have the columns, dtypes, values or keys its schema names."""


def empty(schema: Mapping[str, str]) -> pd.DataFrame:
    """Return an empty frame with the columns and dtypes of ``schema``.

    Examples
    --------
    >>> list(empty(SENTENCES).columns)
    ['article_id', 'sentence_id', 'start', 'end', 'text']
    """
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})


def strings(values: Sequence[str | None]) -> pd.api.extensions.ExtensionArray:
    """Return a column of dtype ``STR`` from Python strings (``None`` for missing).

    The same as ``pd.array(values, dtype=STR)`` for strings and ``None``,
    built by Arrow directly: about twice as fast, which counts for the
    language layer's frames of a hundred thousand rows and more.

    Examples
    --------
    >>> strings(["PRK", None]).tolist()
    ['PRK', <NA>]
    """
    return pd.array(pa.array(values, type=pa.large_string(), from_pandas=True), dtype=STR)


def local_dates(dates: pd.Series) -> pd.Series:
    """Return datetimes as the naive local calendar dates the ``*_date`` columns hold.

    A time-zone-aware series (as a user's own frame may have) keeps its wall
    time and loses its zone; a naive one is returned as it is.
    """
    if getattr(dates.dt, "tz", None) is not None:
        return dates.dt.tz_localize(None)
    return dates


def _normalised(text: object) -> str:
    """Text with white space collapsed and case folded, as ids compare it."""
    return " ".join(str(text).split()).casefold()


def stable_event_id(
    article_id: str,
    sentence_text: str,
    trigger_text: str,
    event_type: str,
    *,
    occurrence: int = 0,
) -> str:
    """Return an event's id from what it says, not from where a rule found it.

    The same event in the same article keeps its id across runs, engines and
    releases that do not change its sentence or trigger: the id hashes the
    article's id, the sentence's text and the trigger's text (each with
    whitespace collapsed and case folded) and the event type, never a
    character offset.

    Parameters
    ----------
    article_id : str
        ``ARTICLES.article_id`` (a hash of the article's title and body).
    sentence_text : str
        The text of the sentence that states the event.
    trigger_text : str
        The words of the trigger as they stand in the sentence ("fired",
        "nuclear test"), not the trigger rule's name.
    event_type : str
        One of ``schema.EVENT_TYPES``.
    occurrence : int
        Which of the article's rows with the same sentence text, trigger text
        and type this is, from 0 in order of position: it keeps ids unique
        when a sentence gives two such rows (or a sentence repeats). Rows
        numbered 0 get the id without it.

    Returns
    -------
    str
        Sixteen hexadecimal digits, as the ids of the extractor.

    Examples
    --------
    >>> a = stable_event_id("a1", "North Korea  fired a missile.", "Fired", "missile_launch")
    >>> a == stable_event_id("a1", "north korea fired a missile.", "fired", "missile_launch")
    True
    >>> a == stable_event_id("a1", "North Korea fired a missile.", "fired", "missile_launch",
    ...                      occurrence=1)
    False
    """
    parts = [
        str(article_id),
        _normalised(sentence_text),
        _normalised(trigger_text),
        str(event_type),
    ]
    if occurrence:
        parts.append(str(int(occurrence)))
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def _shape_problems(frame: pd.DataFrame, schema: Mapping[str, str]) -> list[str]:
    """Return what is wrong with ``frame``'s columns and dtypes, in words."""
    problems = []
    cols = list(frame.columns)
    if cols != list(schema):
        missing = [c for c in schema if c not in cols]
        extra = [c for c in cols if c not in schema]
        problems.append(f"columns differ: missing {missing}, extra {extra}, order {cols}")
    for col, dtype in schema.items():
        if col in frame.columns and str(frame[col].dtype) != str(pd.Series(dtype=dtype).dtype):
            problems.append(f"{col}: dtype {frame[col].dtype}, expected {dtype}")
    return problems


def _rows(index: pd.Index, limit: int = 5) -> str:
    shown = ", ".join(str(i) for i in index[:limit])
    return shown + (f" and {len(index) - limit} more" if len(index) > limit else "")


def _value_problems(frame: pd.DataFrame, schema: Frame) -> list[str]:
    """Return the categories outside their values and the repeated primary keys."""
    problems = []
    for col, fld in schema.fields.items():
        if fld.values is None or frame.empty:
            continue
        values = frame[col]
        bad = values.notna() & ~values.isin(fld.values)
        if bad.any():
            unknown = sorted(map(str, values[bad].unique()))[:5]
            problems.append(
                f"{col}: unknown values {unknown} in rows {_rows(frame.index[bad.to_numpy()])}"
            )
    key = list(schema.primary_key)
    if key and len(frame):
        repeated = frame.duplicated(key, keep=False).to_numpy()
        if repeated.any():
            problems.append(
                f"primary key {key} repeats in rows {_rows(frame.index[repeated])}: "
                + repr(frame.loc[repeated, key].head(3).to_dict("records"))
            )
    return problems


def conform(frame: pd.DataFrame, schema: Mapping[str, str]) -> pd.DataFrame:
    """Return ``frame`` with exactly the columns of ``schema``, cast to its dtypes.

    Columns the schema names but the frame lacks raise :class:`SchemaError`;
    extra columns are dropped. The index is reset. A frame that already has
    the schema's columns and dtypes is returned without a copy of its data.
    """
    if not _shape_problems(frame, schema):
        return frame.reset_index(drop=True)
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}; have {list(frame.columns)}")
    out = frame.loc[:, list(schema)].reset_index(drop=True)
    try:
        return out.astype(dict(schema))
    except (TypeError, ValueError) as err:
        raise SchemaError(f"cannot cast to schema: {err}") from err


def check(
    frame: pd.DataFrame, schema: Mapping[str, str], *, name: str | None = None
) -> pd.DataFrame:
    """Check ``frame`` against ``schema`` and return it.

    Checks the columns (names and order) and their dtypes; for a
    :class:`Frame`, also that each category holds only its allowed values
    and that the primary key names each row once.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame to check.
    schema : Frame or mapping of str to str
        A frame of the registry, or a plain mapping of column to dtype.
    name : str, optional
        The frame's name in messages (the schema's own name by default).

    Raises
    ------
    SchemaError
        Naming the missing, extra or mistyped columns, the unknown category
        values and the rows whose primary key repeats.

    Examples
    --------
    >>> frame = conform(pd.DataFrame({"article_id": ["a", "a"], "sentence_id": [0, 0],
    ...     "start": [0, 0], "end": [2, 2], "text": ["Hi", "Hi"]}), SENTENCES)
    >>> try:
    ...     check(frame, SENTENCES)
    ... except SchemaError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    sentences: primary key ['article_id', 'sentence_id'] repeats in rows 0, 1: ...
    """
    label = name or getattr(schema, "name", "frame")
    problems = _shape_problems(frame, schema)
    if not problems and isinstance(schema, Frame):
        problems = _value_problems(frame, schema)
    if problems:
        raise SchemaError(f"{label}: " + "; ".join(problems))
    return frame
