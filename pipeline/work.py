"""The work a run does, as plain functions over batches of files; Prefect tasks wrap them (tasks.py).

A batch is read where it is processed (a worker process, or a Dask worker): each file is
ingested, normalized, extracted, resolved and turned into table rows there, so the document
itself (its text, and the one-integer-per-character offset map) never travels; only its rows
do. Loading happens where the store is open for the run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from baocao.store.rows import DocumentRows
from schemas.records import Rejection

if TYPE_CHECKING:
    from baocao.ingest import Limits
    from baocao.isolation import Outcome
    from extractors.rules import Rules

# Stages timed in the workers (CPU seconds), in the order a document goes through them.
WORKER_STAGES = ("ingest", "extract", "rows")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, name
    return Path(next(iter(spec.submodule_search_locations)))


def _fingerprint(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def rules_fingerprint() -> str:
    """Hash of the extraction code, its data files and the record schema: what extracted a
    document (documents.extractor_version). Read from the files, without importing the
    extractors and their NLP models."""
    root = _package_dir("extractors")
    return _fingerprint([*root.rglob("*.py"), *root.rglob("*.json"), *root.rglob("*.jsonl"),
                         _package_dir("schemas") / "records.py"])


def rows_fingerprint() -> str:
    """Hash of the code that turns records into table rows: a cached batch of rows is reused only
    while its tables and row builders are those of this code."""
    store = _package_dir("baocao") / "store"
    return _fingerprint([store / "rows.py", store / "ddl.py"])


class FileToRead(NamedTuple):
    path: str
    digest: str | None  # SHA-256 of its bytes, None when they could not be read


@dataclass
class Plan:
    """What a run has to do: the files to read, and how many are already loaded as they are."""

    files: int
    to_read: list[FileToRead]
    unchanged: int


@dataclass
class ReadBatch:
    """What reading a batch of files gave: each document's rows, or why it was rejected."""

    rows: list[DocumentRows] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(WORKER_STAGES, 0.0))


def digest_of(path: str) -> str | None:
    """SHA-256 of a file's bytes (the document id); None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def plan(paths: Sequence[str], loaded: set[str]) -> Plan:
    """Hash every file (cheap; parsing a PDF is not) and keep those whose bytes are not loaded yet."""
    to_read = []
    for p in paths:
        d = digest_of(p)
        if d is None or d not in loaded:
            to_read.append(FileToRead(p, d))
    return Plan(files=len(paths), to_read=to_read, unchanged=len(paths) - len(to_read))


def batches(files: Sequence[FileToRead], workers: int, *, least: int = 32 << 10, most: int = 512 << 10,
            max_files: int = 512) -> Iterator[list[FileToRead]]:
    """Consecutive batches of about the same size in bytes: big enough that a task's fixed cost (a
    Prefect task run, a load transaction: some 0.1-0.5 s) is small beside its work, small enough that
    every worker gets several (so that all finish at about the same time)."""
    sizes = [_size(f.path) for f in files]
    target = min(most, max(least, sum(sizes) // (4 * max(1, workers))))
    batch: list[FileToRead] = []
    weight = 0
    for f, size in zip(files, sizes, strict=True):
        batch.append(f)
        weight += size
        if weight >= target or len(batch) >= max_files:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


@functools.cache
def rules() -> Rules:
    """The shipped extraction rules, loaded once per worker process (a task takes paths and
    records, never the rules object itself)."""
    from extractors.rules import load_rules

    return load_rules()


def read_batch(files: Sequence[FileToRead], extractor_version: str, limits: Limits | None = None) -> ReadBatch:
    """Ingest, extract and resolve each file and build its rows; a bad file becomes a Rejection.

    The files are read in a child forked from this warm worker (baocao.isolation.run_each): a
    reader that crashes (a native library on hostile bytes) or runs past `limits.max_seconds` on
    one file costs that file, never the batch or the worker.
    """
    from baocao.ingest import Limits
    from baocao.isolation import run_each

    limits = limits or Limits()
    out = ReadBatch()
    for i, outcome in run_each(functools.partial(_read_one, extractor_version=extractor_version, limits=limits),
                               files, timeout=limits.max_seconds):
        f = files[i]
        if outcome.ok:
            result, seconds = outcome.value
            (out.rows if isinstance(result, DocumentRows) else out.rejections).append(result)
            for stage, s in seconds.items():
                out.seconds[stage] += s
        else:
            out.rejections.append(_lost(f, outcome, limits))
    return out


def _read_one(f: FileToRead, extractor_version: str, limits: Limits) -> tuple[DocumentRows | Rejection, dict[str, float]]:
    """One file's rows (or why not) and the CPU seconds of each stage: what the isolated child does."""
    from baocao.ingest import IngestError, read_document
    from baocao.resolve import resolve
    from baocao.store.rows import document_rows
    from extractors import extract

    seconds = dict.fromkeys(WORKER_STAGES, 0.0)
    clock = time.process_time  # CPU seconds: on a busy machine the wall clock says little
    t0 = clock()
    try:
        doc = read_document(f.path, limits)
    except IngestError as e:
        return e.to_rejection(f.path), seconds
    finally:
        seconds["ingest"] = clock() - t0
    t1 = clock()
    try:
        rules_ = rules()
        extraction = resolve(doc, extract(doc.text, rules_, doc.tables), rules_)
    except Exception as e:  # noqa: BLE001 - an extractor bug on one document must not stop the others
        return Rejection(path=f.path, name=doc.name, reason=f"extraction failed: {type(e).__name__}: {e}",
                         error="extract_failed", doc_id=doc.id), seconds
    finally:
        seconds["extract"] = clock() - t1
    t2 = clock()
    rows = document_rows(doc, extraction, extractor_version)
    seconds["rows"] = clock() - t2
    return rows, seconds


