"""The words around a candidate number, read by spaCy's Matcher over underthesea words.

What a number counts ("84 TCCS đảng"), the qualifier right before it ("gần 5.000"), what
happened to it when the verb follows the noun ("… đảng viên mới được kết nạp"), whether the
persons are delegates ("228 đảng viên đại diện") and the "trở lên" that makes "từ" an
"at least" are Matcher patterns in data/figure_patterns.jsonl (built from the phrase lists of
data/figure_cues.json by tools/build_figure_patterns.py).

Only a short window is segmented: a few syllables before the number and the clause after it,
and only when the first word after the number can begin a counted noun.  That is where a
figure can be, and it keeps underthesea's cost (about 7 µs a character) to a small share of
the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.lex_attrs import LEX_ATTRS
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from extractors.nlp import Memo, doc_from_spans, word_spans

SYLLABLES_BEFORE = 4  # the longest qualifier, "bình quân mỗi năm"
SYLLABLES_AFTER = 14  # the counted noun and the clause that may say what happened to it
_BEFORE = re.compile(rf"(?:[^\s\d.,;:()]+[ \t\n]+){{1,{SYLLABLES_BEFORE}}}$")
_AFTER = re.compile(rf"(?:\S+(?:\s+|$)){{1,{SYLLABLES_AFTER}}}")
_CLAUSE_END = re.compile(r"[;.()]|\d")  # the window after the number stops at the next clause or number
_ODD_SPACE = re.compile(r"[^\S ]|  ")  # white space other than single spaces


# Counted words that say how many, not what: their object comes from the context.
CLASSIFIERS = frozenset({"comrade", "organizations"})


@dataclass(frozen=True)
class Match:
    label: str  # COUNTED, QUALIFIER, EVENT, EVENT_NEAR, EXCLUDE, AT_LEAST_END
    id: str  # the object, qualifier or event it stands for
    start: int  # character offsets in the document text
    end: int
    first: int  # token indices in the window
    last: int


@dataclass
class Window:
    """The Matcher's reading of the words around one number."""

    tokens: list[tuple[int, int, str]]  # (start, end, lower-cased text) in document offsets
    matches: list[Match] = field(default_factory=list)

    def token_at(self, offset: int) -> int | None:
        for i, (s, _e, _t) in enumerate(self.tokens):
            if s == offset:
                return i
        return None

    def counted(self, at: int) -> Match | None:
        """The longest counted noun that starts at `at`."""
        found = self.counted_all(at)
        return found[0] if found else None

    def counted_all(self, at: int) -> list[Match]:
        """Every counted noun that starts at `at`, the longest first (at one length, a noun of the
        taxonomy before a classifier such as "đồng chí")."""
        i = self.token_at(at)
        found = [m for m in self.matches if m.label == "COUNTED" and m.first == i] if i is not None else []
        return sorted(found, key=lambda m: (m.end, m.id not in CLASSIFIERS), reverse=True)

    def qualifier(self, number_start: int) -> Match | None:
        """The longest qualifier that ends right before the number."""
        i = self.token_at(number_start)
        found = [m for m in self.matches if m.label == "QUALIFIER" and m.last == i - 1] if i else []
        return min(found, key=lambda m: m.start, default=None)

    def after(self, label: str, offset: int, max_words: int | None = None, across_commas: bool = True,
              stop_at: frozenset[str] = frozenset()) -> Match | None:
        """The first match of `label` that starts at or after `offset` (and within `max_words` words,
        with no comma between when `across_commas` is false, and none of the words `stop_at`);
        the longest at that place."""
        first_token = next((i for i, (s, _e, _t) in enumerate(self.tokens) if s >= offset), None)
        if first_token is None:
            return None
        stop = len(self.tokens)
        ends = stop_at | ({","} if not across_commas else frozenset())
        if ends:
            stop = next((i for i in range(first_token, len(self.tokens)) if self.tokens[i][2] in ends), stop)
        if max_words is not None:
            stop = min(stop, first_token + max_words)
        found = [m for m in self.matches if m.label == label and first_token <= m.first < stop]
        return min(found, key=lambda m: (m.start, -m.end), default=None)


@dataclass(frozen=True)
class WordRules:
    """The figure Matcher and what is derived from its patterns, built once from
    figure_patterns.jsonl."""

    patterns: tuple[dict, ...]
    vocab: Vocab
    matcher: Matcher
    counted_first: frozenset[str]  # first syllables of every counted noun
    qualifier_last: frozenset[str]  # last syllables of every qualifier
    words: frozenset[str]  # every word the patterns name ("đảng viên", "tccs", "được")
    segment: Memo  # underthesea's words of a window's part, memoized

    @classmethod
    def from_patterns(cls, patterns: list[dict]) -> WordRules:
        vocab = Vocab(lex_attr_getters=LEX_ATTRS)  # LEX_ATTRS computes LOWER, which the patterns read
        matcher = Matcher(vocab, validate=True)
        for p in patterns:
            matcher.add(f"{p['label']}|{p['id']}", [p["pattern"]])
        return cls(
            patterns=tuple(patterns),
            vocab=vocab,
            matcher=matcher,
            counted_first=frozenset(p["pattern"][0]["LOWER"].split()[0] for p in patterns if p["label"] == "COUNTED"),
            qualifier_last=frozenset(p["pattern"][-1]["LOWER"].split()[-1] for p in patterns if p["label"] == "QUALIFIER"),
            words=frozenset(t["LOWER"] for p in patterns for t in p["pattern"] if isinstance(t.get("LOWER"), str)),
            segment=Memo(word_spans),
        )


