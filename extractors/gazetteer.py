"""Province gazetteer: find Vietnamese province, district and landmark names in text.

The knowledge lives in `data/provinces.json` (the 63 pre-2025 provinces, their district-level
units of 2019-2024 and a few landmarks) and `data/province_merger_2025.json` (successor of each
province under Resolution 202/2025/QH15).  This module only matches:

The gazetteer is built once by extractors.rules.load_rules() and handed in (`rules.gazetteer`).

- One regex, built as a character trie of every name, so 100k characters scan in ~15 ms
  (a plain alternation of the ~1,100 names is about 30 times slower in `re`).
- Names are compared case-insensitively on text with one tone convention (hoà -> hòa) and
  whole words only; the longest name wins ("Châu Thành A" over "Châu Thành").
- A name found in two or more provinces ("Châu Thành", "Phong Điền") says nothing on its own;
  it counts only when a type word narrows it to one province ("huyện Quảng Ninh") or the
  province follows it ("Châu Thành (Tây Ninh)", "huyện Châu Thành, tỉnh Long An").
- Names that are also common words or people's names (`stop_places`: "Vinh", "Thống Nhất",
  "Hồ Chí Minh") count only with a type word or the province after them.  Without a type word,
  a name also needs its capitals ("hòa bình" is peace), and must not follow a commune or
  street word ("xã Tân Bình") or a surname or title ("Lê Đức Thọ", "ông Thanh Sơn").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from extractors.cues import FoldedRegex, lower_keeping_offsets

_ADMIN_TYPES = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã"})

Kind = Literal["province", "district", "landmark"]


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    province: str  # canonical pre-2025 name, e.g. "Bà Rịa - Vũng Tàu"
    kind: Kind
    qualified: bool  # a type word before it, or its province right after it


@dataclass(frozen=True, slots=True)
class _Entry:
    province: str
    kind: Kind
    type: str  # "tỉnh", "thành phố", "huyện", "quận", "thị xã" or a landmark type
    name: str


# --- normalization -----------------------------------------------------------------------

# Old-style tone placement in open oa/oe/uy syllables (hoà, khoẻ, thuỷ) -> new style (hòa,
# khỏe, thủy).  Only when no letter follows (hoàn, hoài keep their tone where it is) and not
# after "q" (in "quý" the u is part of the onset, the tone belongs on y in both styles).
# Each replacement is two characters for two, so offsets stay valid.
# one class first, so that the engine tries it only at an o or a u
_OLD_TONE = re.compile(r"[oOuU](?:(?<=[oO])[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ]|(?<![qQ][uU])(?<=[uU])[ỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")


def _move_tone(m: re.Match[str]) -> str:
    first, second = m.group()
    base, tone = unicodedata.normalize("NFD", second)
    return unicodedata.normalize("NFC", first + tone) + base


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Text with one spelling convention; offsets map (or None when lengths are unchanged)."""
    offsets = None
    if not unicodedata.is_normalized("NFC", text):
        # NFC per base+marks cluster, remembering where each output character came from.
        out: list[str] = []
        offsets = []
        i, n = 0, len(text)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j])
            out.append(piece)
            offsets.extend([i] * len(piece))
            i = j
        offsets.append(n)
        text = "".join(out)
    if "\u00d0" in text or "\u00f0" in text:  # Ð ð (Icelandic eth, from bad fonts) -> Đ đ
        text = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    text = _OLD_TONE.sub(_move_tone, text)
    return text, offsets


_KEY_SPELLINGS = tuple((re.compile(a), b) for a, b in (
    (r"[’‘`´]", "'"), (r"[–—‐−]", "-"), (r"\s*-\s*", " - "), (r"\s*'\s*", "'"), (r"\.\s*", "."), (r"\s+", " ")))


def _key(name: str) -> str:
    """Lookup key: folded, lower case, one spelling of spaces, dashes, dots and apostrophes."""
    k = _fold(name)[0].lower()
    for pattern, spelling in _KEY_SPELLINGS:
        k = pattern.sub(spelling, k)
    return k.strip()


# Regex for one key atom: text may space, dash and quote names in several ways.
_ATOM = re.compile(r" - |'|\.| |.")
_ATOM_RE = {" - ": r"\s*[-–—‐−]\s*", "'": r"\s*['’‘`´]\s*", ".": r"\.\s*", " ": r"\s+"}


