"""Extraction speed over the dev documents on one core: prints characters per second.

    .venv/bin/python bench/bench_extract.py [DOCS_DIR] [--rounds N]

Not a test: a figure to compare against the targets (200,000 and 400,000 characters per second
of CPU time on one core).  Extraction memoizes the organization names it parses (a report
repeats its names), so the figure that counts is the cold pass: fresh rules, every document read once.
The warm rounds read the same documents again and show what the memo saves on repeats.
The last line is the people a document names (underthesea's NER, in the resolve stage, not in
`extract`): `baocao run` pays it beside extraction for every document.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import unicodedata
from pathlib import Path

from extractors import extract
from extractors.people import find_people
from extractors.rules import load_rules

_WARM_UP = "Năm 2023, Đảng bộ huyện kết nạp 45 đảng viên mới, thành lập 3 chi bộ; Đảng bộ Khối có 84 TCCS đảng."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("docs", nargs="?", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev" / "docs"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(Path(a.docs).glob("*")) if p.is_file()]
    chars = sum(len(t) for t in texts)
    extract(_WARM_UP, load_rules())  # load underthesea's and spaCy's models
    cold = []
    for _ in range(a.rounds):
        rules = load_rules()  # an empty memo
        extract(_WARM_UP, rules)  # build the name pipeline
        c0, w0 = time.process_time(), time.perf_counter()
        figures = sum(len(extract(t, rules).figures) for t in texts)
        cold.append((time.process_time() - c0, time.perf_counter() - w0))
    c0 = time.process_time()
    for _ in range(a.rounds):
        for t in texts:
            extract(t, rules)
    warm = (time.process_time() - c0) / a.rounds
    c0 = time.process_time()
    people = sum(len(find_people(t, rules.people)) for t in texts)
    people_cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    best_cpu = min(c for c, _ in cold)
    print(f"documents             {len(texts)}")
    print(f"characters            {chars}")
    print(f"figures               {figures}")
    # On a shared VM the wall clock includes time stolen by other guests: CPU time shows what the code costs.
    print(f"cold pass, CPU time   {best_cpu:.3f} s   {chars / best_cpu:,.0f} chars/s   (best of {a.rounds}; "
          f"median {sorted(c for c, _ in cold)[len(cold) // 2]:.3f} s)")
    print(f"cold pass, wall       {min(w for _, w in cold):.3f} s   {chars / min(w for _, w in cold):,.0f} chars/s")
    print(f"warm rounds, CPU time {warm:.3f} s   {chars / warm:,.0f} chars/s   (the same documents again)")
    print(f"people (NER), CPU     {people_cpu:.3f} s   {chars / people_cpu:,.0f} chars/s   ({people} people)")
    print(f"peak resident memory  {peak / 2**20:.1f} MiB (process, models loaded)")


if __name__ == "__main__":
    main()
