"""Hostile and huge inputs through `baocao run`: outcome, peak memory and time per case; then a fuzz pass.

    .venv/bin/python bench/bench_hostile.py [--fuzz 500] [--only NAME ...] [--keep DIR]

Each case is one `baocao run FILE --db NEW --no-audit` in a process of its own. Peak memory is the
largest sum of memory (PSS, each shared page counted once) over the run's whole process tree (the run, its reading
workers, Prefect's temporary server, LibreOffice), sampled every 20 ms. The target: under 1.5 GB for
every case, each ending loaded or rejected with one line. The fuzz pass reads mutated corpus files
(tests/hostile_inputs.py) each in a worker, as the run does, and prints how they ended. Not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_inputs as h

BAOCAO = Path(sys.executable).with_name("baocao")
GB = 1024**3


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = collections.defaultdict(list)
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids[ppid].append(int(d.name))
    return kids


def _rss(pid: int) -> int:
    """The process's proportional share of memory (PSS): pages a forked reading child shares with
    its parent count once over the tree, not twice as with VmRSS."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(name).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def tree_rss(root: int) -> int:
    kids, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(kids.get(pid, []))
    return total


class PeakMemory:
    """Samples the resident memory of a process tree until stopped."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def cases(d: Path) -> list[tuple[str, Path, list[str]]]:
    web = d / "trang_web.txt"
    web.write_bytes((ROOT / "tests" / "hostile" / "web_page.html").read_bytes())
    garbage = d / "garbage_in_streams.pdf"
    data = (ROOT / "corpus" / "000_fecd69e2d4926bf8.pdf").read_bytes()
    garbage.write_bytes(data[: len(data) // 2] + os.urandom(2048) + data[len(data) // 2 + 2048 :])
    return [
        ("docx inflating to 1.2 GB", h.docx_bomb(d / "bomb.docx", 1_200_000_000), []),
        ("docx of 20,000 parts", h.docx_many_parts(d / "parts.docx", 20_000), []),
        ("PDF of 2,000 pages", h.long_report(d / "p2000.pdf", 2000), []),
        ("PDF of 1,000 pages", h.long_report(d / "p1000.pdf", 1000), []),
        ("PDF of 1,000 pages, max_seconds=3", d / "p1000.pdf", ["--limit", "max_seconds=3"]),
        ("text of 100 MB", h.big_text(d / "big.txt", 100_000_000), []),
        ("text of 100 MB, max_text_chars=200M", d / "big.txt", ["--limit", "max_text_chars=200000000"]),
        ("PDF of (cid:N) glyph codes", h.glyph_code_pdf(d / "cid.pdf", 27), []),
        ("PDF, 1 page of 6 glyph codes", h.glyph_code_pdf(d / "cid_one.pdf", 6, {3}), []),
        ("PDF, 2 KB garbage in its streams", garbage, []),
        ("web page saved as .txt", web, []),
        ("the corpus (good files)", ROOT / "corpus", []),
    ]


def run_case(path: Path, extra: list[str], work: Path) -> tuple[str, int, float, int]:
    db = work / f"run_{time.monotonic_ns()}.duckdb"
    started = time.monotonic()
    proc = subprocess.Popen([str(BAOCAO), "run", str(path), "--db", str(db), "--no-audit", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    meter = PeakMemory(proc.pid)
    _, err = proc.communicate()
    peak = meter.stop()
    took = time.monotonic() - started
    lines = [line for line in err.splitlines() if line.startswith(("rejected ", "partial "))]
    outcome = lines[0][:110] if lines else ("loaded" if proc.returncode == 0 else f"exit {proc.returncode}")
    if "Traceback" in err:
        outcome += "  [TRACEBACK]"
    return outcome, peak, took, proc.returncode


def fuzz(n: int, work: Path) -> None:
    from baocao.ingest import Limits

    meter = PeakMemory(os.getpid())
    started = time.monotonic()
    tally: collections.Counter[str] = collections.Counter()
    slowest = 0.0
    for path, _src, _kind in h.fuzz_cases(n, work / "fuzz"):
        t = time.monotonic()
        o = h.fuzz_outcome(path, Limits(max_seconds=60), 60)
        slowest = max(slowest, time.monotonic() - t)
        tally[o if o.startswith("rejected:") else o.split(":")[0]] += 1
    peak = meter.stop()
    print(f"\nfuzz: {n} mutated files in {time.monotonic() - started:.0f} s, slowest case {slowest:.1f} s, "
          f"peak memory {peak / GB:.2f} GB")
    for outcome, count in tally.most_common():
        print(f"  {count:5d}  {outcome}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fuzz", type=int, default=500)
    ap.add_argument("--only", nargs="*", default=None, help="case names containing these words")
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_hostile_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'case':38} {'peak PSS':>9} {'time':>7}  outcome")
    for name, path, extra in cases(work):
        if args.only and not any(w in name for w in args.only):
            continue
        outcome, peak, took, _code = run_case(path, extra, work)
        flag = "" if peak < 1.5 * GB else "  OVER 1.5 GB"
        print(f"{name:38} {peak / GB:7.2f}GB {took:6.1f}s  {outcome}{flag}", flush=True)
    if args.fuzz:
        fuzz(args.fuzz, work)


if __name__ == "__main__":
    main()
