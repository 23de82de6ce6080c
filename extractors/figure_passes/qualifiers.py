"""Qualifier pass: how the number is qualified (gần, trên, từ … trở lên, bình quân …)."""

from __future__ import annotations

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, SentenceContext


def read_qualifier(c: FigureCandidate, ctx: SentenceContext) -> None:
    """The qualifier word right before the number (Matcher), or an average word earlier in the
    clause ("bình quân mỗi năm kết nạp 120 đảng viên").  The quote starts at the qualifier."""
    text, sent, num = ctx.text, c.sentence, c.number
    c.quote_start = num.start
    m = c.window.qualifier(num.start)
    if m is None:
        clause_lo = max([sent.start] + [i + 1 for i in (text.rfind(ch, sent.start, num.start) for ch in ",;:(") if i >= 0])
        average = ctx.rules.average_clause.search(text, clause_lo, num.start) or \
            ctx.rules.average_clause.match(text, sent.start, num.start)  # "Bình quân mỗi chi bộ thôn, bản có 18 đảng viên"
        if average:
            c.qualifier = "average"
            c.decide("qualifier", "average_clause", average.group(0))
            return
        closer = c.window.after("AT_LEAST_END", c.noun.end, max_words=3, across_commas=False) if c.noun else None
        if closer:
            c.qualifier = "at_least"  # "kết nạp 600 đảng viên trở lên"
            c.decide("qualifier", "at_least_after", text[closer.start : closer.end])
        return
    if m.id == "at_least" and fold(text[m.start : m.end]) == "từ":
        # "từ 700 đảng viên trở lên": without the closer, "từ" is a preposition
        closer = c.window.after("AT_LEAST_END", c.noun.end, across_commas=False)
        if not (closer and closer.start - c.noun.end <= 60):
            return
    c.qualifier, c.quote_start = m.id, m.start
    c.decide("qualifier", "word", text[m.start : m.end])
