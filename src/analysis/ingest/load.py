"""Loading a corpus: files and folders in, the articles frame and a manifest out."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from analysis import schema
from analysis.ingest.chrome import clean_paragraphs, clean_title
from analysis.ingest.dates import page_stamp, publication_date
from analysis.ingest.dedup import content_hashes, find_duplicates
from analysis.ingest.detect import TABLE_FORMATS, decode, detect_format, read_bytes, sniff_csv
from analysis.ingest.fields import InputError
from analysis.ingest.gdelt import column_list, gdelt_articles, header_kind, read_headerless
from analysis.ingest.language import guess_language
from analysis.ingest.markup import parse_markup
from analysis.ingest.outlets import outlet_from_url, outlet_of
from analysis.ingest.pages import extract_page
from analysis.ingest.tables import read_table, table_articles

#: File names that document a corpus folder rather than hold an article.
DOC_FILES = re.compile(r"^(?:readme|license|licence|changelog|notice)(?:\.[a-z]+)?$", re.I)


class Corpus(NamedTuple):
    """A loaded corpus: one row per article, and one row per input file or record."""

    articles: pd.DataFrame
    manifest: pd.DataFrame


_Rows = list[dict[str, Any]] | pd.DataFrame

#: Bytes read first from every file, to tell its format.
HEAD = 1 << 16

#: What a bad input raises: it becomes the input's rejected manifest row, and
#: the load goes on. Anything else is a bug in a reader and propagates.
BAD_INPUT_ERRORS: tuple[type[Exception], ...] = (
    InputError,
    OSError,  # the file vanished or could not be read
    UnicodeError,
    RecursionError,  # JSON nested deeper than the parser's stack
    csv.Error,
    json.JSONDecodeError,
    yaml.YAMLError,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    pd.errors.OutOfBoundsDatetime,  # a date column with years pandas cannot hold
    pa.ArrowInvalid,
)


class _Input(NamedTuple):
    path: Path
    root: Path
    error: str | None = None


def _walk(paths: Iterable[str | PathLike[str]]) -> list[_Input]:
    """Return every input file under ``paths`` with its corpus root, folders sorted."""
    inputs: list[_Input] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            inputs.append(_Input(path, path.parent))
            continue
        found: list[_Input] = []

        def failed(err: OSError, root: Path = path, into: list[_Input] = found) -> None:
            into.append(_Input(Path(err.filename), root, f"unreadable folder: {err.strerror}"))

        for folder, dirs, files in os.walk(path, onerror=failed):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith(".") or DOC_FILES.match(name):
                    continue
                found.append(_Input(Path(folder, name), path))
        found.sort(key=lambda item: _relative(item.path, item.root))
        inputs.extend(found)
    return inputs


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def list_inputs(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """Return the input files of ``paths``: files as given, folders walked in sorted order.

    Hidden files and folders and documentation files (README, LICENSE,
    CHANGELOG) are skipped.

    Examples
    --------
    >>> list_inputs(["data/sample"])[:1]  # doctest: +SKIP
    [PosixPath('data/sample/...')]
    """
    return [item.path for item in _walk(paths) if item.error is None]


def _manifest_row(path: Path, source_id: str, **fields: Any) -> dict[str, Any]:
    row = {
        "path": str(path),
        "record": pd.NA,
        "source_id": source_id,
        "format": pd.NA,
        "encoding": pd.NA,
        "status": "rejected",
        "reason": pd.NA,
        "warnings": pd.NA,
        "article_id": pd.NA,
        "duplicate_of": pd.NA,
    }
    row.update(fields)
    return row


def _file_article(text: str, fmt: str, source_id: str) -> dict[str, Any]:
    """Return the article fields of a copied page, HTML page or front-matter file."""
    if fmt == "text":
        parts = extract_page(text)
        stamp = page_stamp(parts.header)
        fields: dict[str, Any] = {
            "title": clean_title(parts.title),
            "section": parts.section,
            "caption": parts.caption,
            "dateline": parts.dateline,
            "byline": parts.byline,
            "outlet": parts.outlet,
            "body": "\n".join(clean_paragraphs(parts.body.split("\n"))),
            "url": None,
            "language": None,
            "pubdate": stamp,
            "dateline_match": parts.dateline_match,
            "note": None,
            "warnings": [],
            "format": "text",
        }
    else:
        fields = parse_markup(text, fmt)
    pub = publication_date(
        fields.pop("pubdate"),
        dateline=fields.pop("dateline_match", None),
        place=fields.get("dateline"),
        addresses=(fields.get("url"), source_id),
        page=text,
        body=fields.get("body") or "",
    )
    fields.update(
        published_date=pd.Timestamp(pub.date) if pub.date else pd.NaT,
        published_at=pub.at,
        timezone=pub.timezone,
        date_method=pub.method,
        date_precision=pub.precision,
        source_id=source_id,
    )
    if not fields.get("outlet"):
        # An agency credit in the byline, else the host of the page's URL.
        fields["outlet"] = outlet_of(fields.get("byline")) or outlet_from_url(fields.get("url"))
    fields["language"] = (fields.get("language") or guess_language(fields["body"])).lower()
    return fields


def _load_one(item: _Input, columns: Mapping[str, str] | None) -> tuple[pd.DataFrame | None, _Rows]:
    """Load one input file; return its article rows and manifest rows (same order)."""
    path, root = item.path, item.root
    source_id = _relative(path, root)
    if item.error:
        return None, [_manifest_row(path, source_id, reason=item.error)]
    if not path.exists():
        reason = "unreadable: no such file" + (" (broken link)" if path.is_symlink() else "")
        return None, [_manifest_row(path, source_id, reason=reason)]
    if path.is_dir():
        return None, [_manifest_row(path, source_id, reason="unreadable: is a folder")]
    if not path.is_file():
        return None, [_manifest_row(path, source_id, reason="unreadable: not a regular file")]
    try:
        data = read_bytes(path, HEAD)
        if len(data) == HEAD and sniff_csv(data, path.suffix):
            # A large UTF-8 CSV table goes to Arrow's reader from the file itself:
            # no Python bytes or string of the whole file.
            loaded = _load_table(path, source_id, path, None, "csv", "utf-8", columns)
            if loaded is not None:
                return loaded
        if len(data) == HEAD:
            data = read_bytes(path)
    except InputError as err:
        return None, [_manifest_row(path, source_id, reason=str(err))]
    if sniff_csv(data, path.suffix):
        loaded = _load_table(path, source_id, data, None, "csv", "utf-8", columns)
        if loaded is not None:
            return loaded
    decoded = decode(data)
    if decoded.text is None:
        return None, [_manifest_row(path, source_id, reason=decoded.reason)]
    fmt = detect_format(decoded.text, path.suffix)
    enc = decoded.encoding
    if fmt == "gdelt-columns":
        reason = (
            f"GDELT column list, not articles (names {column_list(decoded.text)} columns "
            "of a GDELT table)"
        )
        return None, [_manifest_row(path, source_id, format=fmt, encoding=enc, reason=reason)]
    if fmt in TABLE_FORMATS:
        return _load_table(path, source_id, data, decoded.text, fmt, enc, columns)
    try:
        fields = _file_article(decoded.text, fmt, source_id)
    except InputError as err:
        return None, [_manifest_row(path, source_id, format=fmt, encoding=enc, reason=str(err))]
    fmt = fields["format"]
    note = fields.pop("note", None)
    warned = {"warnings": "; ".join(fields.pop("warnings", ())) or pd.NA}
    if not fields["body"]:
        reason = note or "no article text found"
        row = _manifest_row(path, source_id, format=fmt, encoding=enc, reason=reason, **warned)
        return None, [row]
    row = _manifest_row(
        path, source_id, format=fmt, encoding=enc, status="loaded", reason=note, **warned
    )
    return pd.DataFrame([fields]), [row]


def _load_table(
    path: Path,
    source_id: str,
    data: bytes | Path,
    text: str | None,
    fmt: str,
    enc: str | None,
    columns: Mapping[str, str] | None,
) -> tuple[pd.DataFrame | None, _Rows] | None:
    if fmt == "gdelt":
        try:
            kind, records, bad = read_headerless(text or "")
        except InputError as err:
            return None, [_manifest_row(path, source_id, format=fmt, encoding=enc, reason=str(err))]
        return _gdelt_table(path, source_id, records, bad, kind, enc)
    try:
        records, bad = read_table(data, text, fmt)
        kind = header_kind(records.columns)
        if kind is not None and not columns:
            return _gdelt_table(path, source_id, records, bad, kind, enc)
        rows, info = table_articles(records, columns=columns, id_prefix=source_id, fmt=fmt)
        del records
    except pa.ArrowInvalid:
        if text is None:
            return None  # not clean UTF-8 CSV after all: decode and sniff it properly
        raise
    except InputError as err:
        return None, [_manifest_row(path, source_id, format=fmt, encoding=enc, reason=str(err))]
    manifest = pd.DataFrame(
        {
            "path": str(path),
            "record": info.index.astype("int64"),
            "source_id": info["source_id"].to_numpy(),
            "format": fmt,
            "encoding": enc,
            "status": np.where(info["reason"].isna().to_numpy(), "loaded", "rejected"),
            "reason": info["reason"].to_numpy(),
            "warnings": info["warnings"].to_numpy(),
        }
    )
    if bad:
        extra = _bad_rows(path, source_id, bad, fmt, enc)
        manifest = pd.concat([manifest, extra]).sort_values("record", kind="stable")
    return rows.reset_index(drop=True), manifest


def _bad_rows(path: Path, source_id: str, bad: list[tuple[int, str]], fmt: str, enc: str | None):
    return pd.DataFrame(
        {
            "path": str(path),
            "record": [number for number, _ in bad],
            "source_id": [f"{source_id}#{number}" for number, _ in bad],
            "format": fmt,
            "encoding": enc,
            "status": "rejected",
            "reason": [reason for _, reason in bad],
        }
    )


def _gdelt_table(
    path: Path,
    source_id: str,
    records: pd.DataFrame,
    bad: list[tuple[int, str]],
    kind: str,
    enc: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load a GDELT table: one metadata-only article per source, one manifest row per record."""
    rows, info = gdelt_articles(records, kind=kind)
    fallback = pd.Series([f"{source_id}#{i}" for i in info.index], index=info.index)
    manifest = pd.DataFrame(
        {
            "path": str(path),
            "record": info.index.astype("int64"),
            "source_id": info["source_id"].fillna(fallback).to_numpy(),
            "format": kind,
            "encoding": enc,
            "status": info["status"].to_numpy(),
            "reason": info["reason"].to_numpy(),
            # A later citation of a source: the record whose article it is.
            "first_record": info["first"].to_numpy(),
        }
    )
    if bad:
        manifest = pd.concat([manifest, _bad_rows(path, source_id, bad, kind, enc)])
        manifest = manifest.sort_values("record", kind="stable")
    return rows.reset_index(drop=True), manifest


