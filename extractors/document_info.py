"""Document-level facts: the date of the document itself and the province it is about."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from extractors.dates import DateSpan
from extractors.gazetteer import Gazetteer

# A metadata line "date 2025-09-28" (crawler output) states the publication date.
_META_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.MULTILINE)
# What may stand on a page's date line besides the date: weekday, time, "Cập nhật lúc", a byline.
_DATE_LINE_FILLER = re.compile(
    r"(?:cập nhật(?: lúc| ngày)?|ngày đăng|đăng lúc|đăng ngày|ngày|số lượt xem\s*:?\s*\d*|lượt xem\s*:?\s*\d*"
    r"|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|\(gmt\+?\d*\)|gmt\+?\d*"
    r"|\d{1,2}:\d{2}(?::\d{2})?|[,|\-–—:()])",
    re.IGNORECASE,
)
# "Thái Nguyên, ngày 20 tháng 10 năm 2021": the place-and-date line of an official document.
_PLACE_DATE = re.compile(r"^\s*[A-ZĐÀ-Ỹ][\wÀ-ỹ ]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.MULTILINE)

_HEAD_LINES = 25


def doc_date(text: str, dates: list[DateSpan], header_date: dt.date | None = None) -> dt.date | None:
    """The document's own date: the place-date line of its Party/State header (extractors.header,
    wherever the header's columns put it), a metadata line, the date line of a web page, or a
    place-date line near the top."""
    if header_date is not None:
        return header_date
    m = _META_DATE.search(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    head_end = _offset_of_line(text, _HEAD_LINES)
    candidates: list[dt.date] = []
    for d in dates:
        if d.implied or d.start > head_end:
            continue
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.end)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        rest = line[: d.start - line_start] + " " + line[d.end - line_start :]
        rest = _DATE_LINE_FILLER.sub(" ", rest)
        words = rest.split()
        # A date line holds little else: at most a byline in capitals or a few site words.
        byline = all(w.isupper() for w in words) and len(words) <= 6
        if not words or byline or (len(words) <= 4 and len(line) < 80 and not any(w[0].islower() for w in words)):
            candidates.append(d.date)
            continue
        if _PLACE_DATE.match(line) and line_start <= d.start:
            candidates.append(d.date)
    if not candidates:
        return None
    # A site banner shows the day the page was viewed, always after the article's own date.
    return min(candidates)


def _offset_of_line(text: str, n: int) -> int:
    pos = 0
    for _ in range(n):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def province_of(text: str, gazetteer: Gazetteer, furniture_from: int | None = None) -> str | None:
    """The pre-2025 province a document is about, by the places it names; None when unclear."""
    body = text if furniture_from is None else text[:furniture_from]
    scores: Counter[str] = Counter()
    for m in gazetteer.mentions(body):
        weight = 3 if m.kind == "province" and m.qualified else 2 if m.kind == "province" else 2 if m.qualified else 1.5
        scores[m.province] += weight
    if not scores:
        return None
    ranked = scores.most_common(2)
    best, score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] * 1.5 > score:
        return None  # several provinces with similar weight: a national or multi-province text
    return best
