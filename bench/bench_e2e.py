"""End to end: `baocao run` on N distinct documents, and again on the unchanged corpus.

    .venv/bin/python bench/bench_e2e.py                  # N = 100 and 1,000
    .venv/bin/python bench/bench_e2e.py --big            # and 10,000
    .venv/bin/python bench/bench_e2e.py --sizes 300 --db postgresql://…   # PostgreSQL store
    .venv/bin/python bench/bench_e2e.py --big --repeat 3   # three rounds per size: the median overhead

The documents are built from the real dev texts (../shared/eval/dev/docs, else corpus/): each
copy has its counts perturbed and a header line of its own, so every file has other bytes (a
document id of its own) and nothing is cached from an earlier run. Each run is a fresh
`baocao run` process, as a user starts it; the script samples its process tree (the flow, its
worker processes, Prefect's server) and prints, per N:

- wall time, CPU time of the whole tree (and so how many cores were busy), documents per second,
  peak memory of the tree (the sum of its processes' PSS, so that pages a forked child shares
  with its parent count once), the time to the first line of progress;
- seconds per document in each stage, as the run's summary reports them (ingest, extract, rows in
  the workers; load and audit in the flow's process);
- orchestration: the wall time of the same work driven without Prefect (the same batch
  functions on a plain process pool, the same store code: `--plain`) subtracted from the run's;
  its share of the wall time is Prefect's overhead;
- the second run on the unchanged corpus (nothing is read; the audit runs again).

Two runs of the same work on a shared VM differ by up to a tenth: `--repeat R` measures R rounds per
size, each on documents of its own (a first run must find nothing in Prefect's cache), the run with
Prefect and the one without taking turns at going first, and gives the median of the rounds' overheads.

On a shared machine the wall clock includes time taken by other programs: the load average
before each run is printed beside it, and the CPU time shows what the run itself cost.
Without PREFECT_API_URL, each run starts Prefect's temporary server (part of its time);
`--server` starts one server for all runs instead (the README's set-up for repeated runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAOCAO = Path(sys.executable).with_name("baocao")

# A count as reports write it ("4.989 đảng viên", "52 tổ chức"), not a year, a date or a symbol.
_COUNT = re.compile(r"(?<![\d/.,\-])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d/.,\-]\d)(?=\s+[^\W\d_])")


def _perturbed(text: str, rng: random.Random) -> str:
    def change(m: re.Match) -> str:
        value = int(m.group(1).replace(".", ""))
        if 1900 <= value <= 2100 or value == 0:
            return m.group(1)
        value = max(1, value + rng.randint(-max(1, value // 10), max(1, value // 10)))
        return f"{value:,}".replace(",", ".") if value >= 1000 else str(value)

    return _COUNT.sub(change, text)


def build_corpus(dst: Path, n: int, nonce: str) -> int:
    dev = ROOT.parent / "shared" / "eval" / "dev" / "docs"
    sources = sorted(p for p in dev.glob("*.txt")) or sorted((ROOT / "corpus").glob("*.txt"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    rng = random.Random(nonce)
    dst.mkdir(parents=True)
    size = 0
    for i in range(n):
        j = i % len(texts)
        body = _perturbed(texts[j], rng)
        data = f"Bản tin số {i + 1} ({nonce})\n\n{body}".encode()
        (dst / f"{i:05d}_{sources[j].name}").write_bytes(data)
        size += len(data)
    return size


@dataclass
class Sample:
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss: int = 0
    first_line: float | None = None
    returncode: int = 0
    cores: list[float] = field(default_factory=list)  # busy share of each core over the run (whole machine)
    load: float = 0.0
    stderr_tail: str = ""


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                # PSS: a forked reading child shares its parent's pages; RSS would count them twice.
                total += p.memory_full_info().pss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def measure(cmd: list[str], env: dict[str, str], server_pid: int | None = None) -> Sample:
    """Run `cmd` to its end, sampling its process tree's memory; CPU from the rusage of its children
    (and of the shared Prefect server, when the runs use one)."""
    import psutil

    s = Sample(load=os.getloadavg()[0])
    server = psutil.Process(server_pid) if server_pid else None
    server_cpu = sum(server.cpu_times()[:2]) if server else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cores_before = psutil.cpu_times(percpu=True)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if s.first_line is None:
                s.first_line = time.perf_counter() - started
            lines.append(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        # Reading the PSS of a tree of model-laden processes costs some 40 ms of CPU: sampled at
        # most a tenth of the time, so that the sampler takes little from the run on two cores.
        t = time.perf_counter()
        s.peak_rss = max(s.peak_rss, _tree_rss(ps))
        time.sleep(max(0.5, 10 * (time.perf_counter() - t)))
    s.wall = time.perf_counter() - started
    reader.join(timeout=10)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    s.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if server is not None:
        s.cpu += sum(server.cpu_times()[:2]) - server_cpu
    for b, a in zip(cores_before, psutil.cpu_times(percpu=True), strict=True):
        idle = (a.idle + getattr(a, "iowait", 0)) - (b.idle + getattr(b, "iowait", 0))
        total = sum(a) - sum(b)
        s.cores.append(1 - idle / total if total else 0.0)
    s.returncode = proc.returncode
    s.stderr_tail = "".join(lines[-15:])
    return s


def plain_run(docs: str, db: str, workers: int, audit: bool) -> None:
    """The work of `baocao run` without Prefect: the same batch functions and store code on a plain
    process pool. Only for measuring what orchestration costs."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from baocao.files import expand
    from baocao.store import open_store
    from pipeline import work

    version = work.rules_fingerprint()
    files = [str(p) for p in expand([docs])]
    with open_store(db) as store:
        rows = store.fetch_df("SELECT id, extractor_version FROM documents WHERE status = 'loaded'")
        loaded = {i for i, v in zip(rows["id"], rows["extractor_version"], strict=True) if v == version}
        plan = work.plan(files, loaded)
        batches = list(work.batches(plan.to_read, workers))
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=work.warm_up) as pool:
            for future in as_completed([pool.submit(work.read_batch, b, version) for b in batches]):
                batch = future.result()
                store.load_batch(batch.rows)
                store.record_rejections(batch.rejections)
        from baocao.organizations import organize

        organize(store)  # the organizations stage, as the flow runs it
        if audit:
            from baocao.audit import run_audit

            out = Path(tempfile.mkdtemp(prefix="bench_plain_"))
            run_audit(store, html_path=out / "audit.html", csv_path=out / "audit.csv")


