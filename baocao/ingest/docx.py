"""Text of a Word (.docx) report: paragraphs and tables in body order, headers/footers apart.

python-docx opens and validates the package; the text is read from the WordprocessingML
tree directly because the high-level API misses text that reports do have: runs inside
tracked insertions (w:ins), content controls (w:sdt), simple fields (w:fldSimple) and smart
tags.  Deleted text (w:delText) and field codes (w:instrText) are not visible and are skipped.

Layout of the returned text: one block per paragraph; blocks are separated by a blank line
("\n\n"), the same paragraph mark the PDF reader uses.  A manual line break inside a paragraph
is "\n".  Text boxes become blocks of their own after the paragraph that anchors them.

Tables come in two kinds:
- a statistical table (biểu) is written one line per grid row (content.PageWriter), with
  merged cells (w:gridSpan, w:vMerge) kept as spans, and returned cell by cell;
- a layout table, the borderless two-column table that holds a Party document's header
  (TỈNH ỦY X / BAN TỔ CHỨC | ĐẢNG CỘNG SẢN VIỆT NAM, place and date) or its signature block
  (Nơi nhận | T/M BAN THƯỜNG VỤ), is read column by column, each paragraph on its own line,
  as the eye reads it: row by row would glue the issuer and the place-date line into one line.

Runs typed in the legacy Vietnamese fonts (.VnTime and the other TCVN3 fonts, VNI-Times and
the other VNI fonts) hold cp1252 characters that only the font turns into Vietnamese; they are
decoded to Unicode by the run's font (its own, its character or paragraph style's, or the
document default).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import docx
from docx.oxml.ns import qn

from .content import BLOCK_SEPARATOR, Grid, GridCell, PageContent, PageWriter
from .errors import NO_TEXT, NOT_DOCX, IngestError
from .legacy import decode_tcvn3, decode_vni

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN, _SOFT_HYPHEN = qn("w:noBreakHyphen"), qn("w:softHyphen")
_TXBX = qn("w:txbxContent")
_RPR, _PPR, _RFONTS, _RSTYLE, _PSTYLE = qn("w:rPr"), qn("w:pPr"), qn("w:rFonts"), qn("w:rStyle"), qn("w:pStyle")
_TCPR, _GRIDSPAN, _VMERGE, _TRPR, _GRIDBEFORE = qn("w:tcPr"), qn("w:gridSpan"), qn("w:vMerge"), qn("w:trPr"), qn("w:gridBefore")
_VAL = qn("w:val")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Elements whose text is not visible: deleted runs, property blocks.
_SKIP = frozenset({qn("w:del"), qn("w:moveFrom"), _PPR, _RPR, _MC_FALLBACK})
# Wrappers whose children are block content (paragraphs/tables) in order.
_BLOCK_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")})


@cache
def _legacy_fonts() -> dict[str, Any]:
    raw = resources.files("baocao.ingest").joinpath("data/legacy_fonts.json").read_text(encoding="utf-8")
    return json.loads(raw)


def legacy_encoding_of_font(font: str | None) -> tuple[str, bool] | None:
    """("tcvn3" | "vni", all capitals?) for a legacy Vietnamese font name, else None."""
    if not font:
        return None
    data = _legacy_fonts()
    name = font.strip()
    for enc, prefixes in data["prefixes"].items():
        if any(name.lower().startswith(p.lower()) for p in prefixes):
            caps = any(re.search(pattern, name) for pattern in data["capitals_fonts"])
            return enc, caps
    return None


def decode_legacy_run(text: str, encoding: str, capitals: bool) -> str:
    # Symbol-font storage puts the byte at U+F000 + byte; take it back to the cp1252 character.
    chars = "".join(bytes([ord(c) - 0xF000]).decode("cp1252", "replace") if 0xF020 <= ord(c) <= 0xF0FF else c
                    for c in text)
    out = decode_tcvn3(chars) if encoding == "tcvn3" else decode_vni(chars)
    return out.upper() if capitals else out


def _font_of_rfonts(fonts: Any) -> str | None:
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:cs"))


def _font_of(rpr: Any) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(_RFONTS)
    return None if fonts is None else _font_of_rfonts(fonts)


class _Fonts:
    """The font a run is set in: its own, its character style's, its paragraph style's, the default."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, tuple[str | None, str | None]] = {}  # id -> (font, basedOn)
        self.default: str | None = None
        try:
            root = document.styles.element
        except Exception:  # noqa: BLE001 - a package without styles.xml
            return
        for style in root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            based = style.find(qn("w:basedOn"))
            self._styles[sid] = (_font_of(style.find(_RPR)), based.get(_VAL) if based is not None else None)
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            if rpr_default is not None:
                self.default = _font_of(rpr_default.find(_RPR))

    def style_font(self, style_id: str | None) -> str | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            font, based = self._styles.get(style_id, (None, None))
            if font:
                return font
            style_id = based
        return None

    def any_legacy(self) -> bool:
        return any(legacy_encoding_of_font(f) for f, _ in self._styles.values()) or bool(
            legacy_encoding_of_font(self.default)
        )


