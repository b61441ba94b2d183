"""Read single articles from ``../shared`` for the language-layer tests and benchmark.

Only what the tests need: the seed page as it is, a Reuters story with its
front matter and HTML removed, a KCNA 2024 story by its link. Nothing is
copied into the project; the text is read at test time.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")


def read_seed(shared: Path, name: str) -> str:
    """Return the text of a seed page."""
    return (shared / "seeds" / name).read_text(encoding="utf-8")


def read_reuters(shared: Path, name: str) -> str:
    """Return a Reuters story's text: front matter dropped, tags removed, entities decoded."""
    raw = (shared / "corpora" / "reuters-2016" / name).read_text(encoding="utf-8")
    body = raw.split("---", 2)[2] if raw.startswith("---") else raw
    body = re.sub(r"</p>|<br\s*/?>", "\n", body)
    return html.unescape(_TAG.sub(" ", body))


@lru_cache(maxsize=2)
def _kcna_2024(path: str) -> dict[str, str]:
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for record in records:
        if record.get("story_text") and record["link"] not in out:
            out[record["link"]] = record["story_text"]
    return out


def read_kcna_2024(shared: Path, link: str) -> str:
    """Return the story of a KCNA 2024 record by its link."""
    path = shared / "corpora" / "kcna-2024" / "headlines_2024-11-11.json"
    return _kcna_2024(str(path))[link]


def read_case_text(shared: Path, source: str, locator: str) -> str:
    """Return the article text a test case points to."""
    if source == "seed":
        return read_seed(shared, locator)
    if source == "reuters":
        return read_reuters(shared, locator)
    if source == "kcna2024":
        return read_kcna_2024(shared, locator)
    raise ValueError(f"unknown source {source!r}")
