"""Detail pass: what an `other`, `inspected` or `supervised` figure is, beyond the interchange code.

A badge and its years ("Huy hiệu 30 năm tuổi Đảng" → badge_30_years), a rating level ("hoàn
thành xuất sắc nhiệm vụ" → rating_excellent), a form of discipline ("khiển trách" →
discipline_reprimand), official membership, a transfer, a congress, an introduction to the
Party … from the vocabulary of details.json: read first after the counted noun, then between
the cue (or the previous figure) and the number; a figure that continues another ("… 317 tổ chức
và 513 đảng viên") takes its detail.  The first detail of the file that the words state wins, so
the more specific ones are listed first.
"""

from __future__ import annotations

import re

from extractors.figure_candidate import FigureCandidate, SentenceContext

_CLAUSE_END = re.compile(r"[,;]")


def read_detail(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent = ctx.text, c.sentence
    if ctx.shape("change_before").search(text, max(sent.start, c.number.start - 20), c.quote_start or c.number.start):
        c.detail = "change"  # "tăng 230 tổ chức so với cùng kỳ": a difference, not a count
        c.decide("detail", "change", text[max(sent.start, c.number.start - 12) : c.number.start].strip(), 0.9)
        return
    lower = ctx.doc.lower if ctx.doc.lower is not None else text.lower()
    stop = _CLAUSE_END.search(text, c.noun.end, sent.end)
    after = (c.noun.end, stop.start() if stop else sent.end)
    prev = ctx.previous()
    lo = max(sent.start, text.rfind(";", sent.start, c.number.start) + 1, prev.end if prev else 0)
    if c.cue is not None and c.cue.start > lo:
        lo = c.cue.start
    for region in (after, (lo, c.number.start)):
        for rule in ctx.rules.details:
            if c.event not in rule.events:
                continue
            m = rule.regex.search(lower, *region)
            if m is None:
                continue
            code = rule.code
            if rule.years:
                years = sorted({y.group(1) for y in ctx.shape("badge_year").finditer(text, *region)})
                if len(years) == 1:
                    code = f"{code}_{years[0]}_years"
            c.detail = code
            c.decide("detail", "words", text[m.start() : m.end()])
            return
    source = ctx.figures[c.linked] if c.linked is not None else prev if c.coordinated else None
    if source is not None and source.detail and source.event == c.event:
        c.detail = source.detail
        c.decide("detail", "continues", source.phrase, 0.9)
