"""Read the package data in ``analysis/data/``: registries, lexicons and rules.

Every table the project ships (actors, people, roles, agencies, dateline
places, trigger words, tension lexicons, event codes) is read through these
functions, so there is one way to find, decode and parse package data. They
read, and do not cache: callers that read a table on a hot path keep what
they build from it (usually with :func:`functools.lru_cache`).
"""

from __future__ import annotations

import io
import tomllib
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["read_csv", "read_text", "read_toml"]


def read_text(name: str) -> str:
    """Return the text of the package data file ``name`` (UTF-8).

    Examples
    --------
    >>> "U.S" in read_text("nlp_abbreviations.txt")
    True
    """
    return resources.files("analysis").joinpath("data", name).read_text("utf-8")


def read_csv(name: str) -> pd.DataFrame:
    """Return the package data table ``name`` with every column as ``str``.

    Empty cells stay empty strings (no ``NaN``), so a registry's blank fields
    read as blanks and the caller converts only the columns it needs.

    Examples
    --------
    >>> read_csv("news_agencies.csv").columns[:2].tolist()
    ['credit', 'outlet']
    """
    return pd.read_csv(io.StringIO(read_text(name)), dtype=str, keep_default_na=False)


def read_toml(name: str) -> dict[str, Any]:
    """Return the package data file ``name`` parsed as TOML."""
    return tomllib.loads(read_text(name))
