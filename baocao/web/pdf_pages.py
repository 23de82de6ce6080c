"""A PDF page as an image, with a box around a quote (pypdfium2).

The quote is looked up in the page's own text (pdfium's characters), normalized the way
ingestion normalizes text (baocao.normalize, with its offset map back to pdfium's indexes)
and with every run of white space read as one space, so a quote that wraps onto the next
line is still found. When the quote stands on the page more than once, the occurrence
nearest the figure's place in the page wins.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium

from baocao.normalize import normalize

# pdfium is not thread-safe: one page at a time in this process.
_PDFIUM = threading.Lock()
SCALE = 1.6  # 72 dpi * 1.6 ≈ 115 dpi: readable at a screen's width
_SPACE = re.compile(r"\s+")


class PageUnavailable(Exception):
    """The page cannot be shown; the message says why, for the person looking."""


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


@lru_cache(maxsize=256)
def _sha256(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checked_file(path: str | None, doc_id: str, base: Path | None = None) -> Path:
    """The document's file, if it is still there with the same bytes the store loaded."""
    if not path:
        raise PageUnavailable("no file path is recorded for this document")
    p = Path(path)
    if not p.is_absolute() and base is not None:
        p = base / p
    try:
        st = p.stat()
    except OSError as exc:
        raise PageUnavailable(f"the file is not at {path} any more") from exc
    if _sha256(str(p), st.st_mtime_ns, st.st_size) != doc_id:
        raise PageUnavailable(f"the file at {path} has changed since it was loaded")
    return p


def _collapsed(text: str) -> tuple[str, list[int]]:
    """Normalized text with white space runs as one space, and the index in `text` of each character."""
    norm, offsets = normalize(text)
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(norm):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(offsets[i])
    return "".join(out), where


def quote_boxes(tp: pdfium.PdfTextPage, quote: str, position: float | None) -> list[Box]:
    """Boxes (PDF points, origin bottom left) of the quote's characters on the page."""
    n = tp.count_chars()
    if n <= 0 or not quote.strip():
        return []
    page_text, where = _collapsed(tp.get_text_range(0, n))
    needle = _SPACE.sub(" ", quote.strip()).lower()
    hay = page_text.lower()
    hits = [m.start() for m in re.finditer(re.escape(needle), hay)]
    if not hits:
        return []
    if position is not None and len(hits) > 1:
        hits.sort(key=lambda i: abs(i / max(1, len(hay)) - position))
    first = where[hits[0]]
    last = where[min(len(where) - 1, hits[0] + len(needle) - 1)]
    count = max(1, last - first + 1)
    return [Box(*_ltrb(tp.get_rect(i))) for i in range(tp.count_rects(first, count))]


def _ltrb(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    left, bottom, right, top = rect
    return left, top, right, bottom


def render_page(path: Path, number: int, quote: str | None = None, position: float | None = None) -> tuple[bytes, bool]:
    """PNG of page `number` (1-based), with the quote boxed; and whether the quote was found."""
    from PIL import ImageDraw

    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= number <= len(pdf):
                raise PageUnavailable(f"the document has no page {number}")
            page = pdf[number - 1]
            _, height = page.get_size()
            boxes: list[Box] = []
            if quote:
                tp = page.get_textpage()
                boxes = quote_boxes(tp, quote, position)
                tp.close()
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            page.close()
        finally:
            pdf.close()
    draw = ImageDraw.Draw(image, "RGBA")
    pad = 2
    for b in boxes:
        xy = [b.left * SCALE - pad, (height - b.top) * SCALE - pad, b.right * SCALE + pad, (height - b.bottom) * SCALE + pad]
        draw.rectangle(xy, fill=(255, 221, 0, 70), outline=(214, 40, 40, 255), width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue(), bool(boxes)
