"""Text read from untrusted documents, made inert where it goes next: a terminal, a spreadsheet.

A file name or a sentence is data, never an instruction: a name holding "\\x1b[2J" must not
clear the terminal it is printed on, and a sentence "=HYPERLINK(…)" must not become a live
formula in the spreadsheet it is exported to (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, and the bidirectional overrides that reorder what a
# terminal shows (a name can hide its real extension behind U+202E).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# A spreadsheet reads a cell as a formula when it starts with one of these, also after
# leading tabs, carriage returns or spaces (OWASP: = + - @, and TAB / CR before them).
_FORMULA_START = re.compile(r"^[\t\r\n ]*[=+\-@]")
# Characters a CSV cell should not carry: controls other than tab and line feed (a line feed
# inside a quoted cell is a line break every reader understands). A form feed (a page break
# inside a sentence) or a carriage return becomes a space so that the words stay apart.
_CSV_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CSV_SPACES = re.compile(r"[\x0c\r]")


def shown(text: object) -> str:
    """`text` as it may be printed: control characters spelled out (\\x1b, \\u202e), the rest as is."""
    s = str(text)
    if not _UNPRINTABLE.search(s):
        return s
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), s)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in "\t\n\r":
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def looks_like_formula(value: str) -> bool:
    """Would a spreadsheet evaluate this text as a formula?"""
    return bool(_FORMULA_START.match(value))


def csv_cell(value: object) -> object:
    """A value safe to write to a CSV cell: text that would start a formula gets a leading
    apostrophe (Excel and LibreOffice then show it as text), control characters are dropped."""
    if not isinstance(value, str):
        return value
    value = _CSV_CONTROLS.sub("", _CSV_SPACES.sub(" ", value.replace("\r\n", "\n")))
    return "'" + value if looks_like_formula(value) else value
