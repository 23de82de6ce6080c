"""Object pass: the object a counted noun and its event make together.

"đồng chí", "người", "em" take the persons of the figure they continue, of the sentence's topic,
or those the event applies to (a badge or official membership is a party member's); "tổ chức"
takes the organizations the sentence counts, in a text about the Party its organizations;
"đoàn viên" after a trade union are its members; then the decision table of
figure_objects.json: persons admitted to the Party are party members whatever the noun, a
training's persons are trainees, organizations are established rather than admitted …
"""

from __future__ import annotations

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, SentenceContext


def resolve_object(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, rules = ctx.text, ctx.rules
    obj, phrase, event = c.noun.object, c.noun.phrase, c.event
    if obj == "comrade":
        resolved = _persons(c, ctx)
        if resolved is None:
            c.drop("persons with no context that says who they are")
            return
        obj, phrase = resolved
    elif obj == "organizations":
        resolved = _organizations(c, ctx)
        if resolved is None:
            c.drop("organizations with no context that says which")
            return
        obj, phrase = resolved
    if obj == "youth_union_member" and fold(phrase).startswith("đoàn viên") and fold(phrase) != "đoàn viên thanh niên" \
            and _trade_union_named_last(c, ctx):
        # "137 tổ chức công đoàn với 62.103 đoàn viên, 07 tổ chức đoàn thanh niên với 543 đoàn viên",
        # "các cấp CĐ đã giới thiệu 130.000 đoàn viên ưu tú": members of the union named last
        obj = "trade_union_member"
        c.decide("object", "union_members", "công đoàn", 0.9)
    if obj in rules.persons and obj != "party_member" and _part_of_party_members(c, ctx):
        # "Trong số đảng viên mới, có 2.837 đoàn viên thanh niên": persons among party members are party members
        obj = "party_member"
        c.decide("object", "among_party_members", phrase, 0.9)
    cue = "right" if c.right_event else "left"
    clause = text[c.noun.end : c.sentence.end]

    def context(shape: str) -> bool:
        return bool(rules.shapes[shape].search(clause))

    for row in rules.resolve:
        if row.fits(obj, phrase, event, cue, context):
            if row.drop:
                c.drop(row.drop)
                return
            if (row.object or obj, row.event or event) != (obj, event):
                c.decide("object", "table", f"{obj}/{event} → {row.object or obj}/{row.event or event}")
            obj, event = row.object or obj, row.event or event
            break
    c.object, c.phrase, c.event = obj, phrase, event
    if c.detail and c.detail != "change" and not any(c.event in r.events for r in rules.details if c.detail.startswith(r.code)):
        c.detail = None  # the table changed the event: "học viên … bế giảng" is no rating


def _trade_union_named_last(c: FigureCandidate, ctx: SentenceContext) -> bool:
    """The union named last before the number (in its clause, back to the previous figure) is a trade union."""
    text, prev = ctx.text, ctx.previous()
    lo = max(c.sentence.start, prev.number.start if prev else c.sentence.start)
    trade = [m.start() for m in ctx.shape("union_context").finditer(text, lo, c.number.start)]
    youth = [m.start() for m in ctx.shape("youth_context").finditer(text, lo, c.number.start)]
    if trade or youth:
        return max(trade, default=-1) > max(youth, default=-1)
    unions = [f for f in ctx.figures[ctx.first :] if f.object in ("trade_union_org", "trade_union_member",
                                                                  "youth_union_org", "youth_union_member")]
    if unions:
        return unions[-1].object.startswith("trade") and fold(c.noun.phrase) == "đoàn viên"
    return bool(ctx.shape("union_context").search(text, c.sentence.start, c.number.start))


def _part_of_party_members(c: FigureCandidate, ctx: SentenceContext) -> bool:
    if c.linked is not None and ctx.figures[c.linked].object == "party_member":
        return True
    d = c.decisions.get("event")
    topic = ctx.topic_before(c.number.start)
    return d is not None and d.rule in ("exist_topic", "topic_after_cue") and topic is not None and topic.object == "party_member"


def _persons(c: FigureCandidate, ctx: SentenceContext) -> tuple[str, str] | None:
    rules, prev = ctx.rules, ctx.previous()
    linked = ctx.figures[c.linked] if c.linked is not None else None
    source = linked if linked is not None and linked.object in rules.persons else (
        prev if prev is not None and prev.object in rules.persons else None)
    if source is not None:
        c.decide("object", "persons_of", source.phrase, 0.9)
        return source.object, source.phrase
    if c.event == "admitted":
        c.decide("object", "persons_admitted", "", 0.9)
        return "party_member", "đảng viên"
    topic = ctx.topic_before(c.number.start)
    if topic and topic.object in rules.persons:
        c.decide("object", "persons_of_topic", topic.phrase, 0.8)
        return topic.object, topic.phrase
    kind = next((v for k, v in rules.detail_persons.items() if c.detail and c.detail.startswith(k)), None)
    if kind is not None:
        c.decide("object", "persons_of_event", c.detail, 0.85)  # "chuyển Đảng chính thức cho 79 đồng chí"
        return kind, "đảng viên"
    listed = ctx.shape("list_item").match(ctx.text, c.sentence.start) or c.decisions.get("noun", None) and \
        c.decisions["noun"].rule == "label_value"
    recent = ctx.recent(lambda f: f.object in rules.persons) if listed else None
    if recent is not None:
        c.decide("object", "persons_of_recent", recent.phrase, 0.75)  # a list line under "Tổng số đảng viên: 5.318"
        return recent.object, recent.phrase
    return None


def _organizations(c: FigureCandidate, ctx: SentenceContext) -> tuple[str, str] | None:
    rules, prev = ctx.rules, ctx.previous()
    orgs = rules.orgs
    for source in (ctx.figures[c.linked] if c.linked is not None else None, prev):
        if source is not None and source.object in orgs:
            c.decide("object", "organizations_of", source.phrase, 0.9)
            return source.object, source.phrase
    topic = ctx.topic_before(c.number.start)
    if topic and topic.object in orgs:
        c.decide("object", "organizations_of_topic", topic.phrase, 0.85)
        return topic.object, topic.phrase
    if ctx.shape("party_context").search(ctx.text, c.sentence.start, c.sentence.end):
        c.decide("object", "party_organizations", "", 0.7)  # "giám sát chuyên đề 317 tổ chức và 513 đảng viên"
        return "party_org", "tổ chức đảng"
    return None
