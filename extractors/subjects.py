"""Whose figure it is: the organization named as the subject of the sentence, resolved to the
full name the document introduced ("Đảng bộ Khối" → "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh
Quảng Trị"), with Đảng ủy/Đảng bộ and common abbreviations normalized."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.cues import load_json
from extractors.nlp import parse
from extractors.sentences import Sentence


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    surface: str
    name: str  # canonical: "Đảng bộ huyện Đại Lộc"
    subject: bool = True  # False after "của", "hợp nhất", "trực thuộc" …: an object, not who acts


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_json("organizations.json")


@lru_cache(maxsize=1)
def _head_regex() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(h) for h in sorted(_data()["heads"], key=len, reverse=True)), re.IGNORECASE)


def _canonical(surface: str, head_id: str) -> str:
    """'Huyện ủy Đại Lộc' → 'Đảng bộ huyện Đại Lộc'; 'Đảng ủy khối' → 'Đảng bộ Khối'; 'TP.Long Khánh' → 'thành phố Long Khánh'."""
    data = _data()
    s = " ".join(surface.split())
    for abbr, full in data["abbreviations"].items():
        if abbr.strip() in ("DN", "CP", "TCCS"):
            continue
        a = abbr.strip()
        right = "" if a.endswith(".") else r"(?![\wÀ-ỹ])"
        s = re.sub(rf"(?<![\wÀ-ỹ]){re.escape(a)}{right}\s*", full if full.endswith(" ") else full + " ", s)
    s = " ".join(s.split())
    heads = sorted(data["heads"], key=len, reverse=True)
    for h in heads:
        if s.lower().startswith(h.lower()):
            rest = s[len(h) :].strip()
            if any(rest.lower().startswith(h2.lower() + " ") for h2 in heads):
                return _canonical(rest, head_id)  # "Chi ủy Chi bộ Cơ động": the committee of the cell
            canonical_head = data["heads"][h]
            if rest.lower().startswith("khối"):
                rest = "Khối" + rest[4:]
            # "Đảng bộ huyện" + "huyện Đại Lộc" must not say "huyện" twice
            last = canonical_head.split()[-1]
            if rest.lower().startswith(last.lower() + " ") and last.lower() in ("huyện", "tỉnh", "quận", "phố", "xã"):
                rest = rest[len(last) + 1 :]
            return f"{canonical_head} {rest}".strip()
    return s


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop connectors and stop words at the end of a name ("Đảng bộ và" → "Đảng bộ")."""
    data = _data()
    tail_words = set(data["connectors"]) | set(data["stop_words"])
    while True:
        seg = text[start:end]
        m = re.search(r"\s+(\S+(?:\s\S+)?)$", seg)
        if not m:
            return start, end
        last_two, last_one = m.group(1), seg.split()[-1]
        if last_one == "tỉnh" or (len(seg.split()) <= 3 and last_one in ("huyện", "xã", "quận", "phường", "Khối", "khối")):
            return start, end  # "Đảng bộ huyện", "… Doanh nghiệp tỉnh": completed or resolved later
        if last_one in tail_words:
            end = start + seg.rfind(last_one)
            end = start + len(text[start:end].rstrip())
            continue
        if last_two in tail_words:
            end = start + len(seg) - len(last_two)
            end = start + len(text[start:end].rstrip())
            continue
        return start, end


def org_mentions(text: str, sentences: list[Sentence]) -> list[OrgMention]:
    """Organization names in the given sentences (those that can hold a fact, and the lead).

    Only a window from each head word ("Đảng bộ", "Huyện ủy", "Chi bộ" …) to the next
    punctuation is parsed: the NLP layer runs where a name can be, not over whole sentences."""
    out: list[OrgMention] = []
    heads = _head_regex()
    for sent in sentences:
        pos = sent.start
        for h in heads.finditer(text, sent.start, sent.end):
            if h.start() < pos:
                continue
            lead = text[max(sent.start, h.start() - 12) : h.start()]
            counted = re.search(r"(?<![\d.,/\-])(\d(?:[\d.]*\d)?(?:,\d+)?)\s+$", lead)
            if counted and not re.fullmatch(r"(?:19|20)\d\d", counted.group(1)):
                continue  # "46 Đảng bộ" is a counted noun, not a subject (a year before a name is not)
            if re.search(r"(?:các|những|mỗi)\s+$", lead, re.IGNORECASE):
                continue  # "Các Đảng bộ trực thuộc …" are many, not one organization
            if not text[h.start()].isupper():
                continue  # "đảng bộ", "chi bộ" in lower case are generic nouns, not a name
            stop = _WINDOW_END.search(text, h.end(), min(sent.end, h.end() + 120))
            w_end = _name_window_end(text, h.end(), stop.start() if stop else min(sent.end, h.end() + 120))
            doc = parse(text[h.start() : w_end])
            ents = [e for e in doc.ents if e.label_ == "ORG" and e.start_char == 0]
            if not ents:
                continue
            ent = ents[0]
            end = h.start() + ent.end_char
            second = _SECOND_HEAD.search(text, h.start() + 3, end)
            if second:
                end = second.start()  # "Đảng bộ Khối A và Đảng bộ Khối B": two names
            s, e = _trim(text, h.start(), end)
            surface = text[s:e]
            before = text[max(sent.start, s - 24) : s]
            subject = not _NOT_SUBJECT.search(before) and not (out and out[-1].end >= s - 5 and not out[-1].subject
                                                               and re.fullmatch(r"\s*và\s*", text[out[-1].end : s]))
            out.append(OrgMention(s, e, surface, _canonical(surface, ent.ent_id_), subject))
            pos = e
    return _resolve_short_names(out)