@dataclass
class _Reader:
    fonts: _Fonts
    check_runs: bool  # False when no run can be in a legacy font (a fast path for ordinary files)

    def paragraph_font(self, p: Any) -> str | None:
        ppr = p.find(_PPR)
        style = None
        if ppr is not None:
            ps = ppr.find(_PSTYLE)
            style = ps.get(_VAL) if ps is not None else None
            own = _font_of(ppr.find(_RPR))  # the paragraph mark's font: a fair guess for its runs
            if own and legacy_encoding_of_font(own):
                return own
        return self.fonts.style_font(style or "Normal") or self.fonts.default

    def run_text(self, r: Any, paragraph_font: str | None, text_boxes: list[Any]) -> str:
        parts: list[str] = []
        self.walk(r, parts, text_boxes, paragraph_font)
        text = "".join(parts)
        if not self.check_runs or not text:
            return text
        rpr = r.find(_RPR)
        font = _font_of(rpr)
        if font is None and rpr is not None:
            rs = rpr.find(_RSTYLE)
            font = self.fonts.style_font(rs.get(_VAL)) if rs is not None else None
        legacy = legacy_encoding_of_font(font or paragraph_font)
        return decode_legacy_run(text, *legacy) if legacy else text

    def walk(self, el: Any, parts: list[str], text_boxes: list[Any], paragraph_font: str | None) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == _R:
                parts.append(self.run_text(child, paragraph_font, text_boxes))
            elif tag == _TXBX:
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
                self.walk(child, parts, text_boxes, paragraph_font)

    def paragraph_text(self, p: Any, text_boxes: list[Any]) -> str:
        """Visible text of a w:p; text boxes found inside are collected into `text_boxes`."""
        parts: list[str] = []
        self.walk(p, parts, text_boxes, self.paragraph_font(p) if self.check_runs else None)
        return "".join(parts)

    def blocks(self, container: Any) -> Iterator[str | Grid]:
        """Each paragraph's text and each table's grid in `container` (body, cell, header...), in order."""
        for child in container:
            tag = child.tag
            if tag == _P:
                boxes: list[Any] = []
                yield self.paragraph_text(child, boxes)
                for box in boxes:
                    yield from self.blocks(box)
            elif tag == _TBL:
                yield self.grid(child)
            elif tag in _BLOCK_WRAPPERS:
                yield from self.blocks(child)

    def cell_lines(self, tc: Any) -> list[str]:
        """The cell's paragraphs (a nested table: its rows), each as one line."""
        lines: list[str] = []
        for block in self.blocks(tc):
            if isinstance(block, Grid):
                lines += [" ".join(c.text for c in sorted(block.cells, key=lambda c: (c.row, c.col)) if c.text)]
            else:
                lines += [" ".join(line.split()) for line in block.splitlines()]
        return [line for line in lines if line.strip()]

    def grid(self, tbl: Any) -> Grid:
        """The table's cells on its grid: w:gridSpan widens a cell, w:vMerge continues the one above."""
        cells: list[GridCell] = []
        lines_of: dict[tuple[int, int], list[str]] = {}
        open_above: dict[int, GridCell] = {}  # column -> the cell a vMerge continuation extends
        n_cols = 0
        rows = list(_children(tbl, _TR))
        for r, tr in enumerate(rows):
            col = 0
            trpr = tr.find(_TRPR)
            if trpr is not None and trpr.find(_GRIDBEFORE) is not None:
                col = int(trpr.find(_GRIDBEFORE).get(_VAL, "0") or 0)
            for tc in _children(tr, _TC):
                tcpr = tc.find(_TCPR)
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(_GRIDSPAN)
                    if gs is not None:
                        span = max(1, int(gs.get(_VAL, "1") or 1))
                    vm = tcpr.find(_VMERGE)
                    if vm is not None:
                        vmerge = vm.get(_VAL, "continue")
                if vmerge == "continue" and col in open_above:
                    open_above[col].row_span = r - open_above[col].row + 1
                else:
                    lines = self.cell_lines(tc)
                    cell = GridCell(r, col, " ".join(lines), 1, span)
                    lines_of[(r, col)] = lines
                    cells.append(cell)
                    for k in range(col, col + span):
                        open_above.pop(k, None)
                    if vmerge == "restart":
                        open_above[col] = cell
                col += span
            n_cols = max(n_cols, col)
        return Grid(len(rows), n_cols, cells, lines=lines_of)


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children with `tag`, looking through content-control and tracked-change wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


