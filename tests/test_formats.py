"""Reports as archives hold them: the Party document header, statistical tables, scans and old
Word files.  corpus/bc45_duk_lam_dong.* is one report of the Đảng ủy Khối Doanh nghiệp tỉnh Lâm
Đồng in eight formats (tools/make_report_corpus.py): every one of them must give the text
version's header and figures.  Tesseract and LibreOffice run for real (scripts/ci_formats.sh)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from dev_docs import RULES, extract
from docx.oxml.ns import qn

from baocao.ingest import IngestError, read_document
from baocao.ingest.legacy import encode_legacy
from baocao.resolve import resolve
from extractors.header import read_header
from schemas.records import Extraction, SourceDocument

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "bc45_duk_lam_dong"
TEXT_FORMATS = ["txt", "docx", "pdf", "doc", "rtf", "odt"]


def _read(ext: str) -> tuple[SourceDocument, Extraction]:
    doc = read_document(f"{REPORT}.{ext}")
    return doc, resolve(doc, extract(doc.text, doc.tables), RULES, people=False)


@pytest.fixture(scope="module")
def report() -> dict[str, tuple[SourceDocument, Extraction]]:
    return {ext: _read(ext) for ext in [*TEXT_FORMATS, "xlsx"]}


@pytest.fixture(scope="module")
def scan() -> tuple[SourceDocument, Extraction]:
    return _read("scan.pdf")


def keys(ex: Extraction, table_only: bool = False) -> set[tuple]:
    return {(f.object, f.event, f.value, f.qualifier, f.target) for f in ex.figures if f.cell or not table_only}


# --- the Party document format ------------------------------------------------------------------


@pytest.mark.parametrize("ext", TEXT_FORMATS)
def test_header_signature_and_recipients_in_every_format(report, ext: str) -> None:
    h = report[ext][1].info.header
    assert (h.issuer_parent, h.issuer) == ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY KHỐI DOANH NGHIỆP")
    assert (h.symbol, h.doc_type, h.place, h.date) == ("45-BC/ĐUK", "Báo cáo", "Lâm Đồng", dt.date(2022, 1, 20))
    assert h.title.startswith("Sơ kết 01 năm thực hiện Nghị quyết 04-NQ/ĐUK") and h.title.endswith("các tổ chức tín dụng")
    assert (h.signer, h.signer_role) == ("Hoàng Xuân Hường", "T/M BAN THƯỜNG VỤ, BÍ THƯ")
    assert h.recipients == ["Ban Thường vụ TU (b/c)", "Ban Tổ chức TU (b/c)", "Các đồng chí ĐUVĐUK",
                            "Các TCCSD trực thuộc", "Lưu TC, VP"]
    assert report[ext][1].info.doc_date == dt.date(2022, 1, 20)


def test_docx_header_table_is_read_column_by_column(report) -> None:
    text = report["docx"][0].text
    # not "ĐẢNG BỘ TỈNH LÂM ĐỒNG | ĐẢNG CỘNG SẢN VIỆT NAM …" on one line
    assert text.startswith("ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY KHỐI DOANH NGHIỆP\n*\nSố 45-BC/ĐUK\n\n"
                           "ĐẢNG CỘNG SẢN VIỆT NAM\nLâm Đồng, ngày 20 tháng 01 năm 2022")
    assert report["docx"][0].tables and len(report["docx"][0].tables) == 1  # the layout tables are not tables


def test_pdf_two_text_columns_are_read_left_then_right(report) -> None:
    lines = report["pdf"][0].text.splitlines()
    assert lines[:4] == ["ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY KHỐI DOANH NGHIỆP", "*", "Số 45-BC/ĐUK"]
    assert "Lâm Đồng, ngày 20 tháng 01 năm 2022" in lines
    tail = report["pdf"][0].text[report["pdf"][0].text.index("Nơi nhận:"):].splitlines()
    assert tail[:2] == ["Nơi nhận:", "- Ban Thường vụ TU (b/c),"] and tail[-3:] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Hoàng Xuân Hường"]


def test_header_and_signature_never_give_a_subject(report) -> None:
    for ext in TEXT_FORMATS:
        for f in report[ext][1].figures:
            assert not f.subject or ("ĐẢNG ỦY KHỐI DOANH NGHIỆP" not in f.subject and "Hoàng" not in f.subject)


def test_a_header_row_glued_into_one_line_still_gives_issuer_and_date() -> None:
    # what a reader that reads a header table row by row used to produce
    text = ("TỈNH ỦY LÂM ĐỒNG BAN TỔ CHỨC * | ĐẢNG CỘNG SẢN VIỆT NAM Lâm Đồng, ngày 15 tháng 3 năm 2022\n"
            "Số 12-BC/BTCTU\n\nBÁO CÁO\nKết quả công tác tổ chức xây dựng Đảng quý I năm 2022\n\n"
            "Toàn Đảng bộ tỉnh kết nạp được 420 đảng viên mới.")
    ex = extract(text)
    h = ex.info.header
    assert (h.symbol, h.date, h.doc_type) == ("12-BC/BTCTU", dt.date(2022, 3, 15), "Báo cáo")
    assert ex.info.doc_date == dt.date(2022, 3, 15)
    assert [(f.value, f.subject) for f in ex.figures] == [(420, "Đảng bộ tỉnh Lâm Đồng")]


def test_a_header_typed_side_by_side_with_tabs() -> None:
    text = ("HUYỆN ỦY ĐỨC TRỌNG\t\t\tĐẢNG CỘNG SẢN VIỆT NAM\n        *\t\t\tĐức Trọng, ngày 05 tháng 01 năm 2023\n"
            "Số 89-BC/HU\n\nBÁO CÁO\nTổng kết công tác xây dựng Đảng năm 2022\n\nNăm 2022, Đảng bộ huyện kết nạp 210 đảng viên.\n\n"
            "Nơi nhận:\t\t\t\tT/M HUYỆN ỦY\n- Ban Thường vụ Tỉnh ủy,\t\t\tBÍ THƯ\n- Lưu VT.\n\t\t\t\t\tNguyễn Văn Minh\n")
    h = read_header(text, RULES.header)
    assert (h.issuer, h.issuer_parent, h.symbol, h.date) == ("HUYỆN ỦY ĐỨC TRỌNG", None, "89-BC/HU", dt.date(2023, 1, 5))
    assert (h.signer, h.signer_role, h.recipients) == ("Nguyễn Văn Minh", "T/M HUYỆN ỦY, BÍ THƯ", ["Ban Thường vụ Tỉnh ủy", "Lưu VT"])


def test_a_draft_number_and_a_blank_day_give_no_symbol_and_no_date() -> None:
    text = ("ĐẢNG BỘ ĐẠI HỌC THÁI NGUYÊN\nĐẢNG ỦY TRƯỜNG ĐẠI HỌC\nKỸ THUẬT CÔNG NGHIỆP\nĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
            "Số      -/ĐU\nThái Nguyên, ngày       tháng 10 năm 2021\n\nQUYẾT ĐỊNH\nV/v ban hành Hướng dẫn\n")
    h = read_header(text, RULES.header)
    assert (h.issuer_parent, h.issuer) == ("ĐẢNG BỘ ĐẠI HỌC THÁI NGUYÊN", "ĐẢNG ỦY TRƯỜNG ĐẠI HỌC KỸ THUẬT CÔNG NGHIỆP")
    assert (h.symbol, h.place, h.date, h.doc_type) == (None, "Thái Nguyên", None, "Quyết định")


def test_a_news_page_has_no_header() -> None:
    h = read_header("BAN TỔ CHỨC TỈNH ỦY | TIN HOẠT ĐỘNG\nHôm nay, ngày 23 tháng 9 năm 2018\nĐảng bộ xã kết nạp 5 đảng viên.", RULES.header)
    assert (h.issuer, h.date, h.spans) == (None, None, [])


# --- statistical tables --------------------------------------------------------------------------

# (row, column, value, object, event, target, row of its parent) of every count cell of Biểu 1
TABLE_CELLS = [
    (2, 2, 70, "party_member", "admitted", True, 4), (2, 3, 84, "party_member", "admitted", False, 4),
    (2, 5, 97, "trainee", "trained", False, 4),
    (3, 2, 10, "party_member", "admitted", True, 4), (3, 3, 11, "party_member", "admitted", False, 4),
    (3, 5, 13, "trainee", "trained", False, 4), (3, 6, 2, "party_cell", "established", False, 4),
    (4, 2, 80, "party_member", "admitted", True, None), (4, 3, 95, "party_member", "admitted", False, None),
    (4, 5, 110, "trainee", "trained", False, None), (4, 6, 2, "party_cell", "established", False, None),
]


@pytest.mark.parametrize("ext", ["txt", "docx", "pdf", "doc", "odt", "rtf"])
def test_each_table_cell_is_a_figure_with_its_provenance(report, ext: str) -> None:
    doc, ex = report[ext]
    cells = [f for f in ex.figures if f.cell]
    got = []
    for f in cells:
        parent = ex.figures[f.parent].cell.table_row if f.parent is not None else None
        got.append((f.cell.table_row, f.cell.table_col, f.value, f.object, f.event, f.target, parent))
        assert doc.text[f.start : f.end] == f.quote == doc.tables[0].cells[
            [(c.row, c.col) for c in doc.tables[0].cells].index((f.cell.table_row, f.cell.table_col))].text
        assert f.sentence == doc.text[f.sentence_start : f.sentence_start + len(f.sentence)]
        assert f.page == (2 if ext == "pdf" else 1)
        assert (f.period_start, f.period_end) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))  # "năm 2021" in the caption
    assert got == TABLE_CELLS
    by_cell = {(f.cell.table_row, f.cell.table_col): f for f in cells}
    assert by_cell[(2, 2)].cell.column_header == "Kết nạp đảng viên / Kế hoạch"
    assert by_cell[(2, 2)].segment == "state_capital_enterprise" and by_cell[(3, 3)].segment == "non_state_enterprise"
    assert by_cell[(4, 3)].cell.row_header == "Tổng cộng"
    # the total and the kinds of enterprise are the reporting body's own: the subject of its prose
    assert {f.subject for f in cells} == {"Đảng bộ Khối Doanh nghiệp tỉnh Lâm Đồng"}


def test_row_numbers_and_percentages_are_not_figures(report) -> None:
    cols = {f.cell.table_col for f in report["docx"][1].figures if f.cell}
    assert 0 not in cols and 4 not in cols  # STT and Tỷ lệ (%)


def test_an_indicator_table_takes_object_and_event_from_its_rows() -> None:
    doc = read_document(ROOT / "corpus" / "003_a8b278771690ab33.docx")
    ex = extract(doc.text, doc.tables)
    assert [(f.object, f.event, f.value) for f in ex.figures if f.cell] == [
        ("party_member", "admitted", 95), ("party_member", "admitted", 11), ("training_class", "trained", 5),
        ("party_cell", "established", 2)]


def test_plain_text_tables_in_markdown_and_tabs() -> None:
    md = ("Biểu 2. Đảng viên toàn tỉnh đến 31/12/2022\n| Đơn vị | Tổng số đảng viên | Đảng viên mới |\n|---|---|---|\n"
          "| Huyện Lạc Dương | 1.250 | 35 |\n| Thành phố Đà Lạt | 8.412 | 220 |\n| Tổng cộng | 9.662 | 255 |\n")
    tab = "Đơn vị\tSố chi bộ\nXã Lát\t12\nXã Đạ Chais\t9\nCộng\t21\n"
    for text, expected in ((md, {("party_member", "total", 9662), ("party_member", "admitted", 255),
                                 ("party_member", "total", 1250), ("party_member", "admitted", 220)}),
                           (tab, {("party_cell", "total", 12), ("party_cell", "total", 21)})):
        doc_tables = read_document_tables(text)
        got = {(f.object, f.event, f.value) for f in extract(text, doc_tables).figures}
        assert expected <= got, got


def read_document_tables(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "bieu.txt"
        p.write_text(text, encoding="utf-8")
        return read_document(p).tables


def test_a_column_that_does_not_add_up_to_its_total_row_is_an_audit_error(tmp_path: Path) -> None:
    from baocao.audit import audit_frames
    from baocao.audit.facts import frames_from_extractions

    text = ("Biểu 1. Đảng viên mới năm 2022\nĐơn vị | Đảng viên mới kết nạp\nĐảng bộ huyện Lâm Hà | 40\n"
            "Đảng bộ huyện Di Linh | 35\nTổng cộng | 80\n")
    p = tmp_path / "bieu.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_document(p)
    ex = resolve(doc, extract(doc.text, doc.tables), RULES, people=False)
    assert [(f.value, f.subject) for f in ex.figures] == [(40, "Đảng bộ huyện Lâm Hà"), (35, "Đảng bộ huyện Di Linh"),
                                                            (80, None)]
    result = audit_frames(*frames_from_extractions([(doc, ex)]))
    errors = [(f.rule, f.arithmetic) for f in result.findings if f.severity == "error"]
    assert errors == [("breakdown_short_of_total", "40 + 35 = 75 ≠ 80")]


def test_the_corpus_table_adds_up(report) -> None:
    from baocao.audit import audit_frames
    from baocao.audit.facts import frames_from_extractions

    result = audit_frames(*frames_from_extractions([report["docx"]]))
    assert [f for f in result.findings if f.severity == "error"] == []


# --- every format gives the text's figures -------------------------------------------------------


@pytest.mark.parametrize("ext", ["docx", "pdf", "doc", "rtf", "odt"])
def test_every_format_yields_the_figures_of_the_text(report, ext: str) -> None:
    assert keys(report[ext][1]) == keys(report["txt"][1])


def test_the_sheet_yields_the_figures_of_the_table(report) -> None:
    doc, ex = report["xlsx"]
    assert doc.format == "xlsx" and doc.tables[0].caption.startswith("Biểu 1.")
    assert keys(ex) == keys(report["txt"][1], table_only=True)


def test_old_formats_go_through_libreoffice(report) -> None:
    for ext in ("doc", "rtf", "odt"):
        doc = report[ext][0]
        assert doc.format == ext and doc.converted_by.startswith("LibreOffice")


def test_tcvn3_header_of_the_doc_is_decoded(report) -> None:
    # the .doc's header was typed in .VnTime/.VnTimeH: cp1252 characters that only the font made Vietnamese
    assert report["doc"][0].text.startswith("ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY KHỐI DOANH NGHIỆP")


def test_legacy_font_runs_in_a_docx_are_decoded(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    for text, font, encoding in (("Đảng bộ huyện kết nạp ", ".VnTime", "tcvn3"), ("125 đảng viên mới", "VNI-Times", "vni")):
        run = p.add_run(encode_legacy(text, encoding).decode("cp1252"))
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:ascii"), font)
    styled = d.add_paragraph(encode_legacy("chi bộ", "tcvn3").decode("cp1252"))  # .VnTimeH draws these as capitals
    style = d.styles.add_style("Tieu de ABC", 1)
    style.font.name = ".VnTimeH"
    styled.style = style
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "abc.docx"
    path.write_bytes(buf.getvalue())
    doc = read_document(path)
    assert doc.text == "Đảng bộ huyện kết nạp 125 đảng viên mới\n\nCHI BỘ"


def test_libreoffice_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    from baocao.ingest.office import convert

    with pytest.raises(IngestError) as info:
        convert(Path(f"{REPORT}.doc").read_bytes(), "doc", "bc45.doc", timeout=0.05)
    assert info.value.code == "conversion_failed" and "within" in info.value.message


# --- scans ---------------------------------------------------------------------------------------


def test_scan_header_date_and_symbol(scan) -> None:
    doc, ex = scan
    h = ex.info.header
    assert (h.symbol, h.date, h.doc_type, h.signer) == ("45-BC/ĐUK", dt.date(2022, 1, 20), "Báo cáo", "Hoàng Xuân Hường")
    assert ex.info.doc_date == dt.date(2022, 1, 20)
    assert all(p.ocr_confidence and p.ocr_confidence > 80 for p in doc.pages)


def test_scan_table_is_read_from_the_page_rules(scan) -> None:
    doc, ex = scan
    t = doc.tables[0]
    assert (t.n_rows, t.n_cols) == (5, 7)
    assert {(c.row, c.col, c.row_span, c.col_span) for c in t.cells} >= {(0, 0, 2, 1), (0, 2, 1, 3), (1, 2, 1, 1)}
    got = {(f.cell.table_row, f.cell.table_col, f.value, f.object, f.event, f.target) for f in ex.figures if f.cell}
    expected = {cell[:6] for cell in TABLE_CELLS}
    assert len(got & expected) >= 10 and not got - expected


def test_scan_figures_match_the_text_and_carry_their_ocr_confidence(scan, report) -> None:
    _, ex = scan
    text_keys, scan_keys = keys(report["txt"][1]), keys(ex)
    tp = len(text_keys & scan_keys)
    f1 = 2 * tp / (len(text_keys) + len(scan_keys))
    assert f1 >= 0.9, (text_keys - scan_keys, scan_keys - text_keys)
    for f in ex.figures:
        assert f.ocr_confidence is not None and 0 < f.ocr_confidence <= 100
    for d in ex.dates:
        assert d.ocr_confidence is not None


def test_an_xls_sheet_is_read_through_libreoffice(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path), f"{REPORT}.xlsx"], check=True, capture_output=True,
                   timeout=180)
    doc = read_document(tmp_path / "bc45_duk_lam_dong.xls")
    assert doc.format == "xls" and doc.converted_by.startswith("LibreOffice")
    ex = extract(doc.text, doc.tables)
    assert {(f.object, f.event, f.value, f.target) for f in ex.figures} >= {
        ("party_member", "admitted", 95, False), ("party_member", "admitted", 80, True), ("trainee", "trained", 110, False)}


def test_cross_document_messages_name_a_report_by_its_symbol(tmp_path: Path) -> None:
    from baocao.audit import audit_frames
    from baocao.audit.facts import frames_from_extractions

    pairs = []
    for name, symbol, value in (("a.txt", "45-BC/ĐUK", 95), ("b.txt", "52-BC/ĐUK", 97)):
        text = (f"ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY KHỐI DOANH NGHIỆP\n*\nSố {symbol}\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                f"Lâm Đồng, ngày 20 tháng 01 năm 2022\n\nBÁO CÁO\nKết quả phát triển đảng viên năm 2021\n\n"
                f"Trong năm 2021, Đảng bộ Khối Doanh nghiệp tỉnh Lâm Đồng kết nạp được {value} đảng viên mới.\n")
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        doc = read_document(p)
        pairs.append((doc, resolve(doc, extract(doc.text, doc.tables), RULES, people=False)))
    result = audit_frames(*frames_from_extractions(pairs))
    conflict = next(f for f in result.findings if f.rule == "cross_doc_conflict")
    assert "45-BC/ĐUK – a.txt" in conflict.message_vi and "52-BC/ĐUK – b.txt" in conflict.message_en


def test_without_libreoffice_an_old_word_file_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(IngestError) as info:
        read_document(f"{REPORT}.doc")
    assert info.value.code == "converter_missing"
    assert "apt-get install libreoffice-writer-nogui" in info.value.message and "\n" not in info.value.message
