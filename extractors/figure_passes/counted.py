"""Counted-noun pass: what a number counts.

The noun right after the number, read by the figure patterns over the window's words ("84 TCCS
đảng", "318 ĐV"), or an abbreviation the document defined ("tổ chức Đảng (TCĐ)" … "2 TCĐ"); a
coordinated noun stops before a name ("4 Chi bộ và Đảng bộ phường Hòa Minh …" counts chi bộ).
For a list item with the noun left out ("…150 đảng viên mới; Hội An 110"), the noun of the item
before it or of the sentence's topic; for "đảng bộ cơ sở 85/779", the noun right before it.
Persons followed by "đại diện", "đại biểu" are delegates, not a count of members; a number
after "Chi bộ", "Tổ", "Khóa" … is part of a name.
"""

from __future__ import annotations

import re

from extractors.cues import fold
from extractors.figure_candidate import FigureCandidate, Noun, SentenceContext
from extractors.figure_words import Match, Window, can_be_counted, first_syllable, read_window

_YEAR = re.compile(r"(?:19|20)\d{2}")


def read_counted(c: FigureCandidate, ctx: SentenceContext) -> None:
    text, sent, num = ctx.text, c.sentence, c.number
    if ctx.rules.numbered_name.search(text, max(sent.start, num.start - 24), num.start):
        c.drop("part of a name")  # "Chi bộ 3", "mô hình “Chi bộ 4 tốt”"
        return
    if _YEAR.fullmatch(num.text) and ctx.shape("year_before").search(text, max(sent.start, num.start - 16), num.start):
        c.drop("a year")  # "năm 2019 Đảng ủy …"
        return
    m = ctx.shape("between_number_and_noun").match(text, c.tail, sent.end)
    at = m.end() if m else c.tail
    defined = ctx.doc.abbreviations
    if can_be_counted(text, at, sent.end, ctx.doc.words, ctx.doc.abbreviation_words):
        c.window = read_window(text, num.start, at, sent.start, sent.end, ctx.doc.words)
        counted = _counted(c.window, at, ctx)
        if counted is not None:
            c.noun = Noun(counted.id, text[counted.start : counted.end], counted.end, "words")
            c.decide("noun", "words", c.noun.phrase)
        else:
            word = first_syllable(text, at, sent.end)
            if word in defined:
                c.noun = Noun(defined[word], word, at + len(word), "abbreviation")
                c.decide("noun", "defined_abbreviation", word, 0.95)
    if c.noun is None:
        if not _elided(c, ctx):
            _noun_before(c, ctx)
        if c.noun is None or num.weak:
            c.drop("no counted noun")
            return
        if c.window is None:
            c.window = read_window(text, num.start, c.tail, sent.start, c.tail, ctx.doc.words)  # the qualifier before it
        return
    if num.weak and not _weak_number_counts(c, ctx):
        c.drop(f"'{num.text}' is a word here, not a number")
        return
    if c.noun.object in ("party_member", "comrade"):
        delegates = c.window.after("EXCLUDE", c.noun.end, max_words=6, across_commas=False)
        if delegates and delegates.start - c.noun.end <= 26:
            c.drop(f"delegates: {text[delegates.start : delegates.end]}")  # "228 đảng viên đại diện cho …"


def _weak_number_counts(c: FigureCandidate, ctx: SentenceContext) -> bool:
    """"một", "năm" count right before a counted noun, after none of the blockers ("hằng năm",
    "một số"), and "một" only in a sentence that counts something else too."""
    text, sent, num = ctx.text, c.sentence, c.number
    if c.noun is None or c.noun.via != "words" or ctx.rules.weak_number_blocker.search(text, max(sent.start, num.start - 12), num.start):
        return False
    if num.text.lower() == "một":
        others = [n for n in ctx.numbers if n.start != num.start and not n.weak]
        return bool(others)
    return True


def _counted(window: Window, at: int, ctx: SentenceContext) -> Match | None:
    """The longest counted noun at `at`, unless it is a coordination whose second noun begins a
    name ("Chi bộ và Đảng bộ phường Hòa Minh"): then the noun before the conjunction.  When the
    window's words cut a counted phrase differently from every pattern (a known word running
    across its start), the phrase lists themselves still read it, if it ends where a word ends."""
    text = ctx.text
    for m in window.counted_all(at):
        phrase = text[m.start : m.end]
        if (" và " in fold(phrase) or "," in phrase) and ctx.shape("name_after_noun").match(text, m.end):
            continue
        return m
    m = ctx.rules.objects.match(text, at)
    if m and any(e == m.end() for _s, e, _t in window.tokens):
        obj = ctx.rules.object_label.get(fold(m.group(0)))
        if obj is not None:
            return Match("COUNTED", obj, m.start(), m.end(), -1, -1)
    return None