_FIRST_SYLLABLE = re.compile(r"[^\s\d.,;:()]+")


def first_syllable(text: str, at: int, end: int) -> str | None:
    m = _FIRST_SYLLABLE.match(text, at, end)
    return m.group(0) if m else None


def can_be_counted(text: str, at: int, end: int, rules: WordRules, also: frozenset[str] = frozenset()) -> bool:
    """Only a number followed by a word that can begin a counted noun (or one of `also`: the
    abbreviations a document defines) is segmented."""
    w = first_syllable(text, at, end)
    return bool(w) and (w.lower() in rules.counted_first or w in also)


def _repair(text: str, s: int, e: int, known: frozenset[str]) -> list[tuple[int, int]]:
    """Cut a word where underthesea let it run past a known term.  A number never joins a word
    ("51.985 TCCSĐ"); a word that is no term of the patterns but begins with one is cut after it
    ("tổ chức cơ sở đảng đạt trong sạch": "đảng đạt" → "đảng" "đạt"), one that ends with one is cut
    before it ("được Tổng Bí thư Tô Lâm tặng Huy hiệu": "Tô Lâm tặng" → "Tô Lâm" "tặng")."""
    syllables = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", text[s:e])]
    if len(syllables) < 2 or text[s:e].lower() in known:
        return [(s, e)]
    if text[syllables[0][0]].isdigit():
        return [syllables[0], *_repair(text, syllables[1][0], e, known)]
    for k in range(len(syllables) - 1, 0, -1):
        if text[s : syllables[k - 1][1]].lower() in known:
            return [(s, syllables[k - 1][1]), *_repair(text, syllables[k][0], e, known)]
    for k in range(1, len(syllables)):
        if text[syllables[k][0] : e].lower() in known:
            return [*_repair(text, s, syllables[k - 1][1], known), (syllables[k][0], e)]
    return [(s, e)]


def _words(text: str, lo: int, hi: int, rules: WordRules) -> list[tuple[int, int]]:
    while lo < hi and text[hi - 1] == " ":
        hi -= 1
    if lo >= hi:
        return []
    if " " not in text[lo:hi]:
        return [(lo, hi)]  # one word (the number itself): nothing to segment
    known = rules.words
    return [piece for s, e in rules.segment(text[lo:hi]) for piece in _repair(text, lo + s, lo + e, known)]


def read_window(text: str, number_start: int, at: int, lo: int, hi: int, rules: WordRules) -> Window:
    """Segment the few syllables before `number_start` (down to `lo`) and the clause after `at`
    (up to `hi`), and run the figure Matcher over the words.  The parts before the number, the
    number (with a fraction or a remark in brackets up to `at`) and the clause after it are
    segmented apart, so that underthesea cannot join a number to the noun it counts."""
    before = _BEFORE.search(text, max(lo, number_start - 40), number_start)
    if before and before.group(0).split()[-1].lower() not in rules.qualifier_last:
        before = None  # no qualifier can end right before the number: nothing to segment there
    start = before.start() if before else number_start
    stop = _CLAUSE_END.search(text, at, hi)
    after = _AFTER.match(text, at, stop.start() if stop else hi)
    end = after.end() if after else at
    # White space (a hard line wrap, a double space) becomes one space so that a word reads the
    # same wherever the line broke; `offsets` maps back to the document.
    window = text[start:end]
    if _ODD_SPACE.search(window):
        flat, offsets = [], []
        for m in re.finditer(r"\S+|\s+", window):
            piece = " " if m.group(0).isspace() else m.group(0)
            flat.append(piece)
            offsets.extend(range(start + m.start(), start + m.start() + len(piece)))
        flat_text = "".join(flat)
        offsets.append(end)
        local = {o: i for i, o in enumerate(offsets)}
        cut = [local.get(number_start, 0), local.get(at, len(flat_text))]
    else:
        flat_text, offsets = window, range(start, end + 1)
        cut = [number_start - start, at - start]
    cut[1] = max(cut)
    spans = _words(flat_text, 0, cut[0], rules) + _words(flat_text, cut[0], cut[1], rules) + _words(flat_text, cut[1], len(flat_text), rules)
    doc = doc_from_spans(rules.vocab, flat_text, spans)
    words = [t for t in doc if not t.is_space]
    tokens = [(offsets[t.idx], offsets[t.idx + len(t.text)], t.lower_) for t in words]
    index = {t.i: k for k, t in enumerate(words)}
    out = Window(tokens=tokens)
    for key, s, e in rules.matcher(doc):
        label, ident = doc.vocab.strings[key].split("|", 1)
        first, last = index.get(s), index.get(e - 1)
        if first is None or last is None:
            continue
        out.matches.append(Match(label, ident, tokens[first][0], tokens[last][1], first, last))
    return out


__all__ = ["CLASSIFIERS", "Match", "Window", "WordRules", "can_be_counted", "first_syllable", "read_window"]
