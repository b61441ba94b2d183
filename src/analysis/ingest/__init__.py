"""Ingest: raw news files and folders -> one articles frame and a manifest of every input.

``load_articles`` reads copied web pages, HTML, Markdown (with YAML or TOML
front matter, or without), JSON, JSON Lines, CSV, RSS/Atom feeds and
WordPress exports, and GDELT exports (the format told from the content; a
GDELT export gives metadata-only articles, see :mod:`analysis.ingest.gdelt`),
finds each article's parts and publication date, flags duplicates and
accounts for every input in the manifest. Inputs load as crawlers write
them: what had to be repaired or could not be read (front matter that strict
YAML refuses, JSON with trailing commas, a short CSV row) is a manifest
``warning``, not a rejection. See :func:`load_articles`.

The modules, each importing only those above it:

- ``fields``: the article fields and their names in inputs; ``InputError``.
- ``outlets``: the outlet of an agency credit or a URL's host.
- ``dates``: publication dates in any written form, and their precedence.
- ``language``, ``dedup``: a language guess; exact and near-duplicates.
- ``gdelt``: GDELT exports, as metadata-only articles.
- ``pages``: the article on a copied web page.
- ``chrome``: Markdown syntax, entities, glued sentences and crawler chrome off the text.
- ``feeds``: RSS, Atom and WordPress exports, one record per item.
- ``detect``: bytes to text, and the format of the text.
- ``markup``: HTML, and Markdown or HTML with front matter (read leniently).
- ``tables``: JSON, JSON Lines, CSV and feed tables of records.
- ``load``: files and folders in, the articles and the manifest out.
"""

from __future__ import annotations

from analysis.ingest.load import Corpus, list_inputs, load_articles, summarize_manifest

__all__ = ["Corpus", "list_inputs", "load_articles", "summarize_manifest"]
