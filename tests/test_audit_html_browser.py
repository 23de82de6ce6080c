"""The HTML report as a person sees it: rendered by headless Chromium (Debian's `chromium`)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from baocao.audit import AuditResult, audit_frames, frames_from_extractions
from baocao.audit.report_html import write_html
from schemas.records import DocumentInfo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium) — the report is not rendered"
)

KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
QUANG_TRI = DocumentInfo(province="Quảng Trị", doc_date=dt.date(2024, 7, 3))
YEAR_2024 = {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 12, 31)}
P071 = "Đến nay, chi bộ công ty đã phát triển được tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị."
TEXT_000 = "Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ cơ sở) với 4.989 đảng viên."
TEXT_004 = (
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị (Đảng bộ Khối) được thành lập ngày 1/7/2019 trên cơ "
    "sở hợp nhất Đảng bộ Khối các Cơ quan tỉnh và Đảng bộ Khối Doanh nghiệp tỉnh, có 81 tổ chức cơ sở đảng "
    "với gần 5.000 đảng viên."
)
QUOTES = ["24 đảng viên", "18 đảng viên chính thức", "7 đảng viên dự bị", "84 TCCS đảng", "81 tổ chức cơ sở đảng"]


@pytest.fixture
def report(make_doc, tmp_path: Path) -> tuple[Path, AuditResult]:
    members = {"object": "party_member", "event": "total", "subject": "Chi bộ Công ty Cổ phần Minh Anh"}
    p071 = make_doc(P071, "corpus/p071.txt", info=DocumentInfo(province="Bắc Giang"), figures=[
        dict(quote="24 đảng viên", value=24, **members),
        dict(quote="18 đảng viên chính thức", value=18, parent=0, **members),
        dict(quote="7 đảng viên dự bị", value=7, parent=0, **members),
    ])
    who = dict(subject=KHOI, **YEAR_2024)
    d000 = make_doc(TEXT_000, "corpus/000_fecd69e2d4926bf8.txt", info=QUANG_TRI, figures=[
        dict(quote="84 TCCS đảng", object="party_org", event="total", value=84, **who),
        dict(quote="4.989 đảng viên", object="party_member", event="total", value=4989, **who),
    ])
    d004 = make_doc(TEXT_004, "corpus/004_ef3136a2c2e638be.txt", info=QUANG_TRI, figures=[
        dict(quote="81 tổ chức cơ sở đảng", object="party_org", event="total", value=81, **who),
        dict(quote="gần 5.000 đảng viên", object="party_member", event="total", value=5000, qualifier="approx", **who),
    ])
    result = audit_frames(*frames_from_extractions([p071, d000, d004]))
    assert {f.rule for f in result.findings} == {"breakdown_exceeds_total", "cross_doc_conflict"}
    return write_html(result, tmp_path / "audit.html"), result


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_report_renders_to_a_non_blank_screenshot(report: tuple[Path, AuditResult], tmp_path: Path) -> None:
    html, _ = report
    png = tmp_path / "audit.png"
    run = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", html.resolve().as_uri())
    assert png.exists() and png.stat().st_size > 10_000, run.stderr[-2000:]
    from PIL import Image

    with Image.open(png) as img:
        assert img.size == (1280, 2000)
        gray = img.convert("L")
        lo, hi = gray.getextrema()
        assert hi - lo > 100  # text on a background, not a blank page
        dark = sum(gray.histogram()[:128])
        assert dark > 2_000  # enough dark pixels to be text


def test_rendered_dom_holds_the_quotes(report: tuple[Path, AuditResult], tmp_path: Path) -> None:
    html, result = report
    run = chromium(tmp_path, "--dump-dom", html.resolve().as_uri())
    dom = run.stdout
    assert "<mark>" in dom, run.stderr[-2000:]
    for quote in QUOTES:
        assert f"<mark>{quote}</mark>" in dom
    for finding in result.findings:
        assert finding.arithmetic in dom and finding.message_vi in dom