@lru_cache(maxsize=1)
def _name_syllables() -> frozenset[str]:
    return frozenset(w for c in _data()["connectors"] for w in c.lower().split())


_SYLLABLE = re.compile(r"\S+")


def _name_window_end(text: str, start: int, end: int) -> int:
    """A name runs while its words are capitalized ("Cao đẳng", "Cổ phần": the first syllable) or
    connectors ("huyện", "và", "cơ quan").  The window to parse ends after three syllables in a
    row that are neither (a word has at most two more syllables, and the words just past a name
    decide how underthesea cuts it), so the clause after a name is not segmented."""
    run = 0
    for m in _SYLLABLE.finditer(text, start, end):
        w = m.group(0)
        run = 0 if w[0].isupper() or w.lower() in _name_syllables() else run + 1
        if run == 3:
            return m.end()
    return end


# An organization after these words is an object or a place, not the one that acts or has.
_NOT_SUBJECT = re.compile(r"(?:của|hợp\s+nhất|sáp\s+nhập|trên\s+cơ\s+sở|trực\s+thuộc|thuộc|với|cho|tại|đến)\s*$", re.IGNORECASE)
_SECOND_HEAD = re.compile(r"\s+và\s+(?=Đảng\s+bộ|Đảng\s+ủy|Đảng\s+uỷ|Chi\s+bộ)")

# A name ends at punctuation or at a number.
_WINDOW_END = re.compile(r"[,;:()\[\]\"“”!?]|\.(?=\s|$)|\s\d")


def _resolve_short_names(mentions: list[OrgMention]) -> list[OrgMention]:
    """A short mention ("Đảng bộ Khối", "Chi bộ công ty") takes the full name that starts like it:
    the document's main organization if it does, else the longest one introduced before it.
    Names compare without case ("ĐẢNG BỘ KHỐI DOANH NGHIỆP" in a title is the body's name)."""

    def longest(m: OrgMention, pool: list[OrgMention]) -> str:
        key = m.name.lower()
        longer = [x for x in pool if len(x.name) > len(m.name) and x.name.lower().startswith(key)]
        pick = [x for x in longer if x.start < m.start] or longer
        if not pick:
            return m.name
        return max(pick, key=lambda x: (len(x.name), not x.name.isupper(), -abs(x.start - m.start))).name

    first = [OrgMention(m.start, m.end, m.surface, longest(m, mentions), m.subject) for m in mentions]
    main = main_subject(first)
    out = []
    for m in first:
        name = m.name
        if main and len(main) > len(name) and main.lower().startswith(name.lower()):
            name = main
        out.append(OrgMention(m.start, m.end, m.surface, _display(name, first), m.subject))
    return out


def _display(name: str, mentions: list[OrgMention]) -> str:
    """Of the spellings of one name, the most used one not in capitals (ties: more capital letters)."""
    same = [m.name for m in mentions if m.name.lower() == name.lower() and not m.name.split(maxsplit=2)[-1].isupper()]
    if not same:
        return name
    return max(set(same), key=lambda n: (same.count(n), sum(ch.isupper() for ch in n)))


def main_subject(mentions: list[OrgMention]) -> str | None:
    """The organization a document is mostly about: the most cited full name, ties to the first."""
    if not mentions:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for m in mentions:
        k = m.name.lower()
        counts[k] = counts.get(k, 0) + 1
        first.setdefault(k, m.start)
        if k not in spelling or spelling[k].isupper():
            spelling[k] = m.name
    best = max(counts, key=lambda n: (counts[n] + (1 if len(n.split()) > 3 else 0), -first[n]))
    return spelling[best]
