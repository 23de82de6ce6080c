"""The JSON Lines interchange format of `baocao extract --jsonl` (../shared/eval/GUIDE.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from extractors.sentences import is_headline
from schemas.records import Extraction, Figure

_DEPTH = ("subject", "period_start", "period_end", "segment", "parent", "province", "province_2025", "detail", "confidence")


def _figure_order(figures: list[Figure]) -> list[int]:
    """Indices in document order, except that a figure stated in a title line comes after the same
    figure stated in the body, whose wording (qualifier, target) is the more careful one."""
    key = {i: (f.object, f.event, f.value) for i, f in enumerate(figures)}
    body_keys = {key[i] for i, f in enumerate(figures) if not is_headline(f.sentence)}
    later = {i for i, f in enumerate(figures) if is_headline(f.sentence) and key[i] in body_keys}
    first = [i for i in range(len(figures)) if i not in later]
    return first + sorted(later)


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def jsonl_lines(doc_name: str, ex: Extraction, depth: bool = True) -> Iterator[str]:
    """One line per fact; the document line first."""

    def dump(obj: dict) -> str:
        return json.dumps(obj, ensure_ascii=False)

    line = {"doc": doc_name, "kind": "document", "province": ex.info.province,
            "province_2025": ex.info.province_2025, "doc_date": _iso(ex.info.doc_date)}
    if depth and ex.info.people:
        line["people"] = [{"name": p.name, "role": p.role, "kind": p.kind} for p in ex.info.people]
    header = ex.info.header.model_dump(exclude={"spans", "date"}, exclude_defaults=True)
    if depth and header:
        line["header"] = header
    yield dump(line)
    for i in _figure_order(ex.figures):
        f = ex.figures[i]
        value = int(f.value) if float(f.value).is_integer() else f.value
        line = {"doc": doc_name, "kind": "figure", "object": f.object, "event": f.event, "value": value,
                "qualifier": f.qualifier, "target": f.target, "start": f.start, "end": f.end, "quote": f.quote,
                "page": f.page}
        if depth:
            for k in _DEPTH:
                v = getattr(f, k)
                if v is not None:
                    line[k] = _iso(v) if k.startswith("period") else v
            if f.cell is not None:
                line["cell"] = f.cell.model_dump()
            if f.ocr_confidence is not None:
                line["ocr_confidence"] = f.ocr_confidence
        yield dump(line)
    for r in ex.doc_refs:
        yield dump(_ocr({"doc": doc_name, "kind": "doc_ref", "ref": r.ref, "doc_type": r.doc_type,
                         "issued": _iso(r.issued), "start": r.start, "end": r.end, "quote": r.quote, "page": r.page}, r))
    for d in ex.dates:
        yield dump(_ocr({"doc": doc_name, "kind": "date", "date": _iso(d.date), "start": d.start, "end": d.end,
                         "quote": d.quote, "page": d.page}, d))


def _ocr(line: dict, fact) -> dict:
    if fact.ocr_confidence is not None:
        line["ocr_confidence"] = fact.ocr_confidence
    return line
