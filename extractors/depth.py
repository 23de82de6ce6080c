"""Who, when, part of what and where for every figure: subject, period, segment, province."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from extractors.cues import alternation, load_json
from extractors.figures import FigureHit
from extractors.gazetteer import gazetteer
from extractors.periods import find_periods, period_for
from extractors.segments import segment_of
from extractors.sentences import Sentence
from extractors.subjects import OrgMention, main_subject, org_mentions

_LEAD_SENTENCES = 4  # the title and lead name the document's main organization
_DIGIT = re.compile(r"\d|[()]")  # the counted phrase ends at the next number or bracket
_WITH = re.compile(r"[^\d;.:]*\bvới\s*")  # "23 TCCS đảng doanh nghiệp với 1.546 đảng viên"


def _clause_bounds(text: str, sent: Sentence, at: int) -> tuple[int, int]:
    """The clause around offset `at`: the part of its sentence between semicolons."""
    lo = text.rfind(";", sent.start, at) + 1 or sent.start
    hi = text.find(";", at, sent.end)
    return lo, sent.end if hi < 0 else hi


def add_depth(text: str, sentences: list[Sentence], hits: list[FigureHit], doc_date: dt.date | None,
              province: str | None) -> list[dict]:
    """Depth attributes per figure hit, in the same order."""
    with_figures = {id(h.sentence): h.sentence for h in hits}
    to_parse = sorted({*with_figures.values(), *sentences[:_LEAD_SENTENCES]}, key=lambda s: s.start)
    mentions = org_mentions(text, to_parse)
    main = main_subject(mentions)
    periods = find_periods(text, doc_date)
    paragraph = [_paragraph_of(sentences, p.start) for p in periods]
    province_of_subject: dict[str | None, str | None] = {}  # a document names few subjects, many times
    out: list[dict] = []
    for h in hits:
        sent = h.sentence
        clause_lo, clause_hi = _clause_bounds(text, sent, h.number_start)
        # the counted phrase runs to the next figure at most ("1.546 đảng viên, trong đó: 12 TCCS …")
        nxt = _DIGIT.search(text, h.end, clause_hi)
        phrase_hi = nxt.start() if nxt else clause_hi
        earlier = [i for i, p in enumerate(periods) if p.end <= sent.start]
        same_paragraph = [i for i in earlier if paragraph[i] == sent.paragraph]
        # Periods of earlier sentences of the paragraph carry over; an article also keeps its time
        # frame from paragraph to paragraph ("Từ đầu năm đến nay, … kết nạp 139 đảng viên." then
        # "Các Đảng bộ … (28 đảng viên)"); a stock holds at the document's date.
        carried = (periods[same_paragraph[-1]] if same_paragraph
                   else periods[earlier[-1]] if earlier and h.event != "total" else None)
        span = period_for(periods, sent, h.number_start, clause_hi, carried)
        p_start, p_end = (span.period_start, span.period_end) if span else (None, None)
        if span is not None and span.kind == "as_of" and span.period_end is not None and h.event != "total":
            # "đến cuối tháng 8-2019 đã phát triển 29 đảng viên": counted since the last start the text gave
            starts = [p.period_start for p in periods if p.start < span.start and p.period_start and p.period_start < span.period_end]
            p_start = starts[-1] if starts else None
        if span is None and h.event == "total" and doc_date is not None:
            p_start = p_end = doc_date  # a stock with no period holds at the document's date
        subject = _subject(text, h, hits, mentions, main, out, province)
        segment = segment_of(text, h.number_start, phrase_hi, clause_lo, h.number_start)
        prev = out[-1] if out and hits[len(out) - 1].sentence is sent else None
        if segment is None and prev is not None and _WITH.fullmatch(text[hits[len(out) - 1].end : h.number_start]):
            segment = prev["segment"]  # "23 TCCS đảng doanh nghiệp với 1.546 đảng viên": the members of those
        if segment == h.object:
            segment = None  # "trên 4.000 doanh nghiệp": the phrase names what is counted, not a scope
        if subject not in province_of_subject:
            province_of_subject[subject] = _province_of(subject, province)
        out.append({
            "subject": subject,
            "period_start": p_start,
            "period_end": p_end,
            "segment": segment,
            "province": province_of_subject[subject],
        })
    return out


def _province_of(subject: str | None, province: str | None) -> str | None:
    """A figure whose subject names a place belongs to that place's province ("Đảng bộ huyện Đăk
    Glei" in a national roundup is Kon Tum's); else to the document's.  In a document of a known
    province, a bare district name of another province does not move the figure: commune names
    repeat across the country ("Tân Sơn" in a Bắc Giang report is a commune of Lục Ngạn, not
    huyện Tân Sơn of Phú Thọ); a province name or a typed one ("huyện Tân Sơn") does."""
    named = [m.province for m in gazetteer().mentions(subject or "")
             if m.kind == "province" or (m.kind == "district" and (m.qualified or province is None or m.province == province))]
    return named[-1] if named else province


def _paragraph_of(sentences: list[Sentence], offset: int) -> int | None:
    for s in sentences:
        if s.start <= offset < s.end + 1:
            return s.paragraph
    return None


def _subject(text: str, h: FigureHit, hits: list[FigureHit], mentions: list[OrgMention], main: str | None,
             done: list[dict], province: str | None) -> str | None:
    sent = h.sentence
    # "Trường Cao đẳng Hải Dương (28 đảng viên)", "Hội An 110": the name standing right before the count
    before = text[sent.start : h.number_start]
    named = re.search(r"([A-ZĐ][^\s(),;:]*(?:\s+[^\s(),;:]+){0,8})\s*\(\s*$", before)
    if named and not re.search(r"\d", named.group(1)):
        return named.group(1).strip()
    if h.extra.get("name"):
        return h.extra["name"]  # an elided list item ("Hội An 110") counts for the name before it
    if h.parent is not None and h.parent < len(done):
        whole_end = hits[h.parent].end
        if not any(whole_end <= m.start and m.end <= h.number_start and m.subject for m in mentions):
            return done[h.parent]["subject"]  # a part is its whole's, unless it names its own unit
    if h.extra.get("denominator") and done:
        return done[-1]["subject"]  # the M of "N/M" belongs to the same unit as N
    in_sentence = [m for m in mentions if sent.start <= m.start and m.end <= h.number_start]
    acting = [m for m in in_sentence if m.subject]
    if acting or in_sentence:
        # the nearest organization before the number that acts or has (not one after "của", "hợp nhất" …)
        return _complete((acting or in_sentence)[-1].name, province)
    # "Hiện tại Quảng Trị có trên 4.000 doanh nghiệp", "Toàn tỉnh có …": a territory as the subject
    lo = sent.start
    for p in gazetteer().mentions(text[lo : h.number_start]):
        if p.kind not in ("province", "district"):
            continue
        lead = text[max(lo, lo + p.start - 12) : lo + p.start]
        tail = text[lo + p.end : h.number_start]
        locative, verb = _place_words()
        if locative.search(lead) or not verb.match(tail):
            continue
        if main and re.match(rf"Đảng bộ (?:tỉnh|thành phố|huyện|quận|thị xã) {re.escape(p.surface)}$", main, re.IGNORECASE):
            return main  # "TP.Long Khánh đã phát triển …" in a document about Đảng bộ thành phố Long Khánh
        return p.province if p.kind == "province" else p.surface
    if _WHOLE_PROVINCE.search(text, lo, h.number_start) and province:
        return province
    if _WHOLE_PARTY.search(text, lo, h.number_start):
        return "Đảng Cộng sản Việt Nam"  # "Toàn Đảng ta có 52.105 tổ chức cơ sở Đảng"
    return _complete(main, province) if main else None


def _complete(name: str, province: str | None) -> str:
    """'Đảng bộ tỉnh' with no name is the province's: 'Đảng bộ tỉnh Quảng Nam'."""
    if province and (name == "Đảng bộ tỉnh" or name.endswith(" tỉnh")):
        return f"{name} {province}"
    return name




@lru_cache(maxsize=1)
def _place_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a locative before a place: 'tại Bình Dương'; a verb after a place that is the subject: 'Quảng Trị có')."""
    data = load_json("organizations.json")
    # "Hiện tại" is 'currently', not 'at'
    locative = re.compile(rf"(?:^|\s)(?<!hiện\s)(?<!Hiện\s)(?:{alternation(data['locatives'])})\s*$", re.IGNORECASE)
    verb = re.compile(rf"\s*(?:\([^)]*\)\s*)?(?:{alternation(data['subject_verbs'])})", re.IGNORECASE)
    return locative, verb



_WHOLE_PARTY = re.compile(r"(?i:toàn)\s+Đảng(?!\s+(?:bộ|ủy|uỷ))")
_WHOLE_PROVINCE = re.compile(r"(?i:toàn|trên\s+địa\s+bàn)\s+tỉnh(?!\s+[A-ZĐ])")
