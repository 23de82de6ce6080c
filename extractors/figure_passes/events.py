"""Event pass: what the number says happened.

In order: an event stated after the counted noun ("… đảng viên mới được kết nạp", "88 Công đoàn
cơ sở tổ chức Đại hội", "44 đảng viên 30 năm tuổi Đảng") wins; else the verb before the number
back to the previous figure ("kết nạp", "kiểm tra"), where a cue inside a circumstance ("Qua
kiểm tra, …"), after a nominalizer ("kiểm tra việc thực hiện nhiệm vụ kiểm tra …") or a
preposition right after a verb ("giám sát với", "kết nạp tổng số") does not decide; a link word
("trong đó", "gồm", "(") continues the figure it follows; no cue since the previous figure is a
coordination ("28 đảng bộ cơ sở và 24 chi bộ cơ sở"); the existential "có" is a stock unless the
sentence's topic says otherwise; "… đảng viên mới" is an admission.  When nothing decides, the
figure is a stock by default, with a low weight the confidence pass reports.
"""

from __future__ import annotations

import re

from extractors.cues import fold
from extractors.figure_candidate import Cue, FigureCandidate, SentenceContext, Topic
from extractors.figure_rules import FigureRules
from extractors.sentences import Sentence

_SENTENCE_LEAD = re.compile(r"\W*")  # only punctuation between the sentence start and a cue
_NO_VERB = frozenset({"none", "link", "exist", "part", "stock"})  # cue labels that are no verb


def sentence_cues(text: str, lower: str | None, sent: Sentence, rules: FigureRules) -> list[Cue]:
    """All event cues of a sentence, found once.  `lower` is the text in lower case when that
    keeps every offset (else None)."""
    return [Cue(rules.left_label[fold(m.group(0))], m.start(), m.end())
            for m in rules.left.finditer(text, lower, sent.start, sent.end)]


def sentence_topics(text: str, lower: str | None, sent: Sentence, rules: FigureRules) -> list[Topic]:
    """'(tổng) số đảng viên mới được kết nạp', 'Trong số các đảng viên được nhận Huy hiệu' name what
    the sentence counts.  `lower` is the text in lower case when that keeps every offset (else None)."""
    out = []
    for m in rules.folded["topic"].finditer(text, lower, sent.start, sent.end):
        phrase, rest = text[m.start("obj") : m.end("obj")], text[m.start("rest") : m.end("rest")]
        obj = rules.object_label.get(fold(phrase))
        if obj is None:
            continue
        event = "total"
        r = rules.right.search(rest)
        if r:
            event = rules.right_label[fold(r.group(0))]
        elif rules.shapes["topic_admitted"].search(rest) or fold(phrase).endswith("mới"):
            event = "admitted"  # "Trong số đảng viên mới, có 2.837 đoàn viên thanh niên"
        out.append(Topic(obj, phrase, event, m.start(), m.end("obj")))
    for s in _clause_starts(text, sent):  # "Về đảng viên, 61 đồng chí …"
        m = rules.shapes["about_topic"].match(text, s, sent.end)
        obj = rules.object_label.get(fold(m.group("obj"))) if m else None
        if obj is not None:
            out.append(Topic(obj, m.group("obj"), "total", m.start("obj"), m.end("obj")))
    out.sort(key=lambda t: t.start)
    return out


def _clause_starts(text: str, sent: Sentence) -> list[int]:
    """The sentence start and every offset right after a comma, semicolon or colon."""
    return [sent.start] + [m.end() for m in _CLAUSE_MARK.finditer(text, sent.start, sent.end)]


_CLAUSE_MARK = re.compile(r"[,;:]")


def circumstances(text: str, sent: Sentence, rules: FigureRules) -> list[tuple[int, int]]:
    """Clauses that open with 'Qua', 'Sau khi', 'Khi' … and end at a comma: (start, comma)."""
    out = []
    for s in _clause_starts(text, sent):
        m = rules.adverbial.match(text, s, sent.end)
        if m:
            out.append((m.start(), m.end() - 1))
    return out


