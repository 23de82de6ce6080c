"""How fast the review app filters: a DuckDB store of 10,000 figures, real HTTP requests to
`baocao serve`'s app on a uvicorn server on 127.0.0.1, the time of each page as a browser waits for it.

    .venv/bin/python bench/bench_web.py [--figures 10000] [--rounds 5] [--db PATH]

The store is made from the corpus/ documents, read and extracted once, then copied into
synthetic documents (other provinces, subjects, years and values; the text and the spans stay
real) until it holds the asked number of figures; the organization stage runs on it as in the
flow. Each request is timed `--rounds` times after one warm-up; the median and the worst are
printed. Not a test: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx
import pandas as pd
import uvicorn

from baocao.files import expand
from baocao.ingest import IngestError, read_document
from baocao.organizations import organize
from baocao.resolve import resolve
from baocao.store import open_store
from baocao.web import ServeSettings, create_app
from extractors import extract
from extractors.rules import load_rules

PROVINCES = ["Quảng Trị", "Bắc Giang", "Hải Dương", "Cần Thơ", "Quảng Nam", "Bình Phước", "Lâm Đồng", "Thái Bình"]
UNITS = ["Đảng bộ Khối Doanh nghiệp tỉnh", "Đảng bộ huyện Tân Phú", "Chi bộ Công ty Cổ phần An Bình",
         "Đảng bộ xã Mỹ Hưng", "Đảng bộ Công an tỉnh"]


def synthetic_store(path: Path, n_figures: int) -> int:
    rules = load_rules()
    base = []
    for p in expand([str(ROOT / "corpus")]):
        try:
            doc = read_document(p)
        except IngestError:
            continue
        base.append((doc, resolve(doc, extract(doc.text, rules), rules)))
    rng = random.Random(13)
    loaded = 0
    with open_store(path) as store:
        copy = 0
        while loaded < n_figures:
            for doc, ex in base:
                if loaded >= n_figures or not ex.figures:
                    continue
                copy += 1
                province = PROVINCES[copy % len(PROVINCES)]
                year = 2018 + copy % 8
                new_id = hashlib.sha256(f"{doc.id}|{copy}".encode()).hexdigest()
                figures = [
                    f.model_copy(update={
                        "province": province,
                        "subject": f"{UNITS[(copy + i) % len(UNITS)]} {province}" if f.subject else None,
                        "value": float(max(1, round(f.value * rng.uniform(0.8, 1.25)))),
                        "period_start": dt.date(year, 1, 1) if f.period_start else None,
                        "period_end": dt.date(year, 12, 31) if f.period_end else None,
                        "confidence": rng.choice([1.0, 1.0, 0.9, 0.7, 0.5]),
                    })
                    for i, f in enumerate(ex.figures[: n_figures - loaded])
                ]
                clone = doc.model_copy(update={"id": new_id, "path": f"synthetic/{copy:05d}_{doc.name}",
                                               "name": f"{copy:05d}_{doc.name}"})
                info = ex.info.model_copy(update={"province": province})
                store.load_document(clone, ex.model_copy(update={"figures": figures, "info": info}))
                loaded += len(figures)
        organize(store)
        return int(store.counts()["figures"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--figures", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", type=Path, help="reuse (or keep) this store instead of a temporary one")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.duckdb"
    if not db.exists():
        t = time.perf_counter()
        n = synthetic_store(db, args.figures)
        print(f"store: {n:,} figures in {db} ({time.perf_counter() - t:.1f} s to build)")
    else:
        with open_store(db) as store:
            print(f"store: {store.counts()['figures']:,} figures in {db} (reused)")

    port = free_port()
    app = create_app(ServeSettings(db=str(db), port=port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with open_store(db) as store:
        org = store.fetch_df("SELECT organization_id FROM figure_facts WHERE organization_id IS NOT NULL "
                             "GROUP BY organization_id ORDER BY COUNT(*) DESC LIMIT 1")["organization_id"][0]
    cases = [
        ("explorer, no filter, 100 rows", "/figures", {}),
        ("province + object, 100 rows", "/figures", {"province": "Bắc Giang", "object": "party_member"}),
        ("organization + level + years", "/figures", {"organization_id": org, "level": "grassroots",
                                                       "year_from": 2020, "year_to": 2023}),
        ("confidence < 0.6, least sure first", "/figures", {"max_confidence": 0.59, "sort": "confidence"}),
        ("words in the sentence (LIKE)", "/figures", {"q": "kết nạp"}),
        ("1,000 rows on one page (the most it shows)", "/figures", {"per_page": 1000}),
        ("CSV export of all 10,000", "/figures.csv", {}),
        ("CSV export of a province", "/figures.csv", {"province": "Bắc Giang"}),
    ]
    print(f"{'request':44} {'rows':>7} {'median s':>9} {'worst s':>8} {'KiB':>8}")
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path, params in cases:
            url = path + ("?" + urlencode(params) if params else "")
            client.get(url)  # warm-up
            times = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                r = client.get(url)
                times.append(time.perf_counter() - t)
                r.raise_for_status()
            if path == "/figures":
                rows = r.text.count('class="figure-link"')
            else:
                rows = len(pd.read_csv(io.BytesIO(r.content), encoding="utf-8-sig"))
            print(f"{name:44} {rows:>7,} {statistics.median(times):>9.3f} {max(times):>8.3f} {len(r.content) / 1024:>8.0f}")
    server.should_exit = True
    thread.join(timeout=10)


if __name__ == "__main__":
    main()
