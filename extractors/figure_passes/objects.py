"""Object pass: the object a counted noun and its event make together.

"đồng chí" takes the persons of the figure it continues (or of the topic); "đoàn viên" after
a trade union are its members; then the decision table of figure_objects.json: persons
admitted to the Party are party members whatever the noun, a training's persons are trainees,
organizations are established rather than admitted …
"""

from __future__ import annotations

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, SentenceContext


def resolve_object(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, rules = ctx.text, ctx.rules
    obj, phrase, event = c.noun.object, c.noun.phrase, c.event
    prev = ctx.previous()
    if obj == "comrade":
        source = ctx.figures[c.linked] if c.linked is not None else (
            prev if prev is not None and prev.object in rules.persons else None)
        if source is not None:
            obj, phrase = source.object, source.phrase
            c.decide("object", "comrade_of", source.phrase, 0.9)
        elif event == "admitted":
            obj, phrase = "party_member", "đảng viên"
            c.decide("object", "comrade_admitted", "", 0.9)
        elif ctx.topic and ctx.topic.object in rules.persons:
            obj, phrase = ctx.topic.object, ctx.topic.phrase
            c.decide("object", "comrade_topic", ctx.topic.phrase, 0.8)
        else:
            c.drop("comrades with no context that says who they are")
            return
    if obj == "youth_union_member" and fold(phrase) == "đoàn viên" and prev is not None and \
            prev.object in ("trade_union_org", "trade_union_member"):
        obj = "trade_union_member"
        c.decide("object", "union_members", prev.phrase)
    cue = "right" if c.right_event else "left"
    for row in rules.resolve:
        if row.fits(obj, phrase, event, cue):
            if row.drop:
                c.drop(row.drop)
                return
            if (row.object or obj, row.event or event) != (obj, event):
                c.decide("object", "table", f"{obj}/{event} → {row.object or obj}/{row.event or event}")
            obj, event = row.object or obj, row.event or event
            break
    if obj == "youth_union_member" and event == "admitted" and ctx.shape("into_party").search(text, c.noun.end, c.sentence.end):
        obj = "party_member"
        c.decide("object", "admitted_into_party", "vào Đảng")
    c.object, c.phrase, c.event = obj, phrase, event
