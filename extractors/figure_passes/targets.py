"""Target pass: whether the number is a goal or plan (chỉ tiêu, phấn đấu, kế hoạch đề ra …).

An achievement against a plan ("đạt 140,8% kế hoạch", "vượt chỉ tiêu") is not itself a goal."""

from __future__ import annotations

import re

from extractors.figure_candidate import FigureCandidate, SentenceContext

# A goal word among the first words of a sentence ("Sẽ chuyển giao 22 …; chuyển 27 …") makes
# every clause of it a plan.
_OPENING = re.compile(r"[\W\d]*(?:[^\W\d]+[\s,]+){0,2}")


def read_target(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    rules = ctx.rules
    if num.start < ctx.opener_until:
        c.target = True
        c.decide("target", "goal_list")
        return
    if c.plan_of is not None:
        c.target = True
        c.decide("target", "plan_label", text[max(sent.start, num.start - 12) : num.start].strip())
        return
    first = rules.targets.search(text, sent.start, min(num.start, sent.start + 40))
    if first and _OPENING.fullmatch(text, sent.start, first.start()) and not rules.target_negators.search(text, sent.start, first.start()):
        c.target = True
        c.decide("target", "goal_opens_sentence", first.group(0))
        return
    for m in rules.targets.finditer(text, max(sent.start, num.start - 140), num.start):
        lead = text[max(sent.start, m.start() - 24) : m.start()]
        between = text[m.end() : num.start]
        if rules.target_negators.search(lead):
            if "(" in between and ")" not in between[between.rfind("(") :] and ";" not in between:
                # "đạt 135% chỉ tiêu Nghị quyết … đề ra (Nghị quyết Đại hội XV: 1.300 đảng viên/năm": the
                # brackets spell out the plan that was achieved
                c.target = True
                c.decide("target", "plan_in_brackets", m.group(0))
                return
            continue
        if ";" in between or ")" in between:
            continue  # the goal belonged to another clause or to a remark in brackets
        c.target = True
        c.decide("target", "goal_word", m.group(0))
        return
    prev = ctx.previous()
    if c.elided and prev is not None and prev.target:
        c.target = True
        c.decide("target", "list_of_goals", "", 0.9)
