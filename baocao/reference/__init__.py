"""Reference data the dataset ships with: labels of every code and the official indicators.

    labels = load_labels()                 # [Label(kind, code, label_vi, label_en), ...]
    label_kind("figures", "object")        # 'object': the label kind a column's codes belong to
    load_indicators()                      # Indicators(forms, indicators) from official_indicators.json

Sources (data files, edited by a domain expert, never code): data/labels.json (objects, events,
qualifiers, segments, audit finding kinds, …), baocao/organizations/data/org_levels.json (levels,
organization kinds, scopes), extractors/data/details.json when it exists (details), and
data/official_indicators.json (indicator forms and indicators). The tables `labels` and
`official_indicators` are rewritten from them by each run (see stage.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Label kinds whose codes come from labels.json, in the order the labels table lists them.
_LABEL_FILE_KINDS = (
    "object", "event", "qualifier", "segment", "detail", "finding_kind", "severity", "period_source",
    "document_status", "person_kind",
)  # fmt: skip
# org_levels.json section -> label kind.
_ORG_KINDS = {"levels": "level", "kinds": "organization_kind", "scopes": "organization_scope"}


@dataclass(frozen=True)
class Label:
    kind: str
    code: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Indicator:
    code: str  # also the column name of the official_form view
    form: str
    label_vi: str
    label_en: str
    object: str
    event: str
    segment: str | None
    detail: str | None


@dataclass(frozen=True)
class Indicators:
    forms: dict[str, dict[str, str]]
    indicators: tuple[Indicator, ...]
    source_vi: str
    source_en: str


def _json(package: str, *path: str) -> Any:
    return json.loads(resources.files(package).joinpath(*path).read_text(encoding="utf-8"))


@cache
def labels_data() -> dict[str, Any]:
    return _json("baocao.reference", "data", "labels.json")


def detail_codes() -> list[str]:
    """The detail codes of extractors/data/details.json (the figure reader's vocabulary)."""
    path = resources.files("extractors").joinpath("data", "details.json")
    if not path.is_file():
        return []
    raw: Any = json.loads(path.read_text(encoding="utf-8"))
    return [code for code in raw.get("details", {}) if not code.startswith("_")]


@cache
def details_data() -> dict[str, dict[str, str]]:
    """Labels of the detail codes, from labels.json ('detail'); a code of details.json that has
    none there gets no label (and a test says so), never its code as a label."""
    return {code: e for code, e in labels_data()["detail"].items() if not code.startswith("_")}


@cache
def load_indicators() -> Indicators:
    data = _json("baocao.reference", "data", "official_indicators.json")
    return Indicators(
        forms=data["forms"],
        indicators=tuple(
            Indicator(i["code"], i["form"], i["vi"], i["en"], i["object"], i["event"], i.get("segment"), i.get("detail"))
            for i in data["indicators"]
        ),
        source_vi=data["source_vi"],
        source_en=data["source_en"],
    )


@cache
def load_labels() -> tuple[Label, ...]:
    data = labels_data()
    out: list[Label] = []
    for kind in _LABEL_FILE_KINDS:
        entries = details_data() if kind == "detail" else data[kind]
        out += [Label(kind, code, e["vi"], e["en"]) for code, e in entries.items() if not code.startswith("_")]
    org = _json("baocao.organizations", "data", "org_levels.json")
    for section, kind in _ORG_KINDS.items():
        out += [Label(kind, code, e["vi"], e["en"]) for code, e in org[section].items() if not code.startswith("_")]
    ind = load_indicators()
    out += [Label("indicator_form", code, f["vi"], f["en"]) for code, f in ind.forms.items()]
    out += [Label("indicator", i.code, i.label_vi, i.label_en) for i in ind.indicators]
    return tuple(out)


_SHARE = re.compile(r"^(?P<base>[a-z_]+)(?P<op>>=|>|<)(?P<n>\d{1,3})$")
_YEARS = re.compile(r"^badge_(?P<n>\d{1,3})_years$")


def label_of(kind: str, code: str) -> Label | None:
    """The label of a code, including the codes that carry a number: a segment with a capital share
    ('state_capital_enterprise>50') and a badge with its years ('badge_30_years')."""
    found = label_map().get((kind, code))
    if found is not None:
        return found
    if kind == "detail" and (m := _YEARS.match(code)):
        years = labels_data()["detail_years"]
        return Label(kind, code, years["vi"].format(n=m.group("n")), years["en"].format(n=m.group("n")))
    m = _SHARE.match(code) if kind == "segment" else None
    base = label_map().get(("segment", m.group("base"))) if m else None
    if m is None or base is None:
        return None
    share = labels_data()["segment_shares"][m.group("op")]
    n = m.group("n")
    return Label(kind, code, f"{base.label_vi} {share['vi'].format(n=n)}", f"{base.label_en}, {share['en'].format(n=n)}")


def labels_for(kind: str, codes: Iterable[str]) -> list[Label]:
    """Labels of codes the shipped list does not hold but can name (segments with a share, badges with their years)."""
    out = []
    for code in sorted(set(codes)):
        if (kind, code) not in label_map():
            lb = label_of(kind, code)
            if lb is not None:
                out.append(lb)
    return out


def label_kind(table: str, column: str) -> str | None:
    """The label kind of the codes in `column` of `table` (None: not a code column)."""
    data = labels_data()
    own = data["table_columns"].get(table, {})
    return own[column] if column in own else data["columns"].get(column)


@cache
def label_map() -> dict[tuple[str, str], Label]:
    return {(lb.kind, lb.code): lb for lb in load_labels()}


def stock_events() -> tuple[str, ...]:
    """Events that count a stock at a date (the rest count a flow over a period)."""
    return tuple(code for code, e in labels_data()["event"].items() if not code.startswith("_") and e["measure"] == "stock")
