"""Whose figure it is: the organization named as the subject of the sentence, resolved to the
full name the document introduced ("Đảng bộ Khối" → "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh
Quảng Trị"), with Đảng ủy/Đảng bộ and common abbreviations normalized."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from extractors.cues import FoldedRegex, alternation, phrase_pattern, template
from extractors.sentences import Sentence


@dataclass(frozen=True)
class OrgMention:
    start: int
    end: int
    surface: str
    name: str  # canonical: "Đảng bộ huyện Đại Lộc"
    subject: bool = True  # False after "của", "hợp nhất", "trực thuộc" …: an object, not who acts


@dataclass(frozen=True)
class SubjectRules:
    """How organizations are named (data/organizations.json), compiled once."""

    heads: dict[str, str]  # head word -> canonical head ("Huyện ủy" -> "Đảng bộ huyện")
    heads_longest_first: tuple[str, ...]
    heads_lower: tuple[str, ...]  # the same in lower case
    head_regex: FoldedRegex
    expansions: tuple[tuple[re.Pattern[str], str], ...]  # abbreviations a name is written with, compiled
    tail_words: frozenset[str]  # connectors and stop words that do not end a name
    name_syllables: frozenset[str]
    not_subject: re.Pattern[str]
    second_head: re.Pattern[str]
    many_before: re.Pattern[str]
    locative: re.Pattern[str]  # a locative before a place: 'tại Bình Dương'
    subject_verb: re.Pattern[str]  # a verb after a place that is the subject: 'Quảng Trị có'
    whole_province: re.Pattern[str]
    whole_party: re.Pattern[str]
    whole_party_name: str
    territorial_heads: tuple[str, ...]  # "Đảng bộ huyện": a territory's Đảng bộ

    @classmethod
    def from_data(cls, data: dict) -> SubjectRules:
        heads = sorted(data["heads"], key=len, reverse=True)
        heads_lower = tuple(h.lower() for h in heads)
        not_loc = "".join(rf"(?<!{w}\s)(?<!{w.capitalize()}\s)" for w in data["not_locative_before"])
        return cls(
            heads=dict(data["heads"]),
            heads_longest_first=tuple(heads),
            heads_lower=heads_lower,
            head_regex=FoldedRegex.compile("|".join(re.escape(h) for h in heads_lower)),
            # "DN", "CP", "TCCS" stay as a name writes them ("Công ty CP …")
            expansions=tuple(_expansion(a, full) for a, full in data["abbreviations"].items()
                             if a.strip() not in ("DN", "CP", "TCCS")),
            tail_words=frozenset(data["connectors"]) | frozenset(data["stop_words"]),
            name_syllables=frozenset(w for c in data["connectors"] for w in c.lower().split()),
            not_subject=re.compile(rf"(?:{'|'.join(phrase_pattern(w) for w in data['not_subject_before'])})\s*$", re.IGNORECASE),
            second_head=re.compile(rf"\s+và\s+(?={'|'.join(phrase_pattern(h) for h in data['second_heads'])})"),
            many_before=re.compile(rf"(?:{'|'.join(map(re.escape, data['many_before']))})\s+$", re.IGNORECASE),
            locative=re.compile(rf"(?:^|\s){not_loc}(?:{alternation(data['locatives'])})\s*$", re.IGNORECASE),
            subject_verb=re.compile(rf"\s*(?:\([^)]*\)\s*)?(?:{alternation(data['subject_verbs'])})", re.IGNORECASE),
            whole_province=re.compile(template(data["whole_province"])),
            whole_party=re.compile(template(data["whole_party"])),
            whole_party_name=data["whole_party_name"],
            territorial_heads=tuple(data["territorial_heads"]),
        )


def _expansion(abbr: str, full: str) -> tuple[re.Pattern[str], str]:
    a = abbr.strip()
    right = "" if a.endswith(".") else r"(?![\wÀ-ỹ])"
    return re.compile(rf"(?<![\wÀ-ỹ]){re.escape(a)}{right}\s*"), full if full.endswith(" ") else full + " "


def _canonical(surface: str, rules: SubjectRules) -> str:
    """'Huyện ủy Đại Lộc' → 'Đảng bộ huyện Đại Lộc'; 'Đảng ủy khối' → 'Đảng bộ Khối'; 'TP.Long Khánh' → 'thành phố Long Khánh'."""
    s = " ".join(surface.split())
    for abbr, full in rules.expansions:
        s = abbr.sub(full, s)
    s = " ".join(s.split())
    lower = s.lower()
    for h, h_lower in zip(rules.heads_longest_first, rules.heads_lower, strict=True):
        if lower.startswith(h_lower):
            rest = s[len(h) :].strip()
            if rest.lower().startswith(tuple(h2 + " " for h2 in rules.heads_lower)):
                return _canonical(rest, rules)  # "Chi ủy Chi bộ Cơ động": the committee of the cell
            canonical_head = rules.heads[h]
            if rest.lower().startswith("khối"):
                rest = "Khối" + rest[4:]
            # "Đảng bộ huyện" + "huyện Đại Lộc" must not say "huyện" twice
            last = canonical_head.split()[-1]
            if rest.lower().startswith(last.lower() + " ") and last.lower() in ("huyện", "tỉnh", "quận", "phố", "xã"):
                rest = rest[len(last) + 1 :]
            return f"{canonical_head} {rest}".strip()
    return s


_LAST_TWO = re.compile(r"\s+(\S+(?:\s\S+)?)$")  # the last one or two words of a name
_COUNT_BEFORE = re.compile(r"(?<![\d.,/\-])(\d(?:[\d.]*\d)?(?:,\d+)?)\s+$")  # "46 Đảng bộ"
_YEAR = re.compile(r"(?:19|20)\d\d")
_AND = re.compile(r"\s*và\s*")


def _trim(text: str, start: int, end: int, rules: SubjectRules) -> tuple[int, int]:
    """Drop connectors and stop words at the end of a name ("Đảng bộ và" → "Đảng bộ")."""
    tail_words = rules.tail_words
    while True:
        seg = text[start:end]
        m = _LAST_TWO.search(seg)
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


def org_mentions(text: str, sentences: list[Sentence], rules: SubjectRules, name_end: Callable[[str], int | None],
                 lower: str | None = None) -> list[OrgMention]:
    """Organization names in the given sentences (those that can hold a fact, and the lead).
    `lower`: lower_keeping_offsets(text) (None: the heads are looked for ignoring case, slower).

    Only a window from each head word ("Đảng bộ", "Huyện ủy", "Chi bộ" …) to the next
    punctuation is parsed: the NLP layer runs where a name can be, not over whole sentences.
    `name_end(window)`: where the name opening the window ends, or None (Rules.name_end)."""
    out: list[OrgMention] = []
    for sent in sentences:
        pos = sent.start
        for h in rules.head_regex.finditer(text, lower, sent.start, sent.end):
            if h.start() < pos:
                continue
            lead = text[max(sent.start, h.start() - 12) : h.start()]
            counted = _COUNT_BEFORE.search(lead)
            if counted and not _YEAR.fullmatch(counted.group(1)):
                continue  # "46 Đảng bộ" is a counted noun, not a subject (a year before a name is not)
            if rules.many_before.search(lead):
                continue  # "Các Đảng bộ trực thuộc …" are many, not one organization
            if not text[h.start()].isupper():
                continue  # "đảng bộ", "chi bộ" in lower case are generic nouns, not a name
            stop = _WINDOW_END.search(text, h.end(), min(sent.end, h.end() + 120))
            w_end = _name_window_end(text, h.end(), stop.start() if stop else min(sent.end, h.end() + 120), rules)
            name_len = name_end(text[h.start() : w_end])
            if name_len is None:
                continue
            end = h.start() + name_len
            second = rules.second_head.search(text, h.start() + 3, end)
            if second:
                end = second.start()  # "Đảng bộ Khối A và Đảng bộ Khối B": two names
            s, e = _trim(text, h.start(), end, rules)
            surface = text[s:e]
            before = text[max(sent.start, s - 24) : s]
            subject = not rules.not_subject.search(before) and not (out and out[-1].end >= s - 5 and not out[-1].subject
                                                               and _AND.fullmatch(text, out[-1].end, s))
            out.append(OrgMention(s, e, surface, _canonical(surface, rules), subject))
            pos = e
    return _resolve_short_names(out)


_SYLLABLE = re.compile(r"\S+")


def _name_window_end(text: str, start: int, end: int, rules: SubjectRules) -> int:
    """A name runs while its words are capitalized ("Cao đẳng", "Cổ phần": the first syllable) or
    connectors ("huyện", "và", "cơ quan").  The window to parse ends after three syllables in a
    row that are neither (a word has at most two more syllables, and the words just past a name
    decide how underthesea cuts it), so the clause after a name is not segmented."""
    run = 0
    for m in _SYLLABLE.finditer(text, start, end):
        w = m.group(0)
        run = 0 if w[0].isupper() or w.lower() in rules.name_syllables else run + 1
        if run == 3:
            return m.end()
    return end


# A name ends at punctuation or at a number.
_WINDOW_END = re.compile(r"[,;:()\[\]\"“”!?]|\.(?=\s|$)|\s\d")


def _resolve_short_names(mentions: list[OrgMention]) -> list[OrgMention]:
    """A short mention ("Đảng bộ Khối", "Chi bộ công ty") takes the full name that starts like it:
    the document's main organization if it does, else the longest one introduced before it.
    Names compare without case ("ĐẢNG BỘ KHỐI DOANH NGHIỆP" in a title is the body's name).

    Mentions are grouped by name first: a long document names few organizations many times,
    so the work grows with the number of distinct names, not with the square of the mentions."""
    starts: dict[str, list[int]] = {}  # exact name -> its mentions' starts, in order
    for m in mentions:
        starts.setdefault(m.name, []).append(m.start)
    by_key: dict[str, list[str]] = {}
    for name in starts:
        by_key.setdefault(name.lower(), []).append(name)
    keys = sorted(by_key)

    def longest(m: OrgMention) -> str:
        key = m.name.lower()
        lo = bisect.bisect_left(keys, key)
        hi = bisect.bisect_left(keys, key + "\U0010ffff")
        longer = [n for k in keys[lo:hi] for n in by_key[k] if len(n) > len(m.name)]
        if not longer:
            return m.name
        # names introduced before this mention win; among them the nearest mention before it
        before = [(n, starts[n][bisect.bisect_left(starts[n], m.start) - 1]) for n in longer if starts[n][0] < m.start]
        pick = before or [(n, starts[n][0]) for n in longer]
        return max(pick, key=lambda x: (len(x[0]), not x[0].isupper(), -abs(x[1] - m.start)))[0]

    first = [OrgMention(m.start, m.end, m.surface, longest(m), m.subject) for m in mentions]
    main = main_subject(first)
    spellings = _spellings(first)
    out = []
    for m in first:
        name = m.name
        if main and len(main) > len(name) and main.lower().startswith(name.lower()):
            name = main
        out.append(OrgMention(m.start, m.end, m.surface, spellings.get(name.lower(), name), m.subject))
    return out


def _spellings(mentions: list[OrgMention]) -> dict[str, str]:
    """Of the spellings of one name, the most used one not in capitals (ties: more capital letters)."""
    counts: dict[str, dict[str, int]] = {}
    for m in mentions:
        if not m.name.split(maxsplit=2)[-1].isupper():
            c = counts.setdefault(m.name.lower(), {})
            c[m.name] = c.get(m.name, 0) + 1
    return {k: max(c, key=lambda n: (c[n], sum(ch.isupper() for ch in n))) for k, c in counts.items()}


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