def _fresh_db(db: str | None, work_dir: Path, label: str) -> str:
    if db is None:
        return str(work_dir / f"{label}.duckdb")
    import psycopg

    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    from urllib.parse import quote

    sep = "&" if "?" in db else "?"
    return f"{db}{sep}options={quote(f'-csearch_path={schema}')}"


def _row(label: str, n: int, s: Sample, summary: dict | None) -> str:
    busy = s.cpu / s.wall if s.wall else 0.0
    first = f"{s.first_line:5.1f}" if s.first_line is not None else "  -  "
    loaded = summary["loaded"] if summary else 0
    return (f"{label:<13} {n:>6,} {s.wall:8.1f} {s.cpu:8.1f} {busy:5.2f} {n / s.wall:7.1f} {s.peak_rss / 2**20:8.0f} "
            f"{first} {loaded:>7,} {s.load:5.1f}  " + " ".join(f"{c:4.0%}" for c in s.cores))


def _summary(path: Path) -> dict | None:
    """What a run wrote with --summary-json (None when it wrote nothing: it failed before)."""
    return json.loads(path.read_text()) if path.exists() else None


def _checked(label: str, n: int, s: Sample) -> Sample:
    if s.returncode not in (0, 1):
        print(f"!! {label} run of {n} exited {s.returncode}:\n{s.stderr_tail}", file=sys.stderr)
    return s


