"""Typed records that flow through baocao: ingest -> normalize -> extract -> resolve -> load -> audit.

These models are the contract between stages.  The interchange JSON Lines format of
`baocao extract --jsonl` (see ../shared/eval/GUIDE.md) is a projection of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 9

InputFormat = Literal["txt", "pdf", "docx", "html"]

ObjectKind = Literal[
    "party_member",
    "party_org",
    "party_committee",
    "party_cell",
    "youth_union_org",
    "youth_union_member",
    "trade_union_org",
    "trade_union_member",
    "enterprise",
    "worker",
    "training_class",
    "trainee",
    "industrial_zone",
]
EventKind = Literal["total", "admitted", "established", "trained", "inspected", "supervised", "other"]
Qualifier = Literal["exact", "approx", "more_than", "at_least", "less_than", "average"]


class Page(BaseModel):
    """A page of the extracted text: [start, end) in the normalized text."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(description="1-based page number (a .txt or .docx file is one page)")
    start: int
    end: int


class SourceDocument(BaseModel):
    """One input file after ingestion and normalization."""

    id: str = Field(description="SHA-256 hex digest of the file's bytes")
    path: str
    name: str = Field(description="base name of the file")
    format: InputFormat
    encoding: str | None = Field(default=None, description="detected text encoding (txt and html; '+html': the main content of a web page)")
    size_bytes: int
    text: str = Field(description="normalized text (NFC, unified tone placement, Ð read as Đ)")
    raw_text: str = Field(description="text as read from the file, before normalization")
    offsets: list[int] = Field(
        default_factory=list,
        description="offsets[i] is the position in raw_text of normalized character i; len = len(text)+1",
    )
    pages: list[Page]
    furniture: list[str] = Field(
        default_factory=list, description="headers and footers kept apart from the body text"
    )

    def page_at(self, offset: int) -> int | None:
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].start else None

    def raw_offset(self, offset: int) -> int:
        if not self.offsets:
            return offset
        return self.offsets[min(max(offset, 0), len(self.offsets) - 1)]


class Evidence(BaseModel):
    """Provenance of a fact: where in the document text it was read."""

    start: int = Field(description="start offset in the normalized document text")
    end: int = Field(description="end offset (exclusive) in the normalized document text")
    quote: str = Field(description="text[start:end]")
    sentence: str = Field(default="", description="the sentence the fact came from")
    sentence_start: int = Field(default=0, description="offset of the sentence in the document text")
    page: int | None = None


class Figure(Evidence):
    kind: Literal["figure"] = "figure"
    object: ObjectKind
    event: EventKind
    value: float
    qualifier: Qualifier = "exact"
    target: bool = False
    # Depth attributes (who, when, part of what, where); None when unknown.
    subject: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_basis: Literal["stated", "document_date", "context"] | None = Field(default=None, description="where the period's dates come from: the figure's own words ('năm 2021'), the document's date ('hiện nay', 'từ đầu năm đến nay'), or other context of the text (a founding date, a year or term named elsewhere, a period carried from an earlier sentence)")
    segment: str | None = None
    parent: int | None = Field(default=None, description="index in the document's figure list of the whole this figure is part of")
    province: str | None = None
    province_2025: str | None = None
    # What the reader decided and how sure it is (extractors/figure_passes/).
    detail: str | None = Field(default=None, description="what an other/inspected/supervised figure is (extractors/data/details.json): badge_30_years, rating_excellent, discipline_warning, official_membership, congress_held, introduced_to_party …; 'change' for a difference against an earlier period")
    confidence: float = Field(default=1.0, description="how sure the reader is: the weight of the least sure rule that decided the figure (below 0.6: worth a review)")
    decided_by: str = Field(default="", description="the rule of each pass that decided the figure and the words it read, e.g. 'noun=words(đảng viên) event=left_cue(kết nạp)'")


class DocRef(Evidence):
    kind: Literal["doc_ref"] = "doc_ref"
    ref: str = Field(description="canonical symbol, e.g. 1405-QĐ/TU, 98/2014/NĐ-CP")
    doc_type: str | None = None
    issued: dt.date | None = None


class DateMention(Evidence):
    kind: Literal["date"] = "date"
    date: dt.date


class Person(BaseModel):
    """A person the document names with a role (signatory, author, official)."""

    name: str
    role: str | None = None
    kind: Literal["author", "official"] = "official"
    start: int
    end: int


class DocumentInfo(BaseModel):
    province: str | None = None
    province_2025: str | None = None
    doc_date: dt.date | None = None
    people: list[Person] = Field(default_factory=list)


class TextSignature(BaseModel):
    """A near-duplicate signature of a document's prose (baocao.audit.duplicates.text_signature)."""

    scheme: str = Field(description="how it was made (MinHash version, permutations, seed, words per shingle)")
    shingles: int = Field(description="distinct word shingles of the document's prose: how much content it has")
    minhash: str = Field(description="the MinHash values, little-endian uint64, base64")


class Extraction(BaseModel):
    """Everything extracted from one document's text."""

    info: DocumentInfo = Field(default_factory=DocumentInfo)
    figures: list[Figure] = Field(default_factory=list)
    doc_refs: list[DocRef] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    signature: TextSignature | None = Field(default=None, description="near-duplicate signature, made at load time")


class Rejection(BaseModel):
    """An input that could not be ingested, with a reason a person can act on."""

    path: str
    name: str
    reason: str = Field(description="one-line human readable message")
    error: str = Field(description="machine-readable error code, e.g. empty_file, encrypted_pdf")
    doc_id: str | None = Field(default=None, description="SHA-256 of the bytes when the file could be read")


def fact_id(doc_id: str, kind: str, start: int, end: int, key: str) -> str:
    """Deterministic id so that loading the same document twice adds no rows."""
    return hashlib.sha1(f"{doc_id}|{kind}|{start}|{end}|{key}".encode()).hexdigest()
