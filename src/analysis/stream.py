"""Stream a corpus larger than memory through the pipeline, batch by batch.

Input files are read a batch at a time (:func:`analysis.ingest.load_articles`
on a few files), the per-article stages run on the batch (in-process or on
Dask), and the frames are appended to Parquet datasets partitioned by month,
so memory holds one batch, never the corpus. A state file keyed by each
input's content lets a rerun skip the inputs that have not changed. At the
end the incidents are built once from all the events (which are small), so
an incident reported across batches merges as it does in-process.

The output folder::

    OUT/
      _state.sqlite                          what was processed, keyed by content
      articles/month=2024-01/part-<batch>.parquet
      sentences/month=2024-01/part-<batch>.parquet
      mentions/month=2024-01/part-<batch>.parquet
      events/month=2024-01/part-<batch>.parquet
      manifest/part-<batch>.parquet
      incidents.parquet

``month`` is the article's publication month (``unknown`` when it has no
date). Each folder is a Hive-partitioned Parquet dataset: read it with
:func:`read_table`, ``pandas.read_parquet(OUT / "events")`` or
``pyarrow.dataset.dataset(OUT / "events", partitioning="hive")``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from analysis import __version__, schema

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

STATE_FILE = "_state.sqlite"
INCIDENTS_FILE = "incidents.parquet"

#: At most this many input files in one batch ...
BATCH_FILES = 200
#: ... and at most this many bytes of input (a batch of one file may exceed
#: it: a file is never split). About 100,000 news articles; a batch's frames
#: then take well under a gigabyte.
BATCH_BYTES = 256 * 2**20

#: The frames written per batch, with their schemas. Frames with a
#: ``published_date`` are partitioned by its month, frames keyed by
#: ``article_id`` by their article's month, the manifest not at all.
TABLES: dict[str, dict[str, str]] = {
    "articles": schema.ARTICLES,
    "manifest": schema.MANIFEST,
    "sentences": schema.SENTENCES,
    "mentions": schema.MENTIONS,
    "events": schema.EVENTS,
}

#: The order events are read back in, whatever the batching, so incidents
#: built from a streamed corpus do not depend on how it was cut. The sort is
#: stable: an article's events (all in one file) keep the extractor's order.
EVENT_ORDER = ["published_date", "article_id"]

UNKNOWN_MONTH = "unknown"

ProcessFunc = Callable[[pd.DataFrame], dict[str, pd.DataFrame]]


class _Input(NamedTuple):
    """An input file: where it is, its content hash and size, how it was listed."""

    path: str  # resolved: the key in the state file, with the digest
    digest: str
    size: int
    listed: Path  # as the walk of the given paths found it
    root: Path  # the folder its source_id is relative to


@dataclass(frozen=True)
class StreamSummary:
    """What one call of :func:`stream_corpus` did."""

    out: Path
    n_inputs: int
    n_unchanged: int
    n_batches: int
    n_articles: int
    n_duplicates: int
    n_events: int
    n_incidents: int

    def __str__(self) -> str:
        return (
            f"{self.n_inputs} inputs ({self.n_unchanged} unchanged, skipped); "
            f"{self.n_batches} batch{'es' if self.n_batches != 1 else ''}, "
            f"{self.n_articles} articles "
            f"({self.n_duplicates} copies of articles of earlier batches), "
            f"{self.n_events} events; {self.n_incidents} incidents in all -> {self.out}"
        )


def stream_corpus(
    paths: Iterable[str | PathLike[str]],
    out: str | PathLike[str],
    *,
    batch_files: int = BATCH_FILES,
    batch_bytes: int = BATCH_BYTES,
    engine: str = "pandas",
    scheduler: str | Client | None = None,
    tables: Sequence[str] | None = None,
    progress: bool = False,
    process: ProcessFunc | None = None,
) -> StreamSummary:
    """Run the pipeline over a corpus in batches, appending to Parquet datasets.

    Parameters
    ----------
    paths : iterable of path-like
        Files or folders of articles, as for :func:`analysis.load_articles`.
    out : path-like
        Output folder (created). A rerun into the same folder processes only
        the inputs that are new or whose content changed, and drops the
        results of inputs that are gone.
    batch_files, batch_bytes : int
        A batch closes at this many files or bytes of input, whichever comes
        first. Memory is that of one batch.
    engine : {"pandas", "dask"}
        Process each batch in-process, or partitioned on a Dask cluster.
    scheduler : str or distributed.Client, optional
        For ``engine="dask"``: a scheduler address or an open client; a
        local cluster (kept for all batches) when omitted.
    tables : sequence of str, optional
        Which frames to keep among ``articles``, ``manifest``, ``sentences``,
        ``mentions`` and ``events`` (events are always kept: incidents are
        built from them). All by default.
    progress : bool
        Show a progress bar over batches.
    process : callable, optional
        The per-article stages, :func:`analysis.pipeline.process_articles`
        by default.

    Returns
    -------
    StreamSummary
        Counts of inputs, batches, articles and events of this run, and of
        incidents in the whole output.

    Notes
    -----
    Exact copies across batches are flagged as within one load: an article
    whose normalised body was seen in an earlier batch gets ``duplicate_of``
    (the first copy's ``article_id``) and its manifest row the status
    ``duplicate``; ids stay unique. Near-duplicates (rewrites) are found
    within a batch only, so make batches large enough to hold a news cycle.
    """
    from analysis.timeline import build_timeline

    if engine not in ("pandas", "dask"):
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    if batch_files < 1 or batch_bytes < 1:
        raise ValueError("batch_files and batch_bytes must be positive")
    keep = _tables(tables)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    inputs = _inputs(list(paths))

    with _State(out / STATE_FILE) as state:
        if state.get_meta("settings") != _settings(keep):
            # another version of the toolkit or other tables: nothing is reusable
            for key in state.batch_keys():
                _drop_batch(out, state, key)
            state.set_meta("settings", _settings(keep))
        current = [
            _Input(str(found), state.content_hash(found), found.stat().st_size, listed, root)
            for listed, root, found in inputs
        ]
        present = {item[:2] for item in current}
        for key in state.batch_keys():
            if not state.batch_inputs(key) <= present:
                _drop_batch(out, state, key)
        _remove_orphans(out, set(state.batch_keys()))
        done = state.processed_inputs()
        todo = [item for item in current if item[:2] not in done]
        batches = list(_group(todo, batch_files=batch_files, batch_bytes=batch_bytes))
        state.commit()

        n_articles = n_duplicates = n_events = 0
        with _client(engine, scheduler, bool(batches)) as client:
            loaded = _loaded_batches(batches, prefetch=client is not None)
            for batch, corpus in _progress(loaded, progress, total=len(batches)):
                counts = _run_batch(
                    out, state, batch, corpus, keep=keep, client=client, process=process
                )
                n_articles += counts[0]
                n_duplicates += counts[1]
                n_events += counts[2]

        incidents_path = out / INCIDENTS_FILE
        if state.get_meta("incidents") is None or not incidents_path.exists():
            incidents = build_timeline(read_table(out, "events"))
            _write_parquet(incidents, incidents_path)
            state.set_meta("incidents", str(len(incidents)))
            state.commit()
        n_incidents = int(state.get_meta("incidents") or 0)

    return StreamSummary(
        out=out,
        n_inputs=len(inputs),
        n_unchanged=len(inputs) - len(todo),
        n_batches=len(batches),
        n_articles=n_articles,
        n_duplicates=n_duplicates,
        n_events=n_events,
        n_incidents=n_incidents,
    )


def read_table(
    out: str | PathLike[str],
    name: str,
    *,
    months: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read one frame of a streamed corpus back into memory.

    Parameters
    ----------
    out : path-like
        The output folder of :func:`stream_corpus`.
    name : str
        ``articles``, ``manifest``, ``sentences``, ``mentions``, ``events``
        or ``incidents``.
    months : sequence of str, optional
        Only these publication months (``"2024-01"``, or ``"unknown"``);
        reads only their files. Not for ``manifest`` and ``incidents``.

    Returns
    -------
    pandas.DataFrame
        The frame with the columns of its schema: one row per article,
        input, sentence, mention, event mention or incident. Files are read
        in path order (month, then batch); events are sorted by
        :data:`EVENT_ORDER`, so the result does not depend on the batching.
    """
    import pyarrow.parquet as pq

    out = Path(out)
    if name == "incidents":
        path = out / INCIDENTS_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: run stream_corpus first")
        return schema.conform(pd.read_parquet(path), schema.INCIDENTS)
    if name not in TABLES:
        raise ValueError(f"no table {name!r}; choose from {[*TABLES, 'incidents']}")
    files = sorted((out / name).rglob("part-*.parquet"))
    if months is not None:
        wanted = {f"month={m}" for m in months}
        files = [f for f in files if f.parent.name in wanted]
    frames = [pq.read_table(f).to_pandas() for f in files]
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(TABLES[name])
    frame = schema.conform(pd.concat(frames, ignore_index=True), TABLES[name])
    if name == "events":
        frame = frame.sort_values(EVENT_ORDER, kind="stable", na_position="first")
        frame = frame.reset_index(drop=True)
    return frame


def _inputs(paths: list[str | PathLike[str]]) -> list[tuple[Path, Path, Path]]:
    """Each input file as listed, the root its ``source_id`` is relative to, resolved."""
    from analysis.ingest import list_inputs

    found = []
    for given in paths:
        root = Path(given) if Path(given).is_dir() else Path(given).parent
        found += [(path, root, path.resolve()) for path in list_inputs([given])]
    return found


# --- batches ---------------------------------------------------------------


def _run_batch(
    out: Path,
    state: _State,
    batch: list[_Input],
    corpus: Any,
    *,
    keep: list[str],
    client: Client | None,
    process: ProcessFunc | None,
) -> tuple[int, int, int]:
    from analysis.engine import process_on_dask, process_partition

    key = _batch_key(batch)
    articles, manifest, context, n_dup = _flag_seen(corpus.articles, corpus.manifest, state, key)
    if client is None:
        frames = process_partition(articles, context, process=process)
    else:
        frames = process_on_dask(articles, scheduler=client, context=context, process=process)
    frames = {"articles": articles, "manifest": manifest, **frames}
    months = _article_months(articles)
    files = []
    for name in keep:
        files += _write_table(out, name, key, frames[name], months)
    state.add_batch(key, batch, files=files, n_articles=len(articles))
    state.commit()
    return len(articles), n_dup, len(frames["events"])


def _loaded_batches(batches: list[list[_Input]], *, prefetch: bool) -> Iterator[tuple[list, Any]]:
    """Yield each batch with its loaded corpus.

    On Dask the next batch is read in a thread while the workers process
    this one (the main thread only waits for them then), so reading does not
    leave the cluster idle; two batches are then in memory at once.
    """
    if not prefetch:
        for batch in batches:
            yield batch, _load_batch(batch)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis-stream") as pool:
        ahead = pool.submit(_load_batch, batches[0]) if batches else None
        for i, batch in enumerate(batches):
            corpus = ahead.result()
            ahead = pool.submit(_load_batch, batches[i + 1]) if i + 1 < len(batches) else None
            yield batch, corpus


def _load_batch(batch: list[_Input]):
    """Load a batch's files as one load of the whole corpus would load them.

    ``load_articles`` names a file by its path relative to the folder given
    (its ``source_id``, which ids and record ids build on), so each batch is
    loaded from folders of symbolic links that repeat the files' paths
    relative to their roots; the manifest then gets the real paths back.
    """
    from analysis.ingest import Corpus, load_articles

    with tempfile.TemporaryDirectory(prefix="analysis-stream-") as tmp:
        folders: list[Path] = []
        real: dict[str, str] = {}
        last_root = None
        for item in batch:
            if item.root != last_root:
                folders.append(Path(tmp, str(len(folders))))
                last_root = item.root
            link = folders[-1] / item.listed.relative_to(item.root)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(item.path)
            real[str(link)] = str(item.listed)
        corpus = load_articles(folders)
    manifest = corpus.manifest.assign(
        path=corpus.manifest["path"].map(lambda p: real.get(p, p)).astype("string")
    )
    return Corpus(corpus.articles, manifest)


def _flag_seen(
    articles: pd.DataFrame, manifest: pd.DataFrame, state: _State, key: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Treat copies of earlier batches' articles as one load would.

    One :func:`~analysis.ingest.load_articles` call over the whole corpus
    gives an exact copy (same title and body) its own id, a hash of its text
    and ``source_id``, and points every copy of a body (compared lower-cased,
    by :func:`analysis.ingest.dedup.content_hashes`) at the first article
    with it.
    Here the ids and body hashes of earlier batches live in the state file,
    so the same happens across batches.

    Returns the articles and manifest so flagged, the context articles for
    :func:`analysis.engine.process_partition` (a stand-in for each earlier
    article copied word for word, so the stages skip the copy as they would
    in one run), and how many articles were flagged.
    """
    from analysis.ingest.dedup import content_hashes

    articles = articles.reset_index(drop=True)
    if articles.empty:
        return articles, manifest, articles, 0
    old_ids = articles["article_id"].astype(str).tolist()
    ids = list(old_ids)
    dup = [None if pd.isna(d) else str(d) for d in articles["duplicate_of"]]
    # the id digests (title and body) and the body digests that find exact copies
    digests, prints = content_hashes(articles["title"], articles["body"])
    taken = state.taken_ids(ids)
    if taken:
        renamed = {
            aid: "a" + hashlib.sha1(f"{digest}\n{source}".encode()).hexdigest()[:15]
            for aid, digest, source in zip(ids, digests, articles["source_id"], strict=True)
            if aid in taken
        }
        ids = [renamed.get(a, a) for a in ids]
        dup = [renamed.get(d, d) if d else d for d in dup]
    bodies = articles["body"].fillna("").astype(str).tolist()
    has_body = [bool(b) for b in bodies]
    raw = [hashlib.sha1(b.encode("utf-8")).hexdigest() for b in bodies]
    seen = state.seen(sorted({p for p, b in zip(prints, has_body, strict=True) if b}))
    root_of = {
        aid: seen[p] for aid, p, b in zip(ids, prints, has_body, strict=True) if b and p in seen
    }
    n_flagged = 0
    for i, aid in enumerate(ids):
        if aid in root_of:
            n_flagged += dup[i] is None
            dup[i] = root_of[aid][0]
        elif dup[i] in root_of:  # it pointed at a copy of an earlier batch's article
            dup[i] = root_of[dup[i]][0]
    raw_of = {aid: r for aid, r in zip(ids, raw, strict=True)}
    raw_of.update((root, root_raw) for root, root_raw in root_of.values())
    state.remember_ids([(aid, key) for aid in ids])
    state.remember_prints(
        [
            (p, d or aid, raw_of.get(d or aid), key)
            for p, d, aid, b in zip(prints, dup, ids, has_body, strict=True)
            if b
        ]
    )
    in_batch = set(ids)
    stand_ins = {}
    for i, d in enumerate(dup):
        if d and d not in in_batch and d not in stand_ins and raw_of.get(d) == raw[i]:
            stand_ins[d] = i
    context = articles.iloc[list(stand_ins.values())].assign(
        article_id=pd.array(list(stand_ins), dtype="string"),
        duplicate_of=pd.array([None] * len(stand_ins), dtype="string"),
    )
    if ids == old_ids and not root_of:
        return articles, manifest, context, 0
    articles = articles.assign(
        article_id=pd.array(ids, dtype="string"), duplicate_of=pd.array(dup, dtype="string")
    )
    new_id = dict(zip(old_ids, ids, strict=True))
    dup_of = dict(zip(ids, dup, strict=True))
    rows = manifest["article_id"].isin(new_id)
    article_id = manifest["article_id"].mask(rows, manifest["article_id"].map(new_id))
    duplicate_of = manifest["duplicate_of"].mask(rows, article_id.map(dup_of))
    manifest = manifest.assign(
        article_id=article_id.astype("string"),
        duplicate_of=duplicate_of.astype("string"),
        status=manifest["status"].mask(rows & duplicate_of.notna(), "duplicate"),
    )
    return articles, manifest, context, n_flagged


def _group(items: list[_Input], *, batch_files: int, batch_bytes: int) -> Iterator[list[_Input]]:
    batch: list[_Input] = []
    size = 0
    for item in items:
        if batch and (len(batch) >= batch_files or size + item[2] > batch_bytes):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item[2]
    if batch:
        yield batch


def _batch_key(batch: list[_Input]) -> str:
    text = "\n".join(f"{item.path}\t{item.digest}" for item in batch)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _tables(tables: Sequence[str] | None) -> list[str]:
    if tables is None:
        return list(TABLES)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise ValueError(f"unknown tables {unknown}; choose from {list(TABLES)}")
    return [t for t in TABLES if t in tables or t == "events"]


def _settings(keep: list[str]) -> str:
    return json.dumps({"version": __version__, "tables": keep})


@contextlib.contextmanager
def _client(engine: str, scheduler: str | Client | None, needed: bool) -> Iterator[Client | None]:
    if engine != "dask" or not needed:
        yield None
        return
    from analysis.engine import dask_client

    with dask_client(scheduler) as client:
        yield client


def _progress(items: Iterable, progress: bool, *, total: int) -> Iterable:
    if not progress or total < 2:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="batches", unit="batch", total=total)


# --- files -----------------------------------------------------------------


def _article_months(articles: pd.DataFrame) -> pd.Series:
    """The publication month of each article, keyed by ``article_id``."""
    months = _months(articles["published_date"])
    return pd.Series(months.to_numpy(), index=articles["article_id"].astype(str).to_numpy())


def _months(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m").fillna(UNKNOWN_MONTH).astype(str)


def _write_table(
    out: Path, name: str, key: str, frame: pd.DataFrame, article_months: pd.Series
) -> list[str]:
    try:  # the stages' frames already have the schema's dtypes: no copy then
        frame = schema.check(frame.reset_index(drop=True), TABLES[name], name=name)
    except schema.SchemaError:
        frame = schema.conform(frame, TABLES[name])
    if name == "manifest":
        path = out / name / f"part-{key}.parquet"
        _write_parquet(frame, path)
        return [str(path.relative_to(out))]
    if "published_date" in frame.columns:
        month = _months(frame["published_date"])
    else:
        lookup = article_months[~article_months.index.duplicated()]
        month = frame["article_id"].astype(str).map(lookup).fillna(UNKNOWN_MONTH)
    files = []
    for value, part in frame.groupby(month.to_numpy(), sort=True):
        path = out / name / f"month={value}" / f"part-{key}.parquet"
        _write_parquet(part, path)
        files.append(str(path.relative_to(out)))
    return files


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
    os.replace(tmp, path)  # a crash never leaves half a file under the real name


def _drop_batch(out: Path, state: _State, key: str) -> None:
    for name in state.batch_files(key):
        (out / name).unlink(missing_ok=True)
    state.drop_batch(key)


def _remove_orphans(out: Path, keys: set[str]) -> None:
    """Remove files of batches the state does not know (a run that crashed)."""
    for name in TABLES:
        for path in (out / name).rglob("part-*"):
            if path.name.split("-", 1)[1].split(".", 1)[0] not in keys:
                path.unlink()
    for path in out.rglob("*.tmp"):
        path.unlink()


# --- state -----------------------------------------------------------------


class _State:
    """What has been processed, in SQLite: on disk, so memory stays flat.

    ``inputs`` maps each processed (path, content hash) to its batch;
    ``batches`` lists each batch's files; ``seen`` maps the hash of every
    body to the ``article_id`` of its first article, ``ids`` holds every
    ``article_id`` given out (each with its batch, to drop it with the batch); ``hashes``
    caches content hashes by (path, size, mtime) so an unchanged file is not
    read again.
    """

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS hashes (
        path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, content_hash TEXT);
    CREATE TABLE IF NOT EXISTS batches (
        batch TEXT PRIMARY KEY, n_inputs INTEGER, n_articles INTEGER, files TEXT);
    CREATE TABLE IF NOT EXISTS inputs (
        path TEXT, content_hash TEXT, batch TEXT, PRIMARY KEY (path, content_hash));
    CREATE TABLE IF NOT EXISTS seen (
        fingerprint TEXT PRIMARY KEY, article_id TEXT, body_hash TEXT, batch TEXT);
    CREATE TABLE IF NOT EXISTS ids (article_id TEXT PRIMARY KEY, batch TEXT);
    CREATE INDEX IF NOT EXISTS ids_batch ON ids (batch);
    CREATE INDEX IF NOT EXISTS seen_batch ON seen (batch);
    CREATE INDEX IF NOT EXISTS inputs_batch ON inputs (batch);
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> _State:
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(self.SCHEMA)
        except sqlite3.DatabaseError as err:
            raise ValueError(
                f"{self.path} is not a stream state file ({err}); "
                "delete it, or choose another output folder"
            ) from err
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def content_hash(self, path: Path) -> str:
        stat = path.stat()
        row = self.db.execute(
            "SELECT content_hash FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
            (str(path), stat.st_size, stat.st_mtime_ns),
        ).fetchone()
        if row:
            return row[0]
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        self.db.execute(
            "INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)",
            (str(path), stat.st_size, stat.st_mtime_ns, digest),
        )
        return digest

    def batch_keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT batch FROM batches ORDER BY batch")]

    def batch_inputs(self, key: str) -> set[tuple[str, str]]:
        rows = self.db.execute("SELECT path, content_hash FROM inputs WHERE batch = ?", (key,))
        return {(path, digest) for path, digest in rows}

    def batch_files(self, key: str) -> list[str]:
        row = self.db.execute("SELECT files FROM batches WHERE batch = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else []

    def processed_inputs(self) -> set[tuple[str, str]]:
        return {(p, h) for p, h in self.db.execute("SELECT path, content_hash FROM inputs")}

    def add_batch(
        self, key: str, batch: list[_Input], *, files: list[str], n_articles: int
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?)",
            (key, len(batch), n_articles, json.dumps(files)),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?)",
            [(item.path, item.digest, key) for item in batch],
        )
        self.db.execute("DELETE FROM meta WHERE key = 'incidents'")  # now out of date

    def drop_batch(self, key: str) -> None:
        for table in ("batches", "inputs", "seen", "ids"):
            self.db.execute(f"DELETE FROM {table} WHERE batch = ?", (key,))
        self.db.execute("DELETE FROM meta WHERE key = 'incidents'")  # now out of date

    def _lookup(self, sql: str, values: list[str]) -> list[tuple]:
        rows: list[tuple] = []
        for start in range(0, len(values), 500):  # SQLite limits bound parameters
            chunk = values[start : start + 500]
            rows += self.db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall()
        return rows

    def seen(self, prints: list[str]) -> dict[str, tuple[str, str]]:
        """Of normalised-body hashes, those of earlier batches.

        Each maps to the ``article_id`` of its first article and the hash of
        that article's raw body.
        """
        sql = "SELECT fingerprint, article_id, body_hash FROM seen WHERE fingerprint IN ({})"
        return {p: (aid, raw) for p, aid, raw in self._lookup(sql, prints)}

    def taken_ids(self, ids: list[str]) -> set[str]:
        """Of ``ids``, those that articles of earlier batches have."""
        sql = "SELECT article_id FROM ids WHERE article_id IN ({})"
        return {row[0] for row in self._lookup(sql, ids)}

    def remember_prints(self, rows: list[tuple[str, str, str | None, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", rows)

    def remember_ids(self, rows: list[tuple[str, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO ids VALUES (?, ?)", rows)
