"""Text of a PDF report, page by page, through PDFium (pypdfium2): text in reading order, ruled
tables cell by cell, scanned pages through OCR.

For each page:
- PDFium's text runs (its "rects": a run of characters on one line, with its box) are the
  pieces of layout.py, which groups them into lines, reads a two-column header or signature
  block column by column, and marks paragraph breaks;
- thin path objects are the rules of ruled tables (grid.py); each cell's text is PDFium's text
  inside the cell's box, so a cell wrapped over several lines is one cell; runs inside a table
  are not read as lines; the table is written where it stands on the page (by its top);
- a page with no text but an image is a scan: it goes to OCR (ocr.py).

Lines repeated at the top or bottom of most pages (running headers, "Trang 2/4") are page
furniture, returned apart from the body so that they do not break sentences in two.

PDFium reads a text page about two orders of magnitude faster than pdfminer (bench/bench_readers.py).
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .content import BLOCK_SEPARATOR, PageContent, PageWriter
from .errors import CORRUPT_PDF, ENCRYPTED_PDF, NO_TEXT, IngestError
from .grid import Rule, TableBox, find_tables
from .layout import Block, Piece, column_blocks, group_lines, line_text, paragraph_breaks, right_margin, soft_wrap
from .limits import Limits, check_pages

_DIGITS = re.compile(r"\d+")
_FURNITURE_BAND = 0.12  # running headers/footers live in the top/bottom 12% of the page
_THIN = 2.5  # a path object thinner than this (pt) is a rule
_MIN_RULE = 4.0


@dataclass
class PdfPage:
    number: int
    height: float
    width: float
    blocks: list[Block] = field(default_factory=list)
    scanned: bool = False
    content: PageContent | None = None  # set for OCR pages


def _rules(page: pdfium.PdfPage, height: float) -> list[Rule]:
    rules: list[Rule] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        y_top, y_bottom = height - top, height - bottom
        if h <= _THIN and w >= _MIN_RULE:
            y = (y_top + y_bottom) / 2
            rules.append(Rule(left, y, right, y))
        elif w <= _THIN and h >= _MIN_RULE:
            x = (left + right) / 2
            rules.append(Rule(x, y_top, x, y_bottom))
        elif w > _THIN and h > _THIN and w < 2000:
            # a rectangle drawn as one path (re): its four edges
            rules += [Rule(left, y_top, right, y_top), Rule(left, y_bottom, right, y_bottom),
                      Rule(left, y_top, left, y_bottom), Rule(right, y_top, right, y_bottom)]
    return rules


class _Bounded:
    """PDFium's text inside a box, in one call with a buffer kept between calls (pypdfium2's
    get_text_bounded asks twice, for the length and then the text: three times slower)."""

    def __init__(self) -> None:
        self._size = 0
        self._grow(4096)

    def _grow(self, chars: int) -> None:
        self._size = chars
        self._buf = ctypes.create_string_buffer(2 * chars)
        self._ptr = ctypes.cast(self._buf, ctypes.POINTER(ctypes.c_ushort))

    def __call__(self, textpage: pdfium.PdfTextPage, left: float, bottom: float, right: float, top: float) -> str:
        while True:
            n = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, self._ptr, self._size)
            if n < self._size:
                return self._buf.raw[: 2 * n].decode("utf-16-le", "replace").rstrip("\x00")
            self._grow(self._size * 4)



def _cell_text(bounded: _Bounded, textpage: pdfium.PdfTextPage, box: tuple[float, float, float, float],
               height: float) -> str:
    x0, top, x1, bottom = box
    return " ".join(bounded(textpage, x0 + 0.5, height - bottom + 0.5, x1 - 0.5, height - top - 0.5).split())


def _inside(p: Piece, t: TableBox) -> bool:
    cx, cy = (p.x0 + p.x1) / 2, (p.top + p.bottom) / 2
    return t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom


def _read_page(page: pdfium.PdfPage, number: int, bounded: _Bounded) -> PdfPage:
    width, height = page.get_size()
    textpage = page.get_textpage()
    pieces: list[Piece] = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = bounded(textpage, left, bottom, right, top)
        text = text.replace("\r", "").replace("\n", " ").replace("\ufffe", "").replace("\x02", "")
        if text.strip():
            pieces.append(Piece(left, height - top, right, height - bottom, text))
    out = PdfPage(number, height, width)
    if not pieces:
        has_image = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
        out.scanned = has_image
        return out
    kept: list[TableBox] = []
    for t in find_tables(_rules(page, height)):
        for cell in t.grid.cells:
            cell.text = _cell_text(bounded, textpage, t.boxes[(cell.row, cell.col)], height)
        if t.grid.n_cols >= 2 and any(c.text for c in t.grid.cells):
            kept.append(t)
    blocks = [Block(t.top, t.bottom, table=t.grid) for t in kept]
    outside = [p for p in pieces if not any(_inside(p, t) for t in kept)]
    blocks += column_blocks(group_lines(outside), width)
    blocks.sort(key=lambda b: (b.top, b.bottom))
    out.blocks = blocks
    return out


def _write(page: PdfPage) -> PageContent:
    if page.content is not None:
        return page.content
    writer = PageWriter()
    breaks = paragraph_breaks(page.blocks)
    right = right_margin(page.blocks)
    for i, block in enumerate(page.blocks):
        if block.is_table:
            writer.table(block.table)  # type: ignore[arg-type]
            continue
        if i:
            prev = page.blocks[i - 1]
            writer.write(BLOCK_SEPARATOR if breaks[i - 1] else " " if soft_wrap(prev, block, right) else "\n")
        writer.write("\n".join(line_text(line.pieces) for line in block.lines))
    return writer.page()


def _strip_furniture(pages: list[PdfPage]) -> list[str]:
    """Remove running headers/footers (same text, digits aside, on most pages); return them."""
    text_pages = [p for p in pages if not p.scanned and p.content is None]
    if len(text_pages) < 2:
        return []
    furniture: list[str] = []

    def text(b: Block) -> str:
        return "\n".join(line_text(line.pieces) for line in b.lines).strip()

    for pick, band_ok in (
        (0, lambda b, h: b.bottom <= h * _FURNITURE_BAND),
        (-1, lambda b, h: b.top >= h * (1 - _FURNITURE_BAND)),
    ):
        edge = [
            (p, p.blocks[pick])
            for p in text_pages
            if p.blocks and not p.blocks[pick].is_table and band_ok(p.blocks[pick], p.height)
        ]
        counts = Counter(_DIGITS.sub("#", text(b)) for _, b in edge)
        needed = max(2, (len(text_pages) + 1) // 2)
        for page, block in edge:
            if counts[_DIGITS.sub("#", text(block))] >= needed:
                page.blocks.remove(block)
                if text(block) not in furniture:
                    furniture.append(text(block))
    return furniture


def _brief(exc: object) -> str:
    """An exception's text on one short line, for a message a person reads."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def _open(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise IngestError(
                ENCRYPTED_PDF, f"{name}: the PDF is password-protected; save an unprotected copy and ingest that"
            ) from None
        raise IngestError(CORRUPT_PDF, f"{name}: the PDF is damaged or truncated and cannot be opened ({_brief(e)})") from None


