"""Event pass: what the number says happened.

In order: an event stated after the counted noun ("… đảng viên mới được kết nạp") wins; else
the nearest cue before the number, back to the previous figure ("kết nạp", "kiểm tra"); a link
word ("trong đó", "gồm", "(") continues the figure it follows; no cue since the previous figure
is a coordination ("28 đảng bộ cơ sở và 24 chi bộ cơ sở"); the existential "có" is a stock
unless the sentence's topic says otherwise; "… đảng viên mới" is an admission.
"""

from __future__ import annotations

import re

from extractors.cues import fold
from extractors.figure_candidate import Cue, FigureCandidate, SentenceContext, Topic
from extractors.sentences import Sentence

_SENTENCE_LEAD = re.compile(r"\W*")  # only punctuation between the sentence start and a cue


def sentence_cues(text: str, lower: str | None, sent: Sentence, rules) -> list[Cue]:
    """All event cues of a sentence, found once.  `lower` is the text in lower case when that
    keeps every offset (else None)."""
    rx, haystack = (rules.left_lower, lower) if lower is not None else (rules.left, text)
    return [Cue(rules.left_label[fold(m.group(0))], m.start(), m.end()) for m in rx.finditer(haystack, sent.start, sent.end)]


def sentence_topic(text: str, sent: Sentence, rules) -> Topic | None:
    """'(tổng) số đảng viên mới được kết nạp' names what the sentence counts."""
    m = rules.shapes["topic"].search(text, sent.start, sent.end)
    if not m:
        return None
    phrase = m.group("obj")
    obj = rules.object_label.get(fold(phrase))
    if obj is None:
        return None
    event = "total"
    r = rules.right.search(m.group("rest"))
    if r:
        event = rules.right_label[fold(r.group(0))]
    elif rules.shapes["topic_admitted"].search(m.group("rest")):
        event = "admitted"
    return Topic(obj, phrase, event, m.end("obj"))


def nearest_left_cue(ctx: SentenceContext, lo: int, hi: int) -> Cue | None:
    """The nearest event cue in text[lo:hi]; bare clause-initial 'có' is existential."""
    text = ctx.text
    for cue in reversed(ctx.cues):
        s, e = cue.start, cue.end
        if s < lo or e > hi:
            continue
        if cue.label == "none":
            continue
        word = fold(text[s:e])
        if word == "có":
            lead = text[max(lo, s - 12) : s].rstrip()
            if ctx.shape("link_before_exist").search(lead):
                continue  # "trong đó có": the link before it decides
            if not lead or lead.endswith((",", ":", "(")) or s - lo < 2:
                return Cue("exist", s, e)  # existential "có": a stock, unless the sentence's topic says otherwise
        if word == "với" and text[hi - 1 : hi] not in (" ", "\n"):
            continue
        return cue
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
        if obj is None or obj == "comrade":
            if f.object in persons:
                return i
        elif (obj in persons) == (f.object in persons):
            return i
    return None


def read_event(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    obj, phrase = c.noun.object, c.noun.phrase
    prev = ctx.previous()
    window_lo = prev.end if prev else sent.start
    cue = nearest_left_cue(ctx, window_lo, num.start)
    linked: int | None = None
    event: str | None = None
    rule = ""
    if cue and text[cue.start] == "(" and prev is not None and ctx.shape("new_item").search(text, prev.end, cue.start):
        # "Trường Cao đẳng Hải Dương (28 đảng viên), Công ty CP … (21 đảng viên)": a new item, not a part
        cue = nearest_left_cue(ctx, window_lo, cue.start)
    if cue and cue.label == "link":
        linked = part_of(ctx, obj, allow_previous_sentence=opens_sentence(ctx, cue.start))
        if linked is not None:
            event, rule = ctx.figures[linked].clause_event, "link"
        else:
            cue = nearest_left_cue(ctx, window_lo, cue.start)
    if event is None and cue and cue.label == "exist":
        # "Trong tổng số đảng viên được kết nạp …, có gần 400 đảng viên …": the topic decides
        topic = ctx.topic
        event, rule = (topic.event, "exist_topic") if topic and topic.end <= cue.start else ("total", "exist")
    if event is None and cue and cue.label != "link":
        event, rule = cue.label, "left_cue"
    if event is None and prev is not None:
        # No cue since the previous figure: a coordination ("28 đảng bộ cơ sở và 24 chi bộ cơ sở")
        event, rule, c.coordinated = prev.clause_event, "coordinated", True
        if obj == "comrade" and linked is None:
            linked = ctx.figures.index(prev)
    if event is None:
        # Nothing before the number back to the sentence start: look once more from the start.
        far = nearest_left_cue(ctx, sent.start, num.start)
        if far and far.label == "exist":
            event, rule = "total", "exist"
        elif far and far.label != "link":
            event, rule = far.label, "left_cue_far"
        elif far and far.label == "link" and opens_sentence(ctx, far.start):
            p = part_of(ctx, obj, allow_previous_sentence=True)
            if p is not None:
                linked, event, rule = p, ctx.figures[p].clause_event, "sentence_link"
    right = c.window.after("EVENT", c.noun.end) if c.window else None
    c.right_event = right.id if right and right.start - c.noun.end <= 90 else None
    if event is None:
        if fold(phrase).endswith("mới"):
            event, rule = "admitted", "new_members"
        elif ctx.topic and num.start > ctx.topic.end:
            event, rule = ctx.topic.event, "topic"
        else:
            event, rule = "total", "default"
    c.cue, c.clause_event, c.linked = cue, event, linked
    if c.right_event:
        c.event = c.right_event
        c.decide("event", "right_cue", text[right.start : right.end])
    else:
        c.event = event
        evidence = text[cue.start : cue.end] if cue and rule in ("left_cue", "exist", "exist_topic") else ""
        c.decide("event", rule, evidence, _WEIGHTS.get(rule, 1.0))
    if c.event not in ("trained", "admitted") and obj in ctx.rules.persons | {"trainee", "comrade"} \
            and ctx.shape("training_for").search(text[max(sent.start, num.start - 16) : num.start]) \
            and ctx.rules.training.search(text, sent.start, num.start):
        c.event = "trained"  # "mở lớp … cho hơn 300 cán bộ, đảng viên"
        c.decide("event", "trained_for", "cho")


# How sure each rule of this pass is: a default hides errors from the audit, a verb does not.
_WEIGHTS = {"left_cue": 1.0, "right_cue": 1.0, "link": 0.9, "exist": 0.9, "exist_topic": 0.85, "coordinated": 0.85,
            "left_cue_far": 0.8, "sentence_link": 0.8, "new_members": 0.9, "topic": 0.8, "default": 0.4}
