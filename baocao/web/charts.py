"""Charts of the overview as SVG, drawn on the server: Vega-Lite specs (altair) rendered by
vl-convert, whose Vega engine ships inside the Python package (no CDN, no JavaScript in the
page). Pages show them as <img>, so text from documents inside a chart can never run as
script, and an HTML table beside each chart gives the same numbers.

Rendering costs ~0.3 s a chart once vl-convert is warm (its first call ~2 s), so charts are
cached by their data: the same numbers are drawn once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

import altair as alt
import pandas as pd

_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 64
_LOCK = threading.Lock()

UNKNOWN = {"vi": "không rõ", "en": "unknown"}


def _svg(spec: dict[str, Any]) -> bytes:
    import vl_convert as vlc

    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    svg = vlc.vegalite_to_svg(spec).encode("utf-8")
    with _LOCK:
        _CACHE[key] = svg
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return svg


def warm_up() -> None:
    """Start vl-convert's engine (about 2 s) before the first person asks for a chart."""
    _svg(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict())


def _frame(per_province_year: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    df = pd.DataFrame.from_records(per_province_year, columns=["province", "year", "n"])
    unknown = UNKNOWN.get(lang, UNKNOWN["vi"])
    df["province"] = df["province"].where(df["province"].notna(), unknown)
    df["year"] = df["year"].map(lambda y: unknown if y is None or pd.isna(y) else str(int(y)))
    return df


def by_province(per_province_year: list[dict[str, Any]], lang: str, titles: dict[str, str]) -> bytes:
    """Figures per province, each bar split by year."""
    df = _frame(per_province_year, lang)
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("province:N", sort="-x", title=titles["province"]),
            x=alt.X("sum(n):Q", title=titles["figures"]),
            color=alt.Color("year:O", title=titles["year"], scale=alt.Scale(scheme="tableau10")),
            order=alt.Order("year:O"),
        )
        .properties(width=520, height=alt.Step(22), title=titles["by_province"])
    )
    return _svg(chart.to_dict())


def by_year(per_province_year: list[dict[str, Any]], lang: str, titles: dict[str, str]) -> bytes:
    """Figures per year (of their period, else their document's date), split by province."""
    df = _frame(per_province_year, lang)
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=titles["year"], sort="ascending"),
            y=alt.Y("sum(n):Q", title=titles["figures"]),
            color=alt.Color("province:N", title=titles["province"], scale=alt.Scale(scheme="tableau20")),
        )
        .properties(width=520, height=260, title=titles["by_year"])
    )
    return _svg(chart.to_dict())