def _lost(f: FileToRead, outcome: Outcome, limits: Limits) -> Rejection:
    """Why the isolated reader gave nothing for a file: it ran too long, it crashed, or it raised."""
    from baocao.ingest.errors import READER_CRASHED, READER_TIMEOUT

    name = Path(f.path).name
    if outcome.timed_out:
        return Rejection(path=f.path, name=name, error=READER_TIMEOUT, limit="max_seconds", doc_id=f.digest,
                         reason=f"{name}: reading and extracting took longer than the limit max_seconds = "
                                f"{limits.describe('max_seconds')} s; the worker was stopped (raise it with "
                                "--limit max_seconds=N)")
    if outcome.crashed:
        return Rejection(path=f.path, name=name, error=READER_CRASHED, doc_id=f.digest,
                         reason=f"{name}: the reader crashed on this file ({outcome.crashed}); the file is damaged "
                                "or hostile, and the run went on without it")
    e = outcome.error
    return Rejection(path=f.path, name=name, error="extract_failed", doc_id=f.digest,
                     reason=f"extraction failed: {type(e).__name__}: {e}")


def start_worker(parent: int) -> None:
    """What a worker process of the local pool does first: end with the run, yield the CPU to the
    run's own process (which starts the flow while the workers load the models, and loads what
    they read), load the models."""
    import os

    from pipeline.lifetime import die_with_parent

    die_with_parent(parent)
    os.nice(5)
    warm_up()


def warm_up() -> None:
    """Load the NLP models once in a worker process, before its first batch."""
    from baocao.resolve import resolve
    from extractors import extract
    from schemas.records import Page, SourceDocument

    # A figure (spaCy, underthesea's words) and a signed line (underthesea's NER).
    text = ("Đảng bộ huyện Đại Lộc có 52 tổ chức cơ sở đảng với 4.989 đảng viên, kết nạp 196 đảng viên mới.\n"
            "Thịnh Đức Tiền, Phó Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh.")
    doc = SourceDocument(id="0" * 64, path="warm-up", name="warm-up", format="txt", size_bytes=len(text), text=text,
                         raw_text=text, pages=[Page(number=1, start=0, end=len(text))])
    resolve(doc, extract(text, rules()), rules())
