"""Extraction speed over the dev documents on one core: prints characters per second.

    .venv/bin/python bench/bench_extract.py [DOCS_DIR] [--rounds N]

Not a test: a figure to compare against the target (200,000 characters per second).
The first round warms up the NLP models and caches and is reported separately.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import unicodedata
from pathlib import Path

from extractors import extract
from extractors.rules import load_rules


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("docs", nargs="?", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev" / "docs"))
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(Path(a.docs).glob("*")) if p.is_file()]
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    rules = load_rules()
    for t in texts:
        extract(t, rules)
    warm = time.perf_counter() - t0
    figures = 0
    rounds: list[float] = []  # wall seconds per round
    cpu0 = time.process_time()
    for _ in range(a.rounds):
        r0 = time.perf_counter()
        for t in texts:
            figures += len(extract(t, rules).figures)
        rounds.append(time.perf_counter() - r0)
    cpu = time.process_time() - cpu0
    elapsed = sum(rounds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"documents            {len(texts)}")
    print(f"characters           {chars}")
    print(f"first round (warm-up) {warm:.3f} s   {chars / warm:,.0f} chars/s")
    print(f"steady, {a.rounds} rounds      {elapsed:.3f} s   {a.rounds * chars / elapsed:,.0f} chars/s   {figures // a.rounds} figures/round")
    # On a shared VM the wall clock includes time stolen by other guests: the best round and the
    # CPU time show what the code itself costs.
    print(f"best round            {min(rounds):.3f} s   {chars / min(rounds):,.0f} chars/s")
    print(f"CPU time, {a.rounds} rounds    {cpu:.3f} s   {a.rounds * chars / cpu:,.0f} chars/s")
    print(f"peak resident memory {peak / 2**20:.1f} MiB (process, models loaded)")


if __name__ == "__main__":
    main()
