"""Decoders for the legacy Vietnamese font encodings TCVN3 (ABC) and VNI-Windows.

Before Unicode, Vietnamese documents were typed in fonts that drew Vietnamese letters at the
code points of Windows-1252 characters.  A file saved from such a document holds cp1252 bytes
whose *meaning* depends on the font: "§¶ng bé" (TCVN3) and "Ñaûng boä" (VNI) both mean
"Đảng bộ".  So decoding is two steps: bytes -> cp1252 characters -> font table.

The tables live in data/legacy_encodings.json.  The decoders take a str of cp1252 characters,
so they also repair text that was already (wrongly) converted to Unicode as cp1252, e.g. a
UTF-8 file full of "Vieät Nam".
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}  # cp1252 holes: read them as Latin-1


def cp1252_chars(data: bytes) -> str:
    """Bytes as Windows-1252 characters, never failing (holes read as their Latin-1 C1 controls)."""
    if not any(b in _CP1252_UNDEFINED for b in data):
        return data.decode("cp1252")
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252") for b in data)


@cache
def _tables() -> dict:
    raw = resources.files("baocao.ingest").joinpath("data/legacy_encodings.json").read_text(encoding="utf-8")
    return json.loads(raw)


@cache
def _tcvn3_translation() -> dict[int, str]:
    # The table is keyed by byte; the decoder sees the cp1252 character of that byte.
    return {ord(cp1252_chars(bytes([int(k, 16)]))): v for k, v in _tables()["tcvn3"]["bytes"].items()}


@cache
def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    vni = _tables()["vni"]
    return vni["pairs"], vni["singles"]


# A word whose ASCII letters are all capitals, e.g. "BáO" from "B¸O": the ABC fonts have no
# toned capitals, so typists mixed capital ASCII with lowercase toned letters in headings.
_LETTERS = re.compile(r"[^\W\d_]+")


def _recapitalize(match: re.Match[str]) -> str:
    word = match.group()
    ascii_letters = [c for c in word if c.isascii()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
        return word.upper()
    return word


def decode_tcvn3(chars: str) -> str:
    """TCVN3 (ABC) text, given as cp1252 characters, to Unicode."""
    text = chars.translate(_tcvn3_translation())
    return _LETTERS.sub(_recapitalize, text)


def decode_vni(chars: str) -> str:
    """VNI-Windows text, given as cp1252 characters, to Unicode.

    VNI writes a letter and then its marks as separate bytes ("a" + "ø" = "à"), so this is a
    left-to-right scan that prefers a two-character match over a single one.
    """
    pairs, singles = _vni_tables()
    out: list[str] = []
    i, n = 0, len(chars)
    while i < n:
        two = chars[i : i + 2]
        if len(two) == 2 and two in pairs:
            out.append(pairs[two])
            i += 2
            continue
        ch = chars[i]
        out.append(singles.get(ch, ch))
        i += 1
    return "".join(out)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode -> TCVN3 or VNI bytes (the inverse tables).  Used to build test fixtures.

    Characters the encoding cannot hold (e.g. toned capitals in TCVN3) are written as their
    lowercase form, as an ABC typist would have; other non-cp1252 characters raise.
    """
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        inverse = {v: k for k, v in _tcvn3_translation().items()}
        out = []
        for ch in text:
            code = inverse.get(ch)
            if code is None and ch.lower() != ch and ch.lower() in inverse and not ch.isascii():
                code = inverse[ch.lower()]
            out.append(chr(code) if code is not None else ch)
        return "".join(out).encode("cp1252")
    if encoding == "vni":
        pairs, singles = _vni_tables()
        inverse = {v: k for k, v in singles.items() if k != v}
        for k, v in pairs.items():
            # Lowercase letters use lowercase marks, capitals capital marks (what VNI typists get).
            if k[1].islower() == v.islower():
                inverse.setdefault(v, k)
        return "".join(inverse.get(ch, ch) for ch in text).encode("cp1252")
    raise ValueError(f"unknown legacy encoding {encoding!r}")
