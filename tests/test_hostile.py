"""Hostile and huge input: limits checked before the costly step, text that is not text, and a reader
that crashes or hangs is killed in its own process; every case ends loaded or rejected, in one line."""

from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path

import pytest
from hostile_inputs import big_text, docx_bomb, docx_many_parts, glyph_code_pdf, long_report

from baocao.ingest import IngestError, Limits, read_document
from baocao.ingest.quality import assess, page_list, page_verdict
from baocao.isolation import run_each, run_isolated


def rejected(path: Path, limits: Limits | None = None) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_document(path, limits)
    return caught.value


def test_limits_have_safe_defaults_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    d = Limits()
    assert d.max_pdf_pages >= 1000 and d.max_zip_uncompressed_bytes <= 300_000_000 and d.max_seconds > 0
    monkeypatch.setenv("BAOCAO_LIMIT_MAX_PDF_PAGES", "3000")
    assert Limits().max_pdf_pages == 3000
    with pytest.raises(ValueError):
        Limits(max_pdf_pages=0)


def test_a_zip_bomb_is_rejected_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = docx_bomb(tmp_path / "bao_cao.docx", 60_000_000)
    assert bomb.stat().st_size < 1_000_000
    started = time.monotonic()
    e = rejected(bomb, Limits(max_zip_uncompressed_bytes=20_000_000))
    assert time.monotonic() - started < 1
    assert (e.code, e.limit) == ("limit_exceeded", "max_zip_uncompressed_bytes")
    assert "bao_cao.docx: its parts would inflate to 60 MB" in e.message and "--limit max_zip_uncompressed_bytes=" in e.message
    rej = e.to_rejection(bomb)
    assert rej.limit == "max_zip_uncompressed_bytes" and rej.doc_id


def test_an_archive_of_too_many_parts_is_rejected(tmp_path: Path) -> None:
    e = rejected(docx_many_parts(tmp_path / "nhieu.docx", 300), Limits(max_zip_entries=100))
    assert (e.code, e.limit) == ("limit_exceeded", "max_zip_entries") and "303 parts" in e.message


def test_a_pdf_past_the_page_limit_is_rejected_before_its_pages_are_read(tmp_path: Path) -> None:
    e = rejected(long_report(tmp_path / "dai.pdf", 30), Limits(max_pdf_pages=20))
    assert (e.code, e.limit) == ("limit_exceeded", "max_pdf_pages") and "30 pages" in e.message


def test_a_text_past_the_character_limit_is_rejected_before_it_is_decoded(tmp_path: Path) -> None:
    e = rejected(big_text(tmp_path / "lon.txt", 5_000_000), Limits(max_text_chars=1_000_000))
    assert (e.code, e.limit) == ("limit_exceeded", "max_text_chars")


def test_a_file_past_the_size_limit_is_not_read(tmp_path: Path) -> None:
    e = rejected(big_text(tmp_path / "lon.txt", 2_000_000), Limits(max_file_bytes=1_000_000))
    assert e.limit == "max_file_bytes"


def test_a_1000_page_report_within_the_limits_is_read(tmp_path: Path) -> None:
    doc = read_document(long_report(tmp_path / "bao_cao_1000_trang.pdf", 1000))
    assert len(doc.pages) == 1000 and doc.quality == "clean"
    assert len(doc.text) > 900_000 and doc.text.count("ket nap 141 dang vien moi") == 8000


def test_a_pdf_of_glyph_codes_is_rejected_not_loaded_empty(tmp_path: Path) -> None:
    e = rejected(glyph_code_pdf(tmp_path / "cid.pdf"))
    assert e.code == "not_text"
    assert "pages 1-6" in e.message and "(cid:N)" in e.message and "OCR" in e.message


def test_a_pdf_with_one_unreadable_page_is_loaded_as_partial_with_the_page_named(tmp_path: Path) -> None:
    doc = read_document(glyph_code_pdf(tmp_path / "mot_trang.pdf", 6, {3}))
    assert doc.quality == "partial" and doc.bad_pages == [3]
    assert doc.quality_note.startswith("page 3: glyph codes")
    assert "84 to chuc co so dang" in doc.text  # the readable pages are there


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("(cid:3)(cid:17)(cid:42) " * 40, "glyph codes"),
        ("\ufffd\ufffd đảng \ufffd\ufffd viên " * 30, "unreadable characters"),
        ("§¶ng viªn, tæ chøc c¬ së ®¶ng, kÕt n¹p, ®oµn viªn, c«ng ®oµn " * 10, "mojibake"),
        ("#$%^&*()_+{}|:<>?~`-=[]\\;',./" * 10, "mostly symbols"),
    ],
)
def test_text_that_is_not_text_is_told_apart(text: str, why: str) -> None:
    assert why in (page_verdict(1, text).reason or "")


def test_real_report_text_is_text() -> None:
    text = (Path(__file__).resolve().parents[1] / "corpus" / "003_a8b278771690ab33.txt").read_text(encoding="utf-8")
    assert page_verdict(1, text).reason is None


