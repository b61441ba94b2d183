"""Exact and near-duplicate articles, found fast and deterministically.

Exact copies share their lower-cased, space-collapsed body and were
published within a few days of each other. Near-duplicates
(a wire story and its "(LEAD)" rewrite, one KCNA story filed under two topics
with a changed line) are found with one-permutation MinHash over five-word
shingles and locality-sensitive hashing. Every step is a vectorised Arrow or
numpy operation over all the shingles of a batch of articles: no Python loop
runs per word. Words are hashed with pandas' fixed-key SipHash and shingles
with fixed constants, so the same corpus always gives the same pairs.

A candidate pair is a duplicate when the estimated Jaccard similarity of the
two shingle sets is at least :data:`MIN_JACCARD`, or when the shorter text is
nearly contained in the longer one (:data:`MIN_CONTAINMENT`), as when a
rewrite adds new paragraphs above the original story.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SHINGLE = 5
#: Bins of one-permutation hashing: the signature's length.
N_BINS = 64
ROWS_PER_BAND = 2
MIN_JACCARD = 0.7
MIN_CONTAINMENT = 0.85
MIN_JACCARD_FOR_CONTAINMENT = 0.4
MAX_DAYS_APART = 2
MIN_JACCARD_SAME_KEY = 0.15
#: Texts with fewer shingles than this are matched only as exact copies:
#: short formulaic notices ("A delegation arrived/left ...") differ in a word
#: or a name that decides what they report.
MIN_SHINGLES = 40
#: Texts per batch of shingling: bounds the memory of the word arrays (~15 MB).
BATCH = 1000

_EMPTY = np.iinfo(np.uint64).max
_BIN_SHIFT = np.uint64(64 - int(np.log2(N_BINS)))


#: Most bytes of text per slice: the numpy arrays of a slice's words take
#: about fifteen times its size, so slices stay small (a few MB at most).
SLICE_BYTES = 1 << 18


def as_chunked(texts: pd.Series) -> pa.ChunkedArray:
    """Return the texts as Arrow large strings, without copying Arrow-backed ones."""
    values = texts.array
    chunked = getattr(values, "_pa_array", None)
    if not isinstance(chunked, pa.ChunkedArray):
        chunked = pa.chunked_array(
            [pa.array(texts.astype(object), type=pa.large_string(), from_pandas=True)]
        )
    if not pa.types.is_large_string(chunked.type):
        chunked = chunked.cast(pa.large_string())  # offsets widened; the text is not copied
    return chunked


def byte_slices(
    arr: pa.ChunkedArray, rows: int = BATCH, max_bytes: int = SLICE_BYTES
) -> list[tuple[int, int]]:
    """Return ``(start, length)`` slices of at most ``rows`` texts and ``max_bytes`` bytes.

    A single text longer than the byte bound gets a slice of its own.
    """
    n = len(arr)
    if n == 0:
        return []
    sizes = np.concatenate(
        [
            np.asarray(pc.fill_null(pc.binary_length(chunk), 0), dtype=np.int64)
            for chunk in arr.chunks
        ]
    )
    ends = np.cumsum(sizes)
    out = []
    start = 0
    while start < n:
        base = ends[start - 1] if start else 0
        # The last text that still fits in the byte bound (at least one text).
        stop = int(np.searchsorted(ends, base + max_bytes, side="right"))
        stop = min(max(stop, start + 1), start + rows, n)
        out.append((start, stop - start))
        start = stop
    return out


def piece(arr: pa.ChunkedArray, start: int, length: int) -> pa.Array:
    """Return one slice of ``arr`` as a single array, nulls as empty strings."""
    return pc.fill_null(arr.slice(start, length).combine_chunks(), "")


def _take(arr: pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """Return the texts at sorted positions ``rows``, chunk by chunk.

    ``ChunkedArray.take`` may first join every chunk: a copy of the corpus.
    """
    pieces = []
    first = 0
    for chunk in arr.chunks:
        lo, hi = np.searchsorted(rows, [first, first + len(chunk)])
        if hi > lo:
            pieces.append(chunk.take(pa.array(rows[lo:hi] - first)))
        first += len(chunk)
    if not pieces:
        return pa.array([], type=arr.type)
    return pa.concat_arrays(pieces)


def _lower(arr: pa.Array) -> pa.Array:
    """Return texts lower-cased: the form that is hashed and shingled, a slice at a time."""
    return pc.utf8_lower(arr)


def _views(arr: pa.Array) -> tuple[memoryview, np.ndarray]:
    """Return the bytes of a large-string array and its offsets (for zero-copy slices)."""
    data = arr.buffers()[2]
    view = memoryview(data if data is not None else b"")
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    return view, offsets.tolist()


def content_hashes(titles: pd.Series, bodies: pd.Series) -> tuple[list[str], list[str]]:
    """Return sha1 hex digests of each lower-cased ``title + body``, and of the body alone.

    The first digest makes the article id; the second finds exact copies.
    """
    title_arr, body_arr = as_chunked(titles), as_chunked(bodies)
    ids: list[str] = []
    digests: list[str] = []
    sha1 = hashlib.sha1
    # Slice by slice, hashing the Arrow buffers in place: no Python bytes per text.
    for start, length in byte_slices(body_arr):
        tview, toff = _views(_lower(piece(title_arr, start, length)))
        bview, boff = _views(_lower(piece(body_arr, start, length)))
        for i in range(length):
            body = bview[boff[i] : boff[i + 1]]
            whole = sha1(tview[toff[i] : toff[i + 1]])
            whole.update(b"\n")
            whole.update(body)
            ids.append(whole.hexdigest())
            digests.append(sha1(body).hexdigest())
    return ids, digests


def _mix(x: np.ndarray) -> np.ndarray:
    """Return the splitmix64 finaliser of ``x`` (uint64, wraps on overflow)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


