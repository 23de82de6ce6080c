"""Ingest of real reports: .txt in every encoding they come in, rendered .pdf and .docx."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from baocao.ingest import PAGE_BREAK, read_document
from baocao.ingest.legacy import cp1252_chars, decode_tcvn3, decode_vni, encode_legacy
from baocao.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "ingest_fixtures"
EXPECTED = (FIXTURES / "sentences.expected.txt").read_text(encoding="utf-8")

R000 = "000_fecd69e2d4926bf8"
R003 = "003_a8b278771690ab33"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def fold(s: str) -> str:
    return " ".join(s.split())


def source_paragraphs(stem: str) -> list[str]:
    """The paragraphs of a corpus .txt as the renderings lay them out, normalized and folded."""
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").replace("**", "")
    if stem == R000:
        paras = text.splitlines()
    else:
        paras = []
        for block in re.split(r"\n\s*\n", text):
            lines = [line for line in block.splitlines() if line.strip()]
            paras.extend(lines if lines and all(x.strip().startswith("-") for x in lines) else [" ".join(lines)])
    return [fold(normalize(p)[0]) for p in paras if p.strip()]


# --- .txt -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [
        ("sentences.utf8.txt", "utf-8"),
        ("sentences.utf8sig.txt", "utf-8-sig"),
        ("sentences.utf16.txt", "utf-16"),
        ("sentences.cp1258.txt", "cp1258"),
        ("sentences.tcvn3.txt", "tcvn3"),
        ("sentences.vni.txt", "vni"),
    ],
)
def test_txt_encodings_are_detected_and_decoded(fixture: str, encoding: str) -> None:
    path = FIXTURES / fixture
    doc = read_document(path)
    assert doc.format == "txt"
    assert doc.encoding == encoding
    assert doc.text == EXPECTED
    assert "84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên" in doc.text
    data = path.read_bytes()
    assert doc.id == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    assert doc.name == fixture
    assert doc.pages == [doc.pages[0]] and (doc.pages[0].start, doc.pages[0].end) == (0, len(doc.text))
    assert doc.furniture == []


def test_cp1258_raw_text_keeps_combining_marks_and_text_is_composed() -> None:
    doc = read_document(FIXTURES / "sentences.cp1258.txt")
    assert "\u0323" in doc.raw_text  # cp1258 writes "ộ" as "ô" + combining dot below
    assert "\r\n" in doc.raw_text
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    s = doc.text.index("4.989 đảng viên")
    e = s + len("4.989 đảng viên")
    assert normalize(doc.raw_text[doc.offsets[s] : doc.offsets[e]])[0] == "4.989 đảng viên"


def _encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            # Windows keyboards: the letter (with its hat/horn/breve) then a combining tone mark.
            d = unicodedata.normalize("NFD", ch)
            tone = next(c for c in d if c in TONES)
            out += unicodedata.normalize("NFC", d.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni"])
def test_whole_corpus_reports_round_trip_every_encoding(path: Path, encoding: str, tmp_path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    if encoding in ("tcvn3", "vni"):
        data = encode_legacy(original, encoding)
    elif encoding == "cp1258":
        data = _encode_cp1258(original)
    else:
        data = original.encode(encoding)
    target = tmp_path / path.name
    target.write_bytes(data)
    doc = read_document(target)
    assert doc.encoding == encoding
    expected = normalize(original)[0]
    if encoding == "tcvn3":
        # The ABC fonts have no toned capitals ("Ủy" was typed as "ủy"): compare case-blind.
        assert doc.text.lower() == expected.lower()
    else:
        assert doc.text == expected


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Vieät Nam", "Việt Nam"),
        ("Ñaûng boä", "Đảng bộ"),
        ("ñöôïc", "được"),
        ("tænh", "tỉnh"),
        ("chính trò", "chính trị"),
        ("naêm", "năm"),
        ("Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"),
        ("ÑAÛNG BOÄ", "ĐẢNG BỘ"),
    ],
)
def test_vni_known_strings(vni: str, unicode: str) -> None:
    assert decode_vni(vni) == unicode


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("ViÖt Nam", "Việt Nam"),
        ("§¶ng bé", "Đảng bộ"),
        ("Hå ChÝ Minh", "Hồ Chí Minh"),
        ("®\xadîc", "được"),
        ("B¸O C¸O", "BÁO CÁO"),  # capitals typed with lowercase toned codes
    ],
)
def test_tcvn3_known_strings(tcvn3: str, unicode: str) -> None:
    assert decode_tcvn3(tcvn3) == unicode


@pytest.mark.parametrize(
    ("typed", "encoding"),
    [
        ("Ñaûng boä tænh ñaõ keát naïp ñöôïc 95 ñaûng vieân môùi.", "vni"),
        ("§¶ng bé tØnh ®· kÕt n¹p ®\xadîc 95 ®¶ng viªn míi.", "tcvn3"),
    ],
)
def test_one_legacy_sentence_is_enough_to_detect(typed: str, encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "mot_cau.txt"
    path.write_bytes(typed.encode("cp1252"))
    doc = read_document(path)
    assert (doc.encoding, doc.text) == (encoding, "Đảng bộ tỉnh đã kết nạp được 95 đảng viên mới.")


def test_legacy_text_already_mangled_into_utf8_is_repaired(tmp_path: Path) -> None:
    # A VNI report pasted into a UTF-8 editor keeps the cp1252 look-alikes: "Vieät Nam".
    mangled = cp1252_chars(encode_legacy(EXPECTED, "vni"))
    path = tmp_path / "mangled.txt"
    path.write_text(mangled, encoding="utf-8")
    doc = read_document(path)
    assert doc.encoding == "utf-8+vni"
    assert doc.text == EXPECTED


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "no_bom.txt"
    path.write_bytes(EXPECTED.encode("utf-16-le"))
    doc = read_document(path)
    assert (doc.encoding, doc.text) == ("utf-16-le", EXPECTED)


def test_old_tone_placement_and_nbsp_in_a_txt_report(tmp_path: Path) -> None:
    path = tmp_path / "cu.txt"
    path.write_text("Uỷ ban nhân dân tỉnh Hoà Bình\u00a0có 4.989\u00a0đảng viên (khoá VIII).", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Ủy ban nhân dân tỉnh Hòa Bình có 4.989 đảng viên (khóa VIII)."
    assert doc.raw_text.startswith("Uỷ ban")


# --- .pdf -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf000():
    return read_document(CORPUS / f"{R000}.pdf")


@pytest.fixture(scope="module")
def pdf003():
    return read_document(CORPUS / f"{R003}.pdf")


def test_pdf_pages_in_order_and_contiguous(pdf000, pdf003) -> None:
    assert pdf000.format == "pdf" and pdf000.encoding is None
    assert len(pdf000.pages) == 6
    assert len(pdf003.pages) == 4
    for doc in (pdf000, pdf003):
        assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
        assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
        assert all(a.end == b.start for a, b in zip(doc.pages, doc.pages[1:]))
        assert doc.text.count(PAGE_BREAK) == len(doc.pages) - 1
        assert all(doc.text[p.end - 1] == PAGE_BREAK for p in doc.pages[:-1])
    second = pdf003.text[pdf003.pages[1].start :]
    assert second.startswith("1.3. Công tác thành lập mới tổ chức đoàn thanh niên")
    assert pdf003.page_at(pdf003.text.index("1.3. Công tác thành lập mới")) == 2


def test_pdf_sentences_come_out_verbatim(pdf000) -> None:
    text = fold(pdf000.text)
    assert "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên." in text
    assert pdf000.page_at(pdf000.text.index("84 TCCS")) == 1


@pytest.mark.parametrize("stem", [R000, R003])
def test_every_paragraph_of_the_report_is_in_the_pdf_with_its_diacritics(stem: str) -> None:
    text = fold(read_document(CORPUS / f"{stem}.pdf").text)
    missing = [p for p in source_paragraphs(stem) if p not in text]
    assert missing == []


def test_pdf_table_rows_read_as_rows_in_place(pdf000, pdf003) -> None:
    lines = pdf000.text.splitlines()
    rows = [
        "Chỉ tiêu | Số lượng",
        "Tổ chức cơ sở đảng | 84",
        "Đảng bộ cơ sở | 46",
        "Chi bộ cơ sở | 38",
        "Đảng viên | 4.989",
        "TCCS đảng doanh nghiệp | 23",
        "Đảng viên trong TCCS đảng doanh nghiệp | 1.546",
    ]
    start = lines.index(rows[0])
    assert lines[start : start + len(rows)] == rows
    before = pdf000.text.index("với 428 đảng viên.")
    caption = pdf000.text.index("Bảng 1. Tổ chức cơ sở đảng và đảng viên")
    table = pdf000.text.index("Chỉ tiêu | Số lượng")
    after = pdf000.text.index("Hiện tại Quảng Trị có trên 4.000 doanh nghiệp")
    assert before < caption < table < after
    # A cell that wraps onto two lines in the PDF is still one row.
    assert "Đảng viên mới trong doanh nghiệp ngoài khu vực nhà nước | 11 | 11,58%" in pdf003.text.splitlines()


def test_pdf_running_header_and_footer_are_furniture(pdf003) -> None:
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf003.furniture
    assert "Trang 2/4" in pdf003.furniture
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in pdf003.text
    assert "Trang 1/4" not in pdf003.text
    # The body's own heading in capitals is kept.
    assert "BÁO CÁO" in pdf003.text


def test_pdf_offsets_point_into_raw_text(pdf000) -> None:
    needle = "84 TCCS đảng (46 Đảng bộ"
    s = pdf000.text.index(needle)
    e = s + len(needle)
    assert pdf000.raw_text[pdf000.offsets[s] : pdf000.offsets[e]] == needle
    assert len(pdf000.offsets) == len(pdf000.text) + 1


def test_pdf_with_tone_marks_drawn_as_separate_glyphs() -> None:
    doc = read_document(FIXTURES / "combining_marks.pdf")
    assert "\u0323" in doc.raw_text  # the PDF really has combining marks
    first_sentence = EXPECTED.splitlines()[0]
    assert fold(doc.text) == first_sentence


def test_pdf_with_owner_password_only_reads() -> None:
    doc = read_document(FIXTURES / "owner_password_only.pdf")
    assert fold(doc.text) == EXPECTED.splitlines()[0]


# --- .docx ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx000():
    return read_document(CORPUS / f"{R000}.docx")


def test_docx_body_and_table_in_order(docx000) -> None:
    assert docx000.format == "docx"
    assert len(docx000.pages) == 1 and docx000.pages[0].end == len(docx000.text)
    text = docx000.text
    assert "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên." in text
    blocks = text.split("\n\n")
    i = next(k for k, b in enumerate(blocks) if b.startswith("Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"))
    assert blocks[i + 1] == "Bảng 1. Tổ chức cơ sở đảng và đảng viên của Đảng bộ Khối"
    assert blocks[i + 2].splitlines() == [
        "Chỉ tiêu | Số lượng",
        "Tổ chức cơ sở đảng | 84",
        "Đảng bộ cơ sở | 46",
        "Chi bộ cơ sở | 38",
        "Đảng viên | 4.989",
        "TCCS đảng doanh nghiệp | 23",
        "Đảng viên trong TCCS đảng doanh nghiệp | 1.546",
    ]
    assert blocks[i + 3].startswith("Hiện tại Quảng Trị có trên 4.000 doanh nghiệp.")


def test_docx_header_and_footer_are_furniture_not_text(docx000) -> None:
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in docx000.furniture
    assert any(line.startswith("Trang") for line in docx000.furniture)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in docx000.text
    assert "Trang" not in docx000.text


@pytest.mark.parametrize("stem", [R000, R003])
def test_every_paragraph_of_the_report_is_in_the_docx(stem: str) -> None:
    doc = read_document(CORPUS / f"{stem}.docx")
    text = fold(doc.text)
    assert [p for p in source_paragraphs(stem) if p not in text] == []
    assert "**" not in doc.text  # bold runs, not markdown


def test_docx_table_of_003_sits_between_its_paragraphs() -> None:
    text = read_document(CORPUS / f"{R003}.docx").text
    before = text.index("Từ sau thành lập, 2 Chi bộ sớm ổn định tổ chức")
    row = text.index("Đảng viên mới được kết nạp | 95 | 118,75% kế hoạch")
    after = text.index("1.3. Công tác thành lập mới tổ chức đoàn thanh niên")
    assert before < row < after
    assert "Chi bộ cơ sở thành lập mới | 02 |" in text.splitlines()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_text_in_content_controls_and_tracked_changes(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Đoạn đầu.")
    body = d.element.body
    sect = body[-1]  # keep w:sectPr last
    sect.addprevious(
        parse_xml(f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>Trong ô nội dung.</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    )
    sect.addprevious(
        parse_xml(
            f'<w:p {W}><w:r><w:t xml:space="preserve">Kết nạp </w:t></w:r>'
            "<w:del><w:r><w:delText>90</w:delText></w:r></w:del>"
            "<w:ins><w:r><w:t>95</w:t></w:r></w:ins>"
            '<w:r><w:t xml:space="preserve"> đảng viên</w:t><w:br/><w:t>mới.</w:t></w:r></w:p>'
        )
    )
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "tracked.docx"
    path.write_bytes(buf.getvalue())
    doc = read_document(path)
    assert doc.text == "Đoạn đầu.\n\nTrong ô nội dung.\n\nKết nạp 95 đảng viên\nmới."
