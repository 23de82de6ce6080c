"""References to official documents by number and symbol.

Party style: 03-NQ/TU, 24-KH/ĐUK, 08-HD/BTCTW (stray spaces and doubled dashes occur:
"1405- QĐ/TU", "57--NQ/TW").  State style: 98/2014/NĐ-CP, 71/NQ-HĐND, 202/2025/QH15.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.dates import DateSpan

_L = "A-ZĐÀ-Ỹ"  # upper-case letters incl. Vietnamese
_CODE = rf"[{_L}][{_L}a-zđ]{{0,4}}"
_ISSUER = rf"[{_L}][{_L}a-zđ0-9]*(?:-[{_L}][{_L}a-zđ0-9]*)*"
# Each starts with its number's first digit, the look-behind after it: the engine then tries them
# only where a digit is.
_PARTY = re.compile(rf"(?P<num>\d(?<![\d/\w]\d)\d{{0,4}})\s*[-–—]+\s*(?P<code>{_CODE})\s*/\s*(?P<issuer>{_ISSUER})")
_STATE = re.compile(
    rf"(?P<num>\d(?<![\d/\w]\d)\d{{0,4}})\s*/\s*(?:(?P<year>(?:19|20)\d{{2}})\s*/\s*)?(?P<code>[{_L}][{_L}a-zđ]{{0,5}}\d*)"
    rf"(?:\s*[-–]\s*(?P<issuer>{_ISSUER}))?"
)
_ISSUING_VERBS = re.compile(r"ban hành|\bcó\b|\bký\b|\bra\b|thông qua|phê duyệt|\bthực hiện\b", re.IGNORECASE)


@dataclass(frozen=True)
class RefSpan:
    start: int
    end: int
    ref: str
    doc_type: str | None
    issued: dt.date | None
    quote_start: int  # start of the quote including the type word ("Quyết định số ...")


def canonical_ref(symbol: str) -> str:
    """'1405- QĐ/TU' -> '1405-QĐ/TU'; '03- NQ/TU' -> '3-NQ/TU'; 'Số 57--NQ/TW' -> '57-NQ/TW'."""
    s = re.sub(r"\s+", "", symbol).upper().replace("–", "-").replace("—", "-")
    s = re.sub(r"-+", "-", s)
    s = re.sub(r"^SỐ:?", "", s)
    m = re.match(r"0*(\d+)(.*)$", s)
    return m.group(1) + m.group(2) if m else s


@dataclass(frozen=True)
class DocRefRules:
    """Document types and type codes (data/doc_types.json), compiled once."""

    type_before: re.Pattern[str]  # the type word, up to four words of description, then "số"
    type_names: dict[str, str]  # lower-cased type word -> its spelling in doc_types.json
    codes: dict[str, str]  # type code -> type word

    @classmethod
    def from_data(cls, data: dict) -> DocRefRules:
        alt = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(data["types"], key=len, reverse=True))
        before = re.compile(rf"(?P<type>{alt})(?:\s+[\wÀ-ỹ-]+){{0,4}}?\s*(?:số|Số)?\s*:?\s*$", re.IGNORECASE)
        names: dict[str, str] = {}
        for t in data["types"]:
            names.setdefault(t.lower(), t)
        return cls(before, names, {k.upper(): v for k, v in data["codes"].items()})


def _doc_type(text: str, start: int, code: str, rules: DocRefRules) -> tuple[str | None, int]:
    window_start = max(0, start - 48)
    m = rules.type_before.search(text, window_start, start)
    if m:
        word = m.group("type")
        return rules.type_names.get(" ".join(word.lower().split()), word), m.start()
    key = re.sub(r"\d+$", "", code.upper())
    return rules.codes.get(key), start


def _issued(text: str, ref: tuple[int, int], dates: list[DateSpan], sentence: tuple[int, int], other_refs: list[int]) -> dt.date | None:
    start, end = ref
    for d in dates:  # "... số 08-KL/TW, ngày 29/7/2010"
        if d.implied or d.start < end:
            continue
        gap = text[end : d.start]
        # "… số 08-KL/TW, ngày 29/7/2010", "Số ký hiệu: 15-NQ/TU | Ngày ban hành: 20/12/2022"
        if len(gap) <= 40 and re.fullmatch(r"[\s,(|;]*(?:(?:được\s+)?(?:ban hành|ký)\s+)?(?:ngày|Ngày)(?:\s+(?:ban hành|ký))?\s*:?\s*", gap):
            return d.date
        break
    for d in reversed(dates):  # "ngày 20/11/2014, Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số 03-NQ/TU"
        if d.implied or d.end > start:
            continue
        if d.start < sentence[0] or start - d.end > 160:
            break
        between = text[d.end : start]
        lead = text[max(sentence[0], d.start - 6) : d.start]
        dated = re.search(r"ngày\s*$", lead, re.IGNORECASE) or re.match(r"ngày", text[d.start : d.end], re.IGNORECASE)
        if dated and _ISSUING_VERBS.search(between) \
                and not any(d.end <= r < start for r in other_refs):
            return d.date
        break
    return None


def find_doc_refs(text: str, dates: list[DateSpan], sentence_of, rules: DocRefRules) -> list[RefSpan]:
    """All document symbols in text; `sentence_of(offset)` gives the (start, end) of its sentence."""
    hits: list[tuple[int, int, re.Match[str]]] = []
    for rx in (_PARTY, _STATE):
        for m in rx.finditer(text):
            if rx is _STATE and not (m.group("year") or m.group("issuer")):
                continue
            if any(s <= m.start() < e for s, e, _ in hits):
                continue
            hits.append((m.start(), m.end(), m))
    hits.sort(key=lambda h: h[0])
    starts = [h[0] for h in hits]
    out: list[RefSpan] = []
    for s, e, m in hits:
        doc_type, quote_start = _doc_type(text, s, m.group("code"), rules)
        issued = _issued(text, (s, e), dates, sentence_of(s), starts)
        out.append(RefSpan(s, e, canonical_ref(m.group(0)), doc_type, issued, quote_start))
    # A document cited twice keeps the date given at either place.
    known = {r.ref: r.issued for r in out if r.issued}
    return [RefSpan(r.start, r.end, r.ref, r.doc_type, r.issued or known.get(r.ref), r.quote_start) for r in out]