#: ``_LOW_BYTES[k]`` keeps the low ``k`` bytes of a little-endian uint64.
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)
#: Odd multipliers that make a shingle's hash depend on word order.
_POSITION = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)  # fmt: skip


def word_codes(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Return a 64-bit code for every word of ``arr`` (split at spaces and line breaks).

    Works on the Arrow buffers with numpy: word boundaries are the spaces of
    the byte buffer, and a word's code mixes its length, first eight and last
    eight bytes (exact for words up to 16 bytes, which is nearly all of them).
    """
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    if offsets[-1] == offsets[0]:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    starts_doc = offsets[:-1] - offsets[0]
    ends_doc = offsets[1:] - offsets[0]
    space = (data == 32) | (data == 10)  # spaces and line breaks separate words
    boundary = np.zeros(len(data) + 1, dtype=bool)
    boundary[starts_doc] = True
    boundary[ends_doc] = True
    prev_sep = np.r_[True, space[:-1]] | boundary[:-1]
    next_sep = np.r_[space[1:], True] | boundary[1:]
    word_start = np.flatnonzero(~space & prev_sep)
    word_end = np.flatnonzero(~space & next_sep) + 1
    length = word_end - word_start
    # Every byte offset seen as the start of an 8-byte window (a strided view,
    # no copy); one gather per word then reads its first and last eight bytes.
    padded = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    windows = np.lib.stride_tricks.as_strided(padded, shape=(len(data), 8), strides=(1, 1))
    keep = _LOW_BYTES[np.minimum(length, 8)]
    head = np.ascontiguousarray(windows[word_start]).view(np.uint64)[:, 0] & keep
    # Only words longer than eight bytes have a tail beyond their head.
    tail = head.copy()
    long = np.flatnonzero(length > 8)
    tail[long] = np.ascontiguousarray(windows[word_end[long] - 8]).view(np.uint64)[:, 0]
    codes = _mix(head ^ _mix(tail ^ length.astype(np.uint64)))
    doc = np.searchsorted(ends_doc, word_start, side="right")
    return codes, doc


def signatures(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return one-permutation MinHash signatures, shingle counts and word counts of texts.

    Each shingle's 64-bit hash picks one of ``N_BINS`` bins by its top bits;
    a text's signature holds the smallest hash in each bin (``_EMPTY`` for an
    empty bin). Texts with fewer than ``SHINGLE`` words have shingle count 0.

    Parameters
    ----------
    texts : pandas.Series
        Article bodies (lower-cased here, slice by slice).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``(n, N_BINS)`` uint64 signatures, ``(n,)`` shingle counts and
        ``(n,)`` word counts.
    """
    n = len(texts)
    sig = np.full((n, N_BINS), _EMPTY, dtype=np.uint64)
    counts = np.zeros(n, dtype=np.int64)
    n_words = np.zeros(n, dtype=np.int64)
    arr = as_chunked(texts)
    for start, length in byte_slices(arr):
        codes, doc = word_codes(_lower(piece(arr, start, length)))
        n_words[start : start + length] += np.bincount(doc, minlength=length)
        m = len(codes) - SHINGLE + 1
        if m <= 0:
            continue
        h = codes[:m] * _POSITION[0]
        for k in range(1, SHINGLE):
            h ^= codes[k : k + m] * _POSITION[k]
        h = _mix(h)
        valid = doc[:m] == doc[SHINGLE - 1 :]
        h, owner = h[valid], doc[:m][valid]
        counts[start : start + length] += np.bincount(owner, minlength=length)
        np.minimum.at(sig, (owner + start, (h >> _BIN_SHIFT).astype(np.intp)), h)
    return sig, counts, n_words


def _candidate_pairs(sig: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Return pairs (i, j), i < j, of rows of ``idx`` sharing a full band of the signature."""
    pairs = []
    for b in range(0, N_BINS, ROWS_PER_BAND):
        band = sig[idx, b : b + ROWS_PER_BAND]
        full = (band != _EMPTY).all(axis=1)
        key = band[:, 0] ^ _mix(band[:, 1])
        rows = np.flatnonzero(full)
        order = rows[np.argsort(key[rows], kind="stable")]
        same = np.flatnonzero(key[order[1:]] == key[order[:-1]])
        # Neighbours in a bucket are paired: enough to chain a bucket together.
        if len(same):
            a, c = idx[order[same]], idx[order[same + 1]]
            pairs.append(np.stack([np.minimum(a, c), np.maximum(a, c)], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def shingle_sets(texts: pd.Series, rows: np.ndarray) -> dict[int, np.ndarray]:
    """Return the sorted unique shingle hashes of the texts at positions ``rows``."""
    arr = _lower(pc.fill_null(_take(as_chunked(texts), rows), ""))
    codes, doc = word_codes(arr)
    m = len(codes) - SHINGLE + 1
    if m <= 0:
        return {int(r): np.empty(0, np.uint64) for r in rows}
    h = codes[:m] * _POSITION[0]
    for k in range(1, SHINGLE):
        h ^= codes[k : k + m] * _POSITION[k]
    valid = doc[:m] == doc[SHINGLE - 1 :]
    h, owner = h[valid], doc[:m][valid]
    cuts = np.searchsorted(owner, np.arange(len(rows) + 1))
    return {int(r): np.unique(h[cuts[i] : cuts[i + 1]]) for i, r in enumerate(rows)}


def _estimate_jaccard(sig: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Return the one-permutation estimate of each pair's Jaccard similarity.

    Matching bins over the bins not empty in both signatures.
    """
    out = np.empty(len(pairs), dtype=np.float64)
    # In blocks of pairs: two rows of the signature matrix per pair add up.
    for start in range(0, len(pairs), BATCH):
        block = pairs[start : start + BATCH]
        a, c = sig[block[:, 0]], sig[block[:, 1]]
        used = (a != _EMPTY) | (c != _EMPTY)
        out[start : start + BATCH] = ((a == c) & used).sum(axis=1) / np.maximum(used.sum(axis=1), 1)
    return out


def _same_key_pairs(keys: pd.Series | None) -> np.ndarray:
    """Return pairs (first, later) of the articles that share a story key."""
    if keys is None:
        return np.empty((0, 2), dtype=np.int64)
    frame = pd.DataFrame({"key": keys.to_numpy(), "pos": np.arange(len(keys))})
    frame = frame[frame["key"].notna()]
    first = frame.groupby("key", sort=False)["pos"].transform("min")
    later = (frame["pos"] != first).to_numpy()
    return np.stack([first.to_numpy()[later], frame["pos"].to_numpy()[later]], axis=1).astype(
        np.int64
    )


def _verify(
    texts: pd.Series,
    pairs: np.ndarray,
    languages: np.ndarray | None,
    days: np.ndarray | None,
    *,
    min_jaccard: float = MIN_JACCARD,
) -> np.ndarray:
    """Return which candidate pairs are duplicates, by exact shingle-set overlap.

    Candidates from the signatures are checked exactly (they are few): the
    pair must be in one language, published within :data:`MAX_DAYS_APART` days
    of each other when both dates are known (formulaic notices such as "work
    posted on a website of country X" repeat a text for different events on
    different days; a rewrite or a second listing of a story comes the same
    day), and have either nearly the same set of shingles
    (Jaccard >= MIN_JACCARD) or the shorter text nearly contained in the
    longer (containment >= MIN_CONTAINMENT, Jaccard >= MIN_JACCARD_FOR_CONTAINMENT).
    """
    sets: dict[int, np.ndarray] = {}
    rows = np.unique(pairs)
    for start in range(0, len(rows), BATCH // 4):
        sets.update(shingle_sets(texts, rows[start : start + BATCH // 4]))
    keep = np.zeros(len(pairs), dtype=bool)
    for k, (i, j) in enumerate(pairs):
        if languages is not None and languages[i] != languages[j]:
            continue
        if days is not None and abs(days[i] - days[j]) > MAX_DAYS_APART:
            continue  # NaN (a missing date) compares False: no veto
        a, b = sets[int(i)], sets[int(j)]
        if min(len(a), len(b)) < MIN_SHINGLES:
            continue
        inter = len(np.intersect1d(a, b, assume_unique=True))
        jaccard = inter / (len(a) + len(b) - inter)
        containment = inter / min(len(a), len(b))
        keep[k] = jaccard >= min_jaccard or (
            containment >= MIN_CONTAINMENT and jaccard >= MIN_JACCARD_FOR_CONTAINMENT
        )
    return keep


def _exact_copies(digests: np.ndarray, days: np.ndarray | None) -> np.ndarray:
    """Return, for each article, the position of the first article it is an exact copy of.

    Copies share a body digest and were published within
    :data:`MAX_DAYS_APART` days of the copy they follow (an article with no
    date is a copy of the first one): the same formulaic statement issued
    again months later (a condemnation of another launch in the same
    words) is a new statement. An article that copies none points to itself.
    """
    positions = np.arange(len(digests))
    codes, _ = pd.factorize(digests)
    earliest = pd.Series(positions).groupby(codes).transform("min").to_numpy().copy()
    if days is None:
        return earliest
    for code in np.unique(codes[earliest != positions]):
        members = np.flatnonzero(codes == code)
        firsts: list[int] = []  # the first article of each issue of this text
        for i in members:
            day = days[i]
            home = next(
                (
                    f
                    for f in firsts
                    if np.isnan(day) or np.isnan(days[f]) or abs(days[f] - day) <= MAX_DAYS_APART
                ),
                None,
            )
            if home is None:
                firsts.append(int(i))
                earliest[i] = i
            else:
                earliest[i] = home
    return earliest


def find_duplicates(
    bodies: pd.Series,
    *,
    languages: pd.Series | None = None,
    dates: pd.Series | None = None,
    story_keys: pd.Series | None = None,
    body_digests: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each article, the position of the earlier article it duplicates, or -1.

    Positions follow the order given (the load order); a duplicate points to
    the first article of its group, never to another duplicate. The word count
    of each body comes along, since the words are split here anyway.

    Parameters
    ----------
    bodies : pandas.Series
        Article bodies, in load order.
    languages : pandas.Series, optional
        Language of each article: a translation is not a near-duplicate.
    dates : pandas.Series, optional
        Publication date of each article: near-duplicates are published close together.
    story_keys : pandas.Series, optional
        A record's own id (NA for files and for ids shared by many records):
        records sharing one are the same story listed twice, possibly revised,
        and need less textual overlap (:data:`MIN_JACCARD_SAME_KEY`) since a
        revision may touch every sentence.
    body_digests : list of str, optional
        Digests of the bodies (from :func:`content_hashes`), to find exact copies.
    """
    n = len(bodies)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    positions = np.arange(n)
    if body_digests is None:
        body_digests = content_hashes(pd.Series("", index=bodies.index), bodies)[1]
    days = None
    if dates is not None:
        stamps = pd.to_datetime(dates)
        days = ((stamps - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(
            dtype=float, na_value=np.nan
        )
    earliest = _exact_copies(np.asarray(body_digests, dtype=object), days)
    copies = earliest != positions

    sig, counts, n_words = signatures(bodies)
    langs = None if languages is None else languages.astype(str).to_numpy()
    idx = np.flatnonzero((counts >= MIN_SHINGLES) & ~copies)
    pairs = _candidate_pairs(sig, idx)
    # A cheap estimate from the signatures first, with a margin for its error;
    # the exact check then runs on the few pairs left.
    pairs = pairs[_estimate_jaccard(sig, pairs) >= MIN_JACCARD_FOR_CONTAINMENT - 0.15]
    pairs = pairs[_verify(bodies, pairs, langs, days)]
    same_key = _same_key_pairs(story_keys)
    if len(same_key):
        ok = _verify(bodies, same_key, langs, days, min_jaccard=MIN_JACCARD_SAME_KEY)
        pairs = np.concatenate([pairs, same_key[ok]])

    # Groups: exact copies join their earliest copy, verified pairs join each
    # other; every member points to the group's earliest article.
    root = earliest.copy()

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for i, j in pairs:
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            root[max(ri, rj)] = min(ri, rj)
    roots = np.array([find(i) for i in range(n)]) if len(pairs) else earliest
    return np.where(roots != positions, roots, -1), n_words
