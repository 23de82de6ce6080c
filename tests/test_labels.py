"""Every code the dataset can hold has a Vietnamese and an English label: the literals of the
records, the segments and details of the extractors' data, the audit's rules, the registry's levels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from baocao.organizations import load_rules
from baocao.reference import detail_codes, label_map, label_of, load_indicators, load_labels, stock_events
from schemas.records import EventKind, ObjectKind, Qualifier

ROOT = Path(__file__).resolve().parents[1]


def _codes(kind: str) -> set[str]:
    return {code for k, code in label_map() if k == kind}


@pytest.mark.parametrize(
    "kind, codes",
    [
        ("object", set(get_args(ObjectKind))),
        ("event", set(get_args(EventKind))),
        ("qualifier", set(get_args(Qualifier))),
        ("segment", set(json.loads((ROOT / "extractors/data/segments.json").read_text())["segments"])),
        ("detail", set(detail_codes()) | {"change"}),
        ("level", set(load_rules().levels)),
        ("severity", {"error", "warning", "info"}),
    ],
)
def test_every_code_has_a_label(kind: str, codes: set[str]) -> None:
    assert codes, kind
    assert codes <= _codes(kind), f"{kind} codes without a label in baocao/reference/data/labels.json: {codes - _codes(kind)}"


def test_every_audit_rule_is_a_labelled_finding_kind() -> None:
    messages = json.loads((ROOT / "baocao/audit/audit_config.json").read_text())["messages"]
    rules = {k for k in messages if not k.startswith("_")}
    assert rules and rules <= _codes("finding_kind"), rules - _codes("finding_kind")


def test_labels_are_bilingual_and_unique() -> None:
    labels = load_labels()
    assert len({(lb.kind, lb.code) for lb in labels}) == len(labels)
    assert all(lb.label_vi.strip() and lb.label_en.strip() for lb in labels)


def test_codes_with_a_number_are_labelled_from_their_base() -> None:
    assert label_of("detail", "badge_45_years").label_vi == "Huy hiệu 45 năm tuổi Đảng"
    assert label_of("segment", "state_capital_enterprise>50").label_vi == "Doanh nghiệp có vốn nhà nước trên 50%"
    assert label_of("segment", "nonsense<5") is None


def test_indicators_name_codes_that_exist() -> None:
    for i in load_indicators().indicators:
        assert label_of("object", i.object) and label_of("event", i.event), i.code
        assert i.segment is None or label_of("segment", i.segment), i.code
        assert i.detail is None or label_of("detail", i.detail), i.code
        assert i.detail is None or i.detail.startswith("badge_") or i.detail in detail_codes(), i.code
        assert i.code.isidentifier() and i.code.islower(), i.code
    assert stock_events() == ("total",)
