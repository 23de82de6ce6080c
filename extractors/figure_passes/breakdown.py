"""Breakdown pass: which earlier figure this one is a part of.

"84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở)", "… 1.401 đảng viên; trong đó, đảng viên nữ 510
đồng chí", "373 đảng viên trong doanh nghiệp (doanh nghiệp có vốn Nhà nước … kết nạp được 258 …)",
and a sentence opening with "Cụ thể:" or "Trong đó" breaks down the figure before it.  A link
word only links; the figure is a part when a breakdown word stands between the two.
"""

from __future__ import annotations

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, SentenceContext
from extractors.figure_passes.events import opens_sentence, part_of


def link_parent(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, num = ctx.text, c.number
    if c.detail == "change":
        return  # "(tăng 5 đảng viên so năm 2008)" compares, it divides nothing
    prev = ctx.previous()
    parent, rule = c.linked, "linked"
    if parent is None and c.cue and c.cue.label == "link" and prev is not None:
        parent, rule = ctx.index_of(prev), "link_to_previous"
    if parent is None:
        parent, rule = _open_bracket_parent(c, ctx), "open_bracket"
    lead = ctx.cues[0] if ctx.cues else None
    if parent is None and lead and lead.label == "link" and opens_sentence(ctx, lead.start) \
            and fold(text[lead.start : lead.end]) not in ("(", "với"):
        # "Cụ thể: Đảng bộ TP.Tam Kỳ … 150 đảng viên mới; Hội An 110; …": a sentence that opens with a
        # link word breaks down the figure of the sentence before
        parent, rule = part_of(ctx, c.object, allow_previous_sentence=True, until=ctx.first), "sentence_opens_with_link"
    breakdown = parent is not None and bool(ctx.shape("breakdown_between").search(text[ctx.figures[parent].end : num.start]))
    if not breakdown and c.coordinated and prev is not None and prev.parent is not None and \
            not ctx.shape("not_continuation").search(text[prev.end : num.start]):
        parent, breakdown, rule = prev.parent, True, "next_part"  # the next part of the same breakdown
    if breakdown and ctx.figures[parent].object == "party_org" and ctx.shape("below_grassroots").match(c.phrase):
        breakdown = False  # "438 TCCS đảng; trong đó … 271 chi bộ cơ sở, 1.716 chi bộ trực thuộc": another level
    if breakdown and _compares_a_time(ctx, parent, num.start):
        breakdown = False  # "có 1.454 TCCS Đảng; so với 6 tháng đầu năm 2019 (1.564 tổ chức)": then, not a part
    if breakdown:
        c.parent = parent
        c.decide("parent", rule, ctx.figures[parent].phrase)
        if ctx.figures[parent].target and not c.target:
            c.target = True  # the parts of a goal are goals ("… ít nhất 7.000 đảng viên mới … Cụ thể: TP. Bạc Liêu … 700")
            c.decide("target", "part_of_goal", ctx.figures[parent].phrase)


def _open_bracket_parent(c: FigureCandidate, ctx: SentenceContext) -> int | None:
    """"373 đảng viên trong doanh nghiệp (doanh nghiệp có vốn Nhà nước … kết nạp được 258 đảng viên;
    doanh nghiệp ngoài nhà nước kết nạp được 115 …)": a figure inside a bracket opened after an
    earlier figure of the sentence is a part of it, even when the part repeats the verb."""
    text, persons, new_item = ctx.text, ctx.rules.persons, ctx.shape("new_item")
    for i in range(len(ctx.figures) - 1, ctx.first - 1, -1):
        f = ctx.figures[i]
        between = text[f.end : c.number.start]
        opened = between.find("(")
        if opened < 0 or between.count("(") <= between.count(")") or new_item.search(between, 0, opened):
            continue  # no bracket left open, or it opens on a new item ("…, Bệnh viện X (8 đảng viên)")
        if (c.object in persons or c.object == "comrade") == (f.object in persons):
            return i
    return None


def _compares_a_time(ctx: SentenceContext, parent: int, at: int) -> bool:
    """The bracket before `at` opens right after a time ("… cuối năm 2019 (1.501 tổ chức)")."""
    text = ctx.text
    opened = text.rfind("(", ctx.figures[parent].end, at)
    return opened >= 0 and bool(ctx.shape("time_before_bracket").search(text, ctx.figures[parent].end, opened + 1))
