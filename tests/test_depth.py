"""Subject and period of dev-document figures against gold written from their quotes."""

import json
import unicodedata
from pathlib import Path

import pytest
from dev_docs import RULES, extract

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev" / "docs"
GOLD = json.loads((ROOT / "tests" / "gold" / "depth_dev.json").read_text(encoding="utf-8"))["items"]


def _iso(d):
    return d.isoformat() if d else None


def _figures_by_doc():
    out = {}
    for doc in sorted({g["doc"] for g in GOLD}):
        text = unicodedata.normalize("NFC", (DEV / doc).read_text(encoding="utf-8"))
        out[doc] = extract(text).figures
    return out


def _scores():
    figs = _figures_by_doc()
    rows = []
    for g in GOLD:
        cands = [f for f in figs[g["doc"]] if f.value == g["value"] and f.object == g["object"] and f.event == g["event"]]
        assert cands, f"no figure {g['value']} {g['object']}/{g['event']} in {g['doc']}"
        subj_ok = any(f.subject == g["subject"] for f in cands)
        per_ok = any([_iso(f.period_start), _iso(f.period_end)] == g["period"] for f in cands)
        seg_ok = any(f.segment == g["segment"] for f in cands)
        par_ok = any(_parent_of(figs[g["doc"]], f) == g["parent"] for f in cands)
        rows.append((g, subj_ok, per_ok, cands[0], seg_ok, par_ok))
    return rows


def _parent_of(figures, f):
    if f.parent is None:
        return None
    p = figures[f.parent]
    return {"value": p.value, "object": p.object}


@pytest.fixture(scope="module")
def scores():
    if not DEV.exists():
        pytest.skip("../shared/eval/dev is not beside the repository")
    return _scores()


def test_subject_accuracy_at_least_90_percent(scores):
    wrong = [(g["doc"], g["value"], g["subject"], f.subject) for g, ok, _, f, *_ in scores if not ok]
    assert 1 - len(wrong) / len(scores) >= 0.90, wrong


def test_period_accuracy_at_least_90_percent(scores):
    wrong = [(g["doc"], g["value"], g["period"], [_iso(f.period_start), _iso(f.period_end)]) for g, _, ok, f, *_ in scores if not ok]
    assert 1 - len(wrong) / len(scores) >= 0.90, wrong


def test_segment_accuracy_at_least_90_percent(scores):
    # Known misses: a scope stated after a coordinated pair ("thành lập được 6 tổ chức Đoàn và phát
    # triển được 97 đoàn viên ở các doanh nghiệp ngoài nhà nước" reaches the 97 only), and Công ty
    # Astro, an FDI company named as such two clauses before its figures (p071).
    wrong = [(g["doc"], g["value"], g["segment"], f.segment) for g, _, _, f, ok, _ in scores if not ok]
    assert 1 - len(wrong) / len(scores) >= 0.90, wrong


def test_parent_accuracy_at_least_90_percent(scores):
    wrong = [(g["doc"], g["value"], g["parent"], f.parent) for g, _, _, f, _, ok in scores if not ok]
    assert 1 - len(wrong) / len(scores) >= 0.90, wrong


def test_period_forms():
    text = "Trong 9 tháng năm 2020, Đảng bộ huyện Vũ Thư kết nạp 120 đảng viên; quý I-2022 kết nạp 30 đảng viên."
    a, b = extract(text).figures
    assert (_iso(a.period_start), _iso(a.period_end)) == ("2020-01-01", "2020-09-30")
    assert (_iso(b.period_start), _iso(b.period_end)) == ("2022-01-01", "2022-03-31")
    c = extract("Nhiệm kỳ 2015 - 2020, Đảng bộ đã kết nạp 1.071 đảng viên mới.").figures[0]
    assert (_iso(c.period_start), _iso(c.period_end)) == ("2015-01-01", "2020-12-31")


