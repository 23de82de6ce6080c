"""Tables written in plain text: "cell | cell" rows (what baocao writes for every table), Markdown
rows ("| a | b |" with a "|---|" rule) and tab-separated rows.

A run of at least two such lines with the same number of fields, one of them holding a number,
is a table; each line is a grid row and each field a cell.  Merged cells cannot be seen in text:
a field left empty under a heading that spans several columns stays empty here, and the table
reader (extractors.tables) reads it as part of the heading to its left.
"""

from __future__ import annotations

import re

from .content import RawCell, RawTable

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HAS_NUMBER = re.compile(r"(?<![\w/])\d[\d.,]*(?![\w/])")
_LAYOUT = re.compile(r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H[ÒO]A XÃ HỘI|Nơi nhận|,\s*ngày\s+\S*\s*tháng")


def _fields(line: str, line_start: int, markdown: bool = False) -> tuple[str, list[tuple[int, int]]] | None:
    """(kind, [(start, end) of each field's stripped text]) of a table line, or None.  In a Markdown
    table ("| a | b |", known by its rule line) the outer pipes are not field separators."""
    stripped = line.strip()
    if markdown and stripped.startswith("|") and stripped.endswith("|") and line.count("|") >= 3:
        kind, sep = "pipe", "|"
    elif " | " in line:
        kind, sep = "pipe", "|"
        markdown = False
    elif "\t" in line.strip("\t"):
        kind, sep = "tab", "\t"
        markdown = False
    else:
        return None
    body_lo, body_hi = 0, len(line)
    if markdown:
        body_lo = line.index("|") + 1
        body_hi = line.rindex("|")
    spans: list[tuple[int, int]] = []
    pos = body_lo
    for piece in line[body_lo:body_hi].split(sep):
        lead = len(piece) - len(piece.lstrip())
        s = pos + lead
        e = pos + len(piece.rstrip())
        spans.append((line_start + s, line_start + max(s, e)))
        pos += len(piece) + 1
    if kind == "tab":
        # several tabs in a row align one field: drop the empty fields they make at the edges only
        while spans and spans[-1][0] == spans[-1][1]:
            spans.pop()
    return (kind, spans) if len(spans) >= 2 else None


def find_text_tables(text: str) -> list[RawTable]:
    """Tables in `text`, with raw offsets of every cell."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables: list[RawTable] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        markdown = i + 1 < len(lines) and bool(_MD_RULE.match(lines[i + 1][1])) and "|" in line
        first = _fields(line, start, markdown)
        if first is None:
            i += 1
            continue
        kind, width = first[0], len(first[1])
        rows = [first[1]]
        j = i + 1
        while j < len(lines):
            s, ln = lines[j]
            if kind == "pipe" and _MD_RULE.match(ln):
                j += 1
                continue
            f = _fields(ln, s, markdown)
            if f is None or f[0] != kind or abs(len(f[1]) - width) > (0 if kind == "pipe" else 1):
                break
            rows.append(f[1])
            j += 1
        block = text[start : lines[j - 1][0] + len(lines[j - 1][1])]
        if len(rows) >= 2 and _HAS_NUMBER.search(block) and not _LAYOUT.search(block):
            n_cols = max(len(r) for r in rows)
            cells = [RawCell(r, c, 1, 1, s, e) for r, spans in enumerate(rows) for c, (s, e) in enumerate(spans)]
            tables.append(RawTable(len(rows), n_cols, cells, rows[0][0][0], rows[-1][-1][1]))
        i = j
    return tables
