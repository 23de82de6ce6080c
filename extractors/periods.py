"""When a figure holds: an interval (năm 2021, nhiệm kỳ 2015 - 2020, 9 tháng năm 2020, quý I-2022,
từ năm 2017 đến nay) or an as-of date (hiện nay, đến nay, đến cuối tháng 8-2019).

Expressions (data/periods.json) are found once per document; a figure takes the nearest one before it in its
sentence, else one right after it in the same clause ("kết nạp 2 đảng viên trong tháng 5 năm 2018"),
else the last one of its paragraph.  Stocks with no period hold at the document's date.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from extractors.cues import FirstOf
from extractors.sentences import Sentence


@dataclass(frozen=True)
class PeriodSpan:
    start: int
    end: int
    period_start: dt.date | None
    period_end: dt.date | None
    kind: str  # interval | as_of | open (from a start to the document's date)
    # Where its dates come from: the expression itself ("năm 2021"), the document's date ("hiện nay",
    # "từ đầu năm đến nay"), or other context of the text ("từ khi thành lập đến nay" and a founding
    # date a page banner gave). A copy without that context reads no period or another one.
    basis: str = "stated"


def _end_of_month(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class PeriodRules:
    """The period expressions of data/periods.json, compiled once."""

    patterns: tuple[tuple[str, FirstOf], ...]  # (kind, regex or its parts) in the order they are tried
    founded: re.Pattern[str]
    anniversary: re.Pattern[str]
    term: re.Pattern[str]
    named_year: re.Pattern[str]
    quarters: dict[str, int]

    @classmethod
    def from_data(cls, data: dict) -> PeriodRules:
        def rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
            return re.compile(pattern.replace("{Y}", data["year"]), flags)

        kinds = [(p["kind"], p["regex"]) for p in data["patterns"]]
        unknown = {k for k, _ in kinds} - set(_KINDS)
        if unknown:
            raise ValueError(f"periods.json: unknown period kinds {sorted(unknown)}")
        return cls(
            # all the patterns' words are written in lower case
            patterns=tuple((k, FirstOf.compile([p.replace("{Y}", data["year"]) for p in ([r] if isinstance(r, str) else r)]))
                           for k, r in kinds),
            founded=rx(data["founded"]),
            anniversary=rx(data["anniversary"]),
            term=rx(data["term"]),
            named_year=rx(data["named_year"]),
            quarters=dict(data["quarters"]),
        )


def find_periods(text: str, doc_date: dt.date | None, rules: PeriodRules, lower: str | None = None) -> list[PeriodSpan]:
    """Every period expression of the text, resolved against the document's date.  `lower`:
    lower_keeping_offsets(text) (None: the patterns are matched ignoring case, slower)."""
    # spans already taken by a period, disjoint, kept sorted (starts and ends side by side) so that
    # a match is checked against its neighbours only
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    out: list[PeriodSpan] = []
    founded = _founding(text, rules)
    scans = _Scans(text, rules)
    for kind, rx in rules.patterns:
        for m in rx.finditer(text, lower):
            i = bisect.bisect_left(taken_starts, m.end())
            if i > 0 and taken_ends[i - 1] > m.start():
                continue  # overlaps a period found before (by an earlier, more specific pattern)
            span = _resolve(kind, m, text, doc_date, founded, rules, scans)
            if span is None:
                continue
            span = replace(span, basis=_basis(kind, m))
            taken_starts.insert(i, m.start())
            taken_ends.insert(i, m.end())
            out.append(span)
    return sorted(out, key=lambda p: p.start)


def _founding(text: str, rules: PeriodRules) -> dt.date | None:
    a = rules.anniversary.search(text)
    if a:
        try:
            return dt.date(int(a.group(3)), int(a.group(2)), int(a.group(1)))
        except ValueError:
            pass
    m = rules.founded.search(text)
    if not m:
        return None
    try:
        if m.group(3):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date(int(m.group(4)), 1, 1)
    except ValueError:
        return None


class _Scans:
    """Whole-text scans a period may need (the terms named, the years named), made once per text
    and on first use: made per period, they made a long document's cost grow with its square."""

    def __init__(self, text: str, rules: PeriodRules) -> None:
        self.text, self.rules = text, rules
        self._terms: list[re.Match[str]] | None = None
        self._years: tuple[list[int], list[int]] | None = None

    def terms(self) -> list[re.Match[str]]:
        if self._terms is None:
            self._terms = list(self.rules.term.finditer(self.text))
        return self._terms

    def last_year_before(self, s: int) -> int | None:
        """The last year named (rules.named_year) that ends at or before offset s."""
        if self._years is None:
            found = list(self.rules.named_year.finditer(self.text))
            self._years = ([y.end() for y in found], [int(y.group(1)) for y in found])
        ends, years = self._years
        i = bisect.bisect_right(ends, s)
        return years[i - 1] if i else None


