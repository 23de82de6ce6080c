"""Why an input file could not be ingested, in words a person can act on."""

from __future__ import annotations

from pathlib import Path

from schemas.records import Rejection

# Machine codes, one per thing the user would do differently.
MISSING_PATH = "missing_path"  # no such file, or a directory
UNREADABLE_FILE = "unreadable_file"  # exists but the OS refused to read it
EMPTY_FILE = "empty_file"  # zero bytes, or only whitespace
UNSUPPORTED_FORMAT = "unsupported_format"  # neither .txt, .pdf nor .docx, by content or name
CORRUPT_PDF = "corrupt_pdf"  # truncated or not really a PDF
ENCRYPTED_PDF = "encrypted_pdf"  # needs a password
NOT_DOCX = "not_docx"  # named .docx but not a Word (OOXML) document
BINARY_NOT_TEXT = "binary_not_text"  # binary data named .txt
UNDECODABLE_TEXT = "undecodable_text"  # text in an encoding we cannot identify
NO_TEXT = "no_text"  # a document with no extractable text (scans need OCR)
NOT_XLSX = "not_xlsx"  # named .xlsx but not a readable Excel workbook
CONVERSION_FAILED = "conversion_failed"  # LibreOffice could not convert a .doc/.rtf/.odt/.xls in time
CONVERTER_MISSING = "converter_missing"  # LibreOffice is not installed
OCR_MISSING = "ocr_missing"  # a scan, and Tesseract (or its Vietnamese data) is not installed
OCR_FAILED = "ocr_failed"  # Tesseract ran but could not read the page
LIMIT_EXCEEDED = "limit_exceeded"  # past one of the limits (baocao.ingest.limits.Limits); `limit` names it
READER_TIMEOUT = "reader_timeout"  # reading and extracting took longer than max_seconds: the worker was killed
READER_CRASHED = "reader_crashed"  # the worker reading the file died (a native library fault, out of memory)
NOT_TEXT = "not_text"  # the text read is mojibake, glyph codes or garbage, not Vietnamese

CODES = frozenset(
    {
        MISSING_PATH,
        UNREADABLE_FILE,
        EMPTY_FILE,
        UNSUPPORTED_FORMAT,
        CORRUPT_PDF,
        ENCRYPTED_PDF,
        NOT_DOCX,
        BINARY_NOT_TEXT,
        UNDECODABLE_TEXT,
        NO_TEXT,
        NOT_XLSX,
        CONVERSION_FAILED,
        CONVERTER_MISSING,
        OCR_MISSING,
        OCR_FAILED,
        LIMIT_EXCEEDED,
        READER_TIMEOUT,
        READER_CRASHED,
        NOT_TEXT,
    }
)


class IngestError(Exception):
    """An input that cannot be read.  `code` is for machines, `message` for people."""

    def __init__(self, code: str, message: str, *, doc_id: str | None = None, limit: str | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"unknown ingest error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.doc_id = doc_id  # SHA-256 of the bytes, when they could be read
        self.limit = limit  # the Limits field that was exceeded, for limit_exceeded and reader_timeout

    def __reduce__(self):  # picklable: an error crosses from the reading worker to the run
        return (_rebuild, (self.code, self.message, self.doc_id, self.limit))

    def to_rejection(self, path: str | Path) -> Rejection:
        p = Path(path)
        return Rejection(path=str(p), name=p.name, reason=self.message, error=self.code, doc_id=self.doc_id,
                         limit=self.limit)

    def __repr__(self) -> str:
        return f"IngestError({self.code!r}, {self.message!r})"


def _rebuild(code: str, message: str, doc_id: str | None, limit: str | None) -> IngestError:
    return IngestError(code, message, doc_id=doc_id, limit=limit)
