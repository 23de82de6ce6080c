"""Full calendar dates: 26/6/2019, 26-6-2019, 9.3.2012, ngày 20 tháng 11 năm 2014, and ranges.

A shortened range ("3-4/7/2022", "từ 5 đến 9-3-2012") gives the fully written date and,
marked implied, the date its first day stands for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_NUMERIC = re.compile(
    # the look-behind after the first digit: a regex that starts with a digit is tried only at digits
    r"(?P<d>\d(?<![\d/.]\d)\d?)\s?(?P<sep>[/.\-])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<y>(?:1[89]|20)\d{2})(?![\d/]|\.\d)"
)
_WORDS = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,\s*)?năm\s+(?P<y>(?:1[89]|20)\d{2})(?!\d)", re.IGNORECASE
)
# "3-4/7/2022" or "từ 5 đến 9-3-2012": a bare day just before a full date.
_SHORT_RANGE = re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})\s*(?:-|–|đến|tới)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    date: dt.date
    implied: bool = False  # the first day of a shortened range


def _make(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[DateSpan]:
    out: list[DateSpan] = []
    for rx in (_NUMERIC, _WORDS):
        for m in rx.finditer(text):
            date = _make(m["y"], m["m"], m["d"])
            if date is None:
                continue
            out.append(DateSpan(m.start(), m.end(), date))
            short = _SHORT_RANGE.search(text[max(0, m.start() - 12) : m.start()])
            if short and rx is _NUMERIC:
                first = _make(m["y"], m["m"], short["d"])
                if first and first < date:
                    s = m.start() - 12 + short.start("d") if m.start() >= 12 else short.start("d")
                    out.append(DateSpan(s, s + len(short["d"]), first, implied=True))
    out.sort(key=lambda d: d.start)
    return out
