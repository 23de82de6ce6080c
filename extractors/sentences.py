"""Split document text into sentences and paragraphs, keeping offsets.

Reports converted from Word or PDF are often hard-wrapped in the middle of a
sentence ("cho 110 quần\\nchúng ưu tú"); a single line break is a sentence
boundary only when the line before it reads like a complete line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? … followed by white space and an upper-case letter, a digit, a
# bullet or an opening quote; "TP. Hồ Chí Minh" and "v.v." are handled by the abbreviation list.
_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“(*\-+•]?\s*[A-ZÀ-ỸĐ0-9])")
_ABBREV = re.compile(r"(?:\b(?:TP|Tp|tp|TX|Tx|TT|Q|P|H|ThS|TS|PGS|GS|BS|St|v\.v)\.)$")
_SOFT_WRAP_MIN = 55  # a line at least this long that ends without punctuation continues on the next line


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (block between line breaks that end a line)


def _line_breaks(text: str) -> list[int]:
    """Offsets of newlines that end a sentence (not soft wraps)."""
    breaks: list[int] = []
    for m in re.finditer(r"\n", text):
        i = m.start()
        line_start = text.rfind("\n", 0, i) + 1
        line = text[line_start:i].rstrip()
        nxt = text[i + 1 : i + 2]
        soft = (
            len(line) >= _SOFT_WRAP_MIN
            and (line[-1:].isalnum() or line[-1:] in ",-–(")
            and nxt not in ("", "\n")
            and not re.match(r"\s*(?:[-+*•]|\d+[.)]|[IVX]+\.)\s", text[i + 1 : i + 8])
        )
        if not soft:
            breaks.append(i)
    return breaks


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; empty stretches are skipped."""
    cuts = set(_line_breaks(text))
    for m in _END.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        if _ABBREV.search(before):
            continue
        cuts.add(m.start())
    out: list[Sentence] = []
    paragraph = 0
    pos = 0
    for cut in sorted(cuts) + [len(text)]:
        seg = text[pos:cut]
        lead = len(seg) - len(seg.lstrip())
        s, e = pos + lead, pos + len(seg.rstrip())
        if e > s:
            out.append(Sentence(s, e, text[s:e], paragraph))
        if cut < len(text) and text[cut] == "\n":
            paragraph += 1
        pos = cut + (1 if cut < len(text) and text[cut] == "\n" else 0)
    return out


_CAPTION = re.compile(r"[-–]\s*Ảnh\s*\d*\.?$")  # "30.000 đoàn viên … được kết nạp Đảng - Ảnh 1."


def is_headline(sentence: str) -> bool:
    """A title line: short and without final punctuation ("Đại Lộc kết nạp gần 196 đảng viên mới"),
    or a photo caption that repeats it."""
    s = sentence.rstrip()
    return len(s) < 110 and (not s.endswith((".", "!", "?", "…", ";")) or bool(_CAPTION.search(s)))
