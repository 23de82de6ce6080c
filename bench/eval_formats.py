"""Do the other formats give the text's figures?  Render dev documents as Party-format reports in
.docx, .pdf and scanned .pdf, and score each format with ../shared/eval/score.py against the
gold of its text version.

    .venv/bin/python bench/eval_formats.py                 # all dev documents; scans of 12 of them
    .venv/bin/python bench/eval_formats.py --scans 0 --docs 30

Each dev text becomes a report (tools/render_report.py): a header the text does not have
(TỈNH ỦY <province> / BAN TỔ CHỨC, Số N-BC/BTCTU, "<Province>, ngày d tháng m năm y", BÁO CÁO,
the text's first line as the title) and, after its first paragraph, a statistical table built
from the document's own gold figures ("STT | Chỉ tiêu | Số lượng", one row per stock or flow
figure, its label the gold quote without the number, led by the event's word where the quote
has none: Kết nạp, Thành lập mới, Bồi dưỡng, Kiểm tra, Giám sát).  The text version is the same
report as text; its gold is the dev gold (the table repeats figures the text states) with the
header's date as doc_date.  Printed per format: score.py's lines, the header-date hit rate, and
the F1 of the figures read from the table's cells against the rows the table was built from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
EVAL = ROOT.parent / "shared" / "eval"

from render_report import Report, TableSpec, parse_report, render_docx, render_scan, text_of

EVENT_WORDS = {"admitted": "Kết nạp", "established": "Thành lập mới", "trained": "Bồi dưỡng", "inspected": "Kiểm tra",
               "supervised": "Giám sát", "total": ""}
# A table names what a row counts; where the quote's noun only names it in its sentence's context
# ("110 quần chúng" trained, "62.103 đoàn viên" of trade unions), the row says it as a table would.
CONTEXT_NOUNS = {"trainee": ("học viên", "Học viên"), "trade_union_member": ("công đoàn", "Đoàn viên công đoàn")}
QUALIFIER_WORDS = re.compile(r"\b(?:gần|khoảng|xấp xỉ|trên|hơn|từ|ít nhất|dưới|chưa đến|bình quân|trung bình|được|có)\b\s*",
                             re.IGNORECASE)


def vi_number(v: float) -> str:
    return f"{int(v):,}".replace(",", ".")


def table_of(gold: dict) -> tuple[TableSpec | None, set[tuple]]:
    """An indicator table of the document's stock and flow figures, and the keys it states."""
    rows, keys = [], set()
    for f in gold["figures"]:
        if f.get("optional") or f["event"] not in EVENT_WORDS or f["target"] or f["qualifier"] != "exact":
            continue
        key = (f["object"], f["event"], float(f["value"]))
        if key in keys or not float(f["value"]).is_integer():
            continue
        label = re.sub(r"\d[\d.,/]*(?:\s*\([^)]*\))?", " ", f["quote"])
        label = QUALIFIER_WORDS.sub(" ", label)
        label = " ".join(label.replace("\n", " ").split()).strip(" ,;:-")
        if not label:
            continue
        noun = CONTEXT_NOUNS.get(f["object"])
        if noun and noun[0] not in label.lower():
            label = f"{noun[1]} ({label})"
        word = EVENT_WORDS[f["event"]]
        if word and word.split()[0].lower() not in label.lower():
            label = f"{word} {label[0].lower()}{label[1:]}"
        else:
            label = label[0].upper() + label[1:]
        rows.append([str(len(rows) + 1), label, vi_number(f["value"])])
        keys.add(key)
    if len(rows) < 2:
        return None, set()
    return TableSpec("Biểu 1. Một số chỉ tiêu chủ yếu", [["STT", "Chỉ tiêu", "Số lượng"], *rows]), keys


def report_of(name: str, text: str, gold: dict, rng: random.Random) -> tuple[Report, dt.date, set[tuple]]:
    r = parse_report(text)
    if not r.doc_type:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), name)
        r.title = [first[:200]]
        r.doc_type = "BÁO CÁO"
    province = gold.get("province")
    date = dt.date.fromisoformat(gold["doc_date"][:10]) if gold.get("doc_date") else dt.date(
        rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28))
    place = province or "Hà Nội"
    issuer_parent = f"TỈNH ỦY {province.upper()}" if province else "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TRUNG ƯƠNG"
    r.header_left = [issuer_parent, "BAN TỔ CHỨC", "*", f"Số {rng.randint(10, 99)}-BC/BTCTU"]
    r.header_right = ["ĐẢNG CỘNG SẢN VIỆT NAM", f"{place}, ngày {date.day:02d} tháng {date.month:02d} năm {date.year}"]
    table, keys = table_of(gold)
    if table is not None:
        at = next((i for i, b in enumerate(r.body) if isinstance(b, str) and len(b) > 80), 0)
        r.body.insert(at + 1, table)
    symbol = r.header_left[3].split(" ", 1)[1]
    return r, date, keys, symbol