def _resolve(kind: str, m: re.Match[str], text: str, doc_date: dt.date | None, founded: dt.date | None,
             rules: PeriodRules, scans: _Scans) -> PeriodSpan | None:
    s, e = m.start(), m.end()
    try:
        if kind == "since_founding":
            return PeriodSpan(s, e, founded, doc_date, "open")
        if kind == "year_start_to_now":
            year = int(m.group(1)) if m.group(1) else (doc_date.year if doc_date else None)
            return PeriodSpan(s, e, dt.date(year, 1, 1) if year else None, doc_date, "open")
        if kind == "term_start_to_now":
            if m.group(1):
                return PeriodSpan(s, e, dt.date(int(m.group(1)), 1, 1), doc_date, "open")
            terms = scans.terms()
            term = terms[0] if terms else None
            return PeriodSpan(s, e, dt.date(int(term.group(1)), 1, 1) if term else None, doc_date, "open")
        if kind == "year_to_now":
            return PeriodSpan(s, e, dt.date(int(m.group(1)), 1, 1), doc_date, "open")
        if kind in ("year_range", "term"):
            a, b = int(m.group(1)), int(m.group(2))
            if not (a <= b <= a + 30):
                return None
            return PeriodSpan(s, e, dt.date(a, 1, 1), dt.date(b, 12, 31), "interval")
        if kind == "months_of_year":
            n, y = int(m.group(1)), int(m.group(2))
            return PeriodSpan(s, e, dt.date(y, 1, 1), _end_of_month(y, n), "interval") if 1 <= n <= 12 else None
        if kind == "quarter":
            q = rules.quarters.get(m.group(1).upper()) or int(m.group(1))
            y = int(m.group(2))
            return PeriodSpan(s, e, dt.date(y, 3 * q - 2, 1), _end_of_month(y, 3 * q), "interval")
        if kind == "as_of_month":
            d = _end_of_month(int(m.group(2)), int(m.group(1)))
            return PeriodSpan(s, e, d, d, "as_of")
        if kind == "month":
            y, mo = int(m.group(2)), int(m.group(1))
            return PeriodSpan(s, e, dt.date(y, mo, 1), _end_of_month(y, mo), "interval")
        if kind == "n_years":
            n = int(next(g for g in m.groups() if g))  # one number, in whichever branch or part matched
            if doc_date is None or not 1 <= n <= 30:
                return None
            return PeriodSpan(s, e, dt.date(doc_date.year - n, doc_date.month, 1), doc_date, "interval")
        if kind == "this_term":
            terms = scans.terms()
            if not terms:
                return None
            par_start = text.rfind("\n", 0, s) + 1
            in_paragraph = [t for t in terms if par_start <= t.start() < s]
            if in_paragraph:  # "Trong nhiệm kỳ 2020 - 2025, … chỉ tiêu …: Trong nhiệm kỳ kết nạp …"
                t = in_paragraph[-1]
                return PeriodSpan(s, e, dt.date(int(t.group(1)), 1, 1), dt.date(int(t.group(2)), 12, 31), "interval")
            # the term running at the document's date (the earlier one when two overlap), else the last named
            running = [t for t in terms if doc_date and int(t.group(1)) <= doc_date.year <= int(t.group(2))]
            t = min(running, key=lambda t: int(t.group(1))) if running else terms[-1]
            return PeriodSpan(s, e, dt.date(int(t.group(1)), 1, 1), dt.date(int(t.group(2)), 12, 31), "interval")
        if kind == "year":
            y = int(m.group(1))
            return PeriodSpan(s, e, dt.date(y, 1, 1), dt.date(y, 12, 31), "interval")
        if kind == "this_year":
            # "Trong năm" is the year the text last named ("tổng kết … năm 2017"), else the document's year
            named = scans.last_year_before(s)
            year = named if named is not None else (doc_date.year if doc_date else None)
            if year is None:
                return None
            return PeriodSpan(s, e, dt.date(year, 1, 1), dt.date(year, 12, 31), "interval")
        if kind == "now":
            return PeriodSpan(s, e, doc_date, doc_date, "as_of")
    except (ValueError, TypeError):
        return None
    return None


_FROM_DOCUMENT_DATE = frozenset({"year_start_to_now", "year_to_now", "n_years", "now"})
_FROM_CONTEXT = frozenset({"since_founding", "this_term", "this_year"})


def _basis(kind: str, m: re.Match[str]) -> str:
    """Where a period's dates come from (PeriodSpan.basis), by the expression that gave it."""
    if kind in _FROM_CONTEXT or (kind == "term_start_to_now" and not m.group(1)):
        return "context"
    if kind in _FROM_DOCUMENT_DATE or kind == "term_start_to_now":
        return "document_date"
    return "stated"


def period_for(periods: list[PeriodSpan], starts: list[int], sent: Sentence, number_start: int, clause_end: int,
               paragraph_last: PeriodSpan | None) -> PeriodSpan | None:
    """The period a figure at `number_start` holds for.  `periods` as find_periods gives them
    (sorted by start, not overlapping), `starts` their starts: only those near the sentence are read."""
    lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_right(starts, number_start)
    before = [p for p in periods[lo:hi] if p.end <= number_start]
    if before:
        return before[-1]
    after = [p for p in periods[hi : bisect.bisect_left(starts, clause_end)] if number_start < p.start and p.end <= sent.end]
    if after:
        return after[0]
    return paragraph_last


_KINDS = ("since_founding", "year_start_to_now", "term_start_to_now", "year_to_now", "year_range", "term",
          "months_of_year", "quarter", "as_of_month", "month", "n_years", "this_term", "year", "this_year", "now")
