"""People named in a document with their role: signatories, authors, officials.

underthesea's NER finds the names (PER); the role is the title next to the name
("Thịnh Đức Tiền, Phó Bí thư Đảng ủy Khối …", "Bí thư Đảng ủy Công ty … Nguyễn Việt Thanh").
Only lines that carry a title or look like a byline are run through NER, and of those only the
ones that can name a person: a Vietnamese name is written with capitals, two syllables or more
("Nguyễn Văn Thanh", "Chương A Dưỡng", "NGUYỄN KHÁNH VŨ"), so a window without two capitalized
syllables in a row beside its titles ("… của Ban Bí thư về …", "Ban Giám đốc chưa …") cannot
hold one.  On the dev and held-out documents that is a quarter of the windows, none with a
person.  The entity tags are underthesea's `ner`'s, computed in linear time
(extractors.nlp.entity_tags).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from extractors.cues import UPPER, alternation


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    name: str
    role: str | None
    kind: str  # author | official


@dataclass(frozen=True)
class PeopleRules:
    """Titles, bylines and headings (data/roles.json, data/doc_types.json), compiled once."""

    roles: re.Pattern[str]
    roles_any_case: re.Pattern[str]  # "BÍ THƯ" above a signature is a title, not a name
    byline: re.Pattern[str]
    headings: frozenset[str]  # headings in capitals that look like a byline but name a document type

    @classmethod
    def from_data(cls, roles: dict, doc_types: dict) -> PeopleRules:
        rx = re.compile(alternation(roles["roles"], fold_case=False))  # "Bí thư" is a title, "bí thư" may not be
        byline = re.compile(rf"^\s*(?:{'|'.join(re.escape(m) for m in roles['author_markers'])})?\s*"
                            rf"(?P<name>[{UPPER}][\w]*(?:[ \t]+[{UPPER}][\w]*){{1,3}}(?:[ \t]*[-–][ \t]*[{UPPER}][\w]*(?:[ \t]+[{UPPER}][\w]*){{1,3}})?)\s*$")
        return cls(rx, re.compile(rx.pattern, re.IGNORECASE), byline, frozenset(t.lower() for t in doc_types["types"]))

    @cached_property
    def words(self) -> Callable[[str], list[str]]:
        """underthesea's words of a line (extractors.word_segmentation), its memo with these rules."""
        from extractors.word_segmentation import WordSegmenter

        return WordSegmenter.underthesea()


_SYLLABLE = re.compile(r"\S+")
_PUNCTUATION = "(),.;:*\"'“”‘’"


def _may_name_a_person(line: str, roles: re.Pattern[str]) -> bool:
    """Two capitalized syllables in a row, neither inside a title ("Phó Bí thư")."""
    in_title = [False] * (len(line) + 1)
    for m in roles.finditer(line):
        in_title[m.start() : m.end()] = [True] * (m.end() - m.start())
    previous = False
    for m in _SYLLABLE.finditer(line):
        word = m.group().strip(_PUNCTUATION)
        capital = bool(word) and word[0].isupper() and not in_title[m.start()]
        if capital and previous:
            return True
        previous = capital
    return False


_ROLE_AFTER = re.compile(r"^\s*[,\-–]\s*(?P<role>[^.;\n]{3,120})")


def find_people(text: str, rules: PeopleRules, max_windows: int = 40) -> list[PersonMention]:
    """Authors (bylines at the foot) and officials (a name next to a title) of the text."""
    roles, byline, roles_any_case = rules.roles, rules.byline, rules.roles_any_case
    out: list[PersonMention] = []
    lines = text.split("\n")
    pos = 0
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    for i in range(max(0, len(lines) - 12), len(lines)):
        line = lines[i]
        if 0 < len(line.strip()) <= 40 and not roles_any_case.search(line):
            m = byline.match(line)
            if m and " ".join(m.group("name").split()).lower() not in rules.headings:
                out.append(PersonMention(starts[i] + m.start("name"), starts[i] + m.end("name"),
                                         " ".join(m.group("name").split()), None, "author"))
    done_until = -1
    for n, r in enumerate(roles.finditer(text)):
        if n >= max_windows or r.start() < done_until:
            continue
        lo = max(text.rfind(ch, 0, r.start()) for ch in ".\n;")
        lo = max(lo + 1, r.start() - 100)
        hi = min([x for x in (text.find(ch, r.end()) for ch in ".\n;") if x >= 0] + [r.end() + 140])
        if _may_name_a_person(text[lo:hi], roles):
            out.extend(_officials(text[lo:hi], lo, roles, rules.words))
        done_until = hi
    seen: set[str] = set()
    unique = []
    for p in out:
        if p.name not in seen:
            seen.add(p.name)
            unique.append(p)
    return unique


# A role runs over the organization's name and stops at the verb or remark that follows.
_ROLE_END = re.compile(r"\s*(?:\(|\bvà\s+(?:đồng\s+chí|ông|bà)\b|\b(?:trao|làm|tặng|phát\s+biểu|cho\s+biết|chủ\s+trì|giao|đọc|nhấn\s+mạnh|đã|đến|tại)\b)")


def _clean_role(role: str) -> str:
    m = _ROLE_END.search(role)
    return (role[: m.start()] if m else role).strip(" ,-–:")


def _officials(line: str, offset: int, roles: re.Pattern[str], words: Callable[[str], list[str]]) -> list[PersonMention]:
    from extractors.nlp import entity_tags

    tags = entity_tags(line, words)
    found: list[PersonMention] = []
    pos = 0
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        s, e = current[0][0], current[-1][1]
        name = line[s:e]
        if len(name.split()) < 2:
            current.clear()
            return
        after = _ROLE_AFTER.match(line[e:])
        role = None
        if after and roles.match(after.group("role").strip()):
            role = _clean_role(after.group("role"))
        else:
            before = line[max(0, s - 120) : s]
            r = list(roles.finditer(before))
            if r and not re.search(r"[.:;]", before[r[-1].start() :]):
                role = _clean_role(before[r[-1].start() :])
        if role is not None:  # a name with no title beside it is NER's guess, not an official
            found.append(PersonMention(offset + s, offset + e, name, role, "official"))
        current.clear()

    for word, tag in tags:
        at = line.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        if tag.endswith("PER"):
            if tag.startswith("B-"):
                flush()
            current.append((at, pos))
        else:
            flush()
    flush()
    return found
