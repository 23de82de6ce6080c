"""The scope a figure is restricted to (doanh nghiệp ngoài nhà nước, có vốn nhà nước > 50%, FDI,
khu công nghiệp, cơ quan …), as a normalized code from data/segments.json."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.cues import FoldedRegex, fold, labelled_regex


@dataclass(frozen=True)
class SegmentRules:
    regex: FoldedRegex
    label: dict[str, str]  # folded phrase -> segment code
    share: re.Pattern[str]
    right_only: frozenset[str]
    rank: dict[str, int]  # the more specific code first
    place_before: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict) -> SegmentRules:
        rx, label = labelled_regex(data["segments"])
        return cls(FoldedRegex.compile(rx.pattern), label, re.compile(data["share_pattern"], re.IGNORECASE), frozenset(data["right_only"]),
                   {code: i for i, code in enumerate(data["segments"])},
                   re.compile(data["place_before"], re.IGNORECASE))


def segment_of(text: str, phrase_start: int, clause_end: int, clause_start: int, number_start: int,
               rules: SegmentRules, lower: str | None = None) -> str | None:
    """Segment read in the counted noun phrase and the rest of its clause, else earlier in the clause.
    `lower`: the text in lower case, when that keeps every offset (scanned much faster).

    A capital share is appended: 'state_capital_enterprise>50', 'state_capital_enterprise<50'."""
    rx, label = rules.regex, rules.label
    found = list(rx.finditer(text, lower, phrase_start, clause_end))
    if found:
        m = min(found, key=lambda x: rules.rank[label[fold(x.group(0))]])  # the most specific one
    else:
        # earlier in the clause only as a place: "trong các doanh nghiệp ngoài khu vực nhà nước, …"
        before = [x for x in rx.finditer(text, lower, clause_start, number_start)
                  if label[fold(x.group(0))] not in rules.right_only
                  and rules.place_before.search(text[max(clause_start, x.start() - 16) : x.start()])]
        if not before:
            return None
        m = before[-1]  # the nearest one before the number
    code = label[fold(m.group(0))]
    s = rules.share.match(text[m.end() : m.end() + 40].lstrip())
    if s and code == "state_capital_enterprise":
        op = {"trên": ">", "hơn": ">", "dưới": "<", "từ": ">="}[s.group(1).lower()]
        if s.group(3):
            op = ">="
        code += f"{op}{s.group(2)}"
    return code