def load_articles(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    *,
    columns: Mapping[str, str] | None = None,
    progress: bool = False,
) -> Corpus:
    """Load news articles from files and folders into one articles frame.

    Every file is read by its content: copied web pages (plain text with
    navigation and comments), HTML, Markdown (with YAML or TOML front matter,
    or without) or HTML with front matter, JSON lists, JSON Lines and CSV
    tables, RSS/Atom feeds and WordPress exports (one record per item), and
    GDELT exports (1.0 and 2.0 event exports, 2.0 mentions), whose cited
    sources become metadata-only articles (URL, outlet, the UTC time GDELT
    first saw them, empty body), one per source, with every further citation
    a ``duplicate`` record in the manifest. Folders are walked in sorted order.
    Crawler chrome (publisher-and-date lines, rules, slugs, bylines, share
    counters, "View comments") and Markdown syntax are taken off titles and
    bodies, entities decoded and glued sentences split.
    Nothing raises for a bad input: it gets a ``rejected`` manifest row with
    the reason, and the rest loads; an input loaded only after a repair
    (front matter read leniently, JSON with trailing commas, a short CSV row)
    says so in its row's ``warnings``.

    Parameters
    ----------
    paths : path-like or iterable of path-like
        Files and folders. A file's ``source_id`` is its path relative to the
        folder given (or to its own folder when the file is given); a table
        record's ``source_id`` is its own id (link, url or id column).
    columns : mapping of str to str, optional
        Article field to table column, e.g. ``{"body": "story"}``, for tables
        whose columns have other names than the known ones.
    progress : bool
        Show a progress bar over the input files.

    Returns
    -------
    Corpus
        ``articles``: one row per loaded article (duplicates included, flagged
        by ``duplicate_of``), with the columns of ``schema.ARTICLES``;
        ``manifest``: one row per input file or table record, with the columns
        of ``schema.MANIFEST``.

    Examples
    --------
    >>> corpus = load_articles(["data/sample"])  # doctest: +SKIP
    >>> summarize_manifest(corpus.manifest)  # doctest: +SKIP
    '41 inputs: 38 loaded, 2 duplicate, 1 rejected (1 empty story)'
    """
    if isinstance(paths, str | PathLike):
        paths = [paths]
    return _load(paths, columns=columns, progress=progress)


