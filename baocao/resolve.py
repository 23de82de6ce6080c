"""Resolve stage: tie extracted facts to the document they came from (pages, province of 2025)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baocao.audit.config import default_config
from baocao.audit.duplicates import text_signature
from extractors.furniture import furniture_spans
from extractors.people import find_people
from schemas.records import Extraction, Person, SourceDocument

if TYPE_CHECKING:
    from extractors.rules import Rules


def resolve(doc: SourceDocument, ex: Extraction, rules: Rules, people: bool = True) -> Extraction:
    """Pages for every fact (and, on pages read by OCR, the mean confidence of its words), the 2025
    successor of the document's and each figure's province, the people the document names
    (underthesea NER), and the near-duplicate signature of its prose (the audit finds republished
    copies by it)."""
    g = rules.gazetteer
    for fact in (*ex.figures, *ex.doc_refs, *ex.dates):
        fact.page = doc.page_at(fact.start)
        if doc.ocr_words:
            fact.ocr_confidence = doc.ocr_confidence(fact.start, fact.end)
    if ex.info.province and not ex.info.province_2025:
        ex.info.province_2025 = g.province_2025(ex.info.province)
    for f in ex.figures:
        f.province_2025 = g.province_2025(f.province) if f.province else None
    if people:
        ex.info.people = [Person(name=p.name, role=p.role, kind=p.kind, start=p.start, end=p.end)
                          for p in find_people(doc.text, rules.people)]
    ex.signature = text_signature(doc.text, default_config().duplicates, furniture_spans(doc.text, rules.furniture))
    return ex
