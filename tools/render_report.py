"""Render a report written as text into the formats archives hold it in: a Word file laid out in
the Party document format, its PDF, a scanned copy of that PDF, and .doc / .rtf / .odt / .xlsx.

The text is the source of truth (its gold annotations are the gold of every rendering):

    header lines        the issuing body and its superior, "*", "Số 45-BC/ĐUK" (left column),
                        then "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-date line (right column):
                        everything before the document-type line (BÁO CÁO, NGHỊ QUYẾT …)
    BÁO CÁO             the document type, then the title (trích yếu) up to the first blank line
    body                paragraphs separated by blank lines (hard wraps inside are joined);
                        a table is a run of "cell | cell" lines, the line before it its caption;
                        "<<" in a header cell merges it with the cell to its left, "^^" with
                        the cell above (a two-level heading)
    Nơi nhận: …         the recipients, then from "T/M …" / "K/T …" the signature block

The Word file puts the header and the signature block in borderless two-column tables, as
offices do; statistical tables get a grid, merged headings and a bold total row.  The PDF is
LibreOffice's export of the Word file (a real two-column header on the page).  The scan is that
PDF rasterized at 200 dpi in grey, turned by a small angle, with specks, saved as image-only PDF.
The .doc/.rtf/.odt are LibreOffice's conversions of the Word file; in the .doc the header block
is typed in the legacy TCVN3 font .VnTime (.VnTimeH for capitals), as old offices typed it.

Needs LibreOffice (scripts/ci_formats.sh) and, for fonts like the real thing, fonts-liberation2.
Used by tools/make_report_corpus.py (corpus/) and bench/eval_formats.py (dev-set renderings).
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOC_TYPES = ("BÁO CÁO", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "KẾ HOẠCH", "TỜ TRÌNH", "CHỈ THỊ", "KẾT LUẬN", "HƯỚNG DẪN",
             "THÔNG BÁO", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "QUY ĐỊNH", "CÔNG VĂN")
NATIONAL = ("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MERGE_LEFT, MERGE_UP = "<<", "^^"
SIGNATURE_START = re.compile(r"^(?:T/M|K/T|TM\.|KT\.|T\.M|K\.T)\s|^(?:BÍ THƯ|PHÓ BÍ THƯ|TRƯỞNG BAN|CHỦ TỊCH)$")
TOTAL_WORDS = ("tổng cộng", "cộng", "tổng số", "toàn tỉnh", "toàn đảng bộ", "toàn khối", "tổng")


@dataclass
class TableSpec:
    caption: str | None
    rows: list[list[str]]  # "<<" / "^^" mark merged header cells


@dataclass
class Report:
    header_left: list[str] = field(default_factory=list)
    header_right: list[str] = field(default_factory=list)
    doc_type: str | None = None
    title: list[str] = field(default_factory=list)
    body: list[str | TableSpec] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[list[str]]:
    out, cur = [], []
    for line in text.splitlines():
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def parse_report(text: str) -> Report:
    """The parts of a text report (see the module docstring)."""
    r = Report()
    lines = text.splitlines()
    type_at = next((i for i, ln in enumerate(lines[:40]) if ln.strip().strip("*") in DOC_TYPES), None)
    rest_from = 0
    if type_at is not None:
        head = [ln.strip() for ln in lines[:type_at] if ln.strip()]
        nat = next((i for i, ln in enumerate(head) if ln in NATIONAL), None)
        if nat is not None:
            r.header_left = head[:nat]
            r.header_right = head[nat:]
            # a "Số …" line written after the national line still belongs to the left column
            for ln in list(r.header_right):
                if ln.startswith("Số") or ln == "*":
                    r.header_right.remove(ln)
                    r.header_left.append(ln)
        else:
            r.header_left = head
        r.doc_type = lines[type_at].strip().strip("*")
        i = type_at + 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        while i < len(lines) and lines[i].strip():
            r.title.append(lines[i].strip())
            i += 1
        rest_from = i
    body_text = "\n".join(lines[rest_from:])
    tail = re.search(r"^Nơi nhận:?\s*$", body_text, re.MULTILINE)
    if tail:
        sig_text = body_text[tail.start():]
        body_text = body_text[: tail.start()]
        sig_lines = [ln.strip() for ln in sig_text.splitlines() if ln.strip()]
        split = next((i for i, ln in enumerate(sig_lines) if SIGNATURE_START.match(ln)), len(sig_lines))
        r.recipients, r.signature = sig_lines[:split], sig_lines[split:]
    for block in _blocks(body_text):
        if len(block) >= 2 and all(" | " in ln for ln in block[1:]) and " | " in block[1]:
            caption = None if " | " in block[0] else block[0]
            rows = [[c.strip() for c in ln.split(" | ")] for ln in (block if caption is None else block[1:])]
            r.body.append(TableSpec(caption, rows))
        elif all(" | " in ln for ln in block):
            r.body.append(TableSpec(None, [[c.strip() for c in ln.split(" | ")] for ln in block]))
        elif all(ln.lstrip().startswith(("-", "+")) for ln in block):
            r.body.extend(ln.strip() for ln in block)
        else:
            r.body.append(" ".join(ln.strip() for ln in block))
    return r


# --- Word ------------------------------------------------------------------------------------


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _set_font(run, name: str | None = None, size: float | None = None, bold: bool | None = None) -> None:
    if name:
        run.font.name = name
        rpr = run._r.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _line(cell_or_doc, text: str, *, bold: bool = False, italic: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER,
          size: float = 13, first: bool = False, encode=None):
    p = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    parts = text.split("**") if "**" in text else [text]
    for i, part in enumerate(parts):
        if not part:
            continue
        shown, font = (encode(part) if encode else (part, None))
        run = p.add_run(shown)
        _set_font(run, font, size, bold or i % 2 == 1)
        run.italic = italic
    return p


def _is_total(label: str) -> bool:
    return label.strip().lower().rstrip(":") in TOTAL_WORDS


def _header_rows(rows: list[list[str]]) -> int:
    n = 0
    for row in rows:
        if any(c in (MERGE_LEFT, MERGE_UP) for c in row) or n == 0:
            n += 1
        else:
            break
    # the row after the last one with merge marks is still a header when the marks point into it
    return n


def add_stat_table(doc, spec: TableSpec) -> None:
    if spec.caption:
        _line(doc, spec.caption, bold=True, size=13)
    n_rows, n_cols = len(spec.rows), max(len(r) for r in spec.rows)
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = _header_rows(spec.rows)
    label_col = 1 if n_cols > 2 and spec.rows[0][0].upper() in ("STT", "TT", "SỐ TT") else 0
    widths = [Cm(1.2) if label_col and c == 0 else Cm(5.5) if c == label_col else None for c in range(n_cols)]
    rest = (Cm(16) - sum(w for w in widths if w)) / max(1, sum(1 for w in widths if w is None))
    for c, col in enumerate(table.columns):
        for cell in col.cells:
            cell.width = widths[c] or int(rest)
    for r, row in enumerate(spec.rows):
        for c in range(n_cols):
            value = row[c] if c < len(row) else ""
            cell = table.cell(r, c)
            if value in (MERGE_LEFT, MERGE_UP):
                continue
            cell.text = ""
            bold = r < heads or _is_total(row[1] if len(row) > 1 else row[0]) or _is_total(row[0])
            _line(cell, value, bold=bold, size=12, first=True,
                  align=WD_ALIGN_PARAGRAPH.LEFT if c and r >= heads and not value.replace(".", "").replace(",", "").isdigit()
                  else WD_ALIGN_PARAGRAPH.CENTER)
    # merges after the text is in: python-docx joins the texts of merged cells
    for r, row in enumerate(spec.rows):
        for c, value in enumerate(row):
            if value == MERGE_LEFT:
                left = c - 1
                while spec.rows[r][left] == MERGE_LEFT:
                    left -= 1
                table.cell(r, left).merge(table.cell(r, c))
            elif value == MERGE_UP:
                up = r - 1
                while spec.rows[up][c] == MERGE_UP:
                    up -= 1
                table.cell(up, c).merge(table.cell(r, c))
    for row in table.rows:  # merged cells keep an empty paragraph of the cell merged in: drop it
        for cell in row.cells:
            for p in cell.paragraphs[1:]:
                if not p.text.strip():
                    p._p.getparent().remove(p._p)


def render_docx(r: Report, out: Path, encode_header=None) -> None:
    doc = Document()
    section = doc.sections[0]
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    if r.header_left or r.header_right:
        t = doc.add_table(rows=1, cols=2)
        _no_borders(t)
        left, right = t.cell(0, 0), t.cell(0, 1)
        for i, line in enumerate(r.header_left):
            bold = i == len([x for x in r.header_left if not x.startswith("Số") and x != "*"]) - 1
            _line(left, line, bold=bold and line != "*", size=13, first=i == 0, encode=encode_header)
        for i, line in enumerate(r.header_right):
            nat = line in NATIONAL
            p = _line(right, line, bold=nat, italic=not nat, size=13 if nat else 14, first=i == 0,
                      align=WD_ALIGN_PARAGRAPH.CENTER if nat else WD_ALIGN_PARAGRAPH.RIGHT, encode=encode_header)
            if nat:
                p.runs[0].underline = True
    if r.doc_type:
        p = _line(doc, "", size=14)
        _line(doc, r.doc_type, bold=True, size=15, encode=encode_header)
        if r.title:  # one paragraph, as typed: the hard wraps of the text version are not Word's
            _line(doc, " ".join(r.title).replace("**", ""), bold=True, size=14, encode=encode_header)
        p = _line(doc, "-----", size=14)
    for block in r.body:
        if isinstance(block, TableSpec):
            add_stat_table(doc, block)
            _line(doc, "", size=14)
        else:
            p = _line(doc, block, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=14)
            p.paragraph_format.first_line_indent = Cm(1)
            p.paragraph_format.space_after = Pt(6)
    if r.recipients or r.signature:
        t = doc.add_table(rows=1, cols=2)
        _no_borders(t)
        left, right = t.cell(0, 0), t.cell(0, 1)
        for i, line in enumerate(r.recipients or [""]):
            _line(left, line, bold=i == 0, italic=i == 0, size=12 if i == 0 else 11, first=i == 0,
                  align=WD_ALIGN_PARAGRAPH.LEFT)
        for i, line in enumerate(r.signature or [""]):
            name = i == len(r.signature) - 1
            _line(right, line, bold=True, size=14, first=i == 0)
            if i == len(r.signature) - 2 and not name:
                for _ in range(3):
                    _line(right, "", size=14)
        _line(doc, "", size=14)  # a paragraph after the last table, as Word keeps one (LibreOffice's .doc needs it)
    doc.save(out)


# --- legacy font for the .doc --------------------------------------------------------------


def tcvn3_encoder():
    from baocao.ingest.legacy import encode_legacy

    def encode(text: str) -> tuple[str, str]:
        caps = text.upper() == text and any(c.isalpha() for c in text)
        raw = encode_legacy(text.lower() if caps else text, "tcvn3").decode("cp1252")
        return raw, ".VnTimeH" if caps else ".VnTime"

    return encode


# --- LibreOffice, scan ---------------------------------------------------------------------


def soffice_convert(src: Path, fmt: str, out: Path, timeout: int = 180) -> Path:
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", fmt,
               "--outdir", tmp, str(src)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        produced = Path(tmp) / (src.stem + "." + fmt.split(":")[0])
        out.write_bytes(produced.read_bytes())
    return out


def render_scan(pdf_path: Path, out: Path, dpi: int = 200, angle: float = 0.8, seed: int = 7) -> None:
    """Each page rasterized at `dpi` in grey, turned by `angle` degrees, specked; an image-only PDF."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    pages = []
    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    for i in range(len(pdf)):
        img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(angle * (1 if i % 2 == 0 else -0.7), resample=Image.BICUBIC, expand=False, fillcolor=255)
        draw = ImageDraw.Draw(img)
        w, h = img.size
        for _ in range(int(w * h / 9000)):  # dust: small dark dots
            x, y = rng.randrange(w), rng.randrange(h)
            rad = rng.choice((0, 0, 1, 1, 2))
            draw.ellipse((x, y, x + rad, y + rad), fill=rng.randrange(40, 140))
        img = img.filter(ImageFilter.GaussianBlur(0.4))
        pages.append(img)
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    out.write_bytes(buf.getvalue())


