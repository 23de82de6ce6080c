"""Target pass: whether the number is a goal or plan (chỉ tiêu, phấn đấu, kế hoạch đề ra …).

An achievement against a plan ("đạt 140,8% kế hoạch", "vượt chỉ tiêu") is not itself a goal."""

from __future__ import annotations

from extractors.figure_candidate import FigureCandidate, SentenceContext


def read_target(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    rules = ctx.rules
    if num.start < ctx.opener_until:
        c.target = True
        c.decide("target", "goal_list")
        return
    for m in rules.targets.finditer(text, max(sent.start, num.start - 140), num.start):
        lead = text[max(sent.start, m.start() - 24) : m.start()]
        if rules.target_negators.search(lead):
            continue
        between = text[m.end() : num.start]
        if ";" in between or ")" in between:
            continue  # the goal belonged to another clause or to a remark in brackets
        c.target = True
        c.decide("target", "goal_word", m.group(0))
        return
    prev = ctx.previous()
    if c.elided and prev is not None and prev.target:
        c.target = True
        c.decide("target", "list_of_goals", "", 0.9)
