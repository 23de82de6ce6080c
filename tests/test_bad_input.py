"""Inputs that cannot be ingested are refused with a code and a message a person can act on."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path

import docx
import pytest

from baocao.ingest import IngestError, read_document
from schemas.records import Rejection

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PDF = ROOT / "corpus" / "003_a8b278771690ab33.pdf"
CORPUS_DOCX = ROOT / "corpus" / "000_fecd69e2d4926bf8.docx"
FIXTURES = Path(__file__).resolve().parent / "ingest_fixtures"


def refuse(path: Path) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_document(path)
    err = info.value
    # One line, naming the file, and the Rejection record carries the same.
    assert "\n" not in err.message
    assert path.name in err.message
    rejection = err.to_rejection(path)
    assert isinstance(rejection, Rejection)
    assert (rejection.error, rejection.reason, rejection.name) == (err.code, err.message, path.name)
    if path.is_file():
        assert rejection.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    return err


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_missing_path(tmp_path: Path) -> None:
    err = refuse(tmp_path / "khong_co.txt")
    assert err.code == "missing_path"
    assert "no such file" in err.message
    assert err.to_rejection(tmp_path / "khong_co.txt").doc_id is None


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "bao_cao.txt"
    folder.mkdir()
    err = refuse(folder)
    assert err.code == "missing_path"
    assert "directory" in err.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("rong.txt", b""),
        ("khoang_trang.txt", b"  \r\n\t\n  "),
        ("bom_only.txt", b"\xef\xbb\xbf\n"),
        ("rong.pdf", b""),
        ("rong.docx", b""),
    ],
)
def test_empty_file(tmp_path: Path, name: str, data: bytes) -> None:
    err = refuse(write(tmp_path, name, data))
    assert err.code == "empty_file"
    assert "empty" in err.message


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = CORPUS_PDF.read_bytes()
    err = refuse(write(tmp_path, "cat_ngang.pdf", data[: len(data) // 3]))
    assert err.code == "corrupt_pdf"
    assert "damaged" in err.message


def test_garbage_after_pdf_header_is_corrupt(tmp_path: Path) -> None:
    junk = bytes(random.Random(1).randrange(256) for _ in range(4000))
    err = refuse(write(tmp_path, "rac.pdf", b"%PDF-1.7\n" + junk))
    assert err.code == "corrupt_pdf"


def test_pdf_name_without_pdf_content_is_corrupt(tmp_path: Path) -> None:
    err = refuse(write(tmp_path, "gia.pdf", "Đây không phải PDF".encode()))
    assert err.code == "corrupt_pdf"
    assert "no PDF header" in err.message


@pytest.mark.parametrize("fixture", ["encrypted_rc4.pdf", "encrypted_aes256.pdf"])
def test_encrypted_pdf(fixture: str) -> None:
    err = refuse(FIXTURES / fixture)
    assert err.code == "encrypted_pdf"
    assert "password" in err.message


def test_scanned_pdf_is_read_by_ocr() -> None:
    doc = read_document(FIXTURES / "scanned_no_text.pdf")
    assert "scanned page" in doc.text
    assert doc.pages[0].ocr_confidence is not None and doc.pages[0].ocr_confidence > 50


def test_scanned_pdf_without_tesseract_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    err = refuse(FIXTURES / "scanned_no_text.pdf")
    assert err.code == "ocr_missing"
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in err.message


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    err = refuse(write(tmp_path, "van_ban.docx", "Báo cáo sơ kết, lưu nhầm đuôi".encode()))
    assert err.code == "not_docx"
    assert "not a zip" in err.message


def test_zip_without_word_document_named_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("anh/trang1.png", b"\x89PNG")
    err = refuse(write(tmp_path, "bang_tinh.docx", buf.getvalue()))
    assert err.code == "not_docx"
    assert "word/document.xml" in err.message


def test_broken_workbook_named_docx_is_refused_as_a_workbook(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    err = refuse(write(tmp_path, "bang_tinh.docx", buf.getvalue()))
    assert err.code == "not_xlsx"


def test_docx_with_broken_document_xml(tmp_path: Path) -> None:
    src = zipfile.ZipFile(CORPUS_DOCX)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            zf.writestr(item, b"<w:document><unclosed" if item.filename == "word/document.xml" else data)
    err = refuse(write(tmp_path, "hong.docx", buf.getvalue()))
    assert err.code == "not_docx"


def test_old_binary_office_file_that_is_neither_word_nor_excel(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    err = refuse(write(tmp_path, "cu.docx", ole))
    assert err.code == "unsupported_format"
    assert ".doc" in err.message


def test_damaged_doc_is_refused_by_libreoffice_in_one_line(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 64
    err = refuse(write(tmp_path, "hong.doc", ole))
    assert err.code == "conversion_failed"
    assert "LibreOffice" in err.message


def test_docx_with_empty_body(tmp_path: Path) -> None:
    buf = io.BytesIO()
    docx.Document().save(buf)
    err = refuse(write(tmp_path, "trang_trang.docx", buf.getvalue()))
    assert err.code == "no_text"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))),
        ("ngau_nhien.txt", bytes(random.Random(2).randrange(256) for _ in range(5000))),
        ("dieu_khien.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 40 + b"abc"),
    ],
)
def test_binary_junk_named_txt(tmp_path: Path, name: str, data: bytes) -> None:
    err = refuse(write(tmp_path, name, data))
    assert err.code == "binary_not_text"
    assert "binary" in err.message


def test_text_in_an_encoding_we_cannot_read(tmp_path: Path) -> None:
    err = refuse(
        write(tmp_path, "tieng_trung.txt", ("中华人民共和国国务院关于加强党的建设的报告。" * 20).encode("gbk"))
    )
    assert err.code == "undecodable_text"
    assert "UTF-8" in err.message


def test_invalid_utf16_after_bom(tmp_path: Path) -> None:
    err = refuse(write(tmp_path, "hong16.txt", b"\xff\xfe" + "Đảng".encode("utf-16-le") + b"\x00\xd8"))
    assert err.code == "undecodable_text"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("ghi_chu.md", "# Báo cáo\nĐảng bộ Khối có 84 TCCS đảng.".encode()),
        ("khong_duoi", b"Dang bo"),
        ("anh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    ],
)
def test_unsupported_format(tmp_path: Path, name: str, data: bytes) -> None:
    err = refuse(write(tmp_path, name, data))
    assert err.code == "unsupported_format"


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    err = refuse(write(tmp_path, "bao_cao.xlsx", b"PK\x03\x04" + b"\x00" * 40))
    assert err.code == "not_xlsx"


def test_pdf_renamed_to_txt_is_read_as_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "thuc_ra_la_pdf.txt", CORPUS_PDF.read_bytes())
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.name == "thuc_ra_la_pdf.txt"
    assert len(doc.pages) == 4
    assert "kết nạp được 95 đảng viên mới" in " ".join(doc.text.split())


def test_docx_renamed_to_txt_is_read_as_docx(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "thuc_ra_la_docx.txt", CORPUS_DOCX.read_bytes()))
    assert doc.format == "docx"
    assert "84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở)" in doc.text


def test_pdf_with_junk_before_header_is_still_a_pdf(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "tien_to.pdf", b"\r\n\r\n" + CORPUS_PDF.read_bytes()))
    assert doc.format == "pdf"


def test_unknown_error_code_is_a_bug() -> None:
    with pytest.raises(ValueError):
        IngestError("oops", "x")
