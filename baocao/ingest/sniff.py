"""Decide what a file really is: magic bytes first, then the file name's extension.

Reports get renamed and mis-saved, so the content wins over the name: a PDF named .txt is
read as a PDF, a .doc saved with a .docx name is read as a .doc.  The name only decides for
plain text, which has no magic bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from schemas.records import InputFormat

from .errors import CORRUPT_PDF, NOT_DOCX, NOT_XLSX, UNSUPPORTED_FORMAT, IngestError

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
SUPPORTED = ".txt, .html, .pdf, .docx, .doc, .rtf, .odt, .xlsx or .xls"

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls, and password-protected .docx
_RTF_MAGIC = b"{\\rtf"
# Content types of the main part of a Word document (plain and macro-enabled).
_WORD_MAIN_TYPES = (b"wordprocessingml.document.main", b"ms-word.document.macroEnabled.main")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(data: bytes) -> str | None:
    """"docx", "xlsx", "odt" or None for a zip archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and zf.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names:
                types = zf.read("[Content_Types].xml")
                if any(t in types for t in _WORD_MAIN_TYPES):
                    return "docx"
                if b"spreadsheetml.sheet.main" in types:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def is_word_zip(data: bytes) -> bool:
    """True if `data` is a zip holding a Word document (OOXML) main part."""
    return _zip_kind(data) == "docx"


def _ole_kind(data: bytes) -> str | None:
    """"doc", "xls", "encrypted" or None for an OLE compound file, by its stream names."""
    if _utf16("EncryptedPackage") in data:
        return "encrypted"
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return "xls"
    return None


def sniff_format(path: Path, data: bytes) -> InputFormat:
    """Return the format of the file at `path` with contents `data`.

    Raises IngestError (unsupported_format, not_docx, not_xlsx, corrupt_pdf) when neither the
    content nor the name make it something we can read.
    """
    ext = path.suffix.lower()
    name = path.name
    # The PDF spec lets readers accept junk before the header, and pdfminer does: look a bit in.
    if _PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        kind = _zip_kind(data)
        if kind is not None:
            return kind  # type: ignore[return-value]
        if ext == ".docx":
            raise IngestError(
                NOT_DOCX,
                f"{name}: is a zip archive but not a Word document (no word/document.xml); re-save it as .docx",
            )
        if ext == ".xlsx":
            raise IngestError(NOT_XLSX, f"{name}: is a zip archive but not an Excel workbook; re-save it as .xlsx")
        raise IngestError(UNSUPPORTED_FORMAT, f"{name}: is a zip archive, not a {SUPPORTED} document")
    if data.startswith(_OLE_MAGIC):
        kind = _ole_kind(data)
        if kind == "encrypted":
            raise IngestError(
                NOT_DOCX if ext != ".xlsx" else NOT_XLSX,
                f"{name}: is a password-protected Office document; open it and save an unprotected copy",
            )
        if kind is not None:
            return kind  # type: ignore[return-value]
        raise IngestError(
            UNSUPPORTED_FORMAT, f"{name}: is an old Microsoft Office file that is neither Word (.doc) nor Excel (.xls)"
        )
    if data.startswith(_RTF_MAGIC):
        return "rtf"
    if ext == ".pdf":
        raise IngestError(CORRUPT_PDF, f"{name}: is named .pdf but has no PDF header; the file is damaged or not a PDF")
    if ext == ".docx":
        raise IngestError(
            NOT_DOCX, f"{name}: is named .docx but is not a zip archive; it is damaged or not a Word file"
        )
    if ext == ".xlsx":
        raise IngestError(NOT_XLSX, f"{name}: is named .xlsx but is not a zip archive; it is damaged or not an Excel file")
    if ext in (".doc", ".xls", ".odt"):
        raise IngestError(UNSUPPORTED_FORMAT, f"{name}: is named {ext} but is not one; the file is damaged or mis-named")
    from .html import HTML_EXTENSIONS, looks_like_html

    if ext in HTML_EXTENSIONS or (ext in TEXT_EXTENSIONS and looks_like_html(data)):
        return "html"
    if ext in TEXT_EXTENSIONS:
        return "txt"
    shown = ext or "no extension"
    raise IngestError(UNSUPPORTED_FORMAT, f"{name}: unsupported file type ({shown}); expected {SUPPORTED}")
