"""Text of a PDF report, page by page, with tables read as rows.

pdfplumber gives characters with positions.  For each page we find ruled tables, read the
text outside them as lines, read each table as one "cell | cell | cell" line per row, and
put the table rows back where the table stands on the page (by its top edge), so a sentence
before a table stays before its rows.  A blank line marks a paragraph break, inferred from
vertical gaps larger than the usual line spacing.

Lines repeated at the top or bottom of most pages (running headers, "Trang 2/4") are page
furniture, returned apart from the body so that they do not break sentences in two.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from .errors import CORRUPT_PDF, ENCRYPTED_PDF, NO_TEXT, IngestError

# Word gaps scale with the font size, so the tolerance does too: a gap wider than 15% of the
# font size starts a new word.  The fixed default (3 pt) glues words together in small
# print (a 9 pt space is ~2.9 pt wide).  Diacritics are no problem either way: a separately
# drawn tone mark overlaps its letter (negative gap), and pdfminer gives it the font's full
# height, so it stays on its letter's line with the default y tolerance.
TEXT_SETTINGS: dict[str, Any] = {"x_tolerance_ratio": 0.15, "y_tolerance": 3}
CELL_SEPARATOR = " | "
_CID = re.compile(r"\(cid:\d+\)")
_DIGITS = re.compile(r"\d+")
_FURNITURE_BAND = 0.12  # running headers/footers live in the top/bottom 12% of the page


@dataclass
class _Block:
    top: float
    bottom: float
    text: str
    is_table: bool = False


@dataclass
class PdfPageText:
    number: int
    blocks: list[_Block] = field(default_factory=list)
    height: float = 0.0

    def text(self) -> str:
        return _join_blocks(self.blocks)


def _inside(obj: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    """Is the object's centre inside bbox?  (Centre, so glyphs touching a rule still count.)"""
    x0, top, x1, bottom = bbox
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _table_rows(table: Any) -> str:
    rows = []
    for row in table.extract(**TEXT_SETTINGS):
        # None marks the positions covered by a merged cell: there is no text to keep.
        cells = [" ".join(cell.split()) for cell in row if cell is not None]
        if any(cells):
            rows.append(CELL_SEPARATOR.join(cells).rstrip())
    return "\n".join(rows)


def _page_blocks(page: Any) -> list[_Block]:
    page = page.dedupe_chars()  # fake bold draws each glyph twice
    tables = [t for t in page.find_tables() if t.cells]
    bboxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in bboxes))
    blocks = [
        _Block(line["top"], line["bottom"], line["text"])
        for line in outside.extract_text_lines(return_chars=False, **TEXT_SETTINGS)
        if line["text"].strip()
    ]
    for table in tables:
        rows = _table_rows(table)
        if rows:
            blocks.append(_Block(table.bbox[1], table.bbox[3], rows, is_table=True))
    blocks.sort(key=lambda b: (b.top, b.bottom))
    return blocks


def _join_blocks(blocks: list[_Block]) -> str:
    """Lines joined by "\n"; a blank line where the gap above is a paragraph gap or a table."""
    if not blocks:
        return ""
    lines = [b for b in blocks if not b.is_table]
    gaps = [b.top - a.bottom for a, b in pairwise(lines) if b.top - a.bottom > 0]
    heights = [b.bottom - b.top for b in lines]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    usual_height = statistics.median(heights) if heights else 0.0
    parts = [blocks[0].text]
    for prev, cur in pairwise(blocks):
        gap = cur.top - prev.bottom
        paragraph = prev.is_table or cur.is_table or (gap > 1.8 * usual_gap and gap > 0.3 * usual_height)
        parts.append("\n\n" if paragraph else "\n")
        parts.append(cur.text)
    return "".join(parts)


def _strip_furniture(pages: list[PdfPageText]) -> list[str]:
    """Remove running headers/footers (same text, digits aside, on most pages); return them."""
    if len(pages) < 2:
        return []
    furniture: list[str] = []
    for pick, band_ok in (
        (0, lambda b, h: b.bottom <= h * _FURNITURE_BAND),
        (-1, lambda b, h: b.top >= h * (1 - _FURNITURE_BAND)),
    ):
        edge = [
            (p, p.blocks[pick])
            for p in pages
            if p.blocks and not p.blocks[pick].is_table and band_ok(p.blocks[pick], p.height)
        ]
        counts = Counter(_DIGITS.sub("#", b.text.strip()) for _, b in edge)
        needed = max(2, (len(pages) + 1) // 2)
        for page, block in edge:
            if counts[_DIGITS.sub("#", block.text.strip())] >= needed:
                page.blocks.remove(block)
                if block.text.strip() not in furniture:
                    furniture.append(block.text.strip())
    return furniture


def _brief(exc: object) -> str:
    """An exception's text on one short line, for a message a person reads."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def _open_error(exc: BaseException, name: str) -> IngestError:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return IngestError(
            ENCRYPTED_PDF, f"{name}: the PDF is password-protected; save an unprotected copy and ingest that"
        )
    return IngestError(CORRUPT_PDF, f"{name}: the PDF is damaged or truncated and cannot be opened ({_brief(cause)})")


def extract_pdf(data: bytes, name: str) -> tuple[list[str], list[str]]:
    """Return (text of each page in order, furniture lines) for the PDF bytes `data`.

    Raises IngestError: encrypted_pdf, corrupt_pdf, no_text.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types on damaged input; all mean "can't open"
        raise _open_error(e, name) from None
    pages: list[PdfPageText] = []
    with pdf:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(PdfPageText(number, _page_blocks(page), float(page.height)))
                page.close()  # free the parsed layout: long reports would otherwise pile up
        except Exception as e:  # noqa: BLE001 - as above, for damage found while reading a page
            err = _open_error(e, name)
            if err.code == ENCRYPTED_PDF:
                raise err from None
            raise IngestError(
                CORRUPT_PDF, f"{name}: the PDF is damaged; page {len(pages) + 1} cannot be read ({_brief(e)})"
            ) from None
    if not pages:
        raise IngestError(CORRUPT_PDF, f"{name}: the PDF has no pages")
    furniture = _strip_furniture(pages)
    texts = [p.text() for p in pages]
    if not any(_CID.sub("", t).strip() for t in texts):
        if any(_CID.search(t) for t in texts):
            raise IngestError(
                NO_TEXT, f"{name}: the PDF's fonts have no Unicode mapping, so its text cannot be read; OCR is needed"
            )
        raise IngestError(
            NO_TEXT,
            f"{name}: no text layer on any of its {len(pages)} page(s) (a scan?); run OCR on it first",
        )
    return texts, furniture