def _trie_regex(keys: list[str]) -> str:
    trie: dict = {}
    for k in keys:
        node = trie
        for atom in _ATOM.findall(k):
            node = node.setdefault(atom, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = [(_ATOM_RE.get(a) or re.escape(a)) + emit(child) for a, child in node.items() if a != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:  # greedy optional: try the longer name first, fall back to this one
            return "(?:" + body + ")?"
        return body

    return emit(trie)


# --- context ------------------------------------------------------------------------------

# Type words right before a name, mapped to the unit type they ask for.
_QUALIFIER = re.compile(
    r"(?<!\w)(tỉnh\s+ủy|tỉnh|thành\s+ủy|thành\s+phố|tp\.?|thị\s+ủy|thị\s+xã|tx\.?|huyện\s+ủy|huyện|h\.|quận\s+ủy|quận|q\.)"
    r"\s*$",
    re.IGNORECASE,
)
_QUALIFIER_TYPE = {
    "tỉnh": "tỉnh",
    "thành": "thành phố",
    "tp": "thành phố",
    "thị": "thị xã",
    "tx": "thị xã",
    "huyện": "huyện",
    "h.": "huyện",
    "quận": "quận",
    "q.": "quận",
}  # by prefix of the word
# Names in the index that already carry their type ("TP.HCM", "Thành phố Huế", "Quận 1").
_TYPED_KEY = re.compile(r"^(?:tỉnh |thành phố |tp|thị xã |huyện |quận )")
# A commune, village or street of the same name, not the district: "xã Tân Bình", "đường Hà Nội".
_SUBUNIT = re.compile(
    r"(?<!\w)(?:xã|phường|thị\s+trấn|tt\.|thôn|ấp|khóm|khu\s+phố|tổ\s+dân\s+phố|đường|phố|đại\s+lộ|ngõ|hẻm)\s*$",
    re.IGNORECASE,
)
# A person, not a place: "Lê Đức Thọ", "Nguyễn Thị Thanh Hà", "ông Thanh Sơn".
_PERSON = re.compile(
    r"(?:(?<!\w)(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trương|Lương|Đào|Trịnh"
    r"|Đoàn|Mai|Cao|Tạ|Lâm|Phùng|Tô|Hà|Lại|Kiều|Quách|Đàm|Lưu|Triệu|Tống|Chu|Vương|Khổng|Mạc|Thân|Văn|Thị)"
    r"|(?<!\w)(?i:ông|bà|chị|đồng\s+chí|đ/c)|(?<!\w)anh)[ \t]+$"
)
# Between a name and the province that pins it down: "X (Tây Ninh)", "X, tỉnh Long An".
_TO_PROVINCE = re.compile(r"[ \t]*(\(|,|-|–)?[ \t]*((?:tỉnh|thành\s+phố|tp\.?)[ \t]*)?", re.IGNORECASE)
_WORD_START = re.compile(r"(?<![\w'’])[^\W\d_]")


def _qualifier(before: str) -> str | None:
    m = _QUALIFIER.search(before)
    return _qualifier_type(m.group(1)) if m else None


def _qualifier_type(word: str) -> str | None:
    w = word.lower()
    for prefix, typ in _QUALIFIER_TYPE.items():
        if w.startswith(prefix):
            return typ
    return None


def _capitals_ok(surface: str, form: str) -> bool:
    """Every word capitalized in the data is capitalized in the text ("hòa bình" is peace)."""
    got, want = _WORD_START.findall(surface), _WORD_START.findall(form)
    if len(got) != len(want):
        return True
    return all(g.isupper() or not w.isupper() for g, w in zip(got, want))


# --- gazetteer ----------------------------------------------------------------------------


def _abbreviated(place: dict, abbreviations: dict[str, str]) -> list[str]:
    """'Khu công nghiệp Tiên Sơn' is also 'KCN Tiên Sơn'."""
    name, kind = place["name"], place["type"]
    abbr = abbreviations.get(kind)
    if abbr and name.lower().startswith(kind + " "):
        return [f"{abbr} {name[len(kind) + 1 :]}"]
    return []


class Gazetteer:
    def __init__(self, provinces: dict, merger: dict) -> None:
        abbreviations = provinces.get("type_abbreviations", {})
        self._index: dict[str, list[_Entry]] = {}
        self._form: dict[str, str] = {}  # key -> spelling in the data, for the capitals check
        self._province_keys: dict[str, str] = {}
        for p in provinces["provinces"]:
            prov = p["name"]
            for n in [prov, *p["aliases"]]:
                self._add(n, _Entry(prov, "province", p["type"], prov))
                self._province_keys[_key(n)] = prov
            for pl in p["places"]:
                kind: Kind = "district" if pl["type"] in _ADMIN_TYPES else "landmark"
                for n in [pl["name"], *pl.get("aliases", []), *_abbreviated(pl, abbreviations)]:
                    self._add(n, _Entry(prov, kind, pl["type"], pl["name"]))
        self.stop = frozenset(_key(n) for n in provinces["stop_places"])
        for n in provinces["not_places"]:  # longer phrases that block a name inside them
            self._index.setdefault(_key(n), [])
            self._form.setdefault(_key(n), n)
        self.successors: dict[str, str] = dict(merger["successors"])
        self.merger_source: str = merger["source"]
        # Names held by two or more provinces ("châu thành"; "quảng ninh" is also a huyện of
        # Quảng Bình): evidence for none of them unless the context picks one.
        self.ambiguous: dict[str, frozenset[str]] = {
            k: frozenset(e.province for e in es) for k, es in self._index.items() if len({e.province for e in es}) > 1
        }
        keys = sorted(self._index, key=len, reverse=True)
        # The keys are lower case: scanned case-sensitively over lower-cased text (much faster than
        # IGNORECASE over Vietnamese), ignoring case only where lower case would move offsets.
        # The look-behind stays first here (unlike cues.alternation): the keys start with most
        # letters, so failing at once inside a word beats looking for a first letter.
        pattern = r"(?<!\w)(?:" + _trie_regex(keys) + r")(?!\w)"
        self._regex = FoldedRegex.compile(pattern)

    def _add(self, name: str, entry: _Entry) -> None:
        k = _key(name)
        entries = self._index.setdefault(k, [])
        if entry not in entries:
            entries.append(entry)
        self._form.setdefault(k, unicodedata.normalize("NFC", name))

    # -- public API --

    def canonical(self, name: str) -> str | None:
        """Canonical pre-2025 province name: "tỉnh Quảng Trị", "TP. Hồ Chí Minh", "Hoà Bình"."""
        k = _key(name)
        if k in self._province_keys:
            return self._province_keys[k]
        k = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s*", "", k)
        return self._province_keys.get(k)

    def province_2025(self, name: str) -> str | None:
        """Successor province after the 1 July 2025 merger (Resolution 202/2025/QH15)."""
        c = self.canonical(name)
        return self.successors.get(c) if c else None

    def mentions(self, text: str) -> list[PlaceMention]:
        folded, offsets = _fold(text)
        found = self._regex.finditer(folded, lower_keeping_offsets(folded))
        raw = [(m.start(), m.end(), _key(folded[m.start() : m.end()])) for m in found]
        out: list[PlaceMention] = []
        for i, (s, e, k) in enumerate(raw):
            entries = self._index[k]
            if not entries:  # a blocking phrase such as "Thái Bình Dương"
                continue
            landmark = all(x.kind == "landmark" for x in entries)
            before = folded[max(0, s - 24) : s]
            # The type comes from the name itself ("TP.HCM", "Quận 1") or the word before it.
            own = _TYPED_KEY.match(k)
            qual = _qualifier_type(own.group().strip()) if own else _qualifier(before)
            typed = qual is not None
            if not typed and not landmark:
                if _SUBUNIT.search(before) or _PERSON.search(before):
                    continue
                if not _capitals_ok(folded[s:e], self._form[k]):
                    continue
            cands = _narrow(entries, qual)
            provinces = {x.province for x in cands}
            after = self._province_after(folded, raw, i, provinces)
            if len(provinces) > 1:
                has_province = any(x.kind == "province" for x in cands)
                if after and (not has_province or after[1]):
                    provinces = {after[0]}
                elif has_province and qual is None:
                    provinces = {x.province for x in cands if x.kind == "province"}
                else:
                    continue  # ambiguous and nothing nearby says which province
            prov = next(iter(provinces))
            pinned = after is not None and after[0] == prov
            if k in self.stop and not (typed or pinned):
                continue
            chosen = [x for x in cands if x.province == prov]
            kind: Kind = next((x.kind for x in chosen if x.kind == "province"), None) or (
                "district" if any(x.kind == "district" for x in chosen) else "landmark"
            )
            start, end = (offsets[s], offsets[e]) if offsets else (s, e)
            out.append(PlaceMention(start, end, text[start:end], prov, kind, typed or pinned))
        return out

    def _province_after(
        self, folded: str, raw: list[tuple[int, int, str]], i: int, wanted: set[str]
    ) -> tuple[str, bool] | None:
        """(province, explicit) when the next name is one of `wanted` provinces, right after.

        `explicit` is True for "(Tây Ninh)" or ", tỉnh Long An": only then may a following
        province overrule a province name ("Quảng Ninh, Quảng Bình" is a list, not huyện Quảng
        Ninh of Quảng Bình).
        """
        if i + 1 >= len(raw):
            return None
        e, (nxt, _, k) = raw[i][1], raw[i + 1]
        m = _TO_PROVINCE.match(folded, e, nxt)
        if not m or m.end() != nxt:
            return None
        prov = self._province_keys.get(k)
        if prov is None or prov not in wanted:
            return None
        return prov, bool(m.group(1) == "(" or m.group(2) or _TYPED_KEY.match(k))


def _narrow(entries: list[_Entry], qual: str | None) -> list[_Entry]:
    """Entries that fit the type word before the name; all of them when none fits (types change)."""
    if qual is None:
        return entries
    if qual == "tỉnh":
        picked = [x for x in entries if x.kind == "province"]
    elif qual == "thành phố":
        picked = [x for x in entries if x.type == "thành phố"]
    else:
        picked = [x for x in entries if x.type == qual] or [x for x in entries if x.kind == "district"]
    return picked or entries
