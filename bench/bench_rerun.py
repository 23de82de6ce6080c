"""A second `baocao run` on an unchanged corpus extracts nothing again.

    .venv/bin/python bench/bench_rerun.py [--docs 200]

Builds a corpus of N documents (the dev documents, each copy made distinct), runs the flow
twice into a fresh DuckDB file and prints, for each run, the wall time, the number of batches
read and the CPU time the workers spent extracting (the run's summary).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    a = ap.parse_args()
    from pipeline.flows import run_pipeline

    dev = ROOT.parent / "shared" / "eval" / "dev" / "docs"
    sources = sorted(dev.glob("*.txt")) or sorted((ROOT / "corpus").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        nonce = uuid.uuid4().hex[:8]  # new bytes on every benchmark run: no cached extraction from the last one
        for i in range(a.docs):
            src = sources[i % len(sources)]
            (docs / f"{i:04d}_{src.name}").write_text(src.read_text(encoding="utf-8") + f"\n\nBản số {i} ({nonce}).\n", encoding="utf-8")
        chars = sum(p.stat().st_size for p in docs.iterdir())
        db = str(Path(tmp) / "bench.duckdb")
        rows = []
        for label in ("first run", "second run"):
            t0 = time.perf_counter()
            summary = run_pipeline([str(docs)], db, run_audit=False)
            wall = time.perf_counter() - t0
            extract_s = summary.seconds.get("extract", 0.0)  # CPU seconds the workers spent extracting
            rows.append((label, wall, summary.batches, extract_s, summary.loaded, summary.unchanged))
    print(f"corpus: {a.docs} documents, {chars:,} bytes")
    print(f"{'run':12s} {'wall s':>8s} {'batches':>8s} {'extract s':>10s} {'loaded':>7s} {'unchanged':>10s}")
    for label, wall, n, s, loaded, unchanged in rows:
        print(f"{label:12s} {wall:8.2f} {n:8d} {s:10.3f} {loaded:7d} {unchanged:10d}")
    first, second = rows
    print(f"second run extraction time / first run extraction time = {second[3] / first[3] if first[3] else 0:.3f}")


if __name__ == "__main__":
    main()
