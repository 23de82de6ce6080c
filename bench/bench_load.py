"""The cost of loading a document, against the number of documents the store already holds.

    .venv/bin/python bench/bench_load.py                       # DuckDB: 100, 1,000, 10,000, 100,000
    .venv/bin/python bench/bench_load.py --db postgresql://…   # PostgreSQL (a schema of its own)
    .venv/bin/python bench/bench_load.py --sizes 100,10000

Real rows (the dev documents read once) are loaded again and again under new document ids
until the store holds N documents; at each N, batches of `--batch` new documents are loaded
through `Store.load_batch` on the store kept open, as a run does, and the script prints the
milliseconds per document (wall and CPU), the best and the median of `--rounds` batches. A
flat column means that a load does no work that grows with the store.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _variant(rows, k: int):
    """The same document's rows under a new document id and path (and so new fact ids)."""
    from baocao.store.rows import DocumentRows

    doc_id = hashlib.sha256(f"{k}|{rows.doc_id}".encode()).hexdigest()
    path = f"/bench/{k:07d}/{Path(rows.path).name}"
    facts = {t: [{**r, "id": hashlib.sha1(f"{k}|{r['id']}".encode()).hexdigest(), "doc_id": doc_id} for r in v]
             for t, v in rows.facts.items()}
    return DocumentRows(doc_id, path, {**rows.document, "id": doc_id, "path": path}, facts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000,100000")
    ap.add_argument("--db", default=None, help="PostgreSQL URL (default: a DuckDB file in a temporary folder)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    from baocao.store import open_store
    from pipeline import work

    dev = ROOT.parent / "shared" / "eval" / "dev" / "docs"
    sources = sorted(dev.glob("*.txt")) or sorted((ROOT / "corpus").glob("*.txt"))
    base = work.read_batch([work.FileToRead(str(p), None) for p in sources], "bench").rows
    tmp = tempfile.mkdtemp(prefix="bench_load_")
    target = str(Path(tmp) / "load.duckdb")
    if a.db:
        from urllib.parse import quote

        import psycopg

        schema = f"bench_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(a.db, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        target = f"{a.db}{'&' if '?' in a.db else '?'}options={quote(f'-csearch_path={schema}')}"
    facts = sum(sum(len(v) for v in r.facts.values()) for r in base) / len(base)
    print(f"store: {'PostgreSQL' if a.db else 'DuckDB'}; {len(base)} real documents re-used, {facts:.1f} fact rows each; "
          f"batches of {a.batch}")
    print(f"{'documents in store':>18} {'ms/doc (best)':>14} {'ms/doc (median)':>16} {'CPU ms/doc':>11}")
    k = 0
    try:
        with open_store(target) as store:
            for n in [int(x) for x in a.sizes.split(",")]:
                while k < n:  # fill, in big batches
                    step = min(2000, n - k)
                    store.load_batch([_variant(base[i % len(base)], k + i) for i in range(step)])
                    k += step
                walls, cpus = [], []
                for _ in range(a.rounds):
                    batch = [_variant(base[i % len(base)], k + i) for i in range(a.batch)]
                    w0, c0 = time.perf_counter(), time.process_time()
                    store.load_batch(batch)
                    walls.append((time.perf_counter() - w0) / a.batch)
                    cpus.append((time.process_time() - c0) / a.batch)
                    k += a.batch
                print(f"{n:>18,} {1000 * min(walls):14.2f} {1000 * statistics.median(walls):16.2f} "
                      f"{1000 * statistics.median(cpus):11.2f}", flush=True)
    finally:
        if a.db:
            import psycopg

            with psycopg.connect(a.db, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
