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
from schemas.records import OcrWord, Page, SourceDocument, TableCell, TextTable

from .content import PageContent, text_page
from .docx import extract_docx
from .errors import EMPTY_FILE, MISSING_PATH, NO_TEXT, NOT_TEXT, UNREADABLE_FILE, IngestError
from .html import extract_html
from .limits import Limits, check_file_size, check_text, check_text_bytes, check_zip
from .pdf import extract_pdf
from .quality import REJECT_SHARE, assess
from .sniff import sniff_format
from .text import decode_text
from .text_tables import find_text_tables

__all__ = ["PAGE_BREAK", "IngestError", "Limits", "read_document"]

PAGE_BREAK = "\f"


def _read_bytes(path: Path, limits: Limits) -> bytes:
    if not path.exists():
        raise IngestError(MISSING_PATH, f"{path}: no such file; check the path")
    if path.is_dir():
        raise IngestError(MISSING_PATH, f"{path}: is a directory, not a file")
    try:
        check_file_size(path.name, path.stat().st_size, limits)  # before a byte is read
        return path.read_bytes()
    except OSError as e:
        raise IngestError(UNREADABLE_FILE, f"{path}: cannot be read ({e.strerror or e})") from None


def _read(fmt: str, data: bytes, name: str, limits: Limits) -> tuple[list[PageContent], list[str], str | None, str | None]:
    """(pages, furniture, text encoding, converter) of the file's bytes, by format."""
    if fmt in ("txt", "html"):
        check_text_bytes(name, len(data), limits)
    if fmt == "txt":
        raw, encoding = decode_text(data, name)
        page = text_page(raw)
        page.tables = find_text_tables(raw)
        return [page], [], encoding, None
    if fmt == "html":
        raw, encoding = extract_html(data, name)
        return [text_page(raw)], [], encoding, None
    if fmt == "pdf":
        pages, furniture = extract_pdf(data, name, limits)
        return pages, furniture, None, None
    if fmt == "docx":
        page, furniture = extract_docx(data, name)
        return [page], furniture, None, None
    if fmt == "xlsx":
        from .xlsx import extract_xlsx

        return extract_xlsx(data, name), [], None, None
    from .office import convert, soffice, target_format

    converted = convert(data, fmt, name)
    converter = f"LibreOffice ({soffice()})"
    if target_format(fmt) == "xlsx":
        from .xlsx import extract_xlsx

        return extract_xlsx(converted, name), [], None, converter
    page, furniture = extract_docx(converted, name)
    return [page], furniture, None, converter


def _assemble(pages: list[PageContent], text: str, offsets: list[int]) -> tuple[list[Page], list[TextTable], list[OcrWord]]:
    """Pages, tables and OCR words with offsets of the normalized document text."""
    out_pages: list[Page] = []
    tables: list[TextTable] = []
    words: list[OcrWord] = []
    raw_start = 0

    def at(raw: int) -> int:
        return normalized_index(offsets, raw)

    for number, page in enumerate(pages, start=1):
        raw_end = raw_start + len(page.text) + (len(PAGE_BREAK) if number < len(pages) else 0)
        out_pages.append(Page(number=number, start=at(raw_start), end=at(raw_end), ocr_confidence=page.ocr_confidence))
        for t in page.tables:
            cells = []
            for c in t.cells:
                s, e = at(raw_start + c.start), at(raw_start + c.end)
                cells.append(TableCell(row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span,
                                       text=text[s:e], start=s, end=e))
            tables.append(TextTable(index=len(tables), page=number, start=at(raw_start + t.start),
                                    end=at(raw_start + t.end), n_rows=t.n_rows, n_cols=t.n_cols, cells=cells,
                                    caption=t.caption))
        words += [OcrWord(start=at(raw_start + s), end=at(raw_start + e), confidence=c) for s, e, c in page.ocr_words]
        raw_start = raw_end
    return out_pages, _join_continued(tables, text), words


def _row_texts(t: TextTable, row: int) -> list[str]:
    return [c.text for c in sorted(t.cells, key=lambda c: c.col) if c.row == row]


def _join_continued(tables: list[TextTable], text: str) -> list[TextTable]:
    """A table that runs on to the next page is one table: the part at the top of the next page
    (same columns, nothing but the page break between) joins the part before, its rows numbered
    on, its repeated heading rows dropped.  Each cell keeps its own offsets, so its own page."""
    out: list[TextTable] = []
    for t in tables:
        prev = out[-1] if out else None
        if (prev is None or t.page is None or prev.page is None or t.page != prev.page + 1
                or t.n_cols != prev.n_cols or text[prev.end : t.start].strip()):
            out.append(t.model_copy(update={"index": len(out)}))
            continue
        repeated = 0
        while repeated < min(3, t.n_rows - 1) and _row_texts(t, repeated) == _row_texts(prev, repeated):
            repeated += 1
        cells = [c.model_copy(update={"row": c.row - repeated + prev.n_rows}) for c in t.cells if c.row >= repeated]
        out[-1] = prev.model_copy(update={"end": t.end, "n_rows": prev.n_rows + t.n_rows - repeated,
                                          "cells": [*prev.cells, *cells]})
    return out


def read_document(path: str | Path, limits: Limits | None = None) -> SourceDocument:
    """Read, decode and normalize one .txt, .html, .pdf, .docx, .doc, .rtf, .odt, .xlsx or .xls file.

    Raises IngestError with a machine `code` and a one-line `message` naming the file; past one of
    `limits` (default: Limits(), the settings and the environment) limit_exceeded names the limit.
    """
    limits = limits or Limits()
    p = Path(path)
    data = _read_bytes(p, limits)
    doc_id = hashlib.sha256(data).hexdigest()
    name = p.name
    try:
        if not data:
            raise IngestError(EMPTY_FILE, f"{name}: the file is empty (0 bytes)")
        if data.startswith(b"PK"):
            check_zip(name, data, limits)  # before sniffing reads a part of it
        fmt = sniff_format(p, data)
        pages, furniture, encoding, converter = _read(fmt, data, name, limits)
        raw_text = PAGE_BREAK.join(pg.text for pg in pages)
        check_text(name, raw_text, limits)
        quality = assess([(pg.text, pg.failed) for pg in pages])
        if quality.partial and (quality.bad_share > REJECT_SHARE or len(quality.bad_pages) == len(pages)):
            raise IngestError(NOT_TEXT, f"{name}: its text is not readable text ({_cut(quality.note())}); "
                                        "nothing would be extracted from it")
        text, offsets = normalize(raw_text)
        if not text.strip():
            if fmt == "txt":
                raise IngestError(EMPTY_FILE, f"{name}: the file has no visible text")
            raise IngestError(NO_TEXT, f"{name}: no visible text in the document")
    except IngestError as e:
        e.doc_id = doc_id
        raise
    out_pages, tables, words = _assemble(pages, text, offsets)
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
        pages=out_pages,
        furniture=[normalize(line)[0] for line in furniture],
        tables=tables,
        ocr_words=words,
        converted_by=converter,
        quality="partial" if quality.partial else "clean",
        bad_pages=quality.bad_pages,
        quality_note=_cut(quality.note()),
    )


def _cut(note: str | None, n: int = 300) -> str | None:
    return note if note is None or len(note) <= n else note[: n - 1] + "…"
