"""Who, when, part of what and where for every figure: subject, period, segment, province."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

from extractors.cues import lower_keeping_offsets
from extractors.figure_candidate import FigureCandidate
from extractors.periods import find_periods, period_for
from extractors.segments import segment_of
from extractors.sentences import Sentence
from extractors.subjects import OrgMention, main_subject, org_mentions

if TYPE_CHECKING:
    from extractors.rules import Rules

_LEAD_SENTENCES = 4  # the title and lead name the document's main organization


def _clause_bounds(text: str, sent: Sentence, at: int) -> tuple[int, int]:
    """The clause around offset `at`: the part of its sentence between semicolons."""
    lo = text.rfind(";", sent.start, at) + 1 or sent.start
    hi = text.find(";", at, sent.end)
    return lo, sent.end if hi < 0 else hi


def add_depth(text: str, sentences: list[Sentence], hits: list[FigureCandidate], doc_date: dt.date | None,
              province: str | None, rules: Rules) -> list[dict]:
    """Depth attributes per figure, in the same order."""
    with_figures = {id(h.sentence): h.sentence for h in hits}
    to_parse = sorted({*with_figures.values(), *sentences[:_LEAD_SENTENCES]}, key=lambda s: s.start)
    lower = lower_keeping_offsets(text)  # once for the scans below
    mentions = org_mentions(text, to_parse, rules.subjects, rules.name_end, lower)
    main = main_subject(mentions)
    mentions = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    periods = find_periods(text, doc_date, rules.periods, lower)
    shapes = rules.figures.shapes
    sentence_starts = [s.start for s in sentences]
    paragraph = [_paragraph_of(sentences, sentence_starts, p.start) for p in periods]
    # Index of the periods by end (they are sorted and do not overlap) and by paragraph, so that a
    # figure finds the periods before it by bisecting, not by scanning them all.
    period_starts = [p.start for p in periods]
    period_ends = [p.end for p in periods]
    by_paragraph: dict[int | None, list[int]] = {}
    for i, par in enumerate(paragraph):
        by_paragraph.setdefault(par, []).append(i)
    province_of_subject: dict[str | None, str | None] = {}  # a document names few subjects, many times
    out: list[dict] = []
    for h in hits:
        sent = h.sentence
        number_start = h.number.start
        clause_lo, clause_hi = _clause_bounds(text, sent, number_start)
        # the counted phrase runs to the next figure at most ("1.546 đảng viên, trong đó: 12 TCCS …")
        nxt = shapes["phrase_stop"].search(text, h.end, clause_hi)
        phrase_hi = nxt.start() if nxt else clause_hi
        n_earlier = bisect.bisect_right(period_ends, sent.start)  # periods ending at or before the sentence
        in_paragraph = by_paragraph.get(sent.paragraph, [])
        last_in_paragraph = in_paragraph[bisect.bisect_left(in_paragraph, n_earlier) - 1] \
            if in_paragraph and in_paragraph[0] < n_earlier else None
        # Periods of earlier sentences of the paragraph carry over; an article also keeps its time
        # frame from paragraph to paragraph ("Từ đầu năm đến nay, … kết nạp 139 đảng viên." then
        # "Các Đảng bộ … (28 đảng viên)"); a stock holds at the document's date.
        carried = (periods[last_in_paragraph] if last_in_paragraph is not None
                   else periods[n_earlier - 1] if n_earlier and h.event != "total" else None)
        span = period_for(periods, period_starts, sent, number_start, clause_hi, carried)
        p_start, p_end = (span.period_start, span.period_end) if span else (None, None)
        # a period carried from another sentence is context a copy may lack
        basis = None if span is None else "context" if not sent.start <= span.start < sent.end else span.basis
        if span is not None and span.kind == "as_of" and span.period_end is not None and h.event != "total":
            # "đến cuối tháng 8-2019 đã phát triển 29 đảng viên": counted since the last start the text gave
            before_span = periods[: bisect.bisect_left(period_starts, span.start)]
            starts = [p.period_start for p in before_span if p.period_start and p.period_start < span.period_end]
            p_start = starts[-1] if starts else None
        if span is None and h.event == "total" and doc_date is not None:
            p_start = p_end = doc_date  # a stock with no period holds at the document's date
            basis = "document_date"
        subject = _subject(text, h, hits, mentions, mention_starts, main, out, province, rules)
        segment = segment_of(text, number_start, phrase_hi, clause_lo, number_start, rules.segments, lower)
        prev = out[-1] if out and hits[len(out) - 1].sentence is sent else None
        if segment is None and prev is not None and shapes["members_with"].fullmatch(text, hits[len(out) - 1].end, number_start):
            segment = prev["segment"]  # "23 TCCS đảng doanh nghiệp với 1.546 đảng viên": the members of those
        if segment == h.object:
            segment = None  # "trên 4.000 doanh nghiệp": the phrase names what is counted, not a scope
        if subject not in province_of_subject:
            province_of_subject[subject] = _province_of(subject, province, rules)
        out.append({
            "subject": subject,
            "period_start": p_start,
            "period_end": p_end,
            "period_basis": basis if p_start or p_end else None,
            "segment": segment,
            "province": province_of_subject[subject],
        })
    return out


def _province_of(subject: str | None, province: str | None, rules: Rules) -> str | None:
    """A figure whose subject names a place belongs to that place's province ("Đảng bộ huyện Đăk
    Glei" in a national roundup is Kon Tum's); else to the document's.  In a document of a known
    province, a bare district name of another province does not move the figure: commune names
    repeat across the country ("Tân Sơn" in a Bắc Giang report is a commune of Lục Ngạn, not
    huyện Tân Sơn of Phú Thọ); a province name or a typed one ("huyện Tân Sơn") does."""
    named = [m.province for m in rules.gazetteer.mentions(subject or "")
             if m.kind == "province" or (m.kind == "district" and (m.qualified or province is None or m.province == province))]
    return named[-1] if named else province


def _paragraph_of(sentences: list[Sentence], starts: list[int], offset: int) -> int | None:
    """The paragraph of the sentence holding `offset` (sentences are in order and do not overlap)."""
    i = bisect.bisect_right(starts, offset) - 1
    for s in sentences[max(0, i - 1) : i + 1]:  # the first that holds it, as a scan would find it
        if s.start <= offset < s.end + 1:
            return s.paragraph
    return None


def _subject(text: str, h: FigureCandidate, hits: list[FigureCandidate], mentions: list[OrgMention],
             mention_starts: list[int], main: str | None, done: list[dict], province: str | None,
             rules: Rules) -> str | None:
    """`mentions` sorted by start, `mention_starts` their starts (bisected: a long document names
    thousands of organizations)."""

    def starting_in(lo: int, hi: int) -> list[OrgMention]:
        return mentions[bisect.bisect_left(mention_starts, lo) : bisect.bisect_left(mention_starts, hi)]

    sent = h.sentence
    number_start = h.number.start
    # "Trường Cao đẳng Hải Dương (28 đảng viên)", "Hội An 110": the name standing right before the count
    before = text[sent.start : number_start]
    # the shape ends in an opening bracket (FigureRules checks it): searched only where one ends the text
    named = rules.figures.shapes["named_before_bracket"].search(before) if before.rstrip().endswith("(") else None
    if named and not re.search(r"\d", named.group(1)):
        return named.group(1).strip()
    if h.item_name:
        return h.item_name  # an elided list item ("Hội An 110") counts for the name before it
    if h.parent is not None and h.parent < len(done):
        whole_end = hits[h.parent].end
        if not any(m.end <= number_start and m.subject for m in starting_in(whole_end, number_start)):
            return done[h.parent]["subject"]  # a part is its whole's, unless it names its own unit
    if h.denominator_of is not None and done:
        return done[-1]["subject"]  # the M of "N/M" belongs to the same unit as N
    in_sentence = [m for m in starting_in(sent.start, number_start) if m.end <= number_start]
    acting = [m for m in in_sentence if m.subject]
    if acting or in_sentence:
        # the nearest organization before the number that acts or has (not one after "của", "hợp nhất" …)
        return _complete((acting or in_sentence)[-1].name, province)
    # "Hiện tại Quảng Trị có trên 4.000 doanh nghiệp", "Toàn tỉnh có …": a territory as the subject
    lo = sent.start
    sr = rules.subjects
    for p in rules.gazetteer.mentions(text[lo:number_start]):
        if p.kind not in ("province", "district"):
            continue
        lead = text[max(lo, lo + p.start - 12) : lo + p.start]
        tail = text[lo + p.end : number_start]
        if sr.locative.search(lead) or not sr.subject_verb.match(tail):
            continue
        if main and any(main.lower() == f"{h} {p.surface}".lower() for h in sr.territorial_heads):
            return main  # "TP.Long Khánh đã phát triển …" in a document about Đảng bộ thành phố Long Khánh
        return p.province if p.kind == "province" else p.surface
    if sr.whole_province.search(text, lo, number_start) and province:
        return province
    if sr.whole_party.search(text, lo, number_start):
        return sr.whole_party_name  # "Toàn Đảng ta có 52.105 tổ chức cơ sở Đảng"
    return _complete(main, province) if main else None


def _complete(name: str, province: str | None) -> str:
    """'Đảng bộ tỉnh' with no name is the province's: 'Đảng bộ tỉnh Quảng Nam'."""
    if province and (name == "Đảng bộ tỉnh" or name.endswith(" tỉnh")):
        return f"{name} {province}"
    return name
