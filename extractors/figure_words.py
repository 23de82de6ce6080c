"""The words around a candidate number, read by the figure patterns.

What a number counts ("84 TCCS đảng"), the qualifier right before it ("gần 5.000"), what
happened to it when the verb follows the noun ("… đảng viên mới được kết nạp"), whether the
persons are delegates ("228 đảng viên đại diện") and the "trở lên" that makes "từ" an
"at least" are token patterns in data/figure_patterns.jsonl (built from the phrase lists of
data/figure_cues.json by tools/build_figure_patterns.py).

Only a short window is read: a few syllables before the number and the clause after it, and
only when the first word after the number can begin a counted noun.  Its words are the
patterns' own words, longest first ("tổ chức", "cơ sở", "đảng"), every other syllable and
punctuation mark a word of its own.  The patterns can only match their own words, so that is
all they need of a segmentation (tools/build_figure_patterns.py gives every phrase the pattern
of its longest-first cut).  On the 131 dev and held-out documents this reads the same figures,
byte for byte, as underthesea's CRF over the same windows did, at a fifth of the cost; and a
known term cannot run into the next word ("đảng đạt") or into a number ("51.985 TCCSĐ").
underthesea still reads organization names (subjects.py): there a word the patterns do not
list ("Cao đẳng") decides where a name ends.

Every pattern is a sequence of exact lower-case words, and a window's words are cut into the
patterns' own words, so a pattern matches where its word sequence is a run of the window's words:
a dictionary of the sequences, looked up from each word that can start one, finds what spaCy's
PhraseMatcher found over a Doc of the window (tests/test_figure_words.py holds the two equal),
without building a Doc for every number.  Matches come in the order the Matcher gave them (by
end, then start, then the pattern's place in the file).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractors.nlp import token_spans

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
    """The patterns' reading of the words around one number."""

    tokens: list[tuple[int, int, str]]  # (start, end, lower-cased text) in document offsets, in order
    matches: list[Match] = field(default_factory=list)
    starts: list[int] = field(init=False, repr=False)  # the tokens' starts, to bisect

    def __post_init__(self) -> None:
        self.starts = [s for s, _e, _t in self.tokens]

    def token_at(self, offset: int) -> int | None:
        i = bisect.bisect_left(self.starts, offset)
        return i if i < len(self.starts) and self.starts[i] == offset else None

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
        first_token = bisect.bisect_left(self.starts, offset)
        if first_token == len(self.starts):
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
    """The figure patterns and what is derived from them, built once from figure_patterns.jsonl."""

    patterns: tuple[dict, ...]
    # each pattern's word sequence -> (rank, label, id) of the patterns that are that sequence;
    # rank: the first place of its label and id in the file, for a stable order of matches
    phrases: dict[tuple[str, ...], tuple[tuple[int, str, str], ...]]
    phrase_first: frozenset[str]  # first words of every pattern
    longest_phrase: int  # words of the longest pattern
    counted_first: frozenset[str]  # first syllables of every counted noun
    qualifier_last: frozenset[str]  # last syllables of every qualifier
    words: frozenset[str]  # every word the patterns name ("đảng viên", "tccs", "được")
    longest_word: int  # syllables of the longest of them

    @classmethod
    def from_patterns(cls, patterns: list[dict]) -> WordRules:
        rank: dict[tuple[str, str], int] = {}
        phrases: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}
        for i, p in enumerate(patterns):
            if not p["pattern"] or any(set(t) != {"LOWER"} or not isinstance(t["LOWER"], str) for t in p["pattern"]):
                raise ValueError(f"figure pattern {i + 1} is not a sequence of exact words (LOWER): {p}")
            r = rank.setdefault((p["label"], p["id"]), i)
            found = phrases.setdefault(tuple(t["LOWER"] for t in p["pattern"]), [])
            if (r, p["label"], p["id"]) not in found:
                found.append((r, p["label"], p["id"]))
        words = {t["LOWER"] for p in patterns for t in p["pattern"]}
        return cls(
            patterns=tuple(patterns),
            phrases={k: tuple(sorted(v)) for k, v in phrases.items()},
            phrase_first=frozenset(k[0] for k in phrases),
            longest_phrase=max((len(k) for k in phrases), default=1),
            counted_first=frozenset(p["pattern"][0]["LOWER"].split()[0] for p in patterns if p["label"] == "COUNTED"),
            qualifier_last=frozenset(p["pattern"][-1]["LOWER"].split()[-1] for p in patterns if p["label"] == "QUALIFIER"),
            words=frozenset(words),
            longest_word=max((len(w.split()) for w in words), default=1),
        )

    def matches(self, words: list[str]) -> list[tuple[int, int, int, str, str]]:
        """(first, last word index, rank, label, id) of every pattern that is a run of `words`
        (lower case), by end, then start, then rank."""
        found = []
        n = len(words)
        for i, w in enumerate(words):
            if w not in self.phrase_first:
                continue
            for j in range(i + 1, min(n, i + self.longest_phrase) + 1):
                for r, label, ident in self.phrases.get(tuple(words[i:j]), ()):
                    found.append((j - 1, i, r, label, ident))
        found.sort()
        return [(first, last, r, label, ident) for last, first, r, label, ident in found]


