"""Render sample .txt reports from corpus/ as .docx and .pdf, to exercise the ingest stage.

Needs: python-docx (a project dependency), fpdf2 (`pip install fpdf2`, tested with 2.8.9) and
the DejaVu Sans font (Debian package `fonts-dejavu-core`).  Not run by CI: the generated files
are committed.  Run from the repository root:

    .venv/bin/python tools/make_corpus_renderings.py

Each rendering gets what real reports have and the ingest stage must handle:
- a small table of key figures (taken from the report's own text) between two paragraphs,
  so body order (docx) and table-as-rows at the right place on the page (pdf) are exercised;
- a header line and a page-number footer (docx: section header/footer, which must end up in
  `furniture`; pdf: the same lines repeated on every page);
- bold runs where the .txt has **markdown bold**; justified text in the PDF (wide word gaps).
The PDF runs to several pages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Rendering:
    stem: str
    # "lines": one paragraph per line; "blocks": paragraphs separated by blank lines, with
    # hard-wrapped lines inside joined by a space.
    layout: str
    caption: str
    table: list[list[str]]  # first row is the heading row
    after: str  # the table goes right after the paragraph that starts with this


RENDERINGS = [
    Rendering(
        stem="000_fecd69e2d4926bf8",
        layout="lines",
        caption="Bảng 1. Tổ chức cơ sở đảng và đảng viên của Đảng bộ Khối",
        table=[
            ["Chỉ tiêu", "Số lượng"],
            ["Tổ chức cơ sở đảng", "84"],
            ["Đảng bộ cơ sở", "46"],
            ["Chi bộ cơ sở", "38"],
            ["Đảng viên", "4.989"],
            ["TCCS đảng doanh nghiệp", "23"],
            ["Đảng viên trong TCCS đảng doanh nghiệp", "1.546"],
        ],
        after="Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị được thành lập",
    ),
    Rendering(
        stem="003_a8b278771690ab33",
        layout="blocks",
        caption="Bảng 1. Kết quả phát triển đảng viên, tổ chức đảng năm 2021",
        table=[
            ["Chỉ tiêu", "Kết quả", "Ghi chú"],
            ["Đảng viên mới được kết nạp", "95", "118,75% kế hoạch"],
            ["Đảng viên mới trong doanh nghiệp ngoài khu vực nhà nước", "11", "11,58%"],
            ["Lớp bồi dưỡng nhận thức về Đảng", "05", "110 quần chúng ưu tú"],
            ["Chi bộ cơ sở thành lập mới", "02", ""],
        ],
        after="Từ sau thành lập, 2 Chi bộ sớm ổn định tổ chức",
    ),
]


def paragraphs(text: str, layout: str) -> list[str]:
    if layout == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    blocks = re.split(r"\n\s*\n", text)
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        # List items ("- ...") stay one per line; wrapped prose is joined.
        if all(line.startswith("-") for line in lines):
            out.extend(lines)
        else:
            out.append(" ".join(lines))
    return out


def bold_segments(paragraph: str) -> list[tuple[str, bool]]:
    """'a **b** c' -> [('a ', False), ('b', True), (' c', False)]"""
    parts = paragraph.split("**")
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def is_heading(paragraph: str) -> bool:
    return paragraph.isupper() and len(paragraph) < 40


# --- DOCX -------------------------------------------------------------------------------


def _page_field(paragraph) -> None:
    """Append a PAGE field (rendered by Word as the page number)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(r: Rendering, paras: list[str], out: Path) -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    section = doc.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.text = "Trang "
    _page_field(footer)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for para in paras:
        p = doc.add_paragraph()
        if is_heading(para.replace("**", "")):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(para.replace("**", "")).bold = True
        else:
            for segment, bold in bold_segments(para):
                p.add_run(segment).bold = bold
        if para.startswith(r.after):
            doc.add_paragraph(r.caption).runs[0].italic = True
            table = doc.add_table(rows=len(r.table), cols=len(r.table[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, r.table):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            for cell in table.rows[0].cells:
                cell.paragraphs[0].runs[0].bold = True
    doc.save(out)


# --- PDF --------------------------------------------------------------------------------


class ReportPDF(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", "B", 9)
        self.cell(0, 6, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 9)
        self.cell(0, 10, f"Trang {self.page_no()}/{{nb}}", align="C")


def render_pdf(r: Rendering, paras: list[str], out: Path) -> None:
    pdf = ReportPDF(format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(r.stem)
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))  # reproducible bytes
    pdf.add_page()
    for para in paras:
        if is_heading(para.replace("**", "")):
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, 7, para.replace("**", ""), align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("DejaVu", "", 11)
            # fpdf2's markdown also reads "--" and "__"; only switch it on for **bold**.
            markdown = "**" in para and "--" not in para and "__" not in para
            text = para if markdown or "**" not in para else para.replace("**", "")
            pdf.multi_cell(0, 6, text, align="J", markdown=markdown, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        if para.startswith(r.after):
            pdf.set_font("DejaVu", "I", 10)
            pdf.multi_cell(0, 6, r.caption, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 10)
            widths = (100, 25, 45) if len(r.table[0]) == 3 else (120, 50)
            with pdf.table(col_widths=widths, text_align="LEFT", line_height=6) as table:
                for values in r.table:
                    row = table.row()
                    for value in values:
                        row.cell(value)
            pdf.ln(3)
    pdf.output(str(out))


def main() -> None:
    for r in RENDERINGS:
        text = (CORPUS / f"{r.stem}.txt").read_text(encoding="utf-8")
        paras = paragraphs(text, r.layout)
        if not any(p.startswith(r.after) for p in paras):
            raise SystemExit(f"{r.stem}: no paragraph starts with {r.after!r}")
        render_docx(r, paras, CORPUS / f"{r.stem}.docx")
        render_pdf(r, paras, CORPUS / f"{r.stem}.pdf")
        print(f"wrote corpus/{r.stem}.docx and corpus/{r.stem}.pdf")


if __name__ == "__main__":
    main()
