"""Text normalization for Vietnamese reports, with an exact map back to the raw text.

`normalize(raw)` returns `(text, offsets)` where `offsets[i]` is the index in `raw` of the
first raw character that produced normalized character `i`, and `offsets[len(text)] ==
len(raw)`.  The map is monotonic, so for any normalized slice `text[s:e]` that starts and ends
on a syllable boundary, `raw[offsets[s]:offsets[e]]` is exactly the raw text it came from —
this is what later stages use to quote evidence from the file as it was.

What is normalized, and why:
- Unicode NFC, per grapheme cluster (base + combining marks), so decomposed input (macOS,
  Windows-1258, some PDFs) compares equal to composed text.  Vietnamese shape marks
  (circumflex, breve, horn) are put before tone marks first, because some legacy keyboards
  emit the tone first and NFC then cannot compose "ế".
- Tone placement in open syllables with the nucleus oa/oe/uy is unified on the first vowel
  (hoà→hòa, khoẻ→khỏe, thuỷ→thủy, uý→úy).  The two spellings are both in use in official
  reports; one spelling makes names ("Hòa Bình") and keywords ("ủy viên") match.  Syllables
  with a final consonant or glide (hoàn, toán, khuyến, ngoài) and "qu" syllables (quý) keep
  their tone where it is: both conventions agree on them.
- "Ð"/"ð" (Icelandic eth, U+00D0/U+00F0) are read as "Đ"/"đ": they look identical and turn
  up from bad font mappings and hand typing.
- Non-breaking and other Unicode spaces become " "; U+2028/U+2029 become "\n".
- Zero-width characters, BOMs, bidi marks and soft hyphens are dropped (invisible, but they
  break word matching).
- "\r\n" and lone "\r" become "\n".  Newlines are kept: later stages split paragraphs on them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

# Invisible format characters that only get in the way of matching.
_DROP = frozenset(
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator (used as a zero-width space)
    "\u200b\u200c\u200d"  # zero-width space / non-joiner / joiner
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"  # bidi marks and embeddings
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\ufeff"  # BOM / zero-width no-break space
)
_LOOKALIKE = {"\u00d0": "\u0110", "\u00f0": "\u0111"}  # Ð→Đ, ð→đ
_LINE_SEPARATORS = frozenset("\u2028\u2029\x85")

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn

# Onsets that may precede an oa/oe/uy nucleus.  "qu" is deliberately absent: in "quý" the
# "u" belongs to the onset and the tone sits on "y" in every convention.
_OLD_STYLE = re.compile(r"(?:b|c|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|r|s|t|th|tr|v|x)?(?:oa|oe|uy)")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# The last letter of an old-style syllable ("hoà", "thuỷ"): a, e or y with a tone mark, after o/u.
_TONED_FINALS = frozenset(unicodedata.normalize("NFC", base + tone) for base in "aeyAEY" for tone in TONE_MARKS)


def _is_plain(ch: str) -> bool:
    """A character the character pass keeps as it is, whatever follows it (unless a mark)."""
    if ch in _DROP or ch in _LINE_SEPARATORS or ch in _LOOKALIKE or ch == "\r":
        return False
    if unicodedata.category(ch) in ("Zs", "Mn", "Mc", "Me"):
        return False
    return unicodedata.normalize("NFC", ch) == ch and not unicodedata.combining(ch)


# Runs of such characters are copied in one step: printable ASCII and the Latin letters,
# punctuation and symbols reports are written in, which are all NFC already (checked below).
_PLAIN_RANGES = ((0xA1, 0x24F), (0x1E00, 0x1EFF), (0x2010, 0x205E), (0x20A0, 0x20C0))
_PLAIN = "".join(map(chr, range(0x20, 0x7F))) + "\n\t" + "".join(
    chr(c) for lo, hi in _PLAIN_RANGES for c in range(lo, hi + 1) if _is_plain(chr(c))
)
_PLAIN_RUN = re.compile("[" + re.escape(_PLAIN) + "]+")


def _compose_cluster(cluster: str) -> str:
    """NFC of one base+marks cluster, with Vietnamese shape marks ordered before tone marks."""
    if len(cluster) > 2:
        marks = cluster[1:]
        if any(m in TONE_MARKS for m in marks) and any(m in _SHAPE_MARKS for m in marks):
            shapes = [m for m in marks if m not in TONE_MARKS]
            tones = [m for m in marks if m in TONE_MARKS]
            cluster = cluster[0] + "".join(shapes) + "".join(tones)
    return unicodedata.normalize("NFC", cluster)


def _extends_cluster(cluster: str, ch: str) -> bool:
    """True if `ch` belongs to the grapheme cluster being built (a mark, or composes with it)."""
    if ord(ch) < 0x300:
        return False
    if unicodedata.combining(ch):
        return True
    # Characters of combining class 0 that still compose (e.g. Hangul vowel jamo).
    return len(unicodedata.normalize("NFC", cluster + ch)) <= len(unicodedata.normalize("NFC", cluster))


def _fold_chars(raw: str) -> tuple[list[str], list[int]]:
    """Character-level pass: newlines, spaces, invisibles, look-alikes and NFC per cluster."""
    out: list[str] = []
    offs: list[int] = []
    i, n = 0, len(raw)
    plain_run = _PLAIN_RUN.match
    while i < n:
        # Fast path: a run of plain characters is kept as is, but for its last one when a
        # character follows that might be a combining mark (that one is a cluster, below).
        run = plain_run(raw, i)
        if run is not None:
            j = run.end()
            if j < n and raw[j] >= "\u0300" and raw[j] not in _PLAIN:
                j -= 1
            if j > i:
                out.extend(raw[i:j])
                offs.extend(range(i, j))
                i = j
                continue
        ch = raw[i]
        # Plain ASCII not followed by a combining mark is kept as is.
        if ch < "\x80" and ch != "\r" and (i + 1 == n or raw[i + 1] < "\u0300"):
            out.append(ch)
            offs.append(i)
            i += 1
            continue
        if ch == "\r":
            out.append("\n")
            offs.append(i)
            i += 2 if raw.startswith("\n", i + 1) else 1
            continue
        if ch in _DROP:
            i += 1
            continue
        if ch in _LINE_SEPARATORS:
            out.append("\n")
            offs.append(i)
            i += 1
            continue
        if unicodedata.category(ch) == "Zs":
            out.append(" ")
            offs.append(i)
            i += 1
            continue
        j = i + 1
        while j < n and _extends_cluster(raw[i:j], raw[j]):
            j += 1
        composed = _compose_cluster(raw[i:j])
        for k, c in enumerate(composed):
            out.append(_LOOKALIKE.get(c, c))
            # Positional when the cluster did not shrink, else everything maps to its start.
            offs.append(i + k if len(composed) == j - i else i)
        i = j
    offs.append(n)
    return out, offs


def _split_tone(ch: str) -> tuple[str, str | None]:
    """("ờ") -> ("ơ", U+0300): the letter without its tone mark, and the tone mark."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((m for m in decomposed if m in TONE_MARKS), None)
    if tone is None:
        return ch, None
    return unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONE_MARKS)), tone


