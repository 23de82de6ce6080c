"""A figure in the document text around it: the excerpt, the sentence, the quote to mark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .queries import marked_pieces

RADIUS = 600  # characters of context on each side of the sentence


@dataclass(frozen=True)
class Excerpt:
    before: str  # context before the sentence
    sentence_before: str  # the sentence up to the quote
    quote: str
    sentence_after: str
    after: str
    cut_start: bool  # the excerpt does not start at the beginning of the text
    cut_end: bool
    located: bool  # the quote was found where its offsets say (or near)


def _snap_left(text: str, i: int, floor: int) -> int:
    """Move i back to the start of a line (a paragraph) when one is near, else to a word boundary."""
    j = text.rfind("\n", floor, i)
    if j >= 0:
        return j + 1
    k = text.find(" ", floor, i)
    return k + 1 if k >= 0 else floor


def _snap_right(text: str, i: int, ceiling: int) -> int:
    j = text.find("\n", i, ceiling)
    if j >= 0:
        return j
    k = text.rfind(" ", i, ceiling)
    return k if k >= 0 else ceiling


def locate(text: str, quote: str, start: int) -> int | None:
    """Where the quote stands: at its offset, else the nearest occurrence (the text was re-read)."""
    if text[start : start + len(quote)] == quote:
        return start
    best, pos = None, text.find(quote)
    while pos >= 0:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(quote, pos + 1)
    return best


def excerpt(text: str, fig: dict[str, Any], radius: int = RADIUS) -> Excerpt | None:
    quote = fig["quote"]
    start = locate(text, quote, int(fig["start_offset"]))
    if start is None:
        return None
    end = start + len(quote)
    sentence = fig.get("sentence") or quote
    s_start = int(fig.get("sentence_start") or start)
    if text[s_start : s_start + len(sentence)] != sentence or not (s_start <= start and end <= s_start + len(sentence)):
        s_start, sentence = start, quote  # the sentence is not where it was: mark the quote alone
    s_end = s_start + len(sentence)
    left = _snap_left(text, max(0, s_start - radius), s_start) if s_start - radius > 0 else 0
    right = _snap_right(text, s_end, min(len(text), s_end + radius)) if s_end + radius < len(text) else len(text)
    return Excerpt(
        before=text[left:s_start],
        sentence_before=text[s_start:start],
        quote=quote,
        sentence_after=text[end:s_end],
        after=text[s_end:right],
        cut_start=left > 0,
        cut_end=right < len(text),
        located=True,
    )


def document_pieces(text: str, figures: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The whole text cut into plain pieces and figure quotes (tag: the figure row)."""
    spans = []
    for f in figures:
        s = locate(text, f["quote"], int(f["start_offset"]))
        if s is not None:
            spans.append((s, s + len(f["quote"]), f))
    return marked_pieces(text, spans)


def page_of(pages: list[tuple[int, int, int]], offset: int) -> tuple[int, int, int] | None:
    for p in pages:
        if p[1] <= offset < p[2]:
            return p
    return pages[-1] if pages and offset >= pages[-1][1] else None
