"""Decode the bytes of a .txt report: find the encoding, refuse binary junk.

Order of evidence: a byte-order mark settles it; NUL bytes mean UTF-16 without a BOM or
binary; valid UTF-8 is UTF-8 (unless it is legacy-font text already mis-converted to
Unicode); anything else is one of the 8-bit encodings Vietnamese offices used — Windows-1258,
TCVN3 (ABC) or VNI — and the one under which the text reads most like Vietnamese wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from baocao.normalize import normalize

from .errors import BINARY_NOT_TEXT, EMPTY_FILE, UNDECODABLE_TEXT, IngestError
from .legacy import cp1252_chars, decode_tcvn3, decode_vni

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control characters that plain text legitimately contains: tab, LF, VT, FF, CR, and ^Z (the
# DOS end-of-file mark old editors append).
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1a")
_MAX_CONTROL_RATIO = 0.02
_SAMPLE = 50_000  # characters scored per candidate; enough to tell encodings apart
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Score:
    hits: int  # tokens with diacritics that are common Vietnamese syllables
    tokens: int  # tokens with non-ASCII letters

    @property
    def ratio(self) -> float:
        return self.hits / self.tokens if self.tokens else 0.0


@cache
def _syllables() -> frozenset[str]:
    raw = resources.files("baocao.ingest").joinpath("data/vi_syllables.json").read_text(encoding="utf-8")
    return frozenset(json.loads(raw)["syllables"])


def vietnamese_score(text: str) -> Score:
    """How much `text` reads like Vietnamese: common syllables among the words with diacritics.

    Words of plain ASCII are skipped: every candidate decoding reads them alike.
    """
    known = _syllables()
    hits = tokens = 0
    for word in _WORD.findall(normalize(text[:_SAMPLE])[0].lower()):
        if word.isascii():
            continue
        tokens += 1
        hits += word in known
    return Score(hits, tokens)


def _control_ratio(data: bytes) -> float:
    controls = sum(1 for b in data if (b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F)
    return controls / len(data)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise IngestError(
            UNDECODABLE_TEXT,
            f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding} ({e.reason})",
        ) from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognize BOM-less UTF-16: NULs in every other byte of mostly-ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for half, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if half.count(0) / len(half) > 0.3:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _control_ratio(text.encode("utf-8")) <= _MAX_CONTROL_RATIO:
                return text, encoding
    return None


def _legacy_candidates(chars: str) -> list[tuple[str, str]]:
    return [("tcvn3", decode_tcvn3(chars)), ("vni", decode_vni(chars))]


def _best_8bit(data: bytes) -> tuple[str, str, Score]:
    """Decode non-UTF-8 bytes as cp1258, TCVN3 or VNI, whichever reads most like Vietnamese."""
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append(("cp1258", data.decode("cp1258")))
    except UnicodeDecodeError:
        pass  # cp1258 has a few unassigned bytes; then it is not cp1258
    candidates += _legacy_candidates(cp1252_chars(data))
    scored = [(enc, text, vietnamese_score(text)) for enc, text in candidates]
    # max() keeps the first of equals, so ties go to cp1258, a real code page, then TCVN3.
    return max(scored, key=lambda c: (c[2].hits - (c[2].tokens - c[2].hits), c[2].ratio))


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) for the bytes of a text file named `name`.

    Raises IngestError: empty_file, binary_not_text, undecodable_text.
    """
    if not data.strip():
        raise IngestError(EMPTY_FILE, f"{name}: the file is empty (or only whitespace)")
    text, encoding = _decode(data, name)
    if not text.strip(" \t\n\r\x0b\x0c\x1a\ufeff\u00a0"):
        raise IngestError(EMPTY_FILE, f"{name}: the file is empty (or only whitespace)")
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name), encoding
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise IngestError(BINARY_NOT_TEXT, f"{name}: contains binary data (NUL bytes), not text; check the file type")
    if _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise IngestError(
            BINARY_NOT_TEXT, f"{name}: contains binary data (control bytes), not text; check the file type"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _maybe_legacy_in_unicode(text)
    encoding, text, score = _best_8bit(data)
    if score.hits and score.ratio >= 0.25:
        return text, encoding
    # Not Vietnamese in any 8-bit encoding.  Accept plain Western cp1252 with a few accents;
    # a file full of high bytes (another script, or junk) we cannot read.
    latin = cp1252_chars(data)
    high = sum(1 for c in latin if c >= "\x80")
    c1 = sum(1 for c in latin if "\x80" <= c <= "\x9f")
    if high / len(latin) <= 0.1 and not c1:
        return latin, "cp1252"
    raise IngestError(
        UNDECODABLE_TEXT,
        f"{name}: is not UTF-8 and does not read as Vietnamese in Windows-1258, TCVN3 or VNI; re-save it as UTF-8",
    )


def _maybe_legacy_in_unicode(text: str) -> tuple[str, str]:
    """UTF-8 text that is really TCVN3/VNI shown as cp1252 ("Vieät Nam") gets the font table."""
    plain = vietnamese_score(text)
    if plain.ratio >= 0.2 or not any("\xa0" <= c <= "\xff" for c in text[:_SAMPLE]):
        return text, "utf-8"
    for encoding, decoded in _legacy_candidates(text):
        score = vietnamese_score(decoded)
        if score.hits >= 2 and score.ratio >= 0.5:
            return decoded, f"utf-8+{encoding}"
    return text, "utf-8"
