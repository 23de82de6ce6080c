"""Write the store's tables and dashboard views to files people can open.

parquet and csv: one file per table, named after it (figures.parquet, ...), with
the store's column names. xlsx: one workbook, baocao.xlsx, one sheet per table named
in Vietnamese, with Vietnamese column headers (schemas/headers_vi.json). In every
format each code column (object, event, level, rule …) has its Vietnamese label
beside it: `object_vi` after `object` ("Đảng viên" beside party_member), from the
labels of baocao.reference (the store's `labels` table holds the same).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from baocao.reference import label_kind, label_of
from baocao.safe_text import csv_cell, looks_like_formula
from baocao.store import Store
from baocao.store.catalog import relations
from baocao.store.ddl import arrow_types
from baocao.store.dictionary import vietnamese_header, vietnamese_sheet_name

Format = Literal["parquet", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("parquet", "csv", "xlsx")
WORKBOOK = "baocao.xlsx"

# What is exported, dashboard views first, each in a stable order so that two
# exports of the same data are the same files. schema_meta is internal.
EXPORTS: dict[str, str] = {
    "province_totals": "",  # the views order their rows themselves, unless said here
    "organization_figures_yearly": "",
    "official_form": "",
    "organization_figures": "",
    "indicator_values": "province, level, organization_name, organization_id, year, indicator",
    "figure_facts": "doc_id, figure_id",
    "figures_consolidated": "",
    "figure_timeseries": "",
    "organizations": "key",
    "organization_aliases": "organization_id, alias",
    "documents": "path, id",
    "figures": "doc_id, seq",
    "doc_refs": "doc_id, seq",
    "dates": "doc_id, seq",
    "people": "doc_id, seq",
    "rejected_inputs": "path, id",
    # most serious first, as in the audit report
    "audit_findings": "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, province, subject, rule, id",
    "labels": "kind, code",
    "official_indicators": "form, code",
}
LABEL_SUFFIX = "_vi"  # object -> object_vi: the Vietnamese label beside the code

# Excel refuses to open a workbook with a longer cell (audit_findings.facts_json can be
# longer): the workbook cuts such text and says so; parquet and csv keep it whole.
XLSX_MAX_CELL = 32_767
_CUT = " …[cắt bớt / truncated]"

def read_table(store: Store, table: str) -> pd.DataFrame:
    order = EXPORTS[table]
    return store.fetch_df(f"SELECT * FROM {table}" + (f" ORDER BY {order}" if order else ""))


def labelled_columns(table: str) -> dict[str, str]:
    """Code column -> its label kind, for the columns of `table` that hold codes."""
    return {c: kind for c in relations()[table].column_names if (kind := label_kind(table, c))}


def with_labels(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The rows with each code's Vietnamese label in a column right after the code."""
    out = df.copy()
    for column, kind in reversed(labelled_columns(table).items()):
        def label(code: object, kind: str = kind) -> str | None:
            found = label_of(kind, code) if isinstance(code, str) else None
            return found.label_vi if found else None

        out.insert(out.columns.get_loc(column) + 1, column + LABEL_SUFFIX, out[column].map(label))
    return out


def arrow_table(table: str, df: pd.DataFrame) -> pa.Table:
    """The rows (with their labels) in the store's column types, so that every parquet file of a table
    has one schema whatever its rows (page stays an integer with gaps, an empty table keeps its types)."""
    types = arrow_types()
    fields = []
    labelled = labelled_columns(table)
    for c in relations()[table].columns:
        fields.append((c.name, types[c.type]))
        if c.name in labelled:
            fields.append((c.name + LABEL_SUFFIX, pa.string()))
    return pa.Table.from_pandas(df, schema=pa.schema(fields), preserve_index=False).replace_schema_metadata(None)


def header(table: str, column: str) -> str:
    """The Vietnamese header of a column of the export: a code column says it holds the code, its
    label column takes the column's header ("Đối tượng (mã)", "Đối tượng")."""
    labelled = labelled_columns(table)
    if column in labelled:
        return f"{vietnamese_header(table, column)} (mã)"
    if column.endswith(LABEL_SUFFIX) and column[: -len(LABEL_SUFFIX)] in labelled:
        return vietnamese_header(table, column[: -len(LABEL_SUFFIX)])
    return vietnamese_header(table, column)


def _clean_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    # PDF text can carry control characters that openpyxl refuses to write.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= XLSX_MAX_CELL else value[: XLSX_MAX_CELL - len(_CUT)] + _CUT


def _write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for table, df in frames.items():
            sheet = df.copy()
            for col in sheet.columns:
                if not pd.api.types.is_numeric_dtype(sheet[col]):
                    sheet[col] = sheet[col].map(_clean_text)
            sheet.columns = [header(table, c) for c in df.columns]
            name = vietnamese_sheet_name(table)
            sheet.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            ws = writer.sheets[name]
            _inert_formulas(ws)
            for i, col in enumerate(sheet.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in sheet[col].head(200)])
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)


def _inert_formulas(ws) -> None:
    """Text that a spreadsheet would evaluate (=HYPERLINK(…), +, -, @ at the start) stays text:
    a string cell with Excel's quote-prefix mark, the words unchanged. openpyxl writes any
    string starting with "=" as a formula, so the cell type is set back to string."""
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text cells made safe for a spreadsheet (safe_text.csv_cell)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    return out


def export(store: Store, fmt: Format, out_dir: str | Path) -> list[Path]:
    """Export every table and view in `fmt` to `out_dir` (created if missing); returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = {table: with_labels(table, read_table(store, table)) for table in EXPORTS}

    if fmt == "xlsx":
        path = out / WORKBOOK
        _write_xlsx(frames, path)
        return [path]

    written = []
    for table, df in frames.items():
        path = out / f"{table}.{fmt}"
        if fmt == "parquet":
            pq.write_table(arrow_table(table, df), path)
        else:
            # UTF-8 with a BOM: without it Excel shows Vietnamese as mojibake.
            csv_frame(df).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written
