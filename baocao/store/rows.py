"""Records -> table rows: pure functions, no database.

Each row is a dict keyed by column name; `as_tuple` orders it as the table in
ddl.py, so a column added there and forgotten here fails loudly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from baocao.ingest.quality import page_list
from schemas.records import (
    DateMention,
    DocRef,
    DocumentHeader,
    Evidence,
    Extraction,
    Figure,
    Person,
    Rejection,
    SourceDocument,
    TableCellRef,
    TextSignature,
    fact_id,
)

from .ddl import TABLES_BY_NAME

Row = dict[str, Any]


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (see ddl.TYPES['timestamp'])."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_tuple(table: str, row: Row) -> tuple[Any, ...]:
    return tuple(row[name] for name in TABLES_BY_NAME[table].column_names)


def document_row(doc: SourceDocument, extraction: Extraction, loaded_at: dt.datetime | None,
                 extractor_version: str | None = None) -> Row:
    info = extraction.info
    return {
        "id": doc.id,
        "path": doc.path,
        "name": doc.name,
        "format": doc.format,
        "encoding": doc.encoding,
        "size_bytes": doc.size_bytes,
        "n_pages": len(doc.pages),
        "text_length": len(doc.text),
        "status": "loaded",
        "loaded_at": loaded_at,
        "error": None,
        "province": info.province,
        "province_2025": info.province_2025,
        "doc_date": info.doc_date,
        "duplicate_of": None,  # set by the audit stage; kept across reloads
        "extractor_version": extractor_version,
        **header_columns(info.header),
        **ocr_columns(doc),
        "converted_by": doc.converted_by,
        **signature_columns(extraction.signature),
        "quality": doc.quality,
        "bad_pages": page_list(doc.bad_pages) if doc.bad_pages else None,
        "quality_note": doc.quality_note,
        "mentioned_year": None,  # set by the organizations stage (baocao.organizations.periods)
    }


def signature_columns(sig: TextSignature | None) -> Row:
    return {"minhash_scheme": sig.scheme if sig else None, "content_shingles": sig.shingles if sig else None,
            "minhash": sig.minhash if sig else None}


def header_columns(header: DocumentHeader | None) -> Row:
    """The stored fields of the Party document header (DocumentHeader.STORED), recipients one a line."""
    row: Row = {name: getattr(header, name) if header else None for name in DocumentHeader.STORED}
    row["recipients"] = "\n".join(header.recipients) if header and header.recipients else None
    return row


def ocr_columns(doc: SourceDocument | None) -> Row:
    confs = [p.ocr_confidence for p in doc.pages if p.ocr_confidence is not None] if doc else []
    return {"ocr_pages": len(confs) if doc else None,
            "ocr_confidence": round(sum(confs) / len(confs), 1) if confs else None}


def cell_columns(cell: TableCellRef | None) -> Row:
    return cell.model_dump() if cell else dict.fromkeys(TableCellRef.model_fields)


def figure_key(f: Figure) -> str:
    return f"{f.object}|{f.event}|{f.value!r}"


def doc_ref_key(r: DocRef) -> str:
    return r.ref


def date_key(d: DateMention) -> str:
    return d.date.isoformat()


def person_key(p: Person) -> str:
    return p.name


def _span(doc: SourceDocument, kind: str, key: str, seq: int, start: int, end: int, page: int | None) -> Row:
    # Pages are filled from the document when the extractor left them out, so that
    # every fact can be shown on its page.
    return {
        "id": fact_id(doc.id, kind, start, end, key),
        "doc_id": doc.id,
        "seq": seq,
        "page": page if page is not None else doc.page_at(start),
        "start_offset": start,
        "end_offset": end,
        "raw_start": doc.raw_offset(start),
        "raw_end": doc.raw_offset(end),
    }


def _evidence(doc: SourceDocument, kind: str, key: str, seq: int, ev: Evidence) -> Row:
    row = _span(doc, kind, key, seq, ev.start, ev.end, ev.page)
    row.update(quote=ev.quote, sentence=ev.sentence, sentence_start=ev.sentence_start, ocr_confidence=ev.ocr_confidence)
    return row


# The figures columns that are fields of the record itself (the provenance columns come from
# Evidence through _evidence): a field added to Figure and to the table needs no edit here.
_FIGURE_FIELDS = tuple(c for c in TABLES_BY_NAME["figures"].column_names
                       if c in Figure.model_fields and c not in Evidence.model_fields)


def figure_rows(doc: SourceDocument, figures: list[Figure]) -> list[Row]:
    ids = [fact_id(doc.id, "figure", f.start, f.end, figure_key(f)) for f in figures]
    rows = []
    for seq, f in enumerate(figures):
        row = _evidence(doc, "figure", figure_key(f), seq, f)
        row.update({name: getattr(f, name) for name in _FIGURE_FIELDS})
        row["value"] = float(f.value)
        parent_ok = f.parent is not None and 0 <= f.parent < len(figures)
        row["parent_id"] = ids[f.parent] if parent_ok else None
        row.update(cell_columns(f.cell))
        row["organization_id"] = None  # set by the organizations stage (baocao.organizations.stage)
        rows.append(row)
    return rows


def doc_ref_rows(doc: SourceDocument, refs: list[DocRef]) -> list[Row]:
    rows = []
    for seq, r in enumerate(refs):
        row = _evidence(doc, "doc_ref", doc_ref_key(r), seq, r)
        row.update(ref=r.ref, doc_type=r.doc_type, issued=r.issued)
        rows.append(row)
    return rows


def date_rows(doc: SourceDocument, dates: list[DateMention]) -> list[Row]:
    rows = []
    for seq, d in enumerate(dates):
        row = _evidence(doc, "date", date_key(d), seq, d)
        row["date"] = d.date
        rows.append(row)
    return rows


def person_rows(doc: SourceDocument, people: list[Person]) -> list[Row]:
    rows = []
    for seq, p in enumerate(people):
        row = _span(doc, "person", person_key(p), seq, p.start, p.end, None)
        # Person keeps no quote: the words are read from the text, like Evidence.quote.
        row.update(quote=doc.text[p.start : p.end], name=p.name, role=p.role, kind=p.kind)
        rows.append(row)
    return rows


def unique_by_id(rows: list[Row]) -> list[Row]:
    """Drop repeats of the same fact (same span and key): the first one is kept."""
    seen: set[str] = set()
    out = []
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            out.append(row)
    return out


def document_text_row(doc: SourceDocument) -> Row:
    """The text the facts' offsets point into, with its pages as [[number, start, end], ...]."""
    pages = [[p.number, p.start, p.end] for p in doc.pages]
    return {"doc_id": doc.id, "text": doc.text, "pages": json.dumps(pages)}


