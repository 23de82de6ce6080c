"""What a reader hands back for one page: its text, and where each table cell and OCR word is in it.

Every reader (txt, docx, pdf, OCR, xlsx) writes a page through a `PageWriter`, so tables are laid
out in the text the same way whatever the format: one line per grid row, every grid position a
field, fields joined by " | " (a position covered by a merged cell is an empty field).  The
writer records each cell's offsets as it writes, so a figure read from a cell can point at the
exact characters of the document text, down to the page.

Offsets here are raw and page-relative; `read_document` turns them into offsets of the
normalized document text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEPARATOR = " | "
BLOCK_SEPARATOR = "\n\n"


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1


@dataclass
class Grid:
    """A table as rows and columns of cells; merged cells are one cell with spans."""

    n_rows: int
    n_cols: int
    cells: list[GridCell]
    caption: str | None = None
    # (row, col) -> the cell's paragraphs, where a reader keeps them (a layout table is read by paragraph)
    lines: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def anchor_map(self) -> dict[tuple[int, int], GridCell]:
        return {(c.row, c.col): c for c in self.cells}

    def covered(self) -> set[tuple[int, int]]:
        """Grid positions covered by a merged cell other than its own top-left one."""
        out: set[tuple[int, int]] = set()
        for c in self.cells:
            for r in range(c.row, c.row + c.row_span):
                for k in range(c.col, c.col + c.col_span):
                    if (r, k) != (c.row, c.col):
                        out.add((r, k))
        return out


@dataclass
class RawCell:
    row: int
    col: int
    row_span: int
    col_span: int
    start: int  # page-relative raw offsets of the cell's text
    end: int


@dataclass
class RawTable:
    n_rows: int
    n_cols: int
    cells: list[RawCell]
    start: int
    end: int
    caption: str | None = None


@dataclass
class PageContent:
    text: str
    tables: list[RawTable] = field(default_factory=list)
    ocr_words: list[tuple[int, int, float]] = field(default_factory=list)  # (start, end, confidence)
    ocr_confidence: float | None = None
    failed: str | None = None  # why the page could not be parsed (it is then empty)


class PageWriter:
    """Builds one page's text piece by piece, keeping the offsets of table cells and OCR words."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.tables: list[RawTable] = []
        self.ocr_words: list[tuple[int, int, float]] = []

    @property
    def pos(self) -> int:
        return self._pos

    def write(self, s: str) -> tuple[int, int]:
        start = self._pos
        self._parts.append(s)
        self._pos += len(s)
        return start, self._pos

    def separate(self, sep: str = BLOCK_SEPARATOR) -> None:
        """A block separator, unless at the start of the page."""
        if self._pos:
            self.write(sep)

    def word(self, text: str, confidence: float | None) -> None:
        start, end = self.write(text)
        if confidence is not None:
            self.ocr_words.append((start, end, confidence))

    def table(self, grid: Grid, words: dict[tuple[int, int], list[tuple[str, float]]] | None = None) -> None:
        """Write `grid` as one line per row; `words` (OCR) gives each cell's words with confidences."""
        anchors = grid.anchor_map()
        cells: list[RawCell] = []
        self.separate()
        table_start = self._pos
        first = True
        for r in range(grid.n_rows):
            row_cells = [anchors.get((r, c)) for c in range(grid.n_cols)]
            if not any(c is not None and c.text.strip() for c in row_cells):
                continue
            # The row is built first: trailing empty cells leave "02 |", not "02 | " (a line ends in text).
            parts: list[str] = []
            pos = 0
            spans: list[tuple[GridCell, int, int]] = []
            pending_words: list[tuple[int, int, float]] = []
            for c_index, cell in enumerate(row_cells):
                if c_index:
                    parts.append(CELL_SEPARATOR)
                    pos += len(CELL_SEPARATOR)
                if cell is None:
                    continue
                start = pos
                cell_words = words.get((cell.row, cell.col)) if words else None
                if cell_words:
                    for i, (w, conf) in enumerate(cell_words):
                        if i:
                            parts.append(" ")
                            pos += 1
                        parts.append(w)
                        pending_words.append((pos, pos + len(w), conf))
                        pos += len(w)
                else:
                    text = " ".join(cell.text.split())
                    parts.append(text)
                    pos += len(text)
                spans.append((cell, start, pos))
            line = "".join(parts).rstrip()
            if not first:
                self.write("\n")
            first = False
            base = self._pos
            self.write(line)
            for cell, start, end in spans:
                start, end = min(start, len(line)), min(end, len(line))
                cells.append(RawCell(cell.row, cell.col, cell.row_span, cell.col_span, base + start, base + end))
            self.ocr_words += [(base + s, base + e, conf) for s, e, conf in pending_words]
        self.tables.append(RawTable(grid.n_rows, grid.n_cols, cells, table_start, self._pos, grid.caption))

    def page(self, ocr_confidence: float | None = None) -> PageContent:
        return PageContent("".join(self._parts), self.tables, self.ocr_words, ocr_confidence)


def text_page(text: str) -> PageContent:
    return PageContent(text)