def _load(
    paths: Iterable[str | PathLike[str]], *, columns: Mapping[str, str] | None, progress: bool
) -> Corpus:
    inputs = _walk(paths)
    if progress:
        # Lazy: tqdm.auto probes for Jupyter when imported; most loads show no bar.
        from tqdm.auto import tqdm

        inputs_iter: Iterable[_Input] = tqdm(inputs, desc="loading", unit="file", leave=False)
    else:
        inputs_iter = inputs
    frames: list[pd.DataFrame] = []
    manifest_parts: list[pd.DataFrame] = []
    pending: list[dict[str, Any]] = []
    for item in inputs_iter:
        try:
            frame, rows = _load_one(item, columns)
        except BAD_INPUT_ERRORS as err:
            frame = None
            rows = [
                _manifest_row(
                    item.path,
                    _relative(item.path, item.root),
                    reason=f"could not be read ({type(err).__name__}: {err})",
                )
            ]
        if frame is not None and len(frame):
            frames.append(frame)
        if isinstance(rows, pd.DataFrame):
            _release()
            # A table's manifest stays a frame; file rows are batched in order.
            if pending:
                manifest_parts.append(pd.DataFrame(pending))
                pending = []
            manifest_parts.append(rows)
        else:
            pending.extend(rows)
    if pending:
        manifest_parts.append(pd.DataFrame(pending))
    return _assemble(frames, manifest_parts)


