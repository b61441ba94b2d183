"""Ingest: raw news files and folders -> one articles frame and a manifest of every input.

``load_articles`` reads copied web pages, HTML, Markdown/HTML with YAML front
matter, JSON, JSON Lines, CSV and GDELT exports (the format told from the
content; a GDELT export gives metadata-only articles, see
:mod:`analysis.ingest.gdelt`), finds
each article's parts and publication date, flags duplicates and accounts for
every input in the manifest. See :func:`load_articles`.

The modules, each importing only those above it:

- ``fields``: the article fields and their names in inputs; ``InputError``.
- ``outlets``: the outlet of an agency credit or a URL's host.
- ``dates``: publication dates and their precedence.
- ``language``, ``dedup``: a language guess; exact and near-duplicates.
- ``gdelt``: GDELT exports, as metadata-only articles.
- ``detect``: bytes to text, and the format of the text.
- ``pages``: the article on a copied web page.
- ``markup``: HTML, and Markdown or HTML with YAML front matter.
- ``tables``: JSON, JSON Lines and CSV tables of records.
- ``load``: files and folders in, the articles and the manifest out.
"""

from __future__ import annotations

from analysis.ingest.load import Corpus, list_inputs, load_articles, summarize_manifest

__all__ = ["Corpus", "list_inputs", "load_articles", "summarize_manifest"]
