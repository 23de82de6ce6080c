"""Vietnamese numbers as they are written: 4.989, 62.103, 118,75, 4,7 ngàn, 1,2 triệu, 03, tám.

Dots group thousands and the comma is the decimal mark.  A number written with a
multiplier word ("gần 6 ngàn") is the product.  Fractions "11/95" are two numbers.
The number words and multipliers are data (figure_cues.json).
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.cues import WORD_BOUNDARY_R, FirstOf, alternation, lower_keeping_offsets

# 4.989 | 62.103 | 1.200.000 | 118,75 | 03 | 35.599  — not part of 26/6/2019 or 98/2014 (handled by masks)
_DIGITS = r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\d]|[.,]\d)"
# the same with its first digit first, the look behind after it
_FIRST_DIGIT = r"\d(?<![\d.,]\d)(?:\d{0,2}(?:\.\d{3})+|\d*)(?:,\d+)?(?![\d]|[.,]\d)"


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    text: str
    denominator_of: int | None = None  # for the M of "N/M": start of N
    weak: bool = False  # "một", "năm": also "a", "year"; a count only where the reader says so


@dataclass(frozen=True)
class NumberRules:
    regex: FirstOf  # digits ("4.989", "11/95", "4,7 ngàn"), then number words ("tám", "mười hai")
    multipliers: dict[str, int]
    values: dict[str, int]  # number word -> value
    weak: frozenset[str]

    @classmethod
    def from_data(cls, cues: dict) -> NumberRules:
        mult = cues["multipliers"]
        weak = cues.get("weak_number_words", {})
        values = {**cues["number_words"], **weak}
        mult_alt = "|".join(sorted(mult, key=len, reverse=True))
        # Two parts, not one alternation: a pattern that starts with a digit (or, for the words,
        # with a letter) lets the engine skip to the places that can start a match; one that
        # starts with a choice between them is tried at every character.  FirstOf merges the
        # two as the alternation would have matched them.
        digits = (rf"(?P<num>{_FIRST_DIGIT})(?:\s*/\s*(?P<den>{_DIGITS}))?"
                  rf"(?:\s+(?P<mult>{mult_alt}){WORD_BOUNDARY_R})?")
        words = rf"(?P<word>{alternation(list(values))})"
        return cls(FirstOf.compile([digits, words]), dict(mult), values, frozenset(weak))


def parse_number(token: str) -> float:
    """'4.989' -> 4989, '118,75' -> 118.75, '03' -> 3."""
    token = token.strip()
    integer, _, decimals = token.partition(",")
    integer = integer.replace(".", "")
    return float(f"{int(integer)}.{decimals}") if decimals else float(int(integer))


def find_numbers(text: str, rules: NumberRules, start: int = 0, end: int | None = None) -> list[Number]:
    """Every number in text[start:end] with its span; fractions give both parts."""
    end = len(text) if end is None else end
    piece = text[start:end]
    out: list[Number] = []
    for m in rules.regex.finditer(piece, lower_keeping_offsets(piece)):
        if "word" in m.re.groupindex:  # the number words' part
            w = " ".join(m.group("word").lower().split())
            out.append(Number(start + m.start(), start + m.end(), float(rules.values[w]), piece[m.start() : m.end()],
                              weak=w in rules.weak))
            continue
        factor = rules.multipliers[m.group("mult").lower()] if m.group("mult") else 1
        n_start = start + m.start("num")
        n_end = start + (m.end("mult") if m.group("mult") and not m.group("den") else m.end("num"))
        value = parse_number(m.group("num")) * factor
        out.append(Number(n_start, n_end, value, text[n_start:n_end]))
        if m.group("den"):
            d_start, d_end = start + m.start("den"), start + m.end()
            out.append(Number(d_start, d_end, parse_number(m.group("den")) * factor,
                              text[d_start:d_end], denominator_of=n_start))
    return out

