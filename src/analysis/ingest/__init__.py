"""Ingest: raw news files and folders -> one articles frame and a manifest of every input.

``load_articles`` reads copied web pages, HTML, Markdown/HTML with YAML front
matter, JSON, JSON Lines, CSV and GDELT exports (the format told from the
content; a GDELT export gives metadata-only articles, see
:mod:`analysis.ingest.gdelt`), finds
each article's parts and publication date, flags duplicates and accounts for
every input in the manifest. See :func:`load_articles`.
"""

from __future__ import annotations

from analysis.ingest.load import Corpus, list_inputs, load_articles, summarize_manifest

__all__ = ["Corpus", "list_inputs", "load_articles", "summarize_manifest"]
