"""Statistical sheets (.xlsx, and .xls converted by LibreOffice) read as tables with openpyxl.

Each sheet with content is one page: its name (the caption a reader sees on the tab), then the
rows above the table that hold only one text (the title of the biểu, its period), then the
table itself, written by the PageWriter like every other table, with the sheet's merged ranges
as merged cells.  Numbers are written as a Vietnamese report writes them (4.989; 118,75), so the
text reads the same as the Word version of the same table.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .content import Grid, GridCell, PageContent, PageWriter
from .errors import NO_TEXT, NOT_XLSX, IngestError


def _vi_number(v: float) -> str:
    if isinstance(v, bool):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    whole, frac = f"{v:.10f}".rstrip("0").split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def _cell_text(v: Any, number_format: str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return f"{v.day}/{v.month}/{v.year}"
    if isinstance(v, int | float):
        if number_format and "%" in number_format:
            return _vi_number(round(v * 100, 2)) + "%"
        return _vi_number(v)
    return " ".join(str(v).split())


def _sheet_page(ws: Any) -> PageContent | None:
    values: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or not hasattr(cell, "column"):
                continue
            text = _cell_text(cell.value, cell.number_format)
            if text:
                values[(cell.row - 1, cell.column - 1)] = text
    if not values:
        return None
    merged = {(r.min_row - 1, r.min_col - 1): (r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
              for r in ws.merged_cells.ranges}
    rows = sorted({r for r, _ in values})
    # Title rows: one text each (a merged title over the table, "Biểu 1…", "Tính đến ngày …").
    titles: list[str] = []
    first_table_row = rows[0]
    for r in rows:
        in_row = [c for (rr, c) in values if rr == r]
        if len(in_row) == 1 and not merged.get((r, in_row[0]), (1, 1))[0] > 1:
            titles.append(values[(r, in_row[0])])
            first_table_row = r + 1
            continue
        break
    first_table_row = min((r for r in rows if r >= first_table_row), default=first_table_row)
    cells: list[GridCell] = []
    covered: set[tuple[int, int]] = set()
    last_row = max(r for r, _ in values)
    last_col = max(c for _, c in values)
    first_col = min(c for (r, c) in values if r >= first_table_row) if any(r >= first_table_row for r, _ in values) else 0
    for (r, c), (rs, cs) in merged.items():
        if r >= first_table_row:
            covered |= {(r + i, c + k) for i in range(rs) for k in range(cs)} - {(r, c)}
    for r in range(first_table_row, last_row + 1):
        for c in range(first_col, last_col + 1):
            if (r, c) in covered:
                continue
            rs, cs = merged.get((r, c), (1, 1))
            cells.append(GridCell(r - first_table_row, c - first_col, values.get((r, c), ""), rs, cs))
    writer = PageWriter()
    writer.write(ws.title)
    for t in titles:
        writer.separate()
        writer.write(t)
    if any(c.text for c in cells):
        grid = Grid(last_row - first_table_row + 1, last_col - first_col + 1, cells, caption=titles[-1] if titles else ws.title)
        writer.table(grid)
    return writer.page()


def extract_xlsx(data: bytes, name: str) -> list[PageContent]:
    """One page per sheet that has content.  Raises IngestError: not_xlsx, no_text."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as e:  # noqa: BLE001 - zipfile, openpyxl and lxml raise many types; all mean "unreadable"
        raise IngestError(NOT_XLSX, f"{name}: is not a readable Excel workbook ({type(e).__name__}); re-save it as .xlsx") from None
    pages = [p for p in (_sheet_page(ws) for ws in wb.worksheets) if p is not None]
    if not pages:
        raise IngestError(NO_TEXT, f"{name}: the workbook has no cell with content")
    return pages
