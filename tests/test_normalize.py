"""Normalization: NFC, unified tone placement, look-alikes, spaces — and an exact offset map."""

from __future__ import annotations

import random
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest

from baocao.normalize import move_tone, normalize, normalized_index

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CORPUS_TEXTS = sorted(CORPUS.glob("*.txt"))


def norm(s: str) -> str:
    return normalize(s)[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("khoá", "khóa"),
        ("thuỷ", "thủy"),
        ("uý", "úy"),
        ("oè", "òe"),
        ("Hoà Bình", "Hòa Bình"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Ban Chấp hành Trung ương (khoá VIII)", "Ban Chấp hành Trung ương (khóa VIII)"),
        ("Nguỵ", "Ngụy"),
        ("Thuý", "Thúy"),
        ("xoè", "xòe"),
        # all five tones on each nucleus
        ("hoà hoá hoả hoã hoạ", "hòa hóa hỏa hõa họa"),
        ("toè toé toẻ toẽ toẹ", "tòe tóe tỏe tõe tọe"),
        ("tuỳ tuý tuỷ tuỹ tuỵ", "tùy túy tủy tũy tụy"),
        ("HOÀ HOÁ HOẢ HOÃ HOẠ", "HÒA HÓA HỎA HÕA HỌA"),
    ],
)
def test_old_tone_placement_becomes_the_unified_one(old: str, new: str) -> None:
    assert norm(old) == new


@pytest.mark.parametrize(
    "word",
    [
        "hoàn",
        "toán",
        "khuyến",
        "ngoài",
        "hoạch",
        "quý",
        "quỳ",
        "Quý",
        "thuở",
        "khuya",
        "hòa",
        "thủy",
        "ủy",
        "hoa",
        "thuy",
        "quà",
        "của",
        "người",
        "khuỷu",
        "hoằng",
        "tuyển",
    ],
)
def test_tone_stays_where_both_conventions_agree(word: str) -> None:
    assert norm(word) == word
    assert move_tone(word) == word


def test_nfd_input_comes_out_composed() -> None:
    text = "Đảng bộ Khối có 84 TCCS đảng với 4.989 đảng viên; Ủy ban nhân dân tỉnh Quảng Trị"
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert norm(decomposed) == text


def test_tone_mark_typed_before_the_hat_still_composes() -> None:
    # e + acute + circumflex: NFC alone leaves "é" + U+0302; Vietnamese wants "ế".
    assert norm("ke\u0301\u0302t qua\u0309") == "kết quả"


def test_lookalike_eth_reads_as_d_with_stroke() -> None:
    assert norm("Ðảng ủy Khối, ðảng viên") == "Đảng ủy Khối, đảng viên"


@pytest.mark.parametrize("space", ["\u00a0", "\u2002", "\u2009", "\u202f", "\u3000"])
def test_unicode_spaces_become_plain_spaces(space: str) -> None:
    assert norm(f"4.989{space}đảng viên") == "4.989 đảng viên"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2060"])
def test_invisible_characters_are_dropped(invisible: str) -> None:
    assert norm(f"đảng{invisible} viên mới") == "đảng viên mới"


def test_line_endings_unified_and_newlines_kept() -> None:
    assert (
        norm("Dòng một\r\nDòng hai\rDòng ba\n\nĐoạn mới\u2029cuối") == "Dòng một\nDòng hai\nDòng ba\n\nĐoạn mới\ncuối"
    )


def test_normalize_is_idempotent_on_corpus() -> None:
    for path in CORPUS_TEXTS:
        once = norm(path.read_text(encoding="utf-8"))
        assert norm(once) == once


# --- offset map -------------------------------------------------------------------------


def _roughen(text: str, seed: int) -> str:
    """Corpus text as it may arrive: NFD words, old tone placement, NBSPs, CRLF, invisibles."""
    rng = random.Random(seed)
    old_style = {"hòa": "hoà", "khóa": "khoá", "thủy": "thuỷ", "ủy": "uỷ", "Đ": "Ð"}
    words = re.split(r"( +|\n)", text)
    out = []
    for w in words:
        if w == "\n":
            out.append("\r\n" if rng.random() < 0.5 else "\n")
            continue
        if w.startswith(" "):
            out.append(rng.choice([w, "\u00a0", " \u200b", "\u2009"]))
            continue
        for a, b in old_style.items():
            w = w.replace(a, b)
        r = rng.random()
        if r < 0.3:
            w = unicodedata.normalize("NFD", w)
        elif r < 0.35:
            w = w[: len(w) // 2] + "\u00ad" + w[len(w) // 2 :]
        out.append(w)
    return "".join(out)


@pytest.mark.parametrize("path", CORPUS_TEXTS, ids=lambda p: p.name[:3])
def test_offset_map_is_exact_over_corpus(path: Path) -> None:
    raw = _roughen(path.read_text(encoding="utf-8"), seed=len(path.name))
    text, offsets = normalize(raw)
    assert len(offsets) == len(text) + 1
    assert offsets[0] >= 0 and offsets[-1] == len(raw)
    assert all(a <= b for a, b in pairwise(offsets))
    # Every word, and every run of words, maps back to exactly the raw text it came from.
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    assert spans
    for s, e in spans:
        assert normalize(raw[offsets[s] : offsets[e]])[0] == text[s:e]
    rng = random.Random(7)
    for _ in range(300):
        (s, _), (_, e) = sorted(rng.sample(spans, 2))
        assert normalize(raw[offsets[s] : offsets[e]])[0] == text[s:e]
    # Plain ASCII characters map onto themselves.
    for i, ch in enumerate(text):
        if ch.isascii() and ch != "\n" and raw[offsets[i]].isascii():
            assert raw[offsets[i]] == ch


def test_offsets_of_a_composed_cluster_cover_all_its_raw_characters() -> None:
    raw = "Đa\u0309ng bo\u0323\u0302"  # "Đảng bộ" with decomposed vowels
    text, offsets = normalize(raw)
    assert text == "Đảng bộ"
    s = text.index("bộ")
    assert raw[offsets[s] : offsets[s + 2]] == "bo\u0323\u0302"
    assert normalized_index(offsets, raw.index("bo")) == s


def test_newline_from_crlf_maps_to_both_raw_characters() -> None:
    raw = "một\r\nhai"
    text, offsets = normalize(raw)
    i = text.index("\n")
    assert raw[offsets[i] : offsets[i + 1]] == "\r\n"