def _elided(c: FigureCandidate, ctx: SentenceContext) -> bool:
    """A list item whose noun is left out: "…150 đảng viên mới; Hội An 110; Điện Bàn 150", a label
    and its value ("khiển trách 26, cảnh cáo 11", "- Hoàn thành tốt nhiệm vụ: 33/46", "(kế hoạch
    1.600)"), the result of a change ("sáp nhập 8 tổ chức cơ sở đảng thành 4") or "… lên gần 6 ngàn"."""
    text, sent, num = ctx.text, c.sentence, c.number
    before = text[sent.start : num.start]
    lower = ctx.doc.lower
    # "… thành 4 để phù hợp": the clause may go on
    result = ctx.rules.folded["result_before"].search(before, None if lower is None else lower[sent.start : num.start])
    if not result and not ctx.shape("elided_after").match(text[c.tail : c.tail + 8]):
        return False
    topic, prev = ctx.topic_before(num.start), ctx.previous()
    if ctx.shape("raised_to_before").search(before) and topic is not None:
        c.noun = Noun(topic.object, topic.phrase, c.tail, "raised_to")
        c.decide("noun", "raised_to_topic", topic.phrase, 0.9)
    elif ctx.shape("copula_before").search(before) and topic is not None and (prev is None or prev.end < topic.start):
        c.noun = Noun(topic.object, topic.phrase, c.tail, "list_item")  # "Số doanh nghiệp có tổ chức đảng là 83"
        c.decide("noun", "topic_is", topic.phrase, 0.85)
        return True
    elif (_labelled(c, ctx) or result) and not ctx.shape("number_list_after").match(text, c.tail, sent.end):
        # "Huy hiệu 55, 50, 40 và 30 năm" is no label and its value
        in_topic = topic if topic is not None and (prev is None or prev.end < topic.start) else None
        source = in_topic or _whole_of_fraction(c, ctx) or prev or ctx.recent(lambda f: True, sentences=2)
        if source is None:
            return False
        c.noun = Noun(source.object or "", source.phrase, c.tail, "list_item")
        c.decide("noun", "label_value", source.phrase, 0.8)
        if isinstance(source, FigureCandidate) and ctx.shape("plan_label_before").search(before):
            c.plan_of = ctx.index_of(source)  # "(kế hoạch 1.600)": the plan of the figure before
        return True  # the label is no name: the quote starts at the number
    elif not ctx.shape("elided_name_before").search(before):
        return False
    elif prev is not None:
        c.noun = Noun(prev.object or "", prev.phrase, c.tail, "list_item")
        c.decide("noun", "elided_list_item", prev.phrase, 0.85)
    elif topic is not None:
        c.noun = Noun(topic.object, topic.phrase, c.tail, "list_item")
        c.decide("noun", "elided_topic", topic.phrase, 0.8)
    else:
        return False
    m = ctx.shape("item_name").search(before)
    c.name_start = sent.start + m.start(1) if m else num.start
    c.item_name = text[c.name_start : num.start].strip()
    return True


def _labelled(c: FigureCandidate, ctx: SentenceContext) -> bool:
    """An event cue or a goal word stands right before the number: "khiển trách 26", "kế hoạch 1.600"."""
    text, gap = ctx.text, ctx.shape("label_gap")
    if any(cue.label not in ("none", "link", "total") and gap.fullmatch(text, cue.end, c.number.start) for cue in ctx.cues):
        return True
    return bool(ctx.shape("plan_label_before").search(text, max(c.sentence.start, c.number.start - 30), c.number.start))


def _whole_of_fraction(c: FigureCandidate, ctx: SentenceContext):
    """"- Hoàn thành xuất sắc nhiệm vụ: 9/46" under "Tổng số tổ chức cơ sở đảng: 46": the M of the
    fraction is a total stated before, whose noun it shares."""
    if c.denominator is None:
        return None
    return next((f for f in reversed(ctx.figures) if f.number.value == c.denominator.value and f.event == "total"), None)


def _noun_before(c: FigureCandidate, ctx: SentenceContext) -> bool:
    """'(trong đó đảng bộ cơ sở 85/779 = 10,9%, chi bộ cơ sở 74/668 …)': the counted noun stands right
    before a number that ends its clause."""
    text, sent, num = ctx.text, c.sentence, c.number
    if not ctx.shape("noun_before_tail").match(text, c.tail, sent.end):
        return False
    prev = ctx.previous()
    lo = max(sent.start, prev.end if prev else sent.start, text.rfind(";", sent.start, num.start) + 1)
    last = None
    for m in ctx.rules.objects.finditer(text, lo, num.start):
        last = m
    if last is None or not ctx.shape("noun_before_gap").fullmatch(text, last.end(), num.start):
        return False
    obj = ctx.rules.object_label.get(fold(last.group(0)))
    if obj is None:
        return False
    c.noun = Noun(obj, last.group(0), c.tail, "before")
    c.name_start = last.start()  # the quote reads "đảng bộ cơ sở 85/779"
    c.decide("noun", "noun_before", last.group(0), 0.85)
    return True