_FIRST_SYLLABLE = re.compile(r"[^\s\d.,;:()]+")


def first_syllable(text: str, at: int, end: int) -> str | None:
    m = _FIRST_SYLLABLE.match(text, at, end)
    return m.group(0) if m else None


def can_be_counted(text: str, at: int, end: int, rules: WordRules, also: frozenset[str] = frozenset()) -> bool:
    """Only a number followed by a word that can begin a counted noun (or one of `also`: the
    abbreviations a document defines) is segmented."""
    w = first_syllable(text, at, end)
    return bool(w) and (w.lower() in rules.counted_first or w in also)


# A number with its separators ("5.000", "118,75"), a run of letters, or one other mark.
_SYLLABLE = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]")


def known_words(text: str, lo: int, hi: int, known: frozenset[str], longest: int) -> list[tuple[int, int]]:
    """The words of text[lo:hi]: at each syllable the longest run of syllables, one space apart,
    that is one of the `known` words (of at most `longest` syllables), else the syllable alone.
    tools/build_figure_patterns.py cuts every phrase the same way."""
    syllables = [(m.start(), m.end()) for m in _SYLLABLE.finditer(text, lo, hi)]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(syllables):
        j = min(len(syllables), i + longest)
        while j > i + 1 and text[syllables[i][0] : syllables[j - 1][1]].lower() not in known:
            j -= 1
        out.append((syllables[i][0], syllables[j - 1][1]))
        i = j
    return out


def _words(text: str, lo: int, hi: int, rules: WordRules) -> list[tuple[int, int]]:
    while lo < hi and text[hi - 1] == " ":
        hi -= 1
    if lo >= hi:
        return []
    if " " not in text[lo:hi]:
        return [(lo, hi)]  # one word (the number itself): nothing to segment
    return known_words(text, lo, hi, rules.words, rules.longest_word)


def _last_word(text: str, lo: int, end: int) -> str:
    """The last group of _BEFORE that ends at `end` (its syllable, not before `lo`), or "": the run
    of characters other than white space, digits and .,;:() before the spaces, tabs and line
    breaks that end at `end` (str.isspace and str.isdecimal are what re's \\s and \\d match)."""
    i = end
    while i > lo and text[i - 1] in " \t\n":
        i -= 1
    if i == end:
        return ""
    j = i
    while j > lo and not (text[j - 1].isspace() or text[j - 1].isdecimal() or text[j - 1] in ".,;:()"):
        j -= 1
    return text[j:i]


def read_window(text: str, number_start: int, at: int, lo: int, hi: int, rules: WordRules) -> Window:
    """Read the words of the few syllables before `number_start` (down to `lo`) and of the clause
    after `at` (up to `hi`), and match the figure patterns over them.  The parts before the number,
    the number (with a fraction or a remark in brackets up to `at`) and the clause after it are
    read apart, so that no word joins a number to the noun it counts."""
    lo = max(lo, number_start - 40)  # the qualifiers are short
    # Only when a qualifier can end right before the number is there anything to segment there;
    # the word that ends there is _BEFORE's last, read without searching every place before it.
    last = _last_word(text, lo, number_start)
    before = _BEFORE.search(text, lo, number_start) if last and last.lower() in rules.qualifier_last else None
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
    # the tokens a Doc of these words would hold (nlp.token_spans), but white space
    words = [(s, e) for s, e, _space in token_spans(flat_text, spans) if not flat_text[s:e].isspace()]
    tokens = [(offsets[s], offsets[e], flat_text[s:e].lower()) for s, e in words]
    out = Window(tokens=tokens)
    for first, last, _rank, label, ident in rules.matches([t for _s, _e, t in tokens]):
        out.matches.append(Match(label, ident, tokens[first][0], tokens[last][1], first, last))
    return out


__all__ = ["CLASSIFIERS", "Match", "Window", "WordRules", "can_be_counted", "first_syllable", "known_words", "read_window"]
