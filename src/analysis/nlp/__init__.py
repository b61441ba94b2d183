"""The language layer: sentences, actor mentions and time expressions.

- :func:`split_sentences`: article bodies to ``schema.SENTENCES`` (NLTK Punkt
  with the project's parameters, no download).
- :func:`find_mentions`: actor mentions, ``schema.MENTIONS``, from the
  world's states (pycountry's ISO 3166 names with ``data/nlp_states.csv``:
  short names, demonyms, capitals), the organisations of
  ``data/nlp_actors.csv``, and the office holders with their terms of
  ``nlp_people.csv``, ``nlp_roles.csv`` and ``nlp_titles.csv``.
- :func:`resolve_dates`: the time expressions of one string, ``schema.DATES``.
- :func:`find_dates`: the time expressions of every article, ``schema.TIMEX``.

For per-sentence work without DataFrames, :func:`iter_time_expressions`,
:func:`match_actors`, :func:`sentence_spans` and :func:`tense_near` are the
plain-Python cores of the functions above.
"""

from __future__ import annotations

from analysis.nlp.actors import find_mentions, load_registry, match_actors
from analysis.nlp.sentences import punkt_parameters, sentence_spans, split_sentences
from analysis.nlp.timex import (
    TimeExpression,
    find_dates,
    iter_time_expressions,
    resolve_dates,
    tense_near,
    to_reference_day,
)

__all__ = [
    "TimeExpression",
    "find_dates",
    "find_mentions",
    "iter_time_expressions",
    "load_registry",
    "match_actors",
    "punkt_parameters",
    "resolve_dates",
    "sentence_spans",
    "split_sentences",
    "tense_near",
    "to_reference_day",
]
