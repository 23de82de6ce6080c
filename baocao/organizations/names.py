"""A subject as written -> its parts: which body, what form, the locality type, the rest of the name.

    parse_name("Huyện ủy Đại Lộc", rules)
    == Name(body="party", form="party_committee", type="huyện", words=("Đại", "Lộc"))

Pure functions of the text and the rules; what the parts mean (which province, which level)
is decided by `resolve.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rules import Rules, words_of


@dataclass(frozen=True)
class Name:
    body: str  # party | youth_union | trade_union
    form: str | None  # party | party_committee | party_cell | youth_union | trade_union; None: a bare name
    type: str | None = None  # locality type word (tỉnh, thành phố, huyện, xã …) when the name gives one
    words: tuple[str, ...] = ()  # the rest of the name, case kept
    central: bool = False  # the Party as a whole (Đảng Cộng sản Việt Nam, Trung ương)
    below: bool = False  # đảng bộ bộ phận
    under: Name | None = None  # "Chi bộ Cơ động trực thuộc Đảng bộ Khối": the body it belongs to

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(w.lower() for w in self.words if w != "-")


def expand_abbreviations(text: str, rules: Rules) -> str:
    for pattern, full in rules.abbreviations:
        text = pattern.sub(full, text)
    return " ".join(text.split())


def _starts(words: list[str], phrase: tuple[str, ...]) -> bool:
    return tuple(w.lower() for w in words[: len(phrase)]) == phrase


def _strip_committee_prefixes(words: list[str], rules: Rules) -> list[str]:
    """'Ban Thường vụ Tỉnh ủy' -> 'Tỉnh ủy': a committee's bodies stand for its organization."""
    changed = True
    while changed:
        changed = False
        for prefix in rules.committee_prefixes:
            rest = words[len(prefix) :]
            if _starts(words, prefix) and rest and any(_starts(rest, h.words) for h in rules.heads):
                words, changed = rest, True
                break
    return words


def _split_under(words: list[str], rules: Rules) -> tuple[list[str], list[str] | None]:
    """'Cơ động trực thuộc Đảng bộ Khối' -> (['Cơ', 'động'], ['Đảng', 'bộ', 'Khối'])."""
    for i in range(1, len(words)):
        for under in rules.under_words:
            if _starts(words[i:], under):
                rest = words[i + len(under) :]
                if rest and any(_starts(rest, h.words) for h in rules.heads):
                    return words[:i], rest
    return words, None


def parse_name(subject: str, rules: Rules) -> Name:
    words = words_of(expand_abbreviations(subject, rules))
    words = _strip_committee_prefixes(words, rules)
    head = next((h for h in rules.heads if _starts(words, h.words)), None)
    rest = words[len(head.words) :] if head else words
    rest, under_words = _split_under(rest, rules)
    under = parse_name(" ".join(under_words), rules) if under_words else None
    body = head.body if head else "party"
    if head and head.central:
        return Name(body, "party", central=True)
    typ = head.type if head else None
    if typ is None:  # "Đảng bộ huyện Đại Lộc"
        typ = next((t for t in _types_longest_first(rules) if _starts(rest, tuple(t.split()))), None)
    if typ is not None:  # "Huyện ủy huyện Đại Lộc", "thành phố thành phố HCM": said twice
        tw = tuple(typ.split())
        while _starts(rest, tw):
            rest = rest[len(tw) :]
    return Name(body, head.form if head else None, typ, tuple(rest), below=bool(head and head.below), under=under)


def _types_longest_first(rules: Rules) -> list[str]:
    return sorted(rules.localities, key=lambda t: len(t.split()), reverse=True)
