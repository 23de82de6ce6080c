"""The scope a figure is restricted to (doanh nghiệp ngoài nhà nước, có vốn nhà nước > 50%, FDI,
khu công nghiệp, cơ quan …), as a normalized code from data/segments.json."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.cues import fold, labelled_regex, load_json


@lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    data = load_json("segments.json")
    rx, label = labelled_regex(data["segments"])
    return rx, label, re.compile(data["share_pattern"], re.IGNORECASE)


@lru_cache(maxsize=1)
def _right_only() -> frozenset[str]:
    return frozenset(load_json("segments.json")["right_only"])


@lru_cache(maxsize=1)
def _order() -> list[str]:
    return list(load_json("segments.json")["segments"])


# A segment phrase earlier in the clause scopes the figure when it is a place ("trong các doanh
# nghiệp …") or opens the clause or a part of a breakdown ("(doanh nghiệp có vốn Nhà nước … kết nạp
# được 258 đảng viên; doanh nghiệp ngoài nhà nước kết nạp được 115").
_PLACE_BEFORE = re.compile(r"(?:(?:trong|ở|tại|thuộc)(?:\s+(?:các|những))?\s+|[(;:]\s*|^\s*)$", re.IGNORECASE)


def segment_of(text: str, phrase_start: int, clause_end: int, clause_start: int, number_start: int) -> str | None:
    """Segment read in the counted noun phrase and the rest of its clause, else earlier in the clause.

    A capital share is appended: 'state_capital_enterprise>50', 'state_capital_enterprise<50'."""
    rx, label, share = _regexes()
    rank = {code: i for i, code in enumerate(_order())}
    found = list(rx.finditer(text, phrase_start, clause_end))
    if found:
        m = min(found, key=lambda x: rank[label[fold(x.group(0))]])  # the most specific one
    else:
        # earlier in the clause only as a place: "trong các doanh nghiệp ngoài khu vực nhà nước, …"
        right_only = _right_only()
        before = [x for x in rx.finditer(text, clause_start, number_start)
                  if label[fold(x.group(0))] not in right_only
                  and _PLACE_BEFORE.search(text[max(clause_start, x.start() - 16) : x.start()])]
        if not before:
            return None
        m = before[-1]  # the nearest one before the number
    code = label[fold(m.group(0))]
    s = share.match(text[m.end() : m.end() + 40].lstrip())
    if s and code == "state_capital_enterprise":
        op = {"trên": ">", "hơn": ">", "dưới": "<", "từ": ">="}[s.group(1).lower()]
        if s.group(3):
            op = ">="
        code += f"{op}{s.group(2)}"
    return code