# A layout table holds a document's header or signature block, not figures.
_LAYOUT_WORDS = re.compile(
    r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA|Độc lập\s*[-–]\s*Tự do|"
    r"Nơi nhận|^\s*(?:T/M|K/T|TM\.|KT\.|T\.M|K\.T)\s|,\s*ngày\s+\S*\s*tháng",
    re.MULTILINE,
)


def is_layout_table(grid: Grid) -> bool:
    """A header/signature table: 2-3 columns, at most a few rows, with the Party format's words."""
    if grid.n_cols > 3 or grid.n_rows > 6:
        return False
    text = "\n".join(c.text for c in grid.cells)
    return bool(_LAYOUT_WORDS.search(text))


def layout_text(grid: Grid) -> str:
    """A layout table column by column, each paragraph of a cell on its own line."""
    columns: list[str] = []
    for col in range(grid.n_cols):
        out: list[str] = []
        for cell in sorted((c for c in grid.cells if c.col == col), key=lambda c: c.row):
            out += grid.lines.get((cell.row, cell.col), [cell.text])
        text = "\n".join(line for line in out if line.strip())
        if text:
            columns.append(text)
    return BLOCK_SEPARATOR.join(columns)  # a blank line between the columns, as the PDF reader gives


def write_blocks(writer: PageWriter, blocks: list[str | Grid]) -> None:
    """Paragraphs as blocks, layout tables column by column, statistical tables as grids."""
    for block in blocks:
        if isinstance(block, Grid):
            if is_layout_table(block):
                text = layout_text(block)
                if text:
                    writer.separate()
                    writer.write(text)
            elif any(c.text.strip() for c in block.cells):
                writer.table(block)
        elif block.strip():
            writer.separate(BLOCK_SEPARATOR)
            writer.write(block)


def _furniture(document: Any, reader: _Reader) -> list[str]:
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
            for block in reader.blocks(part._element):
                text = layout_text(block) if isinstance(block, Grid) else block
                for line in text.splitlines():
                    line = line.strip()
                    if line and line not in seen:
                        seen.append(line)
    return seen


def extract_docx(data: bytes, name: str) -> tuple[PageContent, list[str]]:
    """Return (the body as one page, header/footer lines) of the .docx bytes `data`.

    Raises IngestError: not_docx, no_text.
    """
    try:
        document = docx.Document(io.BytesIO(data))
        fonts = _Fonts(document)
        check_runs = fonts.any_legacy() or any(
            legacy_encoding_of_font(_font_of_rfonts(f)) for f in document.element.body.iter(_RFONTS)
        )
        reader = _Reader(fonts, check_runs)
        blocks = list(reader.blocks(document.element.body))
        furniture = _furniture(document, reader)
    except Exception as e:  # noqa: BLE001 - python-docx, lxml and zipfile raise many types; all mean "unreadable"
        raise IngestError(
            NOT_DOCX, f"{name}: is not a readable Word document ({type(e).__name__}); open and re-save it as .docx"
        ) from None
    writer = PageWriter()
    write_blocks(writer, blocks)
    page = writer.page()
    if not page.text.strip():
        raise IngestError(NO_TEXT, f"{name}: the Word document has no text in its body")
    return page, furniture
