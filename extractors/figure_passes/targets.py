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
    if c.plan_of is not None:
        c.target = True
        c.decide("target", "plan_label", text[max(sent.start, num.start - 12) : num.start].strip())
        return
    if ctx.goal_section:
        c.target = True
        c.decide("target", "goal_section", "", 0.9)  # an item under "III. CHỈ TIÊU"
        return
    opening = _goal_opening(c, ctx)
    if opening:
        c.target = True
        c.decide("target", "goal_opens_sentence", opening)
        return
    for m in rules.targets.finditer(text, ctx.doc.lower, max(sent.start, num.start - 140), num.start):
        lead = text[max(sent.start, m.start() - 24) : m.start()]
        between = text[m.end() : num.start]
        if rules.target_negators.search(lead):
            if "(" in between and ")" not in between[between.rfind("(") :] and ";" not in between:
                # "đạt 135% chỉ tiêu Nghị quyết … đề ra (Nghị quyết Đại hội XV: 1.300 đảng viên/năm": the
                # brackets spell out the plan that was achieved
                c.target = True
                c.decide("target", "plan_in_brackets", text[m.start() : m.end()])
                return
            continue
        if ";" in between or ")" in between:
            continue  # the goal belonged to another clause or to a remark in brackets
        c.target = True
        c.decide("target", "goal_word", text[m.start() : m.end()])
        return
    prev = ctx.previous()
    if c.elided and prev is not None and prev.target:
        c.target = True
        c.decide("target", "list_of_goals", "", 0.9)


def _goal_opening(c: FigureCandidate, ctx: SentenceContext) -> str | None:
    """A goal word before the sentence's first figure ("Sẽ chuyển giao 22 …; chuyển 27 …", "Năm 2024,
    Đảng bộ phường phấn đấu kết nạp từ 10 …; … ít nhất 4 chi bộ …") makes every clause of it a goal,
    but a later clause that says what was done ("…; năm 2023 đã kết nạp 45")."""
    text, sent, rules = ctx.text, c.sentence, ctx.rules
    first = ctx.figures[ctx.first].number.start if len(ctx.figures) > ctx.first else c.number.start
    for m in rules.targets.finditer(text, ctx.doc.lower, sent.start, first):
        if rules.target_negators.search(text[max(sent.start, m.start() - 24) : m.start()]):
            continue
        clause = max(m.end(), text.rfind(";", m.end(), c.number.start) + 1)
        if clause > m.end() and rules.achieved.search(text, clause, c.number.start):
            return None
        return text[m.start() : m.end()]
    return None
