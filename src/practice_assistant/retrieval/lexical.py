"""The lexical half of an index version: its BM25 index and a compact table of its chunks.

Ingest builds both once per version and saves them in the version's own folder
(:meth:`IndexStore.version_files`), so a serving process loads them memory-mapped instead of
reading every chunk from Chroma and tokenising it again. On disk (``<version files>/bm25/``):

- the bm25s index (``BM25.save``: CSC arrays, vocabulary, parameters), loaded with ``mmap=True``;
- ``chunks.jsonl``: one JSON object per chunk, with ``chunks.offsets.npy`` (byte offsets,
  ``int64``, rows + 1);
- ``chunks.ids.npy``: the ids by row, so an id from a Chroma query maps to its row by binary
  search.

Rows (BM25's document numbers) are in chunk-id order, whatever order Chroma holds them in: a
version grown by incremental ingests (copied chunks first, new ones after) and a fresh build of
the same corpus get the same rows, so the same scores *and* the same order among equal scores.
- ``lexical.json``, written last: the format and the row count. A folder without it is not used.

The folder is written aside and renamed into place, so a reader sees all of it or nothing.

Only the rows a search returns are decoded, so a process holds a few pages of the table, not
100k ``Chunk`` objects.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, overload

import bm25s
import numpy as np
import Stemmer

from practice_assistant.models import Chunk

FORMAT = 1
FOLDER = "bm25"
MANIFEST = "lexical.json"
READ_BATCH = 5000
_STEMMER = Stemmer.Stemmer("english")
log = logging.getLogger("practice_assistant")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """The one tokenizer for index and queries: lowercase words, English stop words, stems."""
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)  # type: ignore[return-value]


def bm25_text(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: its title and section give short chunks context."""
    return f"{chunk.title} {chunk.section or ''} {chunk.text}"


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(id=chunk_id, slug=str(meta.get("slug", chunk_id)),
                 title=str(meta.get("title", "")), url=meta.get("url"),
                 section=meta.get("section"), text=text, position=int(meta.get("position", 0)),
                 topic=meta.get("topic"), focus=meta.get("focus"))


def read_chunks(collection: Any) -> list[Chunk]:
    """Every chunk of a Chroma collection, in its ``get`` order."""
    chunks: list[Chunk] = []
    total = collection.count()
    for offset in range(0, total, READ_BATCH):
        batch = collection.get(include=["documents", "metadatas"], offset=offset,
                               limit=READ_BATCH)
        for cid, text, meta in zip(batch["ids"], batch["documents"], batch["metadatas"],
                                   strict=True):
            chunks.append(chunk_from_record(cid, text, meta))
    return chunks


class ChunkList(Sequence[Chunk]):
    """Chunks held in memory (an index built in this process), addressable by row and id."""

    def __init__(self, chunks: Sequence[Chunk], site_url: str | None = None) -> None:
        """``site_url`` joins site-relative chunk URLs (see `Chunk.at_site`)."""
        self._chunks = [chunk.at_site(site_url) for chunk in chunks]
        self._row = {chunk.id: i for i, chunk in enumerate(self._chunks)}

    def __len__(self) -> int:
        return len(self._chunks)

    @overload
    def __getitem__(self, index: int) -> Chunk: ...
    @overload
    def __getitem__(self, index: slice) -> list[Chunk]: ...
    def __getitem__(self, index: int | slice) -> Chunk | list[Chunk]:
        return self._chunks[index]

    def __iter__(self) -> Iterator[Chunk]:
        return iter(self._chunks)

    def rows_of(self, ids: Sequence[str]) -> list[int]:
        """Rows of ``ids``; an id this version does not hold raises KeyError."""
        return [self._row[cid] for cid in ids]

    def ids_of(self, rows: Sequence[int]) -> list[str]:
        return [self._chunks[i].id for i in rows]


