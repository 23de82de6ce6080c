"""extractors.word_segmentation: underthesea's word segmentation model, decoded by us, gives
underthesea's words."""

import unicodedata
from pathlib import Path

import pytest
import underthesea
from dev_docs import DEV, needs_dev
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

from extractors.word_segmentation import WordSegmenter, _underthesea_model, read_crfsuite, underthesea_syllables

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _lines(*dirs: Path) -> list[str]:
    out = []
    for d in dirs:
        for p in sorted(d.glob("*.txt")):
            out += [line for line in unicodedata.normalize("NFC", p.read_text(encoding="utf-8")).splitlines() if line.strip()]
    return out


def test_the_words_of_every_corpus_line_are_underthesea_s():
    words = WordSegmenter.underthesea()
    lines = _lines(CORPUS)
    assert len(lines) > 200
    for line in lines:
        assert words(line) == underthesea.word_tokenize(line), line


@needs_dev
def test_the_words_of_every_dev_line_are_underthesea_s():
    words = WordSegmenter.underthesea()
    for line in _lines(DEV):
        assert words(line) == underthesea.word_tokenize(line), line


def test_the_syllables_are_underthesea_s_regex_tokenizer_s():
    # the whole match where underthesea searches the named groups for the one that matched
    syllables = underthesea_syllables()
    assert syllables is not tokenize  # underthesea's pattern has the shape that allows it
    lines = _lines(CORPUS) + ["Số 03-NQ/TU ngày 12/3/2024, 98/2014/NĐ-CP; 4.989 và 118,75% (v.v...) :) ==> x@y.vn 0912-345-678",
                              "http://baocao.vn/a?b=1 TP.HCM 2x3 T.Ư °C ♥‿♥ 3B12 ... -- >> ÷ ^ _ ʺ", "", "   "]
    for line in lines:
        assert syllables(line) == tokenize(line), line


def test_runs_of_plain_letters_are_tokens_as_underthesea_s_pattern_makes_them():
    # runs of letters skip the pattern (the pinned underthesea's); "Th.S" in it takes any
    # character, a space too, and "baì" is respelled: the same tokens on odd and random lines
    import random

    syllables = underthesea_syllables()
    assert syllables.__name__ == "tokenize_runs"  # this underthesea's pattern is the one read
    for line in ("Th Sơn", "Th sơn Thas ThuS Thu s", "ThS. Nguyễn Văn A, Th.S Lê", "baì nghành Ðảng", "Chi bộ x",
                 "e-mail Đảng'viên H’Mông ʺaʺ", "Đảng bộ\nKhối", "http://a.vn bộ", "Tp. Huế, Mr. A"):
        assert syllables(line) == tokenize(line), line
    atoms = ["Th", "S", "s", "Ths", "a", "Đảng", "bộ", "baì", "ð", "e\u0301", "\u0301", "ʺ", " ", "\n", ".", "-", "@", ":",
             ")", "'", "1", "23", "x", "v.v", "http", "://", ".vn", "/", "%", "TP", "NĐ", "CP", "&", "♥", "°", "C", "D", "=",
             "<", "3", "_", "Ư", "T", "ß", "ǅ", "１"]
    rng = random.Random(11)
    for _ in range(20_000):
        line = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 14)))
        assert syllables(line) == tokenize(line), line


def test_the_syllables_of_a_pattern_of_another_shape_are_underthesea_s_own(monkeypatch):
    import re

    from underthesea.pipeline.word_tokenize import regex_tokenize

    monkeypatch.setattr(regex_tokenize, "patterns", re.compile(r"(?P<word>\w+)(?P<mark>[^\w\s])?"))
    assert underthesea_syllables() is regex_tokenize.tokenize


def test_the_tags_are_the_crf_tagger_s_on_names_and_odd_syllables():
    # underthesea's own tagger (Rust) over the same syllables, tag for tag
    underthesea.word_tokenize("Đảng bộ")
    import underthesea.pipeline.word_tokenize as wt

    rust = wt.word_tokenize_model
    segmenter = WordSegmenter(*_underthesea_model(), underthesea.word_tokenize, tokenize)
    for line in ("Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị kết nạp 45 đảng viên",
                 "Trường Cao đẳng Hải Dương (28 đảng viên)", "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH", "Đảng uỷ Khối",
                 "Năm 2023 có +12 -7 2147483648 -2147483648 ² Ⅻ chi bộ", "x", "BOS EOS Bos", "Công ty CP Xây dựng 1/5"):
        syllables = tokenize(line)
        assert [("B-W", "I-W")[t] for t in segmenter.tags(syllables)] == rust.predict([[s] for s in syllables]), line


def test_the_feature_functions_are_underthesea_core_s():
    # isdigit: a signed integer of 32 bits; istitle: every part's first character is upper case
    # (digits and signs are); the featurizer itself says so for each syllable
    from underthesea_core import CRFFeaturizer

    from extractors.word_segmentation import _isdigit, _istitle

    _model, templates, dictionary = _underthesea_model()
    featurizer = CRFFeaturizer(templates, set(dictionary))
    syllables = ["12", "+12", "-0", "2147483647", "2147483648", "-2147483648", "²", "١٢", "Ⅻ", "ǅa", "İ", "ß", "1a", "a", "Đ", "%"]
    rows = featurizer.process([[[s] for s in syllables]])[0]
    for s, row in zip(syllables, rows, strict=True):
        features = dict(f.split("=", 1) for f in row)
        assert features["T[0].isdigit"] == _isdigit(s), s
        assert features["T[0].istitle"] == _istitle(s), s
        assert features["T[0].lower"] == s.lower(), s


def test_a_line_with_a_character_only_newer_unicode_cases_goes_to_underthesea():
    # "ꟍ" (U+A7CD) is lower case in Unicode 16, unassigned in this Python's: underthesea decides
    calls = []
    segmenter = WordSegmenter(*_underthesea_model(), lambda line: calls.append(line) or underthesea.word_tokenize(line), tokenize)
    assert segmenter.words("Chi bộ \ua7cdx Quảng Trị") == underthesea.word_tokenize("Chi bộ \ua7cdx Quảng Trị")
    assert calls == ["Chi bộ \ua7cdx Quảng Trị"]
    assert segmenter.words("Chi bộ Quảng Trị") == ["Chi bộ", "Quảng Trị"] and len(calls) == 1


def test_the_model_file_is_read_as_crfsuite_writes_it():
    model, templates, _dictionary = _underthesea_model()
    assert model.labels == ("B-W", "I-W")
    assert len(templates) == 43 and set(model.weights) <= set(templates)
    assert sum(len(v) for v in model.weights.values()) == 50_671  # the attributes the model knows
    # a syllable at the start of a line begins a word: "T[-1]=BOS" weighs for B-W, against I-W
    b, i = model.weights["T[-1]"]["BOS"]
    assert b > 0 > i


def test_a_file_that_is_not_a_crf_model_is_refused(tmp_path):
    bad = tmp_path / "models.bin"
    bad.write_bytes(b"PK\x03\x04" + bytes(60))
    with pytest.raises(ValueError, match="not a CRFsuite model"):
        read_crfsuite(bad)
