"""Speed of each reader: text PDF (pages/s), OCR (pages/minute), Word, sheets, LibreOffice conversions.

    .venv/bin/python bench/bench_readers.py            # everything (about two minutes)
    .venv/bin/python bench/bench_readers.py --pages 100 --skip-ocr

The text-PDF figure is measured on a 100-page report made for the purpose: the sample reports'
paragraphs over and over, with a ruled statistical table (merged two-level heading, total row)
every five pages, written by python-docx and exported to PDF by LibreOffice, the way offices
make their PDFs.  It is read by baocao's reader (PDFium text and rules, baocao/ingest/pdf.py) on
one core and, for comparison, by pdfplumber (text lines and its table finder) on the first pages.
"Tables intact" compares every table's cells between the two readers.

OCR is measured on corpus/bc45_duk_lam_dong.scan.pdf (200 dpi, turned, specks): baocao's reader
(pytesseract, one Tesseract run per page plus one per table) and, when the `ocrmypdf` command is
installed, ocrmypdf making a text layer that PDFium then reads.  Times are CPU seconds of this
process and its children where that is what counts (Tesseract and LibreOffice run as children).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(fn):
    wall, cpu, child = time.perf_counter(), time.process_time(), _children_cpu()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu, _children_cpu() - child


def make_long_report(pages: int, workdir: Path) -> Path:
    """A report of about `pages` pages with a statistical table every five pages."""
    from make_report_corpus import TABLE, build_report
    from render_report import TableSpec, render_docx, soffice_convert

    base = build_report()
    paragraphs = [b for b in base.body if isinstance(b, str)]
    r = build_report()
    r.body = []
    # ~3.7 pages of paragraphs per copy of the report's body; a table after each copy
    copies = max(1, round(pages / 3.7))
    for k in range(copies):
        r.body += paragraphs
        if k % 2 == 1:
            r.body.append(TableSpec(f"Biểu {k // 2 + 1}. {TABLE.caption.split('. ', 1)[1]}", TABLE.rows))
    docx_path = workdir / "long.docx"
    render_docx(r, docx_path)
    return soffice_convert(docx_path, "pdf", workdir / "long.pdf", timeout=600)


def bench_text_pdf(pdf_path: Path, plumber_pages: int) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    from baocao.ingest.pdf import extract_pdf

    data = pdf_path.read_bytes()
    n = len(pdfium.PdfDocument(data))
    extract_pdf(data, "warm-up")  # imports and caches out of the measurement
    best = None
    for _ in range(3):
        (contents, _furniture), wall, cpu, _ = _timed(lambda: extract_pdf(data, pdf_path.name))
        best = (wall, cpu) if best is None or cpu < best[1] else best
    tables = [t for c in contents for t in c.tables]
    print(f"text PDF, baocao (PDFium)   {n} pages   wall {best[0]:.3f} s   CPU {best[1]:.3f} s   "
          f"{n / best[1]:.0f} pages/s per core (CPU)   {n / best[0]:.0f} pages/s (wall)   {len(tables)} tables")

    def plumber(pages: list[int], tables: bool):
        out = []
        with pdfplumber.open(pdf_path) as pdf:
            for i in pages:
                page = pdf.pages[i]
                out.append([t.extract() for t in page.find_tables()] if tables else [])
                page.extract_text_lines()
                page.close()
        return out

    _, wall, cpu, _ = _timed(lambda: plumber(list(range(plumber_pages)), True))
    print(f"text PDF, pdfplumber        {plumber_pages} pages    wall {wall:.3f} s   CPU {cpu:.3f} s   "
          f"{plumber_pages / cpu:.1f} pages/s per core (CPU; text lines and table finder)")
    # tables intact: every page with a table read by pdfplumber too, cell by cell
    table_pages = [i for i, page in enumerate(contents) if page.tables]
    plumber_tables, wall, cpu, _ = _timed(lambda: plumber(table_pages, True))
    ours = [[nfc(contents[i].text[c.start : c.end]) for c in sorted(t.cells, key=lambda c: (c.row, c.col))]
            for i in table_pages for t in contents[i].tables]
    theirs = [[nfc(" ".join((cell or "").split())) for row in t for cell in row if cell is not None]
              for page_tables in plumber_tables for t in page_tables]
    same = sum(1 for a, b in zip(ours, theirs, strict=False) if [x for x in a if x] == [x for x in b if x])
    print(f"tables intact: {same} of {len(theirs)} tables have the same cells in both readers "
          f"({len(table_pages)} pages with tables; pdfplumber on those pages alone: {len(table_pages) / cpu:.1f} pages/s)")


def nfc(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", s)


def bench_ocr(scan: Path) -> None:
    import pypdfium2 as pdfium

    from baocao.ingest.pdf import extract_pdf

    data = scan.read_bytes()
    n = len(pdfium.PdfDocument(data))
    (contents, _), wall, cpu, child = _timed(lambda: extract_pdf(data, scan.name))
    conf = [c.ocr_confidence for c in contents if c.ocr_confidence]
    print(f"OCR, baocao (pytesseract)   {n} pages   wall {wall:.1f} s   CPU {cpu + child:.1f} s "
          f"(Tesseract {child:.1f} s)   {60 * n / (cpu + child):.1f} pages/min per core   "
          f"{60 * n / wall:.1f} pages/min (wall)   mean word confidence {sum(conf) / len(conf):.1f}")
    exe = shutil.which("ocrmypdf")
    if not exe:
        print("OCR, ocrmypdf               not installed (apt-get install ocrmypdf to compare)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ocr.pdf"
        cmd = [exe, "-q", "-l", "vie", "--deskew", "--clean" if shutil.which("unpaper") else "--force-ocr",
               "--force-ocr", "--jobs", "1", "--output-type", "pdf", str(scan), str(out)]
        cmd = list(dict.fromkeys(cmd))
        _, wall, cpu, child = _timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
        (contents2, _), w2, c2, _ = _timed(lambda: extract_pdf(out.read_bytes(), "ocr.pdf"))
        print(f"OCR, ocrmypdf + PDFium      {n} pages   wall {wall + w2:.1f} s   CPU {cpu + child + c2:.1f} s   "
              f"{60 * n / (cpu + child + c2):.1f} pages/min per core   (no word confidences, "
              f"{sum(len(c.tables) for c in contents2)} tables from its text layer)")


def bench_office() -> None:
    from baocao.ingest import read_document

    stem = ROOT / "corpus" / "bc45_duk_lam_dong"
    for ext in ("docx", "xlsx", "doc", "rtf", "odt"):
        path = Path(f"{stem}.{ext}")
        read_document(path) if ext in ("docx", "xlsx") else None  # warm-up for the in-process readers
        doc, wall, cpu, child = _timed(lambda p=path: read_document(p))
        how = "LibreOffice + python-docx" if ext in ("doc", "rtf", "odt") else "openpyxl" if ext == "xlsx" else "python-docx"
        print(f"{ext:5s} ({how:26s}) wall {wall:6.3f} s   CPU {cpu + child:6.3f} s   {len(doc.text):6d} chars   "
              f"{len(doc.tables)} table(s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--plumber-pages", type=int, default=20, help="pages read by pdfplumber for the comparison")
    ap.add_argument("--skip-ocr", action="store_true")
    ap.add_argument("--skip-office", action="store_true")
    a = ap.parse_args()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp:
        pdf = make_long_report(a.pages, Path(tmp))
        bench_text_pdf(pdf, a.plumber_pages)
    if not a.skip_ocr:
        bench_ocr(ROOT / "corpus" / "bc45_duk_lam_dong.scan.pdf")
    if not a.skip_office:
        bench_office()
    peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(f"peak RSS {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
