"""Text of a Word (.docx) report: paragraphs and tables in body order, headers/footers apart.

python-docx opens and validates the package; the text is read from the WordprocessingML
tree directly because the high-level API misses text that reports do have: runs inside
tracked insertions (w:ins), content controls (w:sdt), simple fields (w:fldSimple) and smart
tags.  Deleted text (w:delText) and field codes (w:instrText) are not visible and are skipped.

Layout of the returned text: one block per paragraph; a table is one block with one line per
row, cells joined by " | "; blocks are separated by a blank line ("\n\n"), the same paragraph
mark the PDF reader uses.  A manual line break inside a paragraph is "\n".
Text boxes become blocks of their own after the paragraph that anchors them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from .errors import NO_TEXT, NOT_DOCX, IngestError

CELL_SEPARATOR = " | "
BLOCK_SEPARATOR = "\n\n"

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN, _SOFT_HYPHEN = qn("w:noBreakHyphen"), qn("w:softHyphen")
_TXBX = qn("w:txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Elements whose text is not visible: deleted runs, property blocks.
_SKIP = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), _MC_FALLBACK})
# Wrappers whose children are block content (paragraphs/tables) in order.
_BLOCK_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")})


def _paragraph_text(p: Any, text_boxes: list[Any]) -> str:
    """Visible text of a w:p; text boxes found inside are collected into `text_boxes`."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == _TXBX:
                text_boxes.append(child)
            elif tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NB_HYPHEN:
                parts.append("-")
            elif tag == _SOFT_HYPHEN:
                parts.append("\u00ad")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    # One line per row: the cell's paragraphs (and nested tables) are folded onto one line.
    return " ".join(" ".join(block.split()) for block in _blocks(tc) if block.strip())


def _table_text(tbl: Any) -> str:
    rows = []
    for tr in _children(tbl, _TR):
        cells = [_cell_text(tc) for tc in _children(tr, _TC)]
        if any(cells):
            rows.append(CELL_SEPARATOR.join(cells).rstrip())
    return "\n".join(rows)


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children with `tag`, looking through content-control and tracked-change wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _blocks(container: Any) -> Iterator[str]:
    """Text of each paragraph and table in `container` (body, cell, header...), in order."""
    for child in container:
        tag = child.tag
        if tag == _P:
            boxes: list[Any] = []
            yield _paragraph_text(child, boxes)
            for box in boxes:
                yield from _blocks(box)
        elif tag == _TBL:
            yield _table_text(child)
        elif tag in _BLOCK_WRAPPERS:
            yield from _blocks(child)


def _furniture(document: Any) -> list[str]:
    """Header and footer lines of every section, each once, in section order."""
    seen: list[str] = []
    for section in document.sections:
        for part in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:  # no definition of its own
                continue
            for block in _blocks(part._element):
                for line in block.splitlines():
                    line = line.strip()
                    if line and line not in seen:
                        seen.append(line)
    return seen


def extract_docx(data: bytes, name: str) -> tuple[str, list[str]]:
    """Return (body text, header/footer lines) of the .docx bytes `data`.

    Raises IngestError: not_docx, no_text.
    """
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        blocks = [b for b in _blocks(body) if b.strip()]
        furniture = _furniture(document)
    except Exception as e:  # noqa: BLE001 - python-docx, lxml and zipfile raise many types; all mean "unreadable"
        raise IngestError(
            NOT_DOCX, f"{name}: is not a readable Word document ({type(e).__name__}); open and re-save it as .docx"
        ) from None
    if not blocks:
        raise IngestError(NO_TEXT, f"{name}: the Word document has no text in its body")
    return BLOCK_SEPARATOR.join(blocks), furniture
