"""Extractors: pure functions of document text that return typed records (schemas.records).

`extract(text, rules, tables)` runs them all: header -> sentences -> dates -> document symbols ->
figures -> document info -> depth -> table figures.  `rules` (extractors.rules.load_rules())
holds every cue word, pattern and gazetteer they read, loaded once by the caller.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import TYPE_CHECKING

from extractors.cues import leftmost
from extractors.dates import find_dates
from extractors.depth import add_depth
from extractors.doc_refs import find_doc_refs
from extractors.document_info import doc_date, province_of
from extractors.figures import read_figures
from extractors.furniture import furniture_spans
from extractors.header import read_header
from extractors.sentences import Sentence, split_sentences
from extractors.tables import table_figures, table_spans
from schemas.records import DateMention, DocRef, DocumentInfo, Extraction, Figure, TextTable

if TYPE_CHECKING:
    from extractors.rules import Rules

# Times, time zones and web addresses hold no figure: "12:30", "GMT+7", "https://…".  Parts of one
# alternation, each scanned on its own from what its matches start with (cues.leftmost): "\b\d"
# is written "\d(?<!\w\d)" so that re looks for a digit first instead of trying every place.
_TIME = (re.compile(r"\d(?<!\w\d)\d?:\d{2}(?::\d{2})?\b"), re.compile(r"GMT\+\d+"), re.compile(r"https?://\S+"),
         re.compile(r"www\.\S+"))


def time_spans(text: str) -> list[tuple[int, int]]:
    """Where the text gives a time of day, a time zone or a web address (no figure there)."""
    return [(m.start(), m.end()) for m in leftmost(_TIME, text)]


def _sentence_lookup(sentences: list[Sentence]):
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> Sentence | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and sentences[i].start <= offset <= sentences[i].end:
            return sentences[i]
        return None

    return sentence_of


def _outside(sentences: list[Sentence], spans: list[tuple[int, int]]) -> list[Sentence]:
    return [s for s in sentences if not any(lo <= s.start and s.end <= hi for lo, hi in spans)]


def _province_of_row(label: str | None, province: str | None, rules: Rules) -> str | None:
    """A table row naming a place belongs to that place's province."""
    named = [m.province for m in rules.gazetteer.mentions(label or "") if m.kind == "province" or m.qualified]
    return named[-1] if named else province


def extract(text: str, rules: Rules, tables: list[TextTable] | None = None) -> Extraction:
    """Every figure, document reference and date of `text`, each with its provenance (offsets, quote,
    sentence); `tables` (SourceDocument.tables) add a figure per count cell.  The resolve stage ties
    them to the document's pages."""
    tables = tables or []
    header = read_header(text, rules.header)
    sentences = split_sentences(text)
    sentence_of = _sentence_lookup(sentences)

    def bounds(offset: int) -> tuple[int, int]:
        s = sentence_of(offset)
        return (s.start, s.end) if s else (offset, offset)

    def evidence(start: int, end: int) -> dict:
        s = sentence_of(start)
        return {
            "start": start,
            "end": end,
            "quote": text[start:end],
            "sentence": s.text if s else text[start:end],
            "sentence_start": s.start if s else start,
        }

    dates = find_dates(text)
    refs = find_doc_refs(text, dates, bounds, rules.doc_refs)
    furniture = furniture_spans(text, rules.furniture)
    masked = [(d.start, d.end) for d in dates] + [(r.start, r.end) for r in refs]
    masked += time_spans(text) + furniture
    # The header and signature blocks name the issuer and the signer: no figure, no subject there.
    # Count cells of tables are read by the table reader, not as prose.
    masked += header.spans + table_spans(tables)
    body = _outside(sentences, header.spans) if header.spans else sentences
    candidates = read_figures(text, body, masked, rules.figures, rules.words, rules.numbers)

    furniture_start = min((s for s, _ in furniture if s > len(text) * 0.6), default=None)
    info = DocumentInfo(province=province_of(text, rules.gazetteer, furniture_start),
                        doc_date=doc_date(text, dates, header.date), header=header)
    depth = add_depth(text, body, candidates, info.doc_date, info.province, rules)
    figures = [
        Figure(object=c.object, event=c.event, value=c.number.value, qualifier=c.qualifier, target=c.target,
               parent=c.parent, detail=c.detail, confidence=c.confidence, decided_by=c.explain(),
               **d, **evidence(c.start, c.end))
        for c, d in zip(candidates, depth, strict=True)
    ]
    if tables:
        subjects = Counter(f.subject for f in figures if f.subject)
        in_tables = table_figures(text, tables, rules.tables, title=header.title, doc_date=info.doc_date,
                                  province=info.province,
                                  province_of=lambda label: _province_of_row(label, info.province, rules),
                                  subject=subjects.most_common(1)[0][0] if subjects else None)
        for f in in_tables:
            f.parent = None if f.parent is None else f.parent + len(figures)
        figures += in_tables
    # The document's own number ("Số 45-BC/TU") was issued on its place-date line.
    own = header.symbol if header.date else None
    doc_refs = [
        DocRef(ref=r.ref, doc_type=r.doc_type, issued=r.issued or (header.date if r.ref == own else None),
               **evidence(r.quote_start, r.end)) for r in refs
    ]
    date_facts = [DateMention(date=d.date, **evidence(d.start, d.end)) for d in dates if not d.implied]
    date_facts += [DateMention(date=d.date, **evidence(d.start, d.end)) for d in dates if d.implied]
    return Extraction(info=info, figures=figures, doc_refs=doc_refs, dates=date_facts)
