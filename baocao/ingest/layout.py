"""Reading order of a page from positioned pieces of text (PDF text runs, OCR words).

Coordinates are top-down (y grows downwards), in any unit.  The steps:
1. pieces -> lines: pieces whose vertical centres are within half a line height of each other;
2. a line with a wide gap is two pieces of two columns; a run of lines that keeps to one
   gutter (every line split at it, or entirely on one side) is a column block, read left
   column first, then right: the Party document's header (TỈNH ỦY X / BAN TỔ CHỨC / Số … beside
   ĐẢNG CỘNG SẢN VIỆT NAM / place, ngày …) and its signature block (Nơi nhận … beside T/M …);
3. blocks in top-to-bottom order, with a paragraph break where the gap above is much wider than
   the usual line spacing.

One implementation for PDF text and OCR words, so a scan reads in the order its PDF reads.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from itertools import pairwise

# A gap wider than this many line heights separates two columns.  PDF text runs are whole
# lines (a gap inside a line is a font change, a space wide); OCR words have word gaps.
COLUMN_GAP = {"pdf": 1.0, "ocr": 1.8}
GUTTER_SLACK = 0.06  # a column block's lines split within this fraction of the page width of one gutter


@dataclass
class Piece:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float | None = None  # OCR word confidence
    line_key: tuple = ()  # OCR: Tesseract's (block, paragraph, line) of the word

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    pieces: list[Piece]

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def height(self) -> float:
        return statistics.median(p.height for p in self.pieces)


@dataclass
class Block:
    """Lines read together; `is_table` blocks are written by the caller (a grid)."""

    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    table: object | None = None  # a content.Grid (with OCR words) placed here

    @property
    def is_table(self) -> bool:
        return self.table is not None


def group_lines(pieces: list[Piece]) -> list[Line]:
    """Pieces into lines, top to bottom; pieces of a line left to right."""
    lines: list[Line] = []
    for p in sorted(pieces, key=lambda p: (p.top + p.bottom) / 2):
        centre = (p.top + p.bottom) / 2
        if lines:
            last = lines[-1]
            lc = (last.top + last.bottom) / 2
            if abs(centre - lc) <= max(1.0, 0.5 * min(p.height, last.height)):
                last.pieces.append(p)
                continue
        lines.append(Line([p]))
    for line in lines:
        line.pieces.sort(key=lambda p: p.x0)
    return lines


def _split(line: Line, column_gap: float) -> float | None:
    """The gutter x of a line with a column-wide gap, else None."""
    h = line.height
    best = None
    for a, b in pairwise(line.pieces):
        gap = b.x0 - a.x1
        if gap > column_gap * h and (best is None or gap > best[0]):
            best = (gap, (a.x1 + b.x0) / 2)
    return best[1] if best else None


def _side(line: Line, gutter: float) -> str | None:
    if line.x1 <= gutter:
        return "left"
    if line.x0 >= gutter:
        return "right"
    return None


def line_text(pieces: list[Piece]) -> str:
    """Pieces of one line joined, with a space where there is a visible gap."""
    out = ""
    prev: Piece | None = None
    for p in pieces:
        if prev is not None:
            gap = p.x0 - prev.x1
            if gap > 0.15 * min(p.height, prev.height) and not out.endswith(" ") and not p.text.startswith(" "):
                out += " "
        out += p.text
        prev = p
    return " ".join(out.split())


def column_blocks(lines: list[Line], page_width: float, source: str = "pdf") -> list[Block]:
    """Lines into blocks; a run of two-column lines becomes the left block then the right one."""
    column_gap = COLUMN_GAP[source]
    blocks: list[Block] = []
    i = 0
    slack = GUTTER_SLACK * page_width
    while i < len(lines):
        gutter = _split(lines[i], column_gap)
        if gutter is None:
            blocks.append(Block(lines[i].top, lines[i].bottom, [lines[i]]))
            i += 1
            continue
        # grow the run both ways: earlier one-sided lines already emitted may belong to it
        run = [lines[i]]
        j = i + 1
        while j < len(lines):
            g = _split(lines[j], column_gap)
            if g is not None and abs(g - gutter) <= slack or g is None and _side(lines[j], gutter) is not None and lines[j].top - run[-1].bottom < 3 * run[-1].height:
                run.append(lines[j])
            else:
                break
            j += 1
        while blocks and not blocks[-1].is_table and len(blocks[-1].lines) == 1:
            prev = blocks[-1].lines[0]
            if _side(prev, gutter) is None or run[0].top - prev.bottom > 3 * prev.height:
                break
            run.insert(0, prev)
            blocks.pop()
        left: list[Line] = []
        right: list[Line] = []
        for line in run:
            lp = [p for p in line.pieces if p.x1 <= gutter]
            rp = [p for p in line.pieces if p.x0 >= gutter]
            mid = [p for p in line.pieces if p.x1 > gutter and p.x0 < gutter]
            (lp if mid and mid[0].x0 < gutter - slack else rp).extend(mid)
            if lp:
                left.append(Line(sorted(lp, key=lambda p: p.x0)))
            if rp:
                right.append(Line(sorted(rp, key=lambda p: p.x0)))
        top, bottom = run[0].top, run[-1].bottom
        if left:
            blocks.append(Block(top, bottom, left))
        if right:
            blocks.append(Block(top, bottom, right))
        i = j
    return blocks


def paragraph_breaks(blocks: list[Block]) -> list[bool]:
    """For each block after the first: does a paragraph break (blank line) come before it?"""
    lines = [b for b in blocks if not b.is_table]
    gaps = [b.top - a.bottom for a, b in pairwise(lines) if b.top - a.bottom > 0]
    heights = [ln.height for b in lines for ln in b.lines]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    usual_height = statistics.median(heights) if heights else 0.0
    out = []
    for prev, cur in pairwise(blocks):
        gap = cur.top - prev.bottom
        two_columns = cur.top == prev.top and cur.bottom == prev.bottom  # left then right column
        out.append(prev.is_table or cur.is_table or two_columns or (gap > 1.8 * usual_gap and gap > 0.3 * usual_height))
    return out


def right_margin(blocks: list[Block]) -> float:
    """Where the page's full lines end: the right edge most body lines reach."""
    ends = sorted(ln.x1 for b in blocks if not b.is_table and len(b.lines) == 1 for ln in b.lines)
    return ends[int(len(ends) * 0.9)] if ends else 0.0


def soft_wrap(prev: Block, cur: Block, right: float) -> bool:
    """Does `prev` (one line) run on into `cur`: a line that fills the column to its right margin,
    without a closing mark, wrapped by the layout, not ended by the writer?  Such a break is a
    space, as in the document; a line that ends short, or a column of a header, keeps its break."""
    if prev.is_table or cur.is_table or len(prev.lines) != 1 or len(cur.lines) != 1 or right <= 0:
        return False
    line = prev.lines[0]
    text = line_text(line.pieces)
    width = right - min(ln.x0 for ln in (line, cur.lines[0]))
    return line.x1 >= right - 0.04 * width and not text.endswith(":") and len(text) > 40
