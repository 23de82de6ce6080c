"""Ingest stage: one input file -> one normalized `SourceDocument`, or an `IngestError`.

    from baocao.ingest import read_document, IngestError
    try:
        doc = read_document("corpus/000_fecd69e2d4926bf8.pdf")
    except IngestError as e:
        rejection = e.to_rejection(path)

The format is sniffed from the content (a PDF named .txt is read as a PDF; `format` records
what the file really is).  `raw_text` is the text as extracted; `text` is `normalize(raw_text)`
and `offsets` maps it back.

Pages: a .txt or .docx is one page.  A PDF's pages are joined with a form feed ("\f",
PAGE_BREAK): a page break is not a paragraph break, since sentences run on across pages, and
"\f" is whitespace to regexes and str.split().  Page ranges are contiguous: each page's range
includes the form feed that follows it, so every offset of `text` is on a page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from baocao.normalize import normalize, normalized_index
from schemas.records import Page, SourceDocument

from .docx import extract_docx
from .errors import EMPTY_FILE, MISSING_PATH, NO_TEXT, UNREADABLE_FILE, IngestError
from .html import extract_html
from .pdf import extract_pdf
from .sniff import sniff_format
from .text import decode_text

__all__ = ["PAGE_BREAK", "IngestError", "read_document"]

PAGE_BREAK = "\f"


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise IngestError(MISSING_PATH, f"{path}: no such file; check the path")
    if path.is_dir():
        raise IngestError(MISSING_PATH, f"{path}: is a directory, not a file")
    try:
        return path.read_bytes()
    except OSError as e:
        raise IngestError(UNREADABLE_FILE, f"{path}: cannot be read ({e.strerror or e})") from None


def _pages(raw_pages: list[str], offsets: list[int]) -> list[Page]:
    pages: list[Page] = []
    raw_start = 0
    for number, page_text in enumerate(raw_pages, start=1):
        raw_end = raw_start + len(page_text) + (len(PAGE_BREAK) if number < len(raw_pages) else 0)
        pages.append(
            Page(number=number, start=normalized_index(offsets, raw_start), end=normalized_index(offsets, raw_end))
        )
        raw_start = raw_end
    return pages


def read_document(path: str | Path) -> SourceDocument:
    """Read, decode and normalize one .txt, .pdf or .docx file.

    Raises IngestError with a machine `code` and a one-line `message` naming the file.
    """
    p = Path(path)
    data = _read_bytes(p)
    doc_id = hashlib.sha256(data).hexdigest()
    name = p.name
    try:
        if not data:
            raise IngestError(EMPTY_FILE, f"{name}: the file is empty (0 bytes)")
        fmt = sniff_format(p, data)
        encoding: str | None = None
        furniture: list[str] = []
        if fmt == "txt":
            raw, encoding = decode_text(data, name)
            raw_pages = [raw]
        elif fmt == "html":
            raw, encoding = extract_html(data, name)
            raw_pages = [raw]
        elif fmt == "pdf":
            raw_pages, furniture = extract_pdf(data, name)
        else:
            body, furniture = extract_docx(data, name)
            raw_pages = [body]
        raw_text = PAGE_BREAK.join(raw_pages)
        text, offsets = normalize(raw_text)
        if not text.strip():
            if fmt == "txt":
                raise IngestError(EMPTY_FILE, f"{name}: the file has no visible text")
            raise IngestError(NO_TEXT, f"{name}: no visible text in the document")
    except IngestError as e:
        e.doc_id = doc_id
        raise
    return SourceDocument(
        id=doc_id,
        path=str(p),
        name=name,
        format=fmt,
        encoding=encoding,
        size_bytes=len(data),
        text=text,
        raw_text=raw_text,
        offsets=offsets,
        pages=_pages(raw_pages, offsets),
        furniture=[normalize(line)[0] for line in furniture],
    )
