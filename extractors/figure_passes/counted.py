"""Counted-noun pass: what a number counts.

The noun right after the number, read by the figure Matcher over underthesea words
("84 TCCS đảng"); for a list item with the noun left out ("…150 đảng viên mới; Hội An 110"),
the noun of the item before it or of the sentence's topic.  Persons followed by "đại diện",
"đại biểu" are delegates, not a count of members.
"""

from __future__ import annotations

from extractors.figure_candidate import FigureCandidate, Noun, SentenceContext
from extractors.figure_words import can_be_counted, read_window


def read_counted(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    m = ctx.shape("between_number_and_noun").match(text, c.tail, sent.end)
    at = m.end() if m else c.tail
    if can_be_counted(text, at, sent.end, ctx.doc.words):
        c.window = read_window(text, num.start, at, sent.start, sent.end, ctx.doc.words)
        counted = c.window.counted(at)
        if counted is not None:
            c.noun = Noun(counted.id, text[counted.start : counted.end], counted.end, "words")
            c.decide("noun", "words", c.noun.phrase)
    if c.noun is None:
        _elided(c, ctx)
        if c.noun is None:
            c.drop("no counted noun")
            return
        if c.window is None:
            c.window = read_window(text, num.start, c.tail, sent.start, c.tail, ctx.doc.words)  # the qualifier before it
        return
    if c.noun.object in ("party_member", "comrade"):
        delegates = c.window.after("EXCLUDE", c.noun.end, max_words=6, across_commas=False)
        if delegates and delegates.start - c.noun.end <= 26:
            c.drop(f"delegates: {text[delegates.start : delegates.end]}")  # "228 đảng viên đại diện cho …"


def _elided(c: FigureCandidate, ctx: SentenceContext) -> None:
    """A list item whose noun is left out: "…150 đảng viên mới; Hội An 110; Điện Bàn 150" or "… lên gần 6 ngàn"."""
    text, sent, num = ctx.text, c.sentence, c.number
    if not ctx.shape("elided_after").match(text[c.tail : c.tail + 6]):
        return
    before = text[sent.start : num.start]
    topic, prev = ctx.topic, ctx.previous()
    if ctx.shape("raised_to_before").search(before) and topic is not None and num.start > topic.end:
        c.noun = Noun(topic.object, topic.phrase, c.tail, "raised_to")
        c.decide("noun", "raised_to_topic", topic.phrase, 0.9)
    elif not ctx.shape("elided_name_before").search(before):
        return
    elif prev is not None:
        c.noun = Noun(prev.object or "", prev.phrase, c.tail, "list_item")
        c.decide("noun", "elided_list_item", prev.phrase, 0.85)
    elif topic is not None and num.start > topic.end:
        c.noun = Noun(topic.object, topic.phrase, c.tail, "list_item")
        c.decide("noun", "elided_topic", topic.phrase, 0.8)
    else:
        return
    m = ctx.shape("item_name").search(before)
    c.name_start = sent.start + m.start(1) if m else num.start
    c.item_name = text[c.name_start : num.start].strip()
