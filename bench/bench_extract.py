"""Extraction speed over the dev documents on one core: prints characters per second.

    .venv/bin/python bench/bench_extract.py [DOCS_DIR] [--rounds N]

Not a test: a figure to compare against the targets (200,000 and 400,000 characters per second
of CPU time on one core).  Extraction memoizes the organization names it parses (a report
repeats its names), so the figure that counts is the cold pass: fresh rules, every document read once.
The warm rounds read the same documents again and show what the memo saves on repeats.
The last line is the people a document names (underthesea's NER, in the resolve stage, not in
`extract`): `baocao run` pays it beside extraction for every document.

    .venv/bin/python bench/bench_extract.py --instructions

counts the machine instructions of one cold pass instead (valgrind's cachegrind, `apt install
valgrind`; two runs of a few minutes, with and without the pass, subtracted).  On a shared VM whose
speed drifts by a fifth within minutes, the count is the same to 0.5 % from run to run: the
figure to compare two versions of the code by.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
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
    ap.add_argument("--instructions", action="store_true", help="count the instructions of one cold pass (valgrind)")
    ap.add_argument("--one-pass", choices=("setup", "run"), help=argparse.SUPPRESS)  # the child under valgrind
    a = ap.parse_args()
    if a.instructions:
        count_instructions(a.docs)
        return
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(Path(a.docs).glob("*")) if p.is_file()]
    chars = sum(len(t) for t in texts)
    extract(_WARM_UP, load_rules())  # load underthesea's and spaCy's models
    if a.one_pass:
        rules = load_rules()
        extract(_WARM_UP, rules)
        if a.one_pass == "run":
            for t in texts:
                extract(t, rules)
        return
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


def count_instructions(docs: str) -> None:
    """Instructions of one cold pass: a run that loads everything and reads the documents once,
    less a run that only loads (hash seed fixed, so both runs build the same dictionaries)."""
    if shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind: apt install valgrind")
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    def refs(mode: str) -> int:
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, docs, "--one-pass", mode]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stderr
        return int(re.search(r"I\s+refs:\s+([\d,]+)", out).group(1).replace(",", ""))

    setup, run = refs("setup"), refs("run")
    chars = sum(len(unicodedata.normalize("NFC", p.read_text(encoding="utf-8"))) for p in Path(docs).glob("*") if p.is_file())
    pass_ = run - setup
    print(f"characters            {chars}")
    print(f"instructions, 1 pass  {pass_ / 1e6:,.0f} M   {pass_ / chars:,.0f} per character   (loading: {setup / 1e6:,.0f} M)")


if __name__ == "__main__":
    main()