def test_pages_that_failed_to_parse_are_listed() -> None:
    q = assess([("Toàn tỉnh có 4.989 đảng viên. " * 5, None), ("", "damaged object"), ("", "damaged object")])
    assert q.bad_pages == [2, 3] and q.note() == "pages 2-3: could not be parsed (damaged object)"
    assert page_list([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"


def _hang() -> None:
    while True:
        pass


def _segfault() -> None:
    ctypes.string_at(0)


def test_a_reader_that_hangs_is_killed_after_its_time_limit() -> None:
    started = time.monotonic()
    outcome = run_isolated(_hang, (), timeout=1.0)
    assert outcome.timed_out and time.monotonic() - started < 5


def test_a_reader_that_crashes_takes_only_its_worker_with_it() -> None:
    outcome = run_isolated(_segfault, (), timeout=10)
    assert outcome.crashed == "SIGSEGV" and os.getpid()  # this process lives on


def test_the_worker_returns_the_document_or_the_reader_s_error(tmp_path: Path) -> None:
    ok = run_isolated(read_document, (long_report(tmp_path / "a.pdf", 2),), timeout=60)
    assert ok.ok and len(ok.value.pages) == 2
    bad = run_isolated(read_document, (tmp_path / "missing.pdf",), timeout=60)
    assert isinstance(bad.error, IngestError) and bad.error.code == "missing_path"


def _read_or_misbehave(name: str):
    """A reader over a batch: most files read, one hangs, one crashes, one is not a document."""
    if name == "hang":
        _hang()
    if name == "crash":
        _segfault()
    if name == "bad":
        return read_document("/nonexistent/bad.pdf")
    return name.upper()


def test_a_batch_read_in_one_child_loses_only_the_file_that_hangs_or_crashes() -> None:
    names = ["a", "hang", "b", "crash", "bad", "c"]
    outcomes = dict(run_each(_read_or_misbehave, names, timeout=2.0))
    assert [outcomes[i].value for i in (0, 2, 5)] == ["A", "B", "C"]  # the files after a hang or a crash are read
    assert outcomes[1].timed_out and outcomes[3].crashed == "SIGSEGV"
    assert isinstance(outcomes[4].error, IngestError) and outcomes[4].error.code == "missing_path"


def _rejected_after_an_xml_error(_: object) -> None:
    from lxml import etree

    try:
        etree.fromstring(b"<w:document><broken")
    except etree.XMLSyntaxError:
        raise IngestError("not_docx", "x.docx: is not a readable Word document (XMLSyntaxError)") from None


def test_a_rejection_crosses_the_pipe_when_exceptions_pickle_with_their_chain() -> None:
    # Dask installs tblib's pickling support, which pickles an exception with its context: here an
    # lxml error log, which does not pickle. The rejection must still arrive as itself.
    from tblib import pickling_support

    pickling_support.install()
    [(_, outcome)] = list(run_each(_rejected_after_an_xml_error, [None], timeout=30))
    assert isinstance(outcome.error, IngestError) and outcome.error.code == "not_docx"


BAOCAO = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "baocao"


@pytest.mark.skipif(not BAOCAO.exists(), reason="the baocao command is not installed in this environment")
def test_a_run_over_hostile_files_loads_the_good_ones_and_rejects_each_bad_one_in_one_line(tmp_path: Path) -> None:
    import subprocess

    from baocao.store import open_store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tot.txt").write_text("Năm 2023, Đảng bộ Khối Doanh nghiệp tỉnh kết nạp được 141 đảng viên mới.\n", encoding="utf-8")
    docx_bomb(docs / "bom.docx", 40_000_000)
    glyph_code_pdf(docs / "cid.pdf")
    glyph_code_pdf(docs / "mot_trang_hong.pdf", 6, {3})
    long_report(docs / "cham.pdf", 1000)  # past a 3-second time limit: the worker is killed
    db = tmp_path / "h.duckdb"
    done = subprocess.run([str(BAOCAO), "run", str(docs), "--db", str(db), "--no-audit",
                           "--limit", "max_zip_uncompressed_bytes=10000000", "--limit", "max_seconds=3"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1  # inputs were rejected
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("rejected ", "partial "))]
    assert len(lines) == 4, done.stderr
    with open_store(db) as s:
        rej = s.fetch_df("SELECT name, error, COALESCE(limit_name, '') FROM rejected_inputs ORDER BY name")
        loaded = s.fetch_df("SELECT name, quality, COALESCE(bad_pages, '') FROM documents WHERE status = 'loaded' ORDER BY name")
    assert rej.values.tolist() == [
        ["bom.docx", "limit_exceeded", "max_zip_uncompressed_bytes"],
        ["cham.pdf", "reader_timeout", "max_seconds"],
        ["cid.pdf", "not_text", ""],
    ]
    assert loaded.values.tolist() == [["mot_trang_hong.pdf", "partial", "3"], ["tot.txt", "clean", ""]]