def _truncated(data: bytes) -> bool:
    """A PDF cut short: no end-of-file marker near the end (PDFium would silently repair it)."""
    return b"%%EOF" not in data[-2048:]


def extract_pdf(data: bytes, name: str, limits: Limits | None = None) -> tuple[list[PageContent], list[str]]:
    """Return (content of each page in order, furniture lines) for the PDF bytes `data`.

    Raises IngestError: encrypted_pdf, corrupt_pdf, no_text, ocr_missing, limit_exceeded (pages).
    """
    pdf = _open(data, name)
    pages: list[PdfPage] = []
    bounded = _Bounded()  # one buffer per document: PDFium objects are not shared between threads
    try:
        if _truncated(data):
            raise IngestError(CORRUPT_PDF, f"{name}: the PDF is damaged or truncated and cannot be opened (no %%EOF marker)")
        n = len(pdf)
        check_pages(name, n, limits or Limits())  # before any page is parsed
        if n == 0:
            raise IngestError(CORRUPT_PDF, f"{name}: the PDF has no pages")
        for i in range(n):
            try:
                page = pdf[i]
                pages.append(_read_page(page, i + 1, bounded))
            except IngestError:
                raise
            except Exception as e:  # noqa: BLE001 - PDFium raises on damage found while reading a page
                # One damaged page does not lose the others: it stays, empty, and the document says so.
                pages.append(PdfPage(i + 1, 0.0, 0.0, content=PageContent("", failed=_brief(e))))
        if all(p.content is not None and p.content.failed for p in pages):
            raise IngestError(CORRUPT_PDF, f"{name}: the PDF is damaged; none of its {n} page(s) can be read")
        scans = [p for p in pages if p.scanned]
        if scans:
            from .ocr import ocr_pdf_pages

            for p, content in zip(scans, ocr_pdf_pages(pdf, [p.number - 1 for p in scans], name), strict=True):
                p.content = content
    finally:
        pdf.close()
    furniture = _strip_furniture(pages)
    contents = [_write(p) for p in pages]
    if not any(c.text.strip() for c in contents):
        raise IngestError(
            NO_TEXT,
            f"{name}: no text on any of its {len(pages)} page(s), and no scanned image to read",
        )
    return contents, furniture