def _assemble(frames: list[pd.DataFrame], manifest_parts: list[pd.DataFrame]) -> Corpus:
    """Give the loaded rows ids, counts and duplicate links; align the manifest."""
    # Typed (Arrow strings), not Python objects: a manifest has a row per record.
    dtypes = {**schema.MANIFEST, "first_record": schema.INT}
    parts = [part.reindex(columns=list(dtypes)).astype(dtypes) for part in manifest_parts]
    manifest = pd.concat(parts, ignore_index=True) if parts else schema.empty(dtypes)
    if not frames:
        return Corpus(schema.empty(schema.ARTICLES), schema.conform(manifest, schema.MANIFEST))
    articles = pd.concat(frames, ignore_index=True)
    story_keys = articles["story_key"] if "story_key" in articles.columns else None
    for column in schema.ARTICLES:
        if column not in articles.columns:
            articles[column] = pd.NA
    articles = schema.conform(
        articles.assign(article_id="", n_words=0, duplicate_of=pd.NA), schema.ARTICLES
    )
    hashes, body_digests = content_hashes(articles["title"], articles["body"])
    _release()
    _metadata_only_hashes(articles, hashes, body_digests)
    seen: set[str] = set()
    ids = []
    for digest, source_id in zip(hashes, articles["source_id"], strict=True):
        if digest in seen:
            # An exact copy gets its own id (ids stay unique), still from content.
            digest = hashlib.sha1(f"{digest}\n{source_id}".encode()).hexdigest()
        seen.add(digest)
        ids.append("a" + digest[:15])
    id_array = np.array(ids, dtype=object)
    first, n_words = find_duplicates(
        articles["body"],
        languages=articles["language"],
        dates=articles["published_date"],
        story_keys=story_keys,
        body_digests=body_digests,
    )
    _release()
    dup_of = np.where(first >= 0, id_array[np.maximum(first, 0)], None)
    articles = articles.assign(
        article_id=pd.array(ids, dtype="string"),
        duplicate_of=pd.array(dup_of, dtype="string"),
        n_words=pd.array(n_words, dtype="Int64"),
    )
    articles = schema.conform(articles, schema.ARTICLES)

    is_article = (manifest["status"] == "loaded").to_numpy()
    if is_article.sum() != len(articles):  # pragma: no cover - an internal invariant
        raise RuntimeError("manifest and articles are out of step")
    cited_again = (manifest["status"] == "duplicate").to_numpy()
    manifest.loc[is_article, "article_id"] = ids
    manifest.loc[is_article, "duplicate_of"] = dup_of
    manifest.loc[is_article & manifest["duplicate_of"].notna().to_numpy(), "status"] = "duplicate"
    if cited_again.any():
        _link_citations(manifest, is_article, cited_again)
    return Corpus(articles, schema.conform(manifest, schema.MANIFEST))


