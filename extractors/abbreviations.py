"""Abbreviations a document defines for itself: "đảng viên (ĐV)", "tổ chức Đảng (TCĐ)".

The letters in brackets must be the initials of the words right before them (Ư and W are one
letter: "Trung ương" is TW).  A definition whose words are a counted noun makes the abbreviation
count like that noun in the rest of the document."""

from __future__ import annotations

import re

from extractors.cues import fold
from extractors.figure_rules import FigureRules

_WORD = re.compile(r"[^\W\d_]+")


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words).upper().replace("Ư", "W")


def defined_abbreviations(text: str, rules: FigureRules) -> dict[str, str]:
    """abbreviation -> object, for every definition in `text` whose words are a counted noun."""
    rx = rules.abbreviation_definition
    if rx is None:
        return {}
    out: dict[str, str] = {}
    for m in rx.finditer(text):
        abbr = m.group(1)
        key = abbr.upper().replace("Ư", "W")
        words = _WORD.findall(text[max(0, m.start() - 80) : m.start()])
        phrase_words = words[-len(key) :] if len(words) >= len(key) else []
        if not phrase_words or _initials(phrase_words) != key:
            continue
        phrase = " ".join(phrase_words)
        obj = rules.object_label.get(fold(phrase))
        if obj is not None:
            out.setdefault(abbr, obj)
    return out
