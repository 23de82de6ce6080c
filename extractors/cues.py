"""Helpers that turn cue-word lists from the data files into regular expressions."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Vietnamese letters for word boundaries: \w covers them in Python's re, but digits must
# not glue to words ("TCCS1" is not "TCCS").
WORD_BOUNDARY_L = r"(?<![\wÀ-ỹ])"
WORD_BOUNDARY_R = r"(?![\wÀ-ỹ])"


# Upper-case Vietnamese letters.  A range like À-Ỹ would also take lower-case letters.
UPPER = "A-ZĐÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_json(name: str, data_dir: Path | None = None) -> Any:
    return json.loads((data_dir or DATA_DIR).joinpath(name).read_text(encoding="utf-8"))


def load_jsonl(name: str, data_dir: Path | None = None) -> list[dict]:
    text = (data_dir or DATA_DIR).joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def template(pattern: str) -> str:
    """A regex from a data file, with {UPPER} standing for the upper-case Vietnamese letters."""
    return pattern.replace("{UPPER}", UPPER)


def phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: any white space (including a hard line wrap) between words."""
    parts = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(parts)
    left = WORD_BOUNDARY_L if phrase[:1].isalnum() else ""
    right = WORD_BOUNDARY_R if phrase[-1:].isalnum() else ""
    return left + body + right


def alternation(phrases: list[str], fold_case: bool = True) -> str:
    """One regex for many phrases, as a trie of words: the engine tries each first word once
    instead of every phrase at every position (a plain alternation of 60 cue phrases was the
    slowest part of extraction).  Longer phrases still win: each node tries its longer branches
    first and the phrase ending there last.

    With `fold_case` (for a regex matched ignoring case) the words are merged without case: as
    two branches "Đảng viên" and "đảng viên mới" the first would win on "đảng viên mới" and
    stop short.  Branches of one length are tried in a fixed order, so the regex is the same
    in every process."""
    trie: dict = {}
    for p in sorted(set(phrases)):
        if not p.split():
            continue  # an empty phrase would match everywhere
        node = trie
        for w in (p.lower() if fold_case else p).split():
            node = node.setdefault(w, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for w in sorted((k for k in node if k), key=lambda k: (-len(k), k)):
            branches.append(r"\s+" + re.escape(w) + emit(node[w]))
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    # The first words, grouped by their first letter, which the left boundary (no word character
    # before it) is checked after: every branch of the regex then starts with a letter, so the
    # engine skips the places that hold none of those letters and tries one branch per letter, not
    # every first word, at the others (a lookbehind first made it try the whole regex everywhere).
    # Under IGNORECASE, letters of one case fold must share a group: folded words do; others keep
    # one branch per word, in order.
    groups: dict[str, list[str]] = {}
    for w in sorted((k for k in trie if k), key=lambda k: (-len(k), k)):
        groups.setdefault(w[0] if fold_case else w, []).append(w)
    first = []
    for words in groups.values():
        c = words[0][0]
        rests = [re.escape(w[1:]) + emit(trie[w]) for w in words]
        first.append(re.escape(c) + r"(?<!\w.)" + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"))
    if not first:
        return r"(?!)"  # no phrases: a regex that matches nothing
    body = first[0] if len(first) == 1 else "(?:" + "|".join(first) + ")"
    # a boundary on the right where the phrase ends with a letter or digit
    return rf"{body}(?:(?<=[\w])(?![\wÀ-ỹ])|(?<=\W))"


def labelled_regex(groups: dict[str, list[str]], flags: int = re.IGNORECASE) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over all phrases; returns (regex, lower-cased folded phrase -> label)."""
    label_of: dict[str, str] = {}
    phrases: list[str] = []
    for label, items in groups.items():
        for p in items:
            key = fold(p)
            label_of.setdefault(key, label)
            phrases.append(p)
    return re.compile(alternation(phrases), flags), label_of


def words_regex(phrases: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One regex over a list of phrases (no labels)."""
    return re.compile(alternation(phrases), flags)


@dataclass(frozen=True)
class FoldedRegex:
    """One regex compiled twice: case-sensitive, for the text in lower case (Python's re scans it
    much faster than IGNORECASE over Vietnamese, and a pattern starting with a letter then gets
    its first letters looked for), and ignoring case, for text whose lower case would move
    offsets.  The pattern's words are written in lower case."""

    lower: re.Pattern[str]
    any_case: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str) -> FoldedRegex:
        return cls(re.compile(pattern), re.compile(pattern, re.IGNORECASE))

    def over(self, text: str, lower: str | None) -> tuple[re.Pattern[str], str]:
        """The regex and the string to scan: `lower` (lower_keeping_offsets(text)) unless it is
        None.  Offsets are the text's; read what matched from `text`."""
        return (self.lower, lower) if lower is not None else (self.any_case, text)

    def finditer(self, text: str, lower: str | None, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        rx, haystack = self.over(text, lower)
        return rx.finditer(haystack, pos, endpos)

    def search(self, text: str, lower: str | None, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        rx, haystack = self.over(text, lower)
        return rx.search(haystack, pos, endpos)


@dataclass(frozen=True)
class FirstOf:
    """Regexes matched as the one alternation `A|B|…` would be (the leftmost match next, an
    earlier part first at one place), each part scanned on its own.  Python's re looks for a
    regex's first characters only when it starts with a literal, a class or a choice of literals;
    one part starting with an optional word or a capture makes `A|B` be tried at every place, so
    such a pattern is written as parts that each start with what a match starts with.  No part
    may match the empty string."""

    parts: tuple[FoldedRegex, ...]

    @classmethod
    def compile(cls, patterns: list[str]) -> FirstOf:
        return cls(tuple(FoldedRegex.compile(p) for p in patterns))

    def finditer(self, text: str, lower: str | None, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if len(self.parts) == 1:
            return self.parts[0].finditer(text, lower, pos, endpos)
        haystack = self.parts[0].over(text, lower)[1]
        return leftmost([p.over(text, lower)[0] for p in self.parts], haystack, pos, endpos)


def leftmost(regexes: Sequence[re.Pattern[str]], text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
    """The matches of `regexes[0]|regexes[1]|…` over `text`, as `finditer` gives them: the leftmost
    match next, an earlier regex before a later one at one place, each search going on from the
    end of the last match (no regex may match the empty string).  A match found before that
    starts at or after the end stays the next of its regex: a search from there finds it again."""
    found = [rx.search(text, pos, endpos) for rx in regexes]
    while True:
        best = None
        for m in found:
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.end()
        found = [m if m is None or m.start() >= pos else rx.search(text, pos, endpos) for rx, m in zip(regexes, found, strict=True)]


def lower_keeping_offsets(text: str) -> str | None:
    """The text in lower case, when every character keeps its offset (a few letters become two
    characters in lower case: then None).  Case-sensitive regexes over it scan much faster than
    IGNORECASE ones over Vietnamese text."""
    lower = text.lower()
    return lower if len(lower) == len(text) else None


def fold(s: str) -> str:
    """Case- and space-insensitive key for a matched phrase."""
    return " ".join(s.lower().split())
