"""Resolve stage: tie extracted facts to the document they came from (pages, province of 2025)."""

from __future__ import annotations

from extractors.gazetteer import gazetteer
from schemas.records import Extraction, SourceDocument


def resolve(doc: SourceDocument, ex: Extraction) -> Extraction:
    """Pages for every fact and the 2025 successor of the document's province."""
    for fact in (*ex.figures, *ex.doc_refs, *ex.dates):
        fact.page = doc.page_at(fact.start)
    if ex.info.province and not ex.info.province_2025:
        ex.info.province_2025 = gazetteer().province_2025(ex.info.province)
    return ex
