"""Denominator pass: the M of "N/M" ("356/541 tổ chức cơ sở đảng", "412/600 … so với chỉ tiêu").

M is the whole population (a stock) unless the sentence compares with a plan (then a goal), and
no figure when it repeats a number already stated."""

from __future__ import annotations

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, Noun, SentenceContext
from extractors.figure_passes.confidence import rate_confidence
from extractors.numbers import Number


def read_denominator(den: Number, c: FigureCandidate, ctx: SentenceContext) -> FigureCandidate | None:
    """The figure of `den`, the M of the N that `c` (just kept) counts."""
    text, sent, rules = ctx.text, c.sentence, ctx.rules
    figures = ctx.figures
    if any(f.number.value == den.value for f in figures[ctx.first : -1]) or \
            any(f.number.value == den.value and f.object == c.object for f in figures[max(0, ctx.first - 6) : ctx.first]):
        return None  # a back-reference to a figure already stated
    d = FigureCandidate(number=den, sentence=sent, tail=den.end, quote_start=den.start, denominator_of=len(figures) - 1)
    if ctx.shape("denominator_plan").search(text, sent.start, den.start):
        obj, event, d.target = c.object, c.event, True
        d.decide("target", "ratio_to_plan")
    else:
        base = rules.object_label.get(fold(c.phrase), c.object)
        obj = {"trainee": "party_member"}.get(base, base) if base in rules.persons | {"trainee"} else base
        if fold(c.phrase) not in ("đảng viên", "đảng viên mới") and base == "trainee":
            return None
        event = "total"
    d.noun = Noun(obj, c.phrase, c.end, "denominator")
    d.object, d.phrase, d.event, d.clause_event = obj, c.phrase, event, event
    d.decide("event", "denominator", text[c.number.start : den.end], 0.9)
    rate_confidence(d, ctx)
    return d
