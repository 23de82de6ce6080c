"""Typed records that flow through baocao: ingest -> normalize -> extract -> resolve -> load -> audit.

These models are the contract between stages.  The interchange JSON Lines format of
`baocao extract --jsonl` (see ../shared/eval/GUIDE.md) is a projection of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 9

# What a file really is (sniffed from its bytes).  .doc, .rtf, .odt and .xls are read through a
# LibreOffice conversion; .xlsx through openpyxl; a web page (.html, or HTML saved as .txt) for its main content.
InputFormat = Literal["txt", "html", "pdf", "docx", "doc", "rtf", "odt", "xlsx", "xls"]

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
    ocr_confidence: float | None = Field(
        default=None, description="mean Tesseract word confidence (0-100) when the page was read by OCR, else None"
    )


class TableCell(BaseModel):
    """One cell of a table as it stands in the document text: [start, end) is its text."""

    model_config = ConfigDict(frozen=True)

    row: int = Field(description="0-based row of the cell's top-left grid position")
    col: int = Field(description="0-based column of the cell's top-left grid position")
    row_span: int = 1
    col_span: int = 1
    text: str = Field(description="the cell's text, on one line")
    start: int = Field(description="offset of the cell's text in the document text (start == end when empty)")
    end: int


class TextTable(BaseModel):
    """A table of the document (a statistical biểu, a sheet): its grid of cells with their offsets.
    The document text holds it as one line per grid row, cells joined by " | "."""

    index: int = Field(description="0-based index of the table among the document's tables")
    page: int | None = None
    start: int = Field(description="offset of the table's first row in the document text")
    end: int
    n_rows: int
    n_cols: int
    cells: list[TableCell]
    caption: str | None = Field(default=None, description="the line just before the table (Biểu 1. …), or a sheet's name")


class OcrWord(BaseModel):
    """A word read by OCR: its span in the document text and Tesseract's confidence (0-100)."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    confidence: float


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
    tables: list[TextTable] = Field(default_factory=list, description="the tables of the document, cell by cell")
    ocr_words: list[OcrWord] = Field(default_factory=list, description="words read by OCR, in text order")
    quality: Literal["clean", "partial"] = Field(default="clean", description="partial: some pages could not be parsed or read as text (bad_pages); their figures are missing")
    bad_pages: list[int] = Field(default_factory=list, description="pages that failed to parse or whose text is not text (glyph codes, mojibake, garbage)")
    quality_note: str | None = Field(default=None, description="which pages and why, in words")
    converted_by: str | None = Field(default=None, description="the converter that turned the file into one we read (LibreOffice)")

    def ocr_confidence(self, start: int, end: int) -> float | None:
        """Mean OCR confidence of the words in [start, end), None when no OCR word is there."""
        import bisect

        if not self.ocr_words:
            return None
        i = bisect.bisect_right([w.end for w in self.ocr_words], start)
        confs = []
        while i < len(self.ocr_words) and self.ocr_words[i].start < end:
            confs.append(self.ocr_words[i].confidence)
            i += 1
        return round(sum(confs) / len(confs), 1) if confs else None

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
    ocr_confidence: float | None = Field(
        default=None, description="mean OCR word confidence (0-100) of the quote when it was read by OCR, else None"
    )


class TableCellRef(BaseModel):
    """Where in a statistical table a figure was read (flattened into the figures table)."""

    table_index: int = Field(description="0-based index of the table in the document")
    table_row: int = Field(description="0-based row of the cell in the table's grid")
    table_col: int = Field(description="0-based column of the cell in the table's grid")
    column_header: str = Field(description="the column's headings, top to bottom, joined by ' / '")
    row_header: str | None = Field(default=None, description="the row's label (unit, or Tổng cộng)")


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
    cell: TableCellRef | None = Field(default=None, description="the table cell, for a figure read from a table")


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


class DocumentHeader(BaseModel):
    """The Party (or State) document format: the header block, the signature and the recipients.
    Every field but `date`, `place`, `recipients` and `spans` is a column of `documents`."""

    issuer: str | None = Field(default=None, description="the issuing body (BAN TỔ CHỨC)")
    issuer_parent: str | None = Field(default=None, description="the issuing body's superior (TỈNH ỦY LÂM ĐỒNG)")
    symbol: str | None = Field(default=None, description="the document's own number and symbol (45-BC/TU)")
    doc_type: str | None = Field(default=None, description="the document type (Báo cáo, Nghị quyết, Kế hoạch …)")
    title: str | None = Field(default=None, description="the title (trích yếu) under the document type")
    signer: str | None = Field(default=None, description="the name in the signature block")
    signer_role: str | None = Field(default=None, description="the signature block's role lines (T/M BAN THƯỜNG VỤ, BÍ THƯ)")
    recipients: list[str] = Field(default_factory=list, description="the Nơi nhận list")
    place: str | None = Field(default=None, description="the place of the place-and-date line")
    date: dt.date | None = Field(default=None, description="the date of the place-and-date line")
    spans: list[tuple[int, int]] = Field(
        default_factory=list, description="[start, end) of the header and signature blocks in the text (not facts)"
    )

    STORED: ClassVar[tuple[str, ...]] = ("issuer", "issuer_parent", "symbol", "doc_type", "title", "signer", "signer_role")


class DocumentInfo(BaseModel):
    province: str | None = None
    province_2025: str | None = None
    doc_date: dt.date | None = None
    people: list[Person] = Field(default_factory=list)
    header: DocumentHeader = Field(default_factory=DocumentHeader)


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
    limit: str | None = Field(default=None, description="the limit exceeded (baocao.ingest.limits.Limits field), for limit_exceeded and reader_timeout")


def fact_id(doc_id: str, kind: str, start: int, end: int, key: str) -> str:
    """Deterministic id so that loading the same document twice adds no rows."""
    return hashlib.sha1(f"{doc_id}|{kind}|{start}|{end}|{key}".encode()).hexdigest()