def move_tone(syllable: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on its first vowel: "hoà" -> "hòa".

    Any other syllable is returned unchanged.  Same length in, same length out, so the
    offset map stays positional.
    """
    if not 2 <= len(syllable) <= 5:
        return syllable
    parts = [_split_tone(c) for c in syllable]
    bases = "".join(b for b, _ in parts)
    if not _OLD_STYLE.fullmatch(bases.lower()):
        return syllable
    tones = [t for _, t in parts]
    if tones[-1] is None or any(tones[:-1]):
        return syllable
    first = unicodedata.normalize("NFC", bases[-2] + tones[-1])
    return syllable[:-2] + first + bases[-1]


def _unify_tone_placement(chars: list[str]) -> None:
    text = "".join(chars)
    for m in _LETTER_RUN.finditer(text):
        word = m.group()
        # Only an open oa/oe/uy syllable with its tone on the last letter changes (move_tone).
        if len(word) > 5 or word[-1] not in _TONED_FINALS or len(word) < 2 or word[-2] not in "oOuU":
            continue
        fixed = move_tone(word)
        if fixed != word:
            chars[m.start() : m.end()] = list(fixed)


def normalize(raw: str) -> tuple[str, list[int]]:
    """Normalize extracted text; return (text, offsets) with len(offsets) == len(text) + 1."""
    chars, offsets = _fold_chars(raw)
    _unify_tone_placement(chars)
    return "".join(chars), offsets


def normalized_index(offsets: list[int], raw_index: int) -> int:
    """The normalized position of raw position `raw_index` (first char at or after it)."""
    return bisect_left(offsets, raw_index)