# --- xlsx ----------------------------------------------------------------------------------


def render_xlsx(r: Report, out: Path) -> None:
    """The report's statistical tables, one sheet each, merged headings as merged ranges."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tables = [b for b in r.body if isinstance(b, TableSpec)]
    for k, spec in enumerate(tables, start=1):
        ws = wb.create_sheet(f"Biểu {k}")
        top = 1
        if spec.caption:
            ws.cell(1, 1, spec.caption).font = Font(bold=True)
            top = 3
        for i, row in enumerate(spec.rows):
            for j, value in enumerate(row):
                if value in (MERGE_LEFT, MERGE_UP):
                    continue
                cell = ws.cell(top + i, j + 1)
                number = re.fullmatch(r"\d{1,3}(?:\.\d{3})*|\d+", value)
                decimal = re.fullmatch(r"\d+,\d+", value)
                if number and i >= _header_rows(spec.rows):
                    cell.value = int(value.replace(".", ""))
                    cell.number_format = "#,##0"
                    if value.startswith("0") and len(value) > 1:
                        cell.value = value  # "02": typed as text, as offices do to keep the zero
                elif decimal and i >= _header_rows(spec.rows):
                    cell.value = float(value.replace(",", "."))
                    cell.number_format = "0.00"
                else:
                    cell.value = value
                cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        for i, row in enumerate(spec.rows):
            for j, value in enumerate(row):
                if value == MERGE_LEFT and (j + 1 >= len(row) or row[j + 1] != MERGE_LEFT):
                    left = j - 1
                    while row[left] == MERGE_LEFT:
                        left -= 1
                    ws.merge_cells(start_row=top + i, start_column=left + 1, end_row=top + i, end_column=j + 1)
                elif value == MERGE_UP and (i + 1 >= len(spec.rows) or spec.rows[i + 1][j] != MERGE_UP):
                    up = i - 1
                    while spec.rows[up][j] == MERGE_UP:
                        up -= 1
                    ws.merge_cells(start_row=top + up, start_column=j + 1, end_row=top + i, end_column=j + 1)
        ws.column_dimensions["B"].width = 45
    wb.save(out)


def text_of(r: Report) -> str:
    """The text version of a Report (what parse_report reads), tables in "<<"/"^^"-free form."""
    out: list[str] = []
    out += r.header_left + r.header_right
    if r.doc_type:
        out += ["", r.doc_type, ""] + r.title
    for block in r.body:
        out.append("")
        if isinstance(block, TableSpec):
            if block.caption:
                out.append(block.caption)
            out += [" | ".join("" if c in (MERGE_LEFT, MERGE_UP) else c for c in row) for row in block.rows]
        else:
            out.append(block)
    if r.recipients:
        out += [""] + r.recipients
    if r.signature:
        out += [""] + r.signature
    return "\n".join(out) + "\n"
