"""Counted quantities of the figure taxonomy (GUIDE.md), read sentence by sentence.

For each number the rules answer, in order:
1. what is counted — the noun right after the number ("84 TCCS đảng"), read by the figure
   Matcher over underthesea words (figure_words.py), or, for a list item with the noun left
   out ("Hội An 110;"), the figure before it or the sentence's topic;
2. what happened — a cue after the noun phrase ("... được kết nạp", Matcher) overrides; else
   the nearest cue before the number back to the previous figure; a link word ("trong đó",
   "gồm", "với", "(") or a bare coordination continues the previous figure;
3. how it is qualified (gần, trên, từ … trở lên: Matcher) and whether it is a goal (chỉ tiêu,
   phấn đấu).
The words next to the number are Matcher patterns (data/figure_patterns.jsonl); the sentence
context before it (event verbs, goal words, topics) is phrase lists matched on the clause.
All cue words live in data/figure_cues.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.cues import UPPER, alternation, figure_cues, fold, labelled_regex, lower_keeping_offsets
from extractors.figure_words import Window, can_be_counted, read_window
from extractors.numbers import Number, find_numbers
from extractors.sentences import Sentence

MEMBERS = {"party_member", "youth_union_member", "trade_union_member"}
ORGS = {"party_org", "party_committee", "party_cell", "youth_union_org", "trade_union_org"}
PERSONISH = MEMBERS | {"trainee", "worker"}
# Nouns of the 'trainee' row that only count when the sentence trains or admits them.
_ONLY_IN_CONTEXT = {"cán bộ", "cán bộ, đảng viên", "học sinh", "sinh viên", "em học sinh", "cán bộ, chiến sĩ",
                    "cán bộ, chiến sỹ, quần chúng", "lượt cán bộ", "lượt người", "lượt cán bộ, đảng viên", "lượt đảng viên"}
_ALWAYS_TRAINEE = {"học viên"}


@dataclass
class FigureHit:
    """A figure found in the text, before it becomes a `schemas.records.Figure`."""

    start: int
    end: int  # end of the counted noun phrase
    value: float
    object: str
    event: str
    qualifier: str
    target: bool
    sentence: Sentence
    raw_event: str  # the event the clause states, passed on to coordinated figures
    parent: int | None = None  # index of the figure this one is a part of
    number_start: int = 0
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Cues:
    object_label: dict[str, str]
    left: re.Pattern[str]
    left_lower: re.Pattern[str]  # the same phrases, case-sensitive, for lower-cased text (much faster)
    left_label: dict[str, str]
    right: re.Pattern[str]
    right_label: dict[str, str]
    targets: re.Pattern[str]
    target_negators: re.Pattern[str]
    target_openers: re.Pattern[str]
    training: re.Pattern[str]
    average_clause: re.Pattern[str]
    topic: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    c = figure_cues()
    object_label: dict[str, str] = {}  # folded phrase -> object; the first listing wins
    for obj, items in c["objects"].items():
        for p in items:
            object_label.setdefault(fold(p), obj)
    left, left_label = labelled_regex(c["events_left"])
    right, right_label = labelled_regex(c["events_right"])
    obj_alt = alternation([p for items in c["objects"].values() for p in items])
    return _Cues(
        object_label=object_label,
        left=left,
        left_lower=re.compile(alternation([p.lower() for items in c["events_left"].values() for p in items])),
        left_label=left_label,
        right=right,
        right_label=right_label,
        targets=re.compile(alternation(c["targets"]), re.IGNORECASE),
        target_negators=re.compile(rf"(?:{alternation(c['target_negators'])})(?:\s+[\wÀ-ỹ]+){{0,2}}\s*$", re.IGNORECASE),
        target_openers=re.compile(rf"(?:{alternation(c['target_openers'])})[^.;:]{{0,60}}:", re.IGNORECASE),
        training=re.compile(alternation(c["training_words"]), re.IGNORECASE),
        average_clause=re.compile(alternation(c["average_clause"]), re.IGNORECASE),
        topic=re.compile(rf"(?<!một\s)(?<!Một\s)(?P<total>tổng\s+)?(?<![\wÀ-ỹ])số\s+(?:lượng\s+)?(?P<obj>{obj_alt})(?P<rest>[^,;.:]{{0,40}})", re.IGNORECASE),
    )


# ---------------------------------------------------------------------------
# Object and event compatibility


def resolve(obj: str, phrase: str, event: str) -> tuple[str, str] | None:
    """The (object, event) a noun and an event make together, or None when it is no figure."""
    key = fold(phrase)
    if obj == "training_class":
        return "training_class", "trained"
    if obj == "trainee":
        if event == "admitted":
            return "party_member", "admitted"
        if event == "trained" or key in _ALWAYS_TRAINEE:
            return "trainee", "trained"
        return None  # "13 quần chúng ưu tú này đã…" is no count of a training
    if obj == "worker":
        if event == "admitted":
            return "party_member", "admitted"
        if event == "trained":
            return "trainee", "trained"
        return "worker", event if event in ("total", "other") else "total"
    if obj in MEMBERS:
        if event == "trained":
            return "trainee", "trained"
        if event == "established":
            return obj, "total"
        return obj, event
    if obj in ORGS or obj in ("enterprise", "industrial_zone"):
        if event == "admitted":
            return obj, "established"
        if event == "trained":
            return obj, "total"
        return obj, event
    return obj, event


# ---------------------------------------------------------------------------
# Helpers over one sentence


def _qualifier(text: str, sent: Sentence, num: Number, phrase_end: int, words: Window) -> tuple[str, int]:
    """(qualifier, start of the qualifier word or of the number)."""
    m = words.qualifier(num.start)
    if m is None:
        clause_lo = max([sent.start] + [i + 1 for i in (text.rfind(ch, sent.start, num.start) for ch in ",;:(") if i >= 0])
        if _cues().average_clause.search(text, clause_lo, num.start):
            return "average", num.start
        return "exact", num.start
    if m.id == "at_least" and fold(text[m.start : m.end]) == "từ":
        # "từ 700 đảng viên trở lên": without the closer, "từ" is a preposition
        closer = words.after("AT_LEAST_END", phrase_end, across_commas=False)
        return ("at_least", m.start) if closer and closer.start - phrase_end <= 60 else ("exact", num.start)
    return m.id, m.start


def _is_target(text: str, sent: Sentence, num_start: int, opener_until: int) -> bool:
    c = _cues()
    if num_start < opener_until:
        return True
    for m in c.targets.finditer(text, max(sent.start, num_start - 140), num_start):
        lead = text[max(sent.start, m.start() - 24) : m.start()]
        if c.target_negators.search(lead):
            continue
        between = text[m.end() : num_start]
        if ";" in between or ")" in between:
            continue  # the goal belonged to another clause or to a remark in brackets
        return True
    return False


def _left_cues(text: str, lower: str | None, sent: Sentence) -> list[tuple[str, int, int]]:
    """All event cues of a sentence, found once: (label, start, end).  `lower` is the text in lower
    case when that keeps every offset (else None)."""
    c = _cues()
    rx, haystack = (c.left_lower, lower) if lower is not None else (c.left, text)
    return [(c.left_label[fold(m.group(0))], m.start(), m.end()) for m in rx.finditer(haystack, sent.start, sent.end)]


def _nearest_left_cue(text: str, lo: int, hi: int, cues: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """The nearest event cue in text[lo:hi]: (label, start, end); bare clause-initial 'có' is skipped."""
    for label, s, e in reversed(cues):
        if s < lo or e > hi:
            continue
        if label == "none":
            continue
        word = fold(text[s:e])
        if word == "có":
            lead = text[max(lo, s - 12) : s].rstrip()
            if re.search(r"trong\s+đó$", lead, re.IGNORECASE):
                continue  # "trong đó có": the link before it decides
            if not lead or lead.endswith((",", ":", "(")) or s - lo < 2:
                return "exist", s, e  # existential "có": a stock, unless the sentence's topic says otherwise
        if word == "với" and text[hi - 1 : hi] not in (" ", "\n"):
            continue
        return label, s, e
    return None


def _right_event(phrase_end: int, words: Window) -> str | None:
    """An event stated after the counted noun, before the next clause or number."""
    m = words.after("EVENT", phrase_end)
    return m.id if m and m.start - phrase_end <= 90 else None


# ---------------------------------------------------------------------------


def find_figures(text: str, sentences: list[Sentence], masked: list[tuple[int, int]]) -> list[FigureHit]:
    """All figures of the text; `masked` spans (dates, document symbols, times, URLs) hold no figures."""
    c = _cues()
    mask_starts = sorted(masked)
    lower = lower_keeping_offsets(text)
    hits: list[FigureHit] = []

    def is_masked(s: int, e: int) -> bool:
        return any(ms < e and s < me for ms, me in mask_starts)

    opener_until = -1
    paragraph_of_opener = -1
    for sent in sentences:
        if sent.paragraph != paragraph_of_opener:
            opener_until = -1
        op = c.target_openers.search(text, sent.start, sent.end)
        if op:
            # Goals listed after "đề ra một số chỉ tiêu chủ yếu là:" run to the paragraph's end.
            paragraph_of_opener = sent.paragraph
            end_of_par = text.find("\n", op.end())
            opener_until = len(text) if end_of_par < 0 else end_of_par
        first_in_sentence = len(hits)
        numbers = [n for n in find_numbers(text, sent.start, sent.end)
                   if not is_masked(n.start, n.end) and not _in_range(text, n)]
        dens = {n.denominator_of: n for n in numbers if n.denominator_of is not None}
        topic = _topic(text, sent)
        cues = _left_cues(text, lower, sent) if numbers else []
        for num in numbers:
            if num.denominator_of is not None:
                continue
            den = dens.get(num.start)
            tail = den.end if den else num.end
            hit = _read_one(text, sent, num, tail, hits, first_in_sentence, topic, opener_until, cues)
            if hit is None:
                continue
            hits.append(hit)
            if den is not None:
                dh = _denominator(text, sent, den, hit, hits, first_in_sentence)
                if dh is not None:
                    hits.append(dh)
    return hits


_RANGE_BEFORE = re.compile(r"\d\s*[-–]\s*$")
_RANGE_AFTER = re.compile(r"\s*[-–]\s*\d")


def _in_range(text: str, num: Number) -> bool:
    """'chỉ có 1-2 đảng viên', '80 - 85%': a range says how many roughly, it is no count."""
    return bool(_RANGE_BEFORE.search(text[max(0, num.start - 4) : num.start]) or _RANGE_AFTER.match(text, num.end))


def _topic(text: str, sent: Sentence) -> tuple[str, str, str, int] | None:
    """'(tổng) số đảng viên mới được kết nạp' names what the sentence counts: (object, phrase, event, end)."""
    c = _cues()
    m = c.topic.search(text, sent.start, sent.end)
    if not m:
        return None
    phrase = m.group("obj")
    obj = c.object_label.get(fold(phrase))
    if obj is None:
        return None
    event = "total"
    r = c.right.search(m.group("rest"))
    if r:
        event = c.right_label[fold(r.group(0))]
    elif re.search(r"kết\s+nạp", m.group("rest"), re.IGNORECASE):
        event = "admitted"
    return obj, phrase, event, m.end("obj")


# "11/95 (11,58%) đảng viên", "1.200 lượt cán bộ": what may stand between a number and its noun
_BETWEEN_NUMBER_AND_NOUN = re.compile(r"\s*(?:\([^()]{0,16}\)\s*)?(?:lượt\s+)?", re.IGNORECASE)


def _words(text: str, sent: Sentence, num: Number, tail: int) -> tuple[Window | None, tuple[str, str, int] | None]:
    """The Matcher's reading around a number and the counted noun right after it: (object, phrase, end).
    Only a number whose next word can begin a counted noun has its clause segmented."""
    m = _BETWEEN_NUMBER_AND_NOUN.match(text, tail, sent.end)
    at = m.end() if m else tail
    if not can_be_counted(text, at, sent.end):
        return None, None
    words = read_window(text, num.start, at, sent.start, sent.end)
    counted = words.counted(at)
    if counted is None:
        return words, None
    return words, (counted.id, text[counted.start : counted.end], counted.end)


def _previous(hits: list[FigureHit], first_in_sentence: int) -> FigureHit | None:
    """The last figure of this sentence, not counting the M of an "N/M"."""
    for h in reversed(hits[first_in_sentence:]):
        if not h.extra.get("denominator"):
            return h
    return None


def _parent_for(hits: list[FigureHit], first_in_sentence: int, obj: str | None, allow_previous_sentence: bool) -> int | None:
    """Index of the nearest earlier figure that a breakdown ("trong đó", "gồm", "(") divides."""
    lo = 0 if allow_previous_sentence else first_in_sentence
    if lo < first_in_sentence:
        lo = max(0, first_in_sentence - 8)
    for i in range(len(hits) - 1, lo - 1, -1):
        h = hits[i]
        if obj is None or obj == "comrade":
            if h.object in PERSONISH:
                return i
        elif (obj in PERSONISH) == (h.object in PERSONISH):
            return i
    return None


def _read_one(text: str, sent: Sentence, num: Number, tail: int, hits: list[FigureHit], first_in_sentence: int,
              topic, opener_until: int, cues: list[tuple[str, int, int]]) -> FigureHit | None:
    words, found = _words(text, sent, num, tail)
    prev = _previous(hits, first_in_sentence)
    elided = False
    if found is None:
        found = _elided(text, sent, num, tail, prev, topic)
        if found is None:
            return None
        elided = True
        if words is None:
            words = read_window(text, num.start, tail, sent.start, tail)  # the qualifier before it
    obj, phrase, phrase_end = found
    if not elided and obj in ("party_member", "comrade"):
        delegates = words.after("EXCLUDE", phrase_end, max_words=6, across_commas=False)
        if delegates and delegates.start - phrase_end <= 26:
            return None  # "228 đảng viên đại diện cho …" are delegates, not a count of members

    # --- event
    window_lo = prev.end if prev else sent.start
    cue = _nearest_left_cue(text, window_lo, num.start, cues)
    parent = None
    raw_event: str | None = None
    if cue and text[cue[1]] == "(" and prev is not None and _NEW_ITEM.search(text, prev.end, cue[1]):
        # "Trường Cao đẳng Hải Dương (28 đảng viên), Công ty CP … (21 đảng viên)": a new item, not a part
        cue = _nearest_left_cue(text, window_lo, cue[1], cues)
    if cue and cue[0] == "link":
        lead_is_sentence_start = re.fullmatch(r"\W*", text[sent.start : cue[1]]) is not None
        parent = _parent_for(hits, first_in_sentence, obj, allow_previous_sentence=lead_is_sentence_start)
        if parent is not None:
            raw_event = hits[parent].raw_event
        else:
            cue = _nearest_left_cue(text, window_lo, cue[1], cues)
    if raw_event is None and cue and cue[0] == "exist":
        # "Trong tổng số đảng viên được kết nạp …, có gần 400 đảng viên …": the topic decides
        raw_event = topic[2] if topic and topic[3] <= cue[1] else "total"
    if raw_event is None and cue and cue[0] != "link":
        raw_event = cue[0]
    coordinated = False
    if raw_event is None and prev is not None:
        # No cue since the previous figure: a coordination ("28 đảng bộ cơ sở và 24 chi bộ cơ sở")
        raw_event, coordinated = prev.raw_event, True
        if obj == "comrade" or prev.object == obj or (obj in PERSONISH and prev.object in PERSONISH):
            parent = hits.index(prev) if parent is None and obj == "comrade" else parent
    if raw_event is None:
        # Nothing before the number back to the sentence start: look once more from the start.
        far = _nearest_left_cue(text, sent.start, num.start, cues)
        if far and far[0] == "exist":
            raw_event = "total"
        elif far and far[0] != "link":
            raw_event = far[0]
        elif far and far[0] == "link" and re.fullmatch(r"\W*", text[sent.start : far[1]]):
            p = _parent_for(hits, first_in_sentence, obj, allow_previous_sentence=True)
            if p is not None:
                parent, raw_event = p, hits[p].raw_event
    right = _right_event(phrase_end, words)
    if raw_event is None:
        if fold(phrase).endswith("mới"):
            raw_event = "admitted"
        elif topic and num.start > topic[3]:
            raw_event = topic[2]
        else:
            raw_event = "total"
    event = right or raw_event
    if event not in ("trained", "admitted") and obj in PERSONISH | {"trainee", "comrade"} \
            and re.search(r"(?:^|\s)cho\s+(?:\S+\s+)?$", text[max(sent.start, num.start - 16) : num.start]) \
            and _cues().training.search(text, sent.start, num.start):
        event = "trained"  # "mở lớp … cho hơn 300 cán bộ, đảng viên"

    # --- object
    if obj == "comrade":
        source = None
        if parent is not None:
            source = hits[parent]
        elif prev is not None and prev.object in PERSONISH:
            source = prev
        if source is not None:
            obj, phrase = source.object, source.extra.get("phrase", "đảng viên")
        elif event == "admitted":
            obj, phrase = "party_member", "đảng viên"
        elif topic and topic[0] in PERSONISH:
            obj, phrase = topic[0], topic[1]
        else:
            return None
    if obj == "youth_union_member" and fold(phrase) == "đoàn viên" and prev is not None and \
            prev.object in ("trade_union_org", "trade_union_member"):
        obj = "trade_union_member"
    resolved = resolve(obj, phrase, event)
    if resolved is None:
        return None
    obj, event = resolved
    if obj == "youth_union_member" and event == "admitted" and re.search(r"vào\s+Đảng", text[phrase_end : sent.end], re.IGNORECASE):
        obj = "party_member"

    qualifier, quote_start = _qualifier(text, sent, num, phrase_end, words)
    target = _is_target(text, sent, num.start, opener_until)
    if elided and prev is not None:
        target = target or prev.target
    if parent is None and cue and cue[0] == "link" and prev is not None:
        parent = hits.index(prev)
    if parent is None:
        parent = _open_bracket_parent(text, hits, first_in_sentence, num.start, obj)
    if parent is None and cues and cues[0][0] == "link" and re.fullmatch(r"\W*", text[sent.start : cues[0][1]]) \
            and fold(text[cues[0][1] : cues[0][2]]) not in ("(", "với"):
        # "Cụ thể: Đảng bộ TP.Tam Kỳ … 150 đảng viên mới; Hội An 110; …": a sentence that opens with a
        # link word breaks down the figure of the sentence before
        parent = _parent_for(hits[:first_in_sentence], first_in_sentence, obj, allow_previous_sentence=True)
    name_start = found_start(text, num, sent) if elided else num.start
    breakdown = parent is not None and _is_breakdown(text, hits, parent, num)
    if not breakdown and coordinated and prev is not None and prev.parent is not None and \
            not re.search(r"\)|\bvới\b", text[prev.end : num.start]):
        parent, breakdown = prev.parent, True  # the next part of the same breakdown
    return FigureHit(
        start=name_start if elided else quote_start,
        end=phrase_end,
        value=num.value,
        object=obj,
        event=event,
        qualifier=qualifier,
        target=target,
        sentence=sent,
        raw_event=raw_event,
        parent=parent if breakdown else None,
        number_start=num.start,
        extra={"phrase": phrase, **({"name": text[name_start : num.start].strip()} if elided else {})},
    )


def _open_bracket_parent(text: str, hits: list[FigureHit], first_in_sentence: int, num_start: int, obj: str) -> int | None:
    """"373 đảng viên trong doanh nghiệp (doanh nghiệp có vốn Nhà nước … kết nạp được 258 đảng viên;
    doanh nghiệp ngoài nhà nước kết nạp được 115 …)": a figure inside a bracket opened after an
    earlier figure of the sentence is a part of it, even when the part repeats the verb."""
    for i in range(len(hits) - 1, first_in_sentence - 1, -1):
        h = hits[i]
        between = text[h.end : num_start]
        opened = between.find("(")
        if opened < 0 or between.count("(") <= between.count(")") or _NEW_ITEM.search(between, 0, opened):
            continue  # no bracket left open, or it opens on a new item ("…, Bệnh viện X (8 đảng viên)")
        if (obj in PERSONISH or obj == "comrade") == (h.object in PERSONISH):
            return i
    return None


_NEW_ITEM = re.compile(r"[,;)]")  # between a figure and a bracket: the bracket belongs to another item


def found_start(text: str, num: Number, sent: Sentence) -> int:
    """For an elided list item the quote starts at its name ("Hội An 110")."""
    m = re.search(rf"(?:^|[;,:]|\blà)\s*([{UPPER}][\w.]*(?:\s+[\w.]+){{0,4}})\s*$", text[sent.start : num.start])
    return sent.start + m.start(1) if m else num.start


def _is_breakdown(text: str, hits: list[FigureHit], parent: int, num: Number) -> bool:
    between = text[hits[parent].end : num.start]
    return bool(re.search(r"trong\s+đó|gồm|\(|:|cụ\s+thể", between, re.IGNORECASE))


_NAME_BEFORE = re.compile(
    rf"(?:^|[;,:(]|\blà|\bvà|\bgồm)\s*(?:(?:Đảng bộ|đảng bộ|huyện|Huyện|TP\.?|thị xã|xã)\s*)?"
    rf"[{UPPER}][\w.]*(?:\s+[\w.]+){{0,4}}\s*$"
)


def _elided(text: str, sent: Sentence, num: Number, tail: int, prev: FigureHit | None, topic) -> tuple[str, str, int] | None:
    """A list item whose noun is left out: "…150 đảng viên mới; Hội An 110; Điện Bàn 150" or "… lên gần 6 ngàn"."""
    after = text[tail : tail + 6]
    if not re.match(r"\s*(?:[;,.)]|và\b|$)", after):
        return None
    before = text[sent.start : num.start]
    if re.search(r"\blên\s+(?:\S+\s+)?$", before) and topic is not None and num.start > topic[3]:
        return topic[0], topic[1], tail
    if not _NAME_BEFORE.search(before):
        return None
    if prev is not None:
        return prev.object, prev.extra.get("phrase", ""), tail
    if topic is not None and num.start > topic[3]:
        return topic[0], topic[1], tail
    return None


def _denominator(text: str, sent: Sentence, den: Number, hit: FigureHit, hits: list[FigureHit], first: int) -> FigureHit | None:
    """The M of "N/M": a back-reference to a figure already stated, a plan, or the whole population."""
    if any(h.value == den.value for h in hits[first:-1]) or any(h.value == den.value and h.object == hit.object
                                                                     for h in hits[max(0, first - 6) : first]):
        return None
    if re.search(r"so\s+với\s+(?:chỉ\s+tiêu|kế\s+hoạch)|chỉ\s+tiêu[^.;]{0,20}$", text[sent.start : den.start], re.IGNORECASE):
        obj, event, target = hit.object, hit.event, True
    else:
        base = _cues().object_label.get(fold(hit.extra.get("phrase", "")), hit.object)
        obj = {"trainee": "party_member"}.get(base, base) if base in PERSONISH | {"trainee"} else base
        if fold(hit.extra.get("phrase", "")) not in ("đảng viên", "đảng viên mới") and base == "trainee":
            return None
        event, target = "total", False
    return FigureHit(start=den.start, end=hit.end, value=den.value, object=obj, event=event, qualifier="exact",
                     target=target, sentence=sent, raw_event=event, parent=None,
                     number_start=den.start, extra={"phrase": hit.extra.get("phrase", ""), "denominator": True})


__all__ = ["FigureHit", "find_figures", "resolve"]
