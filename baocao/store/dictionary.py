"""What the tables and columns mean, read from the data files in `schemas/`.

- schemas/headers_vi.json: Vietnamese column headers (xlsx export, data dictionary)
- schemas/table_descriptions.json: English and Vietnamese descriptions
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads(files("schemas").joinpath(name).read_text(encoding="utf-8"))


def headers_vi() -> dict[str, Any]:
    return _load("headers_vi.json")


def table_descriptions() -> dict[str, Any]:
    return _load("table_descriptions.json")


def vietnamese_header(table: str, column: str) -> str:
    """The header a Vietnamese reader sees for `column` of `table`; the column name if none is defined."""
    data = headers_vi()
    own = data["tables"].get(table, {}).get(column) or data["columns"].get(column)
    if own:
        return own
    indicator = _indicator(column)
    return indicator.label_vi if indicator else column


def vietnamese_sheet_name(table: str) -> str:
    """The workbook sheet of `table`: its Vietnamese name (Excel allows 31 characters)."""
    return headers_vi()["sheets"].get(table, table)[:31]


def _indicator(column: str):  # -> baocao.reference.Indicator | None
    from baocao.reference import load_indicators

    return next((i for i in load_indicators().indicators if i.code == column), None)


def has_description(table: str) -> bool:
    return table in table_descriptions()["tables"]


def describe_table(table: str) -> dict[str, str]:
    """{'kind', 'en', 'vi'} of a table or view."""
    entry = table_descriptions()["tables"][table]
    return {"kind": entry["kind"], "en": entry["en"], "vi": entry["vi"]}


def describe_column(table: str, column: str) -> dict[str, str] | None:
    """{'en', 'vi'} of a column: the table's own description, else the shared one, else (a column
    of the official_form view) its indicator's; None if undescribed."""
    data = table_descriptions()
    own = data["tables"].get(table, {}).get("columns", {}).get(column) or data["shared_columns"].get(column)
    if own:
        return own
    indicator = _indicator(column)
    if indicator is None:
        return None
    return {
        "en": f"Indicator {indicator.code} of the form '{indicator.form}': {indicator.label_en} "
        "(value of the year, from organization_figures_yearly).",
        "vi": f"Chỉ tiêu {indicator.code} của biểu '{indicator.form}': {indicator.label_vi} "
        "(giá trị của năm, lấy từ organization_figures_yearly).",
    }