def fact_rows(doc: SourceDocument, extraction: Extraction) -> dict[str, list[Row]]:
    return {
        "figures": unique_by_id(figure_rows(doc, extraction.figures)),
        "doc_refs": unique_by_id(doc_ref_rows(doc, extraction.doc_refs)),
        "dates": unique_by_id(date_rows(doc, extraction.dates)),
        "people": unique_by_id(person_rows(doc, extraction.info.people)),
        "document_texts": [document_text_row(doc)],
    }


@dataclass(frozen=True)
class DocumentRows:
    """Everything loading one document writes, as rows: built where the document was read, so
    the document itself (its text and one offset per character) never has to travel to the loader.

    `document["loaded_at"]` is left to the load, which stamps the time it writes the rows.
    """

    doc_id: str
    path: str
    document: Row
    facts: dict[str, list[Row]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.facts[table])


def document_rows(doc: SourceDocument, extraction: Extraction, extractor_version: str | None = None) -> DocumentRows:
    return DocumentRows(doc.id, doc.path, document_row(doc, extraction, None, extractor_version), fact_rows(doc, extraction))


def rejection_id(rej: Rejection) -> str:
    """One rejection row per (path, doc_id), or per (path, reason) when the bytes were unreadable."""
    key = rej.doc_id if rej.doc_id else f"reason:{rej.reason}"
    return hashlib.sha1(f"{rej.path}|{key}".encode()).hexdigest()


def rejection_row(rej: Rejection, seen_at: dt.datetime) -> Row:
    return {
        "id": rejection_id(rej),
        "path": rej.path,
        "name": rej.name,
        "reason": rej.reason,
        "error": rej.error,
        "doc_id": rej.doc_id,
        "seen_at": seen_at,
        "limit_name": rej.limit,
    }


def rejected_document_row(rej: Rejection, seen_at: dt.datetime) -> Row:
    """The documents row of a rejected input whose bytes could be hashed."""
    suffix = PurePath(rej.name).suffix.lower().lstrip(".")
    return {
        "id": rej.doc_id,
        "path": rej.path,
        "name": rej.name,
        "format": suffix if suffix in ("txt", "html", "pdf", "docx", "doc", "rtf", "odt", "xlsx", "xls") else None,
        "encoding": None,
        "size_bytes": None,
        "n_pages": None,
        "text_length": None,
        "status": "rejected",
        "loaded_at": seen_at,
        "error": rej.error,
        "province": None,
        "province_2025": None,
        "doc_date": None,
        "duplicate_of": None,
        "extractor_version": None,
        **header_columns(None),
        **ocr_columns(None),
        "converted_by": None,
        **signature_columns(None),
        "quality": None,
        "bad_pages": None,
        "quality_note": None,
        "mentioned_year": None,
    }


def label_rows(segments: list[str] | None = None, details: list[str] | None = None) -> list[Row]:
    """The labels table: every code with its Vietnamese and English label (baocao.reference), and
    the codes with a number that the figures hold ('state_capital_enterprise>50', 'badge_30_years')."""
    from baocao.reference import labels_for, load_labels

    labels = [*load_labels(), *labels_for("segment", segments or []), *labels_for("detail", details or [])]
    return [{"kind": lb.kind, "code": lb.code, "label_vi": lb.label_vi, "label_en": lb.label_en} for lb in labels]


def indicator_rows() -> list[Row]:
    """The official_indicators table (baocao/reference/data/official_indicators.json)."""
    from baocao.reference import load_indicators

    ind = load_indicators()
    return [
        {"code": i.code, "form": i.form, "label_vi": i.label_vi, "label_en": i.label_en, "object": i.object,
         "event": i.event, "segment": i.segment, "detail": i.detail, "source": ind.source_vi}
        for i in ind.indicators
    ]