class ChunkTable(Sequence[Chunk]):
    """Chunks read from a saved table, decoded one row at a time on access."""

    def __init__(self, folder: Path, site_url: str | None = None) -> None:
        """``site_url`` joins site-relative chunk URLs as rows are decoded (`Chunk.at_site`)."""
        self.folder = folder = Path(folder)
        self.site_url = site_url
        self._offsets = np.load(folder / "chunks.offsets.npy", mmap_mode="r")
        self._ids = np.load(folder / "chunks.ids.npy", mmap_mode="r")  # sorted
        with open(folder / "chunks.jsonl", "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            self._blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Chunk: ...
    @overload
    def __getitem__(self, index: slice) -> list[Chunk]: ...
    def __getitem__(self, index: int | slice) -> Chunk | list[Chunk]:
        if isinstance(index, slice):
            return [self._decode(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"chunk row {index} out of range ({len(self)} rows)")
        return self._decode(index)

    def __iter__(self) -> Iterator[Chunk]:
        """Lazy: a caller that stops after a few chunks decodes only those."""
        for i in range(len(self)):
            yield self._decode(i)

    def _decode(self, row: int) -> Chunk:
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        return Chunk(**json.loads(self._blob[start:end])).at_site(self.site_url)

    def rows_of(self, ids: Sequence[str]) -> list[int]:
        """Rows of ``ids`` by binary search; an id this version does not hold raises KeyError."""
        if not ids:
            return []
        width = self._ids.dtype.itemsize
        encoded = [cid.encode("utf-8") for cid in ids]
        found = np.searchsorted(self._ids, np.array(encoded, dtype=self._ids.dtype))
        rows = []
        for cid, raw, pos in zip(ids, encoded, found, strict=True):
            if len(raw) > width or pos >= len(self._ids) or self._ids[pos] != raw:
                raise KeyError(cid)
            rows.append(int(pos))
        return rows

    def ids_of(self, rows: Sequence[int]) -> list[str]:
        return [bytes(self._ids[i]).decode("utf-8") for i in rows]


Chunks = ChunkList | ChunkTable


class EmptyBM25:
    """The BM25 index of a version with no article chunks (bm25s cannot index an empty corpus):
    a corpus of the practice's facts alone, or one whose articles were all removed."""

    def __init__(self) -> None:
        self.vocab_dict: dict[str, int] = {}
        self.scores: dict[str, int] = {"num_docs": 0}

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        return np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class LexicalIndex:
    """A version's BM25 index over its chunks, and those chunks by row (the BM25 doc ids)."""

    bm25: bm25s.BM25 | EmptyBM25
    chunks: Chunks
    saved: bool = False


def build_lexical(chunks: Sequence[Chunk], site_url: str | None = None) -> LexicalIndex:
    """Tokenise and index ``chunks`` in memory, rows in chunk-id order (URLs joined on
    ``site_url`` when given; an index to be saved keeps them as the articles give them)."""
    chunks = sorted(chunks, key=lambda c: c.id.encode("utf-8"))
    if not chunks:
        return LexicalIndex(EmptyBM25(), ChunkList([]))
    bm25 = bm25s.BM25()
    bm25.index(tokenize([bm25_text(c) for c in chunks]), show_progress=False)
    return LexicalIndex(bm25, ChunkList(chunks, site_url))


def save_lexical(index: LexicalIndex, folder: Path) -> Path:
    """Write ``index`` to ``folder/bm25`` atomically: a reader sees all of it or nothing.

    Returns the final folder. If another process saved it first, that copy is kept.
    """
    target = Path(folder) / FOLDER
    tmp = Path(folder) / f".{FOLDER}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if not isinstance(index.bm25, EmptyBM25):
            index.bm25.save(str(tmp), show_progress=False)
        _write_table(index.chunks, tmp)
        (tmp / MANIFEST).write_text(json.dumps({"format": FORMAT, "chunks": len(index.chunks)}),
                                    encoding="utf-8")
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / MANIFEST).exists():  # not a finished copy from someone else
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_table(chunks: Sequence[Chunk], folder: Path) -> None:
    offsets = [0]
    ids: list[bytes] = []
    with open(folder / "chunks.jsonl", "wb") as handle:
        for chunk in chunks:
            line = json.dumps(asdict(chunk), ensure_ascii=False).encode("utf-8") + b"\n"
            handle.write(line)
            offsets.append(offsets[-1] + len(line))
            ids.append(chunk.id.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise ValueError("a chunk table needs unique ids in sorted order (see build_lexical)")
    width = max((len(i) for i in ids), default=1)
    np.save(folder / "chunks.offsets.npy", np.asarray(offsets, dtype=np.int64))
    np.save(folder / "chunks.ids.npy", np.array(ids, dtype=f"S{width}"))


def load_lexical(folder: Path, site_url: str | None = None) -> LexicalIndex | None:
    """The index saved in ``folder/bm25``, memory-mapped; None when there is none (a version
    written before indexes were saved) or it is in a format this code does not read."""
    target = Path(folder) / FOLDER
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if manifest.get("format") != FORMAT:
        log.warning("%s: saved BM25 format %s, expected %s; ignoring it", target,
                    manifest.get("format"), FORMAT)
        return None
    if manifest.get("chunks") == 0:
        return LexicalIndex(EmptyBM25(), ChunkList([]), saved=True)
    bm25 = bm25s.BM25.load(str(target), mmap=True, show_progress=False)
    table = ChunkTable(target, site_url)
    if len(table) != manifest["chunks"] or bm25.scores["num_docs"] != len(table):
        log.warning("%s: saved BM25 and chunk table disagree; ignoring them", target)
        return None
    return LexicalIndex(bm25, table, saved=True)


def has_lexical(folder: Path) -> bool:
    return (Path(folder) / FOLDER / MANIFEST).exists()
