"""The organizations stage on the dev documents: coverage, levels, periods, and its cost.

    .venv/bin/python bench/bench_organize.py                 # the 91 dev documents, once
    .venv/bin/python bench/bench_organize.py --copies 20     # each document loaded 20 times (distinct bytes)

Prints how many figures with a subject got an organization (and how many of those an organization
known only in its document), the registry by level, where the views' periods come from, and the
wall and CPU time of a first `organize` (everything new) and a second one (nothing changed).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from baocao.files import expand
from baocao.ingest import IngestError, read_document
from baocao.organizations import organize
from baocao.resolve import resolve
from baocao.store import open_store
from extractors import extract
from extractors.rules import load_rules

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "docs"


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default=str(DEV))
    ap.add_argument("--copies", type=int, default=1, help="load each document this many times (distinct bytes)")
    args = ap.parse_args()
    rules = load_rules()
    pairs = []
    for path in expand([args.docs]):
        try:
            doc = read_document(path)
        except IngestError:
            continue
        pairs.append((doc, resolve(doc, extract(doc.text, rules), rules)))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.duckdb") as store:
        for copy in range(args.copies):
            for doc, ex in pairs:
                if copy:
                    doc = doc.model_copy(update={"id": f"{copy:04d}{doc.id[4:]}", "path": f"{doc.path}.{copy}"})
                store.load_document(doc, ex)
        first, w1, c1 = _timed(lambda: organize(store))
        second, w2, c2 = _timed(lambda: organize(store))
        levels = store.fetch_df("SELECT COALESCE(level, 'unknown') AS level, scope, COUNT(*) AS n FROM organizations "
                                "GROUP BY 1, 2 ORDER BY 1, 2")  # fmt: skip
        periods = Counter(store.fetch_df("SELECT period_source FROM figure_facts")["period_source"])
    print(f"documents {len(pairs) * args.copies}  figures {first.figures}  with a subject {first.with_subject}")
    print(f"linked to an organization: {first.with_organization} ({first.coverage:.1%}); "
          f"to one known only in its document: {first.document_scoped} "
          f"({first.document_scoped / max(first.with_subject, 1):.1%})")  # fmt: skip
    print(f"organizations {first.organizations}:")
    for r in levels.itertuples(index=False):
        print(f"  {r.level:18} {r.scope:9} {r.n}")
    total = sum(periods.values()) or 1
    print("period_source of the views' rows: " + ", ".join(f"{k} {v} ({v / total:.0%})" for k, v in periods.most_common()))
    print(f"organize, first run:  {w1:.2f} s wall, {c1:.2f} s CPU, {first.changed} figures linked")
    print(f"organize, second run: {w2:.2f} s wall, {c2:.2f} s CPU, {second.changed} figures changed")


if __name__ == "__main__":
    main()