def _stages_line(n: int, nbytes: int, rounds: list[tuple[Sample, dict | None, Sample | None]]) -> str:
    """CPU per document and stage (the median first run's summary), and what Prefect adds: the wall
    time of each round's first run less its run without Prefect, their median over the rounds."""
    _, summary, _ = sorted(rounds, key=lambda r: r[0].wall)[len(rounds) // 2]
    line = f"N={n:,} ({nbytes / n / 1024:.1f} KiB/doc)"
    if summary:
        line += " CPU ms per document: " + "  ".join(f"{k} {1000 * v / n:6.1f}" for k, v in summary["seconds"].items())
    paired = [(f, p) for f, _, p in rounds if p is not None]
    if paired:
        over = statistics.median(f.wall - p.wall for f, p in paired)
        share = statistics.median((f.wall - p.wall) / f.wall for f, p in paired)
        cpu = statistics.median(f.cpu - p.cpu for f, p in paired)
        each = ", ".join(f"{f.wall - p.wall:+.1f}" for f, p in paired)
        line += (f"; orchestration (wall, against the run without Prefect{'' if len(paired) == 1 else ', median of ' + each + ' s'})"
                 f" {1000 * over / n:6.1f} ms/doc ({share:.0%} of wall), CPU {1000 * cpu / n:6.1f}")
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000", help="comma-separated numbers of documents")
    ap.add_argument("--big", action="store_true", help="also 10,000 documents (about 10 minutes)")
    ap.add_argument("--db", default=None, help="PostgreSQL URL (default: a fresh DuckDB file per size)")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-plain", action="store_true", help="skip the run without Prefect (no overhead figure)")
    ap.add_argument("--server", action="store_true", help="one Prefect server for all runs (PREFECT_API_URL)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and databases")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds per size, each on documents of its own: the orchestration figure is their median")
    ap.add_argument("--plain-run", nargs=4, metavar=("DOCS", "DB", "WORKERS", "AUDIT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.plain_run:
        docs, db, workers, audit = a.plain_run
        plain_run(docs, db, int(workers), audit == "1")
        return

    if a.repeat < 1:
        ap.error("--repeat takes 1 or more rounds")
    sizes = [int(x) for x in a.sizes.split(",") if x]
    if a.big and 10_000 not in sizes:
        sizes.append(10_000)
    workers = a.workers or os.cpu_count() or 1
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    server = None
    if a.server and not env.get("PREFECT_API_URL"):
        sys.path.insert(0, str(ROOT))
        from pipeline.server import TemporaryServer

        server = TemporaryServer()
        server.wait_ready()
        env["PREFECT_API_URL"] = server.api_url
    work_dir = Path(tempfile.mkdtemp(prefix="bench_e2e_"))
    nonce = uuid.uuid4().hex[:8]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; workers {workers}; "
          f"store {'PostgreSQL' if a.db else 'DuckDB'}; Prefect API: "
          f"{'one server for all runs' if 'PREFECT_API_URL' in env else 'a temporary server per run'}")
    header = (f"{'run':<13} {'docs':>6} {'wall s':>8} {'CPU s':>8} {'cores':>5} {'docs/s':>7} {'peak MiB':>8} "
              f"{'1st s':>5} {'loaded':>7} {'load':>5}  per-core busy")
    rows: list[str] = []
    details: list[str] = []
    try:
        for n in sizes:
            server_pid = server.process.pid if server else None
            rounds: list[tuple[Sample, dict | None, Sample | None]] = []  # (first run, its summary, run without Prefect)
            done = len(rows)
            for r in range(a.repeat):
                # Each round reads documents of its own: a first run must find nothing in Prefect's cache.
                docs = work_dir / f"docs_{n}_{r}"
                nbytes = build_corpus(docs, n, f"{nonce}-{n}-{r}")
                summary_path = work_dir / f"summary_{n}_{r}.json"
                cmd = [str(BAOCAO), "run", str(docs), "--db", _fresh_db(a.db, work_dir, f"n{n}r{r}"), "--workers",
                       str(workers), "--summary-json", str(summary_path)]
                first = summary = plain = None
                # The two runs swap places every round, so that neither always meets the colder machine.
                for what in ("first", "plain") if r % 2 == 0 else ("plain", "first"):
                    if what == "first":
                        first = _checked("first", n, measure(cmd, env, server_pid))
                        summary = _summary(summary_path)
                        rows.append(_row("first run", n, first, summary))
                    elif not a.no_plain:
                        plain = _checked("plain", n, measure(
                            [sys.executable, __file__, "--plain-run", str(docs), _fresh_db(a.db, work_dir, f"p{n}r{r}"),
                             str(workers), "1"], env))
                        rows.append(_row("no Prefect", n, plain, {"loaded": n}))
                assert first is not None
                rounds.append((first, summary, plain))
                if r == a.repeat - 1:
                    second = _checked("second", n, measure(cmd, env, server_pid))
                    summary2 = _summary(summary_path)
                    rows.append(_row("second run", n, second, summary2))
                elif not a.keep:
                    shutil.rmtree(docs, ignore_errors=True)
            details.append(_stages_line(n, nbytes, rounds))
            print(header, *rows[done:], sep="\n", flush=True)
    finally:
        if server is not None:
            server.stop()
        if not a.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            print(f"kept {work_dir}")
    print()
    print(header, *rows, sep="\n")
    print(*details, sep="\n")


if __name__ == "__main__":
    main()
