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
        s = re.sub(rf"(?<![\wÀ-ỹ]){re.escape(abbr.strip())}(?:\s*)", full, s)
    s = " ".join(s.split())
    heads = sorted(data["heads"], key=len, reverse=True)
    for h in heads:
        if s.lower().startswith(h.lower()):
            rest = s[len(h) :].strip()
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
            if re.search(r"\d[\d.,]*\s*$", text[max(sent.start, h.start() - 12) : h.start()]):
                continue  # "46 Đảng bộ" is a counted noun, not a subject
            stop = _WINDOW_END.search(text, h.end(), min(sent.end, h.end() + 120))
            w_end = stop.start() if stop else min(sent.end, h.end() + 120)
            doc = parse(text[h.start() : w_end])
            ents = [e for e in doc.ents if e.label_ == "ORG" and e.start_char == 0]
            if not ents:
                continue
            ent = ents[0]
            s, e = _trim(text, h.start(), h.start() + ent.end_char)
            surface = text[s:e]
            out.append(OrgMention(s, e, surface, _canonical(surface, ent.ent_id_)))
            pos = e
    return _resolve_short_names(out)


# A name ends at punctuation or at a number.
_WINDOW_END = re.compile(r"[,.;:()\[\]\"“”!?]|\s\d")


def _resolve_short_names(mentions: list[OrgMention]) -> list[OrgMention]:
    """A short mention ("Đảng bộ Khối", "Chi bộ công ty") takes the longest full name that starts
    like it, preferring one introduced earlier."""
    out: list[OrgMention] = []
    for i, m in enumerate(mentions):
        key = m.name.lower()
        longer = [x for x in mentions if len(x.name) > len(m.name) and x.name.lower().startswith(key)]
        before = [x for x in longer if x.start < m.start]
        pick = (before or longer)
        if pick:
            best = max(pick, key=lambda x: (len(x.name), -abs(x.start - m.start)))
            out.append(OrgMention(m.start, m.end, m.surface, best.name))
        else:
            out.append(m)
    return out


def main_subject(mentions: list[OrgMention]) -> str | None:
    """The organization a document is mostly about: the most cited full name, ties to the first."""
    if not mentions:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in mentions:
        counts[m.name] = counts.get(m.name, 0) + 1
        first.setdefault(m.name, m.start)
    return max(counts, key=lambda n: (counts[n] + (1 if len(n.split()) > 3 else 0), -first[n]))
