"""Build corpus/bc45_duk_lam_dong.* : a report of the Đảng ủy Khối Doanh nghiệp tỉnh Lâm Đồng in
the Party document format, in every format archives hold, from the figures of corpus/003 (the
same report as sample text: 95 members admitted at 118,75% of plan, 11 of them in non-state
enterprises, 110 trainees of which 13 from non-state enterprises, 2 new party cells).

    .venv/bin/python tools/make_report_corpus.py

Writes .txt (the text version: header lines, the table as "cell | cell" rows), .docx (header
and signature in borderless two-column tables, a statistical table with a merged two-level
heading and a total row), .pdf (LibreOffice's export), .scan.pdf (200 dpi, turned 0.8°, specks),
.doc (header typed in .VnTime/.VnTimeH, TCVN3), .rtf, .odt and .xlsx (the table as a sheet).
Not run by CI: the files are committed.  Needs LibreOffice and fonts-liberation2.

The table's split of plan and trainees between the two kinds of enterprise (70 + 10 = 80,
84 + 11 = 95, 97 + 13 = 110) follows from the text's totals and its non-state figures.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from render_report import (
    Report,
    TableSpec,
    parse_report,
    render_docx,
    render_scan,
    render_xlsx,
    soffice_convert,
    tcvn3_encoder,
    text_of,
)

STEM = "bc45_duk_lam_dong"
SOURCE = ROOT / "corpus" / "003_a8b278771690ab33.txt"
HEADER_LEFT = ["ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY KHỐI DOANH NGHIỆP", "*", "Số 45-BC/ĐUK"]
HEADER_RIGHT = ["ĐẢNG CỘNG SẢN VIỆT NAM", "Lâm Đồng, ngày 20 tháng 01 năm 2022"]
TABLE = TableSpec(
    "Biểu 1. Kết quả phát triển đảng viên, tổ chức đảng trong doanh nghiệp năm 2021",
    [
        ["STT", "Loại hình doanh nghiệp", "Kết nạp đảng viên", "<<", "<<", "Quần chúng ưu tú được bồi dưỡng nhận thức về Đảng", "Chi bộ cơ sở thành lập mới"],
        ["^^", "^^", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)", "^^", "^^"],
        ["1", "Doanh nghiệp nhà nước và tổ chức tín dụng", "70", "84", "120,00", "97", "–"],
        ["2", "Doanh nghiệp ngoài khu vực nhà nước", "10", "11", "110,00", "13", "02"],
        ["", "Tổng cộng", "80", "95", "118,75", "110", "02"],
    ],
)
AFTER = "Từ sau thành lập, 2 Chi bộ sớm ổn định tổ chức"


def build_report() -> Report:
    r = parse_report(SOURCE.read_text(encoding="utf-8"))
    r.header_left, r.header_right = HEADER_LEFT, HEADER_RIGHT
    at = next(i for i, b in enumerate(r.body) if isinstance(b, str) and b.startswith(AFTER))
    r.body.insert(at + 1, TABLE)
    return r


def main() -> None:
    out = ROOT / "corpus"
    r = build_report()
    (out / f"{STEM}.txt").write_text(text_of(r), encoding="utf-8")
    docx_path = out / f"{STEM}.docx"
    render_docx(r, docx_path)
    soffice_convert(docx_path, "pdf", out / f"{STEM}.pdf")
    render_scan(out / f"{STEM}.pdf", out / f"{STEM}.scan.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        legacy = Path(tmp) / f"{STEM}.docx"
        render_docx(r, legacy, encode_header=tcvn3_encoder())
        soffice_convert(legacy, "doc:MS Word 97", out / f"{STEM}.doc")
    soffice_convert(docx_path, "rtf", out / f"{STEM}.rtf")
    soffice_convert(docx_path, "odt", out / f"{STEM}.odt")
    render_xlsx(r, out / f"{STEM}.xlsx")
    for ext in ("txt", "docx", "pdf", "scan.pdf", "doc", "rtf", "odt", "xlsx"):
        print(f"wrote corpus/{STEM}.{ext}")


if __name__ == "__main__":
    main()
