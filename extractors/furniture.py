"""Web-page furniture (visitor counters, log-in links, comment forms) is not part of an article."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FurnitureRules:
    line: re.Pattern[str]
    counter_heading: re.Pattern[str]

    @classmethod
    def from_data(cls, data: dict) -> FurnitureRules:
        line = re.compile(r"^[ \t]*(?:" + "|".join(data["line_patterns"]) + r")[^\n]*$", re.IGNORECASE | re.MULTILINE)
        heading = re.compile(r"^[ \t]*(?:" + "|".join(map(re.escape, data["counter_headings"])) + r")[^\n]*\n[ \t]*[\d.,]+[ \t]*$",
                             re.IGNORECASE | re.MULTILINE)
        return cls(line, heading)


def furniture_spans(text: str, rules: FurnitureRules) -> list[tuple[int, int]]:
    """(start, end) of every furniture line."""
    spans = [(m.start(), m.end()) for m in rules.line.finditer(text)]
    spans += [(m.start(), m.end()) for m in rules.counter_heading.finditer(text)]
    return sorted(spans)
