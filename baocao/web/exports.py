"""The explorer's rows as CSV or XLSX files, safe to open in a spreadsheet.

Text read from documents is untrusted: a cell that starts with = + - @ (or a tab or carriage
return, which some spreadsheets skip before reading a formula) would run as a formula in
Excel or LibreOffice. Such text gets a leading apostrophe, the spreadsheet's own sign for
"this is text" (OWASP's advice on CSV injection). Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL = 32_767


def neutralize(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe(df: pd.DataFrame, clean: Callable[[object], object] = neutralize) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(clean)
    out.columns = [str(neutralize(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel shows Vietnamese right."""
    return _safe(df).to_csv(index=False).encode("utf-8-sig")


def _xlsx_text(value: object) -> object:
    value = neutralize(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL]
    return value


def to_xlsx(df: pd.DataFrame, sheet: str = "figures") -> bytes:
    buf = io.BytesIO()
    safe = _safe(df, _xlsx_text)
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet[:31], index=False)
        ws = writer.sheets[sheet[:31]]
        # openpyxl reads a string that starts with '=' as a formula; after neutralize none does,
        # and every text cell is written as a string.
        for row in ws.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
    return buf.getvalue()