@pytest.mark.parametrize(("text", "period"), [
    # year_range, each of its parts (periods.json): "từ năm", "năm", the bare years
    ("Từ năm 2016 đến năm 2020, Đảng bộ kết nạp 412 đảng viên.", ("2016-01-01", "2020-12-31")),
    ("Năm 2016 - 2020, Đảng bộ kết nạp 412 đảng viên.", ("2016-01-01", "2020-12-31")),
    ("Giai đoạn 2016–2020, Đảng bộ kết nạp 412 đảng viên.", ("2016-01-01", "2020-12-31")),
    # n_years, both parts: the document's date (15/3/2024) minus the years
    ("Hà Nội, ngày 15 tháng 3 năm 2024\nTrong 5 năm qua, Đảng bộ kết nạp 412 đảng viên.", ("2019-03-01", "2024-03-15")),
    ("Hà Nội, ngày 15 tháng 3 năm 2024\n5 năm qua, Đảng bộ kết nạp 412 đảng viên.", ("2019-03-01", "2024-03-15")),
])
def test_period_parts(text, period):
    f = next(f for f in extract(text).figures if f.value == 412)
    assert (_iso(f.period_start), _iso(f.period_end)) == period


def test_segments():
    text = ("Trong 84 TCCS đảng có 23 TCCS đảng doanh nghiệp với 1.546 đảng viên, trong đó: 12 TCCS đảng doanh nghiệp "
            "có vốn Nhà nước chiếm trên 50%; 11 TCCS đảng doanh nghiệp ngoài nhà nước (gồm 03 doanh nghiệp có vốn Nhà nước "
            "dưới 50% và 08 doanh nghiệp không có vốn nhà nước) với 428 đảng viên.")
    seg = {(f.value, f.object): f.segment for f in extract(text).figures}
    assert seg[(12, "party_org")] == "state_capital_enterprise>50"
    assert seg[(11, "party_org")] == "non_state_enterprise"
    assert seg[(3, "enterprise")] == "state_capital_enterprise<50"
    assert seg[(8, "enterprise")] == "non_state_enterprise"
    assert extract("147 doanh nghiệp có vốn đầu tư nước ngoài với 69.423 lao động").figures[0].segment == "fdi_enterprise"


def test_breakdown_parents_link_parts_to_their_whole():
    ex = extract("Đến nay, chi bộ công ty đã phát triển được tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị.")
    assert [(f.value, f.parent) for f in ex.figures] == [(24, None), (18, 0), (7, 0)]


def test_only_a_window_that_can_name_a_person_is_read_by_ner(monkeypatch):
    from extractors import nlp
    from extractors import people as people_module

    windows = []
    tags = nlp.entity_tags
    monkeypatch.setattr(nlp, "entity_tags", lambda line, segment=None: windows.append(line) or tags(line, segment))
    text = ("Thực hiện Kết luận số 80-KL/TW ngày 29/7/2010 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số 07-CT/TW.\n"
            "Đồng chí Nguyễn Văn Thanh, Phó Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh phát biểu chỉ đạo.\n")
    people = people_module.find_people(text, RULES.people)
    assert [(p.name, p.kind) for p in people] == [("Nguyễn Văn Thanh", "official")]
    # the Secretariat ("Ban Bí thư") is an institution beside its title words: no name there
    assert len(windows) == 1 and "Nguyễn Văn Thanh" in windows[0]


def test_entity_tags_are_underthesea_s_in_linear_time():
    # the same features as underthesea's word2features, without the chunking pass the entity
    # model does not read: the same tags as underthesea.ner, word for word
    import underthesea

    from extractors.nlp import entity_tags as ner_tags

    for line in ("Ông Nguyễn Trường Giang, Phó Bí thư Thường trực Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh cho biết",
                 "Chi bộ Công ty TNHH Te An Việt Nam có 4 đảng viên do ông Chương A Dưỡng, Giám đốc sản xuất làm Bí thư Chi bộ",
                 "* NGUYỄN KHÁNH VŨ, TUV, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị",
                 "", "Nguyễn", "(Đ/c Lê Thị Hoa - Bí thư Chi bộ)"):
        assert ner_tags(line) == [(w, tag) for w, _pos, _chunk, tag in underthesea.ner(line)]