def nearest_left_cue(ctx: SentenceContext, lo: int, hi: int) -> Cue | None:
    """The cue that governs a number at `hi`, searching back to `lo`."""
    text, cues = ctx.text, ctx.cues
    inside = [i for i, cue in enumerate(cues) if cue.start >= lo and cue.end <= hi and cue.label != "none"
              and not any(s <= cue.start < e < hi for s, e in ctx.circumstances)]
    nominal = _nominalized_from(ctx, lo, hi, [cues[i] for i in inside])
    for k in reversed(range(len(inside))):
        cue = cues[inside[k]]
        s, e = cue.start, cue.end
        if nominal is not None and s > nominal:
            continue  # "kiểm tra việc thực hiện nhiệm vụ kiểm tra, …": the verb before "việc" governs
        before = cues[inside[k - 1]] if k > 0 else None
        word = fold(text[s:e])
        if word == "có":
            lead = text[max(lo, s - 12) : s].rstrip()
            if ctx.shape("link_before_exist").search(lead):
                continue  # "trong đó có": the link before it decides
            prev = ctx.previous()
            if lead.endswith(",") and prev is not None and prev.end <= s and \
                    ctx.shape("within_figure_before").search(text, ctx.sentence.start, prev.number.start):
                return Cue("part", s, e)  # "trong 1383 đảng viên được kết nạp, có 35 đảng viên …"
            if ctx.shape("bullet").fullmatch(lead) or lead.endswith((",", ":", "(")) or s - lo < 2:
                return Cue("exist", s, e)  # existential "có": a stock, unless the sentence's topic says otherwise
        if word == "với" and text[hi - 1 : hi] not in (" ", "\n"):
            continue
        if word in ctx.rules.stock_after_verb and before is not None and before.label not in _NO_VERB \
                and ctx.shape("verb_gap").fullmatch(text, before.end, s):
            continue  # "giám sát với 169 tổ chức", "kết nạp tổng số 39 đảng viên", "Tham gia đại hội có 9.826": the verb governs
        if cue.label not in _NO_VERB and ctx.shape("genitive_before").search(text, e, hi):
            return Cue("stock", s, e)  # "xếp loại chất lượng của 12 chi, đảng bộ": the number is a possessor
        return cue
    return None


def _nominalized_from(ctx: SentenceContext, lo: int, hi: int, cues: list[Cue]) -> int | None:
    """The offset of a nominalizer ("việc") in [lo, hi) that the verb right before it governs
    ("kiểm tra việc thực hiện …"), if any."""
    for m in ctx.rules.nominalizers.finditer(ctx.text, lo, hi):
        if any(c.label not in _NO_VERB and ctx.shape("verb_gap").fullmatch(ctx.text, c.end, m.start()) for c in cues):
            return m.start()
    return None


def opens_sentence(ctx: SentenceContext, at: int) -> bool:
    """Only punctuation stands between the sentence start and `at`."""
    return _SENTENCE_LEAD.fullmatch(ctx.text, ctx.sentence.start, at) is not None


def part_of(ctx: SentenceContext, obj: str | None, allow_previous_sentence: bool, until: int | None = None) -> int | None:
    """Index of the nearest earlier figure that a breakdown ("trong đó", "gồm", "(") divides: persons
    divide persons, organizations divide organizations."""
    figures = ctx.figures if until is None else ctx.figures[:until]
    persons = ctx.rules.persons
    lo = 0 if allow_previous_sentence else ctx.first
    if lo < ctx.first:
        lo = max(0, ctx.first - 8)
    for i in range(len(figures) - 1, lo - 1, -1):
        f = figures[i]
        if f.denominator_of is not None or _is_plan_of_another(f):
            continue  # "159/1447 tổ chức … (trong đó đảng bộ cơ sở 85/779": the parts divide the 159; a plan divides nothing
        if obj is None or obj == "comrade":
            if f.object in persons:
                return i
        elif (obj in persons) == (f.object in persons):
            return i
    return None


def _is_plan_of_another(f: FigureCandidate) -> bool:
    """"kết nạp 157 đảng viên, vượt chỉ tiêu (chỉ tiêu 150 đảng viên)": the 150 is the plan of the 157."""
    d = f.decisions.get("target")
    return f.plan_of is not None or (d is not None and d.rule in ("plan_in_brackets", "plan_label", "ratio_to_plan"))


