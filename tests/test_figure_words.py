"""The figure patterns over the patterns' own words: a dictionary of their word sequences, held to
spaCy's PhraseMatcher (extractors/figure_words.py, extractors/data/figure_patterns.jsonl)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dev_docs import RULES, copy_data, extract

from extractors import extract as extract_with
from extractors.figure_words import WordRules, known_words, read_window
from extractors.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


def figs(text):
    return [(f.object, f.event, f.value, f.qualifier, f.quote) for f in extract(text).figures]


def test_the_patterns_file_is_built_from_the_cue_words():
    # figure_patterns.jsonl is generated from figure_cues.json: a cue word added there and not
    # compiled would silently be ignored.
    r = subprocess.run([sys.executable, "tools/build_figure_patterns.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


def test_patterns_are_token_patterns_over_words():
    lines = [json.loads(x) for x in (ROOT / "extractors/data/figure_patterns.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = {x["label"] for x in lines}
    assert labels == {"COUNTED", "QUALIFIER", "EVENT", "EVENT_NEAR", "EXCLUDE", "AT_LEAST_END"}
    # "tổ chức cơ sở đảng" is three underthesea words, not five syllables
    assert {"label": "COUNTED", "id": "party_org",
            "pattern": [{"LOWER": "tổ chức"}, {"LOWER": "cơ sở"}, {"LOWER": "đảng"}]} in lines


def test_the_window_reads_words_with_document_offsets():
    text = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với gần 5.000 đảng viên."
    n = text.index("38")
    w = read_window(text, n, n + 3, 0, len(text), RULES.words)
    counted = w.counted(n + 3)
    assert (counted.id, text[counted.start : counted.end]) == ("party_cell", "Chi bộ cơ sở")
    n = text.index("5.000")
    w = read_window(text, n, n + 6, 0, len(text), RULES.words)
    q = w.qualifier(n)
    assert (q.id, text[q.start : q.end]) == ("approx", "gần")
    assert text[w.counted(n + 6).start : w.counted(n + 6).end] == "đảng viên"


def test_a_number_is_never_joined_to_the_noun_it_counts():
    # underthesea alone reads "51.985 TCCSĐ" as one word; a window's words never join a number
    assert figs("Tính đến ngày 30/6 có 51.985 TCCSĐ tổ chức đại hội thành công (chiếm 99,8%).") == [
        ("party_org", "other", 51985, "exact", "51.985 TCCSĐ")]


def test_a_word_that_runs_past_a_known_term_is_cut_at_the_term():
    # underthesea reads "tổ chức | cơ sở | đảng đạt | trong sạch"; the patterns' words stop at "đảng"
    assert figs("Năm 2017, có 48/66 tổ chức cơ sở đảng đạt trong sạch vững mạnh.")[0] == (
        "party_org", "other", 48, "exact", "48/66 tổ chức cơ sở đảng")


def test_a_window_is_cut_into_the_patterns_words_longest_first():
    text = "kết nạp 45 đảng viên mới, thành lập 3 tổ chức cơ sở đảng"
    words = [text[s:e] for s, e in known_words(text, 0, len(text), RULES.words.words, RULES.words.longest_word)]
    assert words == ["kết nạp", "45", "đảng viên", "mới", ",", "thành lập", "3", "tổ chức", "cơ sở", "đảng"]


def test_each_phrase_matches_as_the_window_cuts_it():
    # "đảng ủy cơ sở" cut longest first is "đảng ủy | cơ sở", a cut underthesea never gives the
    # phrase alone: the pattern built for that cut is what reads it
    assert figs("Ủy ban Kiểm tra đã kiểm tra 2 đảng ủy cơ sở trong 6 tháng đầu năm 2022.")[0][4] == "2 đảng ủy cơ sở"
    assert figs("Năm 2023, toàn Đảng bộ có 12 đảng uỷ cơ sở.")[0][:3] == ("party_committee", "total", 12)


def test_a_pattern_the_phrase_matcher_cannot_read_is_refused():
    with pytest.raises(ValueError, match="not a sequence of exact words"):
        WordRules.from_patterns([{"label": "COUNTED", "id": "party_member", "pattern": [{"LOWER": "đảng viên", "OP": "+"}]}])


def test_a_hard_line_wrap_inside_a_word():
    text = "Trong năm 2023, Ban Thường vụ Huyện ủy đã mở lớp bồi dưỡng nhận thức về Đảng cho 110 quần\nchúng ưu tú."
    assert figs(text) == [("trainee", "trained", 110, "exact", "110 quần\nchúng ưu tú")]


def test_the_event_after_the_noun_and_the_delegates():
    assert figs("Năm qua có 15 đoàn viên ưu tú, thợ mỏ Hà Tu được vinh dự kết nạp vào Đảng.") == [
        ("party_member", "admitted", 15, "exact", "15 đoàn viên ưu tú")]
    assert figs("Đại hội có 228 đảng viên đại diện cho hơn 5.000 đảng viên toàn Đảng bộ.") == [
        ("party_member", "total", 5000, "more_than", "hơn 5.000 đảng viên")]


@pytest.fixture
def extra_pattern(tmp_path):
    """The rules with a domain expert's line added to a copy of the patterns file."""
    data = copy_data(tmp_path)
    with open(data / "figure_patterns.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"label": "COUNTED", "id": "youth_union_org",
                            "pattern": [{"LOWER": "liên"}, {"LOWER": "chi đoàn"}]}, ensure_ascii=False) + "\n")
    return load_rules(data)


