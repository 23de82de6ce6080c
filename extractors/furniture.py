"""Web-page furniture (visitor counters, log-in links, comment forms) is not part of an article."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.cues import load_json


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_json("furniture.json")
    line = re.compile(r"^[ \t]*(?:" + "|".join(data["line_patterns"]) + r")[^\n]*$", re.IGNORECASE | re.MULTILINE)
    heading = re.compile(r"^[ \t]*(?:" + "|".join(map(re.escape, data["counter_headings"])) + r")[^\n]*\n[ \t]*[\d.,]+[ \t]*$",
                         re.IGNORECASE | re.MULTILINE)
    return line, heading


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every furniture line."""
    line, heading = _patterns()
    spans = [(m.start(), m.end()) for m in line.finditer(text)]
    spans += [(m.start(), m.end()) for m in heading.finditer(text)]
    return sorted(spans)
