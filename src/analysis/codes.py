"""Event types -> CAMEO code, PLOVER type and intensity (Goldstein scale).

The table lives in ``data/event_codes.csv``, written for this project from the
public CAMEO codebook, the Goldstein (1992) conflict-cooperation scale as
GDELT publishes it, and the PLOVER project's CAMEO-to-PLOVER mapping. One code
per event type keeps every row comparable; the guidelines' alternatives (for
example CAMEO 19 for some artillery fire) are noted in the type's description.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import resources, schema


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    table = resources.read_csv("event_codes.csv")
    unknown = sorted(set(table["event_type"]) - set(schema.EVENT_TYPES))
    missing = sorted(set(schema.EVENT_TYPES) - set(table["event_type"]))
    if unknown or missing:
        raise ValueError(f"event_codes.csv: unknown types {unknown}, missing types {missing}")
    return table.astype({"goldstein": float})


def event_codes() -> pd.DataFrame:
    """Return the code table: one row per event type.

    Returns
    -------
    pandas.DataFrame
        One row per event type of ``schema.EVENT_TYPES`` with ``cameo_code``
        (a string, leading zeros kept), ``cameo_name``, ``plover_type`` and
        ``goldstein`` (-10 most conflictual to +10 most cooperative).

    Examples
    --------
    >>> event_codes().set_index("event_type").loc["meeting", "plover_type"]
    'CONSULT'
    """
    return _table().copy()


def code_for(event_type: str) -> tuple[str, str, float]:
    """Return ``(cameo_code, plover_type, goldstein)`` for one event type.

    Raises
    ------
    KeyError
        When ``event_type`` is not one of ``schema.EVENT_TYPES``.
    """
    row = _lookup().get(event_type)
    if row is None:
        raise KeyError(f"unknown event type {event_type!r}; known: {', '.join(schema.EVENT_TYPES)}")
    return row


@lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[str, str, float]]:
    table = _table()
    return {
        r.event_type: (r.cameo_code, r.plover_type, float(r.goldstein))
        for r in table.itertuples(index=False)
    }
