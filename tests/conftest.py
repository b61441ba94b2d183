"""Shared fixtures: where the real data in ``../shared`` lives, and skipping without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANALYSIS_SHARED", ROOT.parent / "shared"))
SAMPLE = ROOT / "data" / "sample"


def shared_path(*parts: str) -> Path:
    """Return a path under ``../shared``, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (clone ../shared beside the repo)")
    return path


@pytest.fixture
def shared() -> Path:
    """The ``../shared`` folder of real corpora, references and gold annotations."""
    return shared_path()


@pytest.fixture
def sample() -> Path:
    """The bundled sample corpus written for the project."""
    return SAMPLE