def _metadata_only_hashes(articles: pd.DataFrame, hashes: list[str], digests: list[str]) -> None:
    """Give articles without text (GDELT sources) ids and digests from their URL, in place.

    Hashing their empty bodies would make every one an exact copy of the
    first; the URL is their content, so the same URL in two exports is one
    article, flagged as a duplicate like any exact copy.
    """
    empty = (articles["body"].fillna("") == "").to_numpy()
    if not empty.any():
        return
    keys = articles["url"].fillna(articles["source_id"]).fillna("").to_numpy()
    titles = articles["title"].fillna("").to_numpy()
    for i in np.flatnonzero(empty):
        key = str(keys[i])
        hashes[i] = hashlib.sha1(f"{str(titles[i]).lower()}\nurl:{key}".encode()).hexdigest()
        digests[i] = hashlib.sha1(f"url:{key}".encode()).hexdigest()


def _link_citations(manifest: pd.DataFrame, is_article: np.ndarray, cited: np.ndarray) -> None:
    """Point each record that cites an already loaded source at that source's article.

    ``first_record`` names the record (in the same file) whose article it is;
    the link goes to the article's group head when that article is itself a
    duplicate, so no duplicate points to another duplicate.
    """
    loaded = manifest[is_article]
    target = loaded["duplicate_of"].where(loaded["duplicate_of"].notna(), loaded["article_id"])
    keys = zip(loaded["path"], loaded["record"].astype(int), strict=True)
    lookup = dict(zip(keys, target, strict=True))
    rows = manifest.loc[cited, ["path", "first_record"]]
    manifest.loc[cited, "duplicate_of"] = [
        lookup.get((path, int(first))) for path, first in rows.itertuples(index=False)
    ]


def _release() -> None:
    """Hand Arrow's freed buffers back to the system: the peak of a long load stays lower."""
    pa.default_memory_pool().release_unused()


def summarize_manifest(manifest: pd.DataFrame) -> str:
    """Return a one-line account of a manifest: inputs, loaded, duplicate, rejected and why.

    Inputs loaded after a repair are counted too, by the kind of their first
    warning, when there are any.

    Examples
    --------
    >>> m = pd.DataFrame({"status": ["loaded", "rejected"], "reason": [None, "empty story"]})
    >>> summarize_manifest(m)
    '2 inputs: 1 loaded, 0 duplicate, 1 rejected (1 empty story)'
    >>> summarize_manifest(m.assign(warnings=["short row: 3 of 4 fields", None]))
    '2 inputs: 1 loaded, 0 duplicate, 1 rejected (1 empty story); 1 with warnings (1 short row)'
    """
    status = manifest["status"].value_counts()
    line = (
        f"{len(manifest)} inputs: {status.get('loaded', 0)} loaded, "
        f"{status.get('duplicate', 0)} duplicate, {status.get('rejected', 0)} rejected"
    )
    reasons = manifest.loc[manifest["status"] == "rejected", "reason"].dropna()
    if len(reasons):
        kinds = Counter(_reason_kind(r) for r in reasons)
        ordered = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        line += " (" + ", ".join(f"{n} {kind}" for kind, n in ordered) + ")"
    warned = manifest["warnings"].dropna() if "warnings" in manifest else pd.Series([])
    if len(warned):
        kinds = Counter(_reason_kind(w.split(";", 1)[0]) for w in warned)
        ordered = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        line += f"; {len(warned)} with warnings (" + ", ".join(f"{n} {k}" for k, n in ordered) + ")"
    return line


def _reason_kind(reason: str) -> str:
    """Return the kind of a rejection reason: its words before any detail."""
    return re.split(r"[:(]| on line| at line", str(reason), maxsplit=1)[0].strip()
