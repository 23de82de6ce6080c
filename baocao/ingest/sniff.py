"""Decide what a file really is: magic bytes first, then the file name's extension.

Reports get renamed and mis-saved, so the content wins over the name: a PDF named .txt is
read as a PDF.  The name only decides for plain text, which has no magic bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from schemas.records import InputFormat

from .errors import CORRUPT_PDF, NOT_DOCX, UNSUPPORTED_FORMAT, IngestError

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
SUPPORTED = ".txt, .html, .pdf or .docx"

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls, and password-protected .docx
_RTF_MAGIC = b"{\\rtf"
# Content types of the main part of a Word document (plain and macro-enabled).
_WORD_MAIN_TYPES = (b"wordprocessingml.document.main", b"ms-word.document.macroEnabled.main")


def is_word_zip(data: bytes) -> bool:
    """True if `data` is a zip holding a Word document (OOXML) main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return True
            if "[Content_Types].xml" in names:
                types = zf.read("[Content_Types].xml")
                return any(t in types for t in _WORD_MAIN_TYPES)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    return False


def sniff_format(path: Path, data: bytes) -> InputFormat:
    """Return "txt", "pdf" or "docx" for the file at `path` with contents `data`.

    Raises IngestError (unsupported_format, not_docx, corrupt_pdf) when neither the content
    nor the name make it something we can read.
    """
    ext = path.suffix.lower()
    name = path.name
    # The PDF spec lets readers accept junk before the header, and pdfminer does: look a bit in.
    if _PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        if is_word_zip(data):
            return "docx"
        if ext == ".docx":
            raise IngestError(
                NOT_DOCX,
                f"{name}: is a zip archive but not a Word document (no word/document.xml); re-save it as .docx",
            )
        raise IngestError(
            UNSUPPORTED_FORMAT, f"{name}: is a zip archive (e.g. .xlsx, .odt), not a {SUPPORTED} document"
        )
    if data.startswith(_OLE_MAGIC):
        if ext == ".docx":
            raise IngestError(
                NOT_DOCX,
                f"{name}: is an old binary Word (.doc) file or a password-protected .docx; "
                "open it in Word and save it as an unprotected .docx",
            )
        raise IngestError(
            UNSUPPORTED_FORMAT, f"{name}: is an old Microsoft Office binary file (.doc/.xls); save it as .docx or .pdf"
        )
    if data.startswith(_RTF_MAGIC):
        raise IngestError(UNSUPPORTED_FORMAT, f"{name}: is an RTF document; save it as .docx or .txt")
    if ext == ".pdf":
        raise IngestError(CORRUPT_PDF, f"{name}: is named .pdf but has no PDF header; the file is damaged or not a PDF")
    if ext == ".docx":
        raise IngestError(
            NOT_DOCX, f"{name}: is named .docx but is not a zip archive; it is damaged or not a Word file"
        )
    from .html import HTML_EXTENSIONS, looks_like_html

    if ext in HTML_EXTENSIONS or (ext in TEXT_EXTENSIONS and looks_like_html(data)):
        return "html"
    if ext in TEXT_EXTENSIONS:
        return "txt"
    shown = ext or "no extension"
    raise IngestError(UNSUPPORTED_FORMAT, f"{name}: unsupported file type ({shown}); expected {SUPPORTED}")
