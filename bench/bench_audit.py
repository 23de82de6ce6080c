"""How the audit scales: 10k, 30k and 100k synthetic facts made from the real dev figures.

    .venv/bin/python bench/bench_audit.py [--sizes 10000 30000 100000] [--dev ../shared/eval/dev/docs]

Each dev document's figure list (with its breakdown links, quotes and sentences) is replicated
over synthetic subjects, provinces and years with perturbed values: a few parts that no longer
add up, a few conflicting restatements across documents, a few jumps in a series, and a few
republished copies. Every synthetic document gets its own text (its sentences plus filler words),
so the duplicate finder does real work. The audit core (`audit_frames`) runs on each size; the
time per fact should stay flat if the grouping is linear. Not a test: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baocao.audit import audit_frames
from baocao.audit.facts import FIGURE_COLUMNS
from extractors import extract
from extractors.rules import load_rules

PROVINCES = ["Quảng Trị", "Bắc Giang", "Hải Dương", "Cần Thơ", "Quảng Nam", "Bình Phước", "Lâm Đồng", "Thái Bình"]
SYLLABLES = ["Tân", "An", "Phú", "Hòa", "Bình", "Thạnh", "Long", "Mỹ", "Hưng", "Phước", "Đông", "Tây", "Nam", "Bắc"]
FILLER_TEXT = (
    "công tác xây dựng đảng trong doanh nghiệp được quan tâm lãnh đạo chỉ đạo thường xuyên cấp ủy chính quyền "
    "mặt trận tổ quốc đoàn thể nhân dân phối hợp tuyên truyền vận động quần chúng ưu tú người lao động tham gia "
    "học tập quán triệt nghị quyết chỉ thị kết luận của trung ương tỉnh ủy huyện ủy nâng cao chất lượng sinh hoạt"
)


def dev_templates(dev: Path) -> list[list[dict[str, Any]]]:
    """Each dev document's figures as row templates (fields the store keeps), breakdown links included."""
    templates = []
    rules = load_rules()
    for path in sorted(dev.glob("*.txt")):
        figures = extract(path.read_text(encoding="utf-8"), rules).figures
        if figures:
            templates.append([f.model_dump() for f in figures])
    return templates


def synthesize(templates: list[list[dict[str, Any]]], n_facts: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(figures, documents, texts) with about n_facts figures."""
    rng = random.Random(seed)
    filler = FILLER_TEXT.split()
    fig_rows: list[dict[str, Any]] = []
    doc_rows: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    base_load = dt.datetime(2025, 1, 1)
    k = 0
    n_docs = 0

    def add_doc(template: list[dict[str, Any]], subject: str, province: str, year: int, scale: float, text: str) -> None:
        nonlocal n_docs
        doc_id = hashlib.sha1(f"doc{n_docs}".encode()).hexdigest()
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for seq, t in enumerate(template):
            value = float(t["value"]) * scale
            if rng.random() < 0.005:  # a typo: a part that no longer adds up, a jump in a series
                value *= rng.choice([0.5, 1.3, 3.0])
            fig_rows.append({
                "id": hashlib.sha1(f"{doc_id}|{seq}".encode()).hexdigest(), "doc_id": doc_id, "seq": seq, "page": 1,
                "start_offset": t["start"], "end_offset": t["end"], "quote": t["quote"], "sentence": t["sentence"],
                "sentence_start": t["sentence_start"], "object": t["object"], "event": t["event"],
                "value": float(round(value)), "qualifier": t["qualifier"], "target": t["target"], "subject": subject,
                "period_start": start, "period_end": end, "segment": t.get("segment"), "parent": t["parent"],
                "province": province,
            })
        doc_rows.append({
            "id": doc_id, "path": f"synthetic/{n_docs}.txt", "name": f"synthetic_{n_docs}.txt", "province": province,
            "doc_date": end, "loaded_at": base_load + dt.timedelta(seconds=n_docs), "duplicate_of": None,
            "text_length": None,
        })
        texts[doc_id] = text
        n_docs += 1

    while len(fig_rows) < n_facts:
        t_no = k % len(templates)
        template = templates[t_no]
        # Each synthetic subject reports once a year for 8 years; its values grow 3% a year.
        subject_no, year_no = divmod(k // len(templates), 8)
        year = 2016 + year_no
        subject = f"Đảng bộ xã {SYLLABLES[subject_no % len(SYLLABLES)]} {t_no}-{subject_no}"
        province = PROVINCES[subject_no % len(PROVINCES)]
        scale = 1.0 + 0.03 * year_no
        sentences = "\n".join(dict.fromkeys(t["sentence"] for t in template))

        def own_text(subject: str = subject, year: int = year, sentences: str = sentences) -> str:
            return " ".join(rng.choice(filler) for _ in range(150)) + f" {subject} {year}\n{sentences}"

        if doc_rows and rng.random() < 0.02:  # a republished copy of an earlier document
            add_doc(template, subject, province, year, scale, "Đăng lại\n" + texts[rng.choice(doc_rows)["id"]])
        else:
            add_doc(template, subject, province, year, scale, own_text())
        if rng.random() < 0.01:  # another report of the same year that states other values
            add_doc(template, subject, province, year, scale * 1.3, own_text())
        k += 1
    figures = pd.DataFrame.from_records(fig_rows, columns=list(FIGURE_COLUMNS))
    return figures, pd.DataFrame.from_records(doc_rows), texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "docs")
    args = ap.parse_args()

    templates = dev_templates(args.dev)
    print(f"{sum(map(len, templates))} real figures in {len(templates)} dev documents as templates")
    print(f"{'facts':>8} {'docs':>7} {'seconds':>8} {'facts/s':>9} {'µs/fact':>8}  findings by rule")
    for size in args.sizes:
        figures, documents, texts = synthesize(templates, size)
        t0 = time.perf_counter()
        result = audit_frames(figures, documents, texts=texts)
        seconds = time.perf_counter() - t0
        rules = Counter(f.rule for f in result.findings)
        print(
            f"{len(figures):>8} {len(documents):>7} {seconds:>8.2f} {len(figures) / seconds:>9.0f} "
            f"{1e6 * seconds / len(figures):>8.1f}  {dict(rules.most_common())} copies={len(result.duplicates)}"
        )


if __name__ == "__main__":
    main()