def score(gold_dir: Path, pred: Path) -> list[str]:
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), str(gold_dir), str(pred)], capture_output=True, text=True,
                         check=True).stdout
    return [ln for ln in out.splitlines() if ln.startswith(("documents", "figure ", "doc_ref", "date ", "attribute"))]


def extract_jsonl(paths: list[Path], out: Path) -> None:
    with out.open("w") as f:
        subprocess.run([str(ROOT / ".venv" / "bin" / "baocao"), "extract", "--jsonl", *map(str, paths)], check=False, stdout=f,
                       stderr=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=0, help="only the first N dev documents (0: all)")
    ap.add_argument("--scans", type=int, default=12, help="scanned copies of the N shortest documents")
    ap.add_argument("--keep", type=Path, help="keep the renderings in this folder")
    a = ap.parse_args()
    rng = random.Random(2025)
    docs = sorted((EVAL / "dev" / "docs").glob("*.txt"))
    if a.docs:
        docs = docs[: a.docs]
    work = Path(tempfile.mkdtemp(prefix="eval-formats-"))
    formats = {"txt": work / "txt", "docx": work / "docx", "pdf": work / "pdf", "scan": work / "scan"}
    for d in formats.values():
        d.mkdir()
    gold_dirs = {k: work / f"gold_{k}" for k in formats}
    for d in gold_dirs.values():
        d.mkdir()
    dates: dict[str, dt.date] = {}
    table_keys: dict[str, set[tuple]] = {}
    for path in docs:
        gold = json.loads((EVAL / "dev" / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        r, date, keys, symbol = report_of(path.stem, path.read_text(encoding="utf-8"), gold, rng)
        # the header's own number and date are a doc_ref and a date of the report (GUIDE.md)
        gold = dict(gold, doc_refs=[*gold.get("doc_refs", []), {"ref": symbol, "doc_type": "Báo cáo", "quote": symbol}],
                    dates=[*gold.get("dates", []), {"date": date.isoformat(), "quote": "place-date line"}])
        dates[path.stem], table_keys[path.stem] = date, keys
        (formats["txt"] / f"{path.stem}.txt").write_text(text_of(r), encoding="utf-8")
        render_docx(r, formats["docx"] / f"{path.stem}.docx")
        for fmt, suffix in (("txt", ".txt"), ("docx", ".docx"), ("pdf", ".pdf"), ("scan", ".pdf")):
            g = dict(gold, doc=f"{path.stem}{suffix}", doc_date=date.isoformat())
            (gold_dirs[fmt] / f"{path.stem}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    # one LibreOffice run for all PDFs
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(formats["pdf"]), *map(str, sorted(formats["docx"].glob("*.docx")))],
                       check=True, capture_output=True, timeout=3600)
    shortest = sorted(docs, key=lambda p: p.stat().st_size)[: a.scans]
    for path in shortest:
        render_scan(formats["pdf"] / f"{path.stem}.pdf", formats["scan"] / f"{path.stem}.pdf", seed=len(path.stem))
    scanned = {p.stem for p in shortest}
    for stem in list(gold_dirs["scan"].glob("*.json")):
        if stem.stem not in scanned:
            stem.unlink()
    print(f"{len(docs)} dev documents rendered as .txt/.docx/.pdf, {len(shortest)} scanned; work folder {work}")
    for fmt, folder in formats.items():
        files = sorted(folder.iterdir())
        if not files:
            continue
        pred = work / f"pred_{fmt}.jsonl"
        extract_jsonl(files, pred)
        print(f"\n== {fmt} ({len(files)} documents)")
        for line in score(gold_dirs[fmt], pred):
            print("   " + line)
        lines = [json.loads(x) for x in pred.read_text(encoding="utf-8").splitlines() if x.strip()]
        hits = sum(1 for x in lines if x["kind"] == "document" and x.get("doc_date") == dates[Path(x["doc"]).stem].isoformat())
        print(f"   header date found: {hits}/{len(files)} = {hits / len(files):.3f}")
        tp = fp = fn = 0
        for f in files:
            want = table_keys[f.stem]
            got = {(x["object"], x["event"], float(x["value"])) for x in lines
                   if x["kind"] == "figure" and x["doc"] == f.name and "cell" in x}
            tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"   table figures: P {tp / max(1, tp + fp):.3f}  R {tp / max(1, tp + fn):.3f}  F1 {f1:.3f}   "
              f"(tp {tp}, fp {fp}, fn {fn})")
    if scanned:
        # the scans are the shortest documents: their text version on its own, for comparison
        subset = work / "gold_txt_scanned"
        subset.mkdir()
        for g in gold_dirs["scan"].glob("*.json"):
            shutil.copy(gold_dirs["txt"] / g.name, subset / g.name)
        print(f"\n== txt of the {len(scanned)} scanned documents")
        for line in score(subset, work / "pred_txt.jsonl"):
            print("   " + line)
    if a.keep:
        shutil.copytree(work, a.keep, dirs_exist_ok=True)
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