def read_event(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    obj, phrase = c.noun.object, c.noun.phrase
    prev = ctx.previous()
    window_lo = prev.end if prev else sent.start
    cue = nearest_left_cue(ctx, window_lo, num.start)
    linked: int | None = None
    event: str | None = None
    rule = ""
    if c.plan_of is not None:
        # "kết nạp 1.689 đảng viên, đạt 105,56% kế hoạch (kế hoạch 1.600)": the plan of that figure
        source = ctx.figures[c.plan_of]
        c.cue, c.clause_event, c.linked, c.event = None, source.event, None, source.event
        c.decide("event", "plan_of", source.phrase, 0.9)
        return
    if cue and text[cue.start] == "(" and prev is not None and ctx.shape("new_item").search(text, prev.end, cue.start):
        # "Trường Cao đẳng Hải Dương (28 đảng viên), Công ty CP … (21 đảng viên)": a new item, not a part
        cue = nearest_left_cue(ctx, window_lo, cue.start)
    if cue and cue.label == "link" and fold(text[cue.start : cue.end]) == "với" and prev is not None:
        # "522 tổ chức với 106.978 đoàn viên": what the figure before it is, these are too
        linked = ctx.index_of(prev)
        event, rule = prev.event, "link"
    if cue and cue.label in ("link", "part") and event is None:
        linked = part_of(ctx, obj, allow_previous_sentence=opens_sentence(ctx, cue.start))
        if linked is not None:
            event, rule = ctx.figures[linked].event, "link"  # a part of a figure is what its whole is
        else:
            cue = nearest_left_cue(ctx, window_lo, cue.start)
    if event is None and cue and cue.label in ("exist", "total", "stock"):
        topic = _topic_between(ctx, cue.end, num.start)
        if topic is not None:
            # "có số đảng viên … được trao huy hiệu Đảng với 287 người": the number restates the topic
            event, rule = topic.event, "topic_after_cue"
    if event is None and cue and (cue.label == "exist" or fold(text[cue.start : cue.end]) == "có"):
        # "Trong tổng số đảng viên được kết nạp …, có gần 400 đảng viên …", "trong số đảng viên mới có
        # 1.128 người …": the topic decides
        topic = ctx.topic_before(cue.start + 1)
        if topic and topic.end <= cue.start and topic.start >= window_lo and (cue.label == "exist" or topic.event != "total"):
            event, rule = topic.event, "exist_topic"
        elif cue.label == "exist":
            event, rule = "total", "exist"
    if event is None and cue and cue.label == "stock":
        event, rule = "total", "genitive"
    if event is None and cue and cue.label not in ("link", "part"):
        event, rule = cue.label, "left_cue"
    if event is None and cue is None and prev is None and ctx.list_parent is not None:
        # "…, trong đó:\n- Khối xã, phường: 96 đảng viên;": an item of the list the figure opened
        linked = ctx.list_parent
        event, rule = ctx.figures[linked].event, "list_item"
    if event is None and prev is not None:
        # No cue since the previous figure: a coordination ("28 đảng bộ cơ sở và 24 chi bộ cơ sở")
        event, rule, c.coordinated = prev.clause_event, "coordinated", True
        if obj == "comrade" and linked is None:
            linked = ctx.index_of(prev)
    if event is None:
        # Nothing before the number back to the sentence start: look once more from the start.
        far = nearest_left_cue(ctx, sent.start, num.start)
        if far and far.label == "exist":
            event, rule = "total", "exist"
        elif far and far.label not in ("link", "part"):
            event, rule = far.label, "left_cue_far"
        elif far and opens_sentence(ctx, far.start):
            p = part_of(ctx, obj, allow_previous_sentence=True)
            if p is not None:
                linked, event, rule = p, ctx.figures[p].event, "sentence_link"
    if event is None:
        topic = ctx.topic_before(num.start)
        if fold(phrase).endswith("mới"):
            event, rule = "admitted", "new_members"
        elif topic is not None:
            event, rule = topic.event, "topic"
        else:
            event, rule = "total", "default"
    c.cue, c.clause_event, c.linked = cue, event, linked
    right, evidence = _right_event(c, ctx)
    c.right_event = right
    if right:
        c.event = right
        c.decide("event", "right_cue", evidence)
    else:
        c.event = event
        evidence = text[cue.start : cue.end] if cue and rule not in ("link", "coordinated", "sentence_link") else ""
        c.decide("event", rule, evidence, _WEIGHTS.get(rule, 1.0))
    if c.event not in ("trained", "admitted") and obj in ctx.rules.persons | {"trainee", "comrade"} \
            and ctx.shape("training_for").search(text[max(sent.start, num.start - 16) : num.start]) \
            and ctx.rules.training.search(text, sent.start, num.start):
        c.event = "trained"  # "mở lớp … cho hơn 300 cán bộ, đảng viên"
        c.decide("event", "trained_for", "cho")


def _topic_between(ctx: SentenceContext, lo: int, hi: int) -> Topic | None:
    return next((t for t in reversed(ctx.topics) if lo <= t.start and t.end < hi), None)


def _right_event(c: FigureCandidate, ctx: SentenceContext) -> tuple[str | None, str]:
    """An event stated after the counted noun: a passive or an admission anywhere in the clause
    ("… được vinh dự kết nạp vào Đảng"), what the counted ones did before the next comma ("88 Công
    đoàn cơ sở tổ chức Đại hội"), or the years of a badge ("44 đảng viên 30 năm tuổi Đảng")."""
    text, end = ctx.text, c.noun.end
    badge = ctx.shape("badge_years_after").match(text, end, c.sentence.end)
    if badge:
        return "other", text[badge.start() : badge.end()].strip()
    if c.window is None:
        return None, ""
    far = c.window.after("EVENT", end)
    far = far if far and far.start - end <= 90 else None
    # what the counted ones did: within a few words, before a comma or a "và" that starts another clause
    near = c.window.after("EVENT_NEAR", end, max_words=8, across_commas=False, stop_at=ctx.rules.near_stop)
    if near and ctx.shape("achievement_after").match(text, near.start):
        near = None  # "kết nạp 115 ĐV đạt 104,5%": a rate of the admission, not what the members did
    found = min((m for m in (far, near) if m), key=lambda m: (m.start, -m.end), default=None)
    return (found.id, text[found.start : found.end]) if found else (None, "")


# How sure each rule of this pass is: a default hides errors from the audit, a verb does not.
_WEIGHTS = {"left_cue": 1.0, "right_cue": 1.0, "link": 0.9, "exist": 0.9, "exist_topic": 0.85, "topic_after_cue": 0.85,
            "genitive": 0.85, "coordinated": 0.85, "list_item": 0.85, "left_cue_far": 0.8, "sentence_link": 0.8, "new_members": 0.9,
            "topic": 0.8, "default": 0.4}