def test_the_entity_features_are_underthesea_s_word2features():
    # tagged_features reads each (column, width, function) once for all offsets: the same
    # strings as underthesea's own featurizer, sentence for sentence, short ones too
    import underthesea
    from underthesea.pipeline.ner.tagged_feature import word2features

    from extractors.nlp import _pos_and_ner_models, tagged_features

    _pos, pos_templates, _ner, ner_templates, _chunks = _pos_and_ner_models()
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    lines = [line for p in sorted(corpus.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()][:60]
    sentences = [[(w, "X") for w in underthesea.word_tokenize(line)] for line in lines]
    sentences += [[("Đảng", "X")], [("Đảng", "X"), ("bộ", "X")], [("Chi bộ", "X"), ("3", "X"), ("Đảng", "X")]]
    for sentence in sentences:
        assert tagged_features(sentence, pos_templates) == [word2features(sentence, i, pos_templates) for i in range(len(sentence))]
        rows = [(w, "N", "X", "X") for w, _ in sentence]
        assert tagged_features(rows, ner_templates) == [word2features(rows, i, ner_templates) for i in range(len(rows))]


def test_people_with_their_roles():
    from extractors.people import find_people

    text = ("Ông Nguyễn Trường Giang, Phó Bí thư Thường trực Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh cho biết, việc thành lập "
            "tổ chức Đảng trong DN là cơ sở.\n\nTin, ảnh: HỒNG XUYẾN - AN NHIÊN\n")
    people = {(p.name, p.role, p.kind) for p in find_people(text, RULES.people)}
    assert ("Nguyễn Trường Giang", "Phó Bí thư Thường trực Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh", "official") in people
    assert ("HỒNG XUYẾN - AN NHIÊN", None, "author") in people
    assert not any(p.name == "QUYẾT ĐỊNH" for p in find_people("Thái Nguyên, ngày 5 tháng 10 năm 2021\n\nQUYẾT ĐỊNH\n", RULES.people))


def test_a_figure_about_a_named_place_belongs_to_its_province():
    from baocao.resolve import resolve
    from schemas.records import Page, SourceDocument

    text = ("Toàn Đảng ta có tổng cộng 52.105 tổ chức cơ sở Đảng. Đảng bộ huyện Đăk Glei kết nạp gần 640 đảng viên mới; "
            "Huyện ủy Lục Ngạn đã kết nạp 113 quần chúng ưu tú vào Đảng.")
    doc = SourceDocument(id="x", path="x.txt", name="x.txt", format="txt", size_bytes=len(text), text=text, raw_text=text,
                         pages=[Page(number=1, start=0, end=len(text))])
    ex = resolve(doc, extract(text), RULES, people=False)
    prov = {f.value: (f.province, f.province_2025) for f in ex.figures}
    assert prov[640] == ("Kon Tum", "Quảng Ngãi")
    assert prov[113] == ("Bắc Giang", "Bắc Ninh")
    assert ex.info.province is None and prov[52105] == (None, None)


def test_a_bare_place_name_of_another_province_is_a_local_name():
    # p066 (Bắc Giang): "Tân Sơn" is a commune of Lục Ngạn here, not huyện Tân Sơn of Phú Thọ
    text = ("Trong 6 tháng đầu năm 2018 Huyện ủy Lục Ngạn tỉnh Bắc Giang đã kết nạp 113 quần chúng ưu tú vào Đảng. "
            "Một số đảng bộ có số đảng viên mới được kết nạp cao so với chỉ tiêu là Thanh Hải 11/15, Tân Sơn 6/7.")
    ex = extract(text)
    assert ex.info.province == "Bắc Giang"
    assert {f.value: f.province for f in ex.figures}[6] == "Bắc Giang"
    # typed, the same name is the district and moves the figure (see the Đăk Glei case above)
    assert {f.value: f.province for f in extract("Đảng bộ huyện Tân Sơn kết nạp 90 đảng viên.").figures}[90] == "Phú Thọ"