def test_a_new_pattern_counts_a_new_noun_without_code(extra_pattern):
    text = "Đảng bộ thành lập mới 3 liên chi đoàn và 2 chi đoàn."
    assert figs(text) == [("youth_union_org", "established", 2, "exact", "2 chi đoàn")]  # the shipped rules
    assert [(f.object, f.event, f.value, f.qualifier, f.quote) for f in extract_with(text, extra_pattern).figures] == [
        ("youth_union_org", "established", 3, "exact", "3 liên chi đoàn"),
        ("youth_union_org", "established", 2, "exact", "2 chi đoàn"),
    ]


def test_an_entity_pattern_reading_an_attribute_the_lean_vocabulary_lacks_is_refused(tmp_path):
    # The name pipeline's words carry their text and lower case only (extractors.nlp.lean_vocab).
    from extractors.nlp import build_pipeline

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"label": "ORG", "pattern": [{"LOWER": "chi bộ"}, {"TEXT": {"REGEX": "^[A-Z]"}, "OP": "*"}]}) + "\n",
                    encoding="utf-8")
    doc = build_pipeline(good)("Chi bộ Khối Cơ quan đã họp")
    assert [e.text for e in doc.ents] == ["Chi bộ Khối Cơ quan"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"label": "ORG", "pattern": [{"LOWER": "chi bộ"}, {"IS_TITLE": True, "OP": "+"}]}) + "\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="IS_TITLE"):
        build_pipeline(bad)


@pytest.mark.parametrize("text", [
    "Toàn Đảng bộ có gần 5.000", "kết nạp được hơn\n120", "trên  \t 45", "(khoảng 30", "đạt 118,75",
    "gần\u00a0500", "năm 2020 có 12", "Đảng bộ 3 có 15", "là:5", "", "   7",
])
def test_the_word_before_a_number_is_the_last_syllable_the_qualifier_shape_reads(text):
    from extractors.figure_words import _BEFORE, _last_word

    end = len(text.rstrip("0123456789.,"))
    m = _BEFORE.search(text, max(0, end - 40), end)
    assert _last_word(text, max(0, end - 40), end) == (m.group(0).split()[-1] if m else "")


def test_the_name_component_marks_the_names_spacy_s_entity_ruler_marks():
    # OrgNames (Matcher + filter_spans) against an EntityRuler with the shipped patterns, on the
    # window from every head word of the sample corpus to the end of its line
    import re
    import unicodedata
    from pathlib import Path

    import spacy
    from dev_docs import RULES

    from extractors.nlp import lean_vocab, org_name_end

    patterns = RULES.data_dir / "entity_patterns.jsonl"
    ruler_nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "baocao.underthesea_tokenizer"}}},
                            vocab=lean_vocab())
    ruler_nlp.add_pipe("entity_ruler", config={"validate": True}).from_disk(str(patterns))
    windows = set()
    for p in sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt")):
        for line in unicodedata.normalize("NFC", p.read_text(encoding="utf-8")).splitlines():
            windows |= {line[m.start() : m.start() + 80] for m in re.finditer(r"(?i)đảng bộ|chi bộ|đảng ủy|huyện ủy|tỉnh ủy", line)}
    assert len(windows) > 100
    for w in windows:
        expected = next((e.end_char for e in ruler_nlp(w).ents if e.start_char == 0 and e.label_ == "ORG"), None)
        assert org_name_end(RULES.pipeline, w) == expected, w
    assert [e.text for e in RULES.pipeline("Chi bộ Khối Cơ quan đã họp").ents] == ["Chi bộ Khối Cơ quan"]


def test_the_pattern_dictionary_finds_what_spacy_s_phrase_matcher_finds():
    # WordRules.matches against a PhraseMatcher over a Doc of the same words, on every line of the
    # sample corpus cut as a window is cut (the patterns' words, longest first)
    import unicodedata

    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from extractors.nlp import lean_vocab

    rules = RULES.words
    vocab = lean_vocab()
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for p in rules.patterns:
        phrase = [t["LOWER"] for t in p["pattern"]]
        matcher.add(f"{p['label']}|{p['id']}", [Doc(vocab, words=phrase)])
    rank = {}
    for i, p in enumerate(rules.patterns):
        rank.setdefault(f"{p['label']}|{p['id']}", i)
    n_matches = 0
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for line in unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).splitlines():
            words = [line[s:e] for s, e in known_words(line, 0, len(line), rules.words, rules.longest_word)]
            if not words:
                continue
            doc = Doc(vocab, words=words)
            expected = [(s, e - 1, rank[vocab.strings[k]], *vocab.strings[k].split("|", 1))
                        for k, s, e in sorted(matcher(doc), key=lambda m: (m[2], m[1], rank[vocab.strings[m[0]]]))]
            assert rules.matches([w.lower() for w in words]) == expected, line
            n_matches += len(expected)
    assert n_matches > 500
