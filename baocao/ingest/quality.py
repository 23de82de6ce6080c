"""Is the text a reader gave really text? Checked per page before extraction.

A PDF whose fonts have no Unicode map gives "(cid:123)" glyph codes or private-use characters; a
damaged content stream gives a spew of symbols; a file read in the wrong encoding gives mojibake
("Ð¶ng viên", "§¶ng viªn"). Extracting from such text finds nothing, silently. Each page is
scored: the share of its characters that are unreadable (glyph codes, U+FFFD, private use,
control characters), the share of letters among its visible characters, how many of its accented
words are Vietnamese syllables (the text reader's score), and its length against what a page
holds. A page failing these is unreadable; a document whose text is mostly on unreadable pages is
rejected (not_text), one with a few is loaded as `partial` with those pages named
(documents.quality, documents.bad_pages), like the pages that failed to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import vietnamese_score

_GLYPH_CODE = re.compile(r"\(cid:\d+\)|glyph<[^>]*>|/g\d+|/uni[0-9A-Fa-f]{4}")
_UNREADABLE = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_UNREADABLE = 0.2  # share of characters
_MIN_LETTERS = 0.5  # share of visible characters that are letters (digits count as letters here)
_MIN_VIETNAMESE = 0.35  # share of accented words that are Vietnamese syllables, when there are enough
_MIN_ACCENTED_WORDS = 30
_MAX_CHARS_PER_PAGE = 30_000  # a dense A4 page holds ~6,000; far more is a stream read as text
_MIN_CHARS = 40  # shorter pages are not judged
REJECT_SHARE = 0.5  # share of the document's characters on unreadable pages that rejects it


@dataclass
class PageVerdict:
    number: int
    reason: str | None  # None: readable


@dataclass
class Quality:
    bad_pages: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)
    bad_share: float = 0.0  # of the document's characters

    @property
    def partial(self) -> bool:
        return bool(self.bad_pages)

    def note(self) -> str | None:
        if not self.bad_pages:
            return None
        kinds = sorted(set(self.reasons.values()))
        return f"page{'s' * (len(self.bad_pages) > 1)} {page_list(self.bad_pages)}: {'; '.join(kinds)}"


def page_list(numbers: list[int]) -> str:
    """1, 3-5, 9"""
    out: list[str] = []
    for n in sorted(numbers):
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def page_verdict(number: int, text: str) -> PageVerdict:
    visible = "".join(text.split())
    if len(visible) < _MIN_CHARS:
        return PageVerdict(number, None)
    codes = sum(len(m.group()) for m in _GLYPH_CODE.finditer(text))
    unreadable = codes + len(_UNREADABLE.findall(text))
    if unreadable / len(visible) > _MAX_UNREADABLE:
        what = "glyph codes without a Unicode map ((cid:N)): OCR is needed" if codes > unreadable / 2 else \
            "unreadable characters (replacement or private-use)"
        return PageVerdict(number, what)
    letters = sum(c.isalnum() for c in visible)
    if letters / len(visible) < _MIN_LETTERS:
        return PageVerdict(number, "mostly symbols, not words (a damaged content stream?)")
    score = vietnamese_score(text)
    if score.tokens >= _MIN_ACCENTED_WORDS and score.ratio < _MIN_VIETNAMESE:
        return PageVerdict(number, "mojibake: its accented words are not Vietnamese (a wrong encoding or font)")
    if len(text) > _MAX_CHARS_PER_PAGE:
        return PageVerdict(number, f"{len(text):,} characters on one page, more than a page holds")
    return PageVerdict(number, None)


def assess(pages: list[tuple[str, str | None]]) -> Quality:
    """The pages' (text, parse failure) pairs -> which pages are unreadable and why."""
    q = Quality()
    total = sum(len(t) for t, _ in pages) or 1
    bad_chars = 0
    for number, (text, failed) in enumerate(pages, start=1):
        reason = f"could not be parsed ({failed})" if failed else page_verdict(number, text).reason
        if reason:
            q.bad_pages.append(number)
            q.reasons[number] = reason
            bad_chars += len(text)
    q.bad_share = bad_chars / total
    return q
