"""The review app (baocao serve) over a store loaded from corpus/ and a news article, through
FastAPI's test client: every page answers, figures lead back to their sentence, filters filter,
reviews survive reloads and re-audits on both backends, and nothing from a document is trusted."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_store import ARTICLE_SUBJECT, audit, build_review_store, fill

from baocao.store import open_store
from baocao.web import ServeSettings, create_app
from baocao.web.passwords import hash_password, verify_password

MINH_ANH_SENTENCE = "tổng cộng 24 đảng viên, trong đó có 18 đảng viên chính thức và 7 đảng viên dự bị"


@pytest.fixture(scope="session")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file loaded from corpus/ and the article, audited: built once, copied by tests that write."""
    root = tmp_path_factory.mktemp("review")
    path = root / "review.duckdb"
    build_review_store(str(path), root)
    return path


@pytest.fixture
def db_copy(review_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "review.duckdb"
    shutil.copy(review_db, target)
    return target


def settings(db: str | Path, **kw: object) -> ServeSettings:
    return ServeSettings(db=str(db), extra_hosts=("testserver",), **kw)  # type: ignore[arg-type]


@pytest.fixture
def client(review_db: Path) -> TestClient:
    with TestClient(create_app(settings(review_db))) as c:
        yield c


def ids(html: str, kind: str) -> list[str]:
    width = {"figures": 40, "documents": 64, "findings": 40}[kind]
    return list(dict.fromkeys(re.findall(rf'href="/{kind}/([0-9a-f]{{{width}}})"', html)))


def figure_with_quote(c: TestClient, quote: str) -> str:
    """The id of the one figure whose quote is exactly `quote`."""
    html = c.get("/figures", params={"q": quote, "per_page": 1000}).text
    rows = re.findall(r'href="/figures/([0-9a-f]{40})">[^<]*</a></td>\s*<td>([^<]*)</td>', html)
    (figure,) = [i for i, q in rows if q == quote]
    return figure


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def minh_anh_finding(c: TestClient) -> str:
    html = c.get("/findings").text
    found = [i for i in ids(html, "findings") if "18 + 7 = 25 ≠ 24" in c.get(f"/findings/{i}").text]
    assert found, "the article's breakdown finding is listed"
    return found[0]


# --- the pages answer --------------------------------------------------------------


def test_every_page_of_the_done_criteria_answers_200(client: TestClient) -> None:
    for path in ("/", "/figures", "/findings", "/documents"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
    figure = ids(client.get("/figures").text, "figures")[0]
    r = client.get(f"/figures/{figure}")
    assert r.status_code == 200 and re.search(r'<mark id="quote">[^<]+</mark>', r.text)
    for doc in ids(client.get("/documents").text, "documents"):
        assert client.get(f"/documents/{doc}").status_code == 200
    assert client.get("/figures/" + "0" * 40).status_code == 404
    assert client.get("/documents/" + "0" * 64).status_code == 404


def test_overview_counts_documents_and_draws_both_charts_as_svg(client: TestClient, review_db: Path) -> None:
    with open_store(review_db) as store:
        loaded = store.fetch_df("SELECT COUNT(*) AS n FROM documents WHERE status = 'loaded'")["n"][0]
        rejected = store.counts()["rejected_inputs"]
    assert loaded >= 10  # the corpus/ files and the article
    html = client.get("/").text
    assert re.search(rf'id="n-loaded">{loaded}<', html)
    assert re.search(rf'id="n-rejected">{rejected}<', html)
    assert "Quảng Trị" in html and "Bắc Giang" in html  # the province × year table
    for name in ("by-province", "by-year"):
        assert f'src="/charts/{name}.svg' in html
        svg = client.get(f"/charts/{name}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in svg.content and b"Qu\xe1\xba\xa3ng Tr\xe1\xbb\x8b" in svg.content  # "Quảng Trị"
    assert client.get("/charts/nope.svg").status_code == 404


def test_a_figure_page_marks_its_quote_in_the_text_around_its_sentence(client: TestClient) -> None:
    html = client.get(f"/figures/{figure_with_quote(client, '18 đảng viên chính thức')}").text
    context = re.search(r'<blockquote class="context" id="context">(.*?)</blockquote>', html, re.DOTALL).group(1)
    assert '<mark id="quote">18 đảng viên chính thức</mark>' in context
    assert "Ngày 12/3/2024, Ban Thường vụ Huyện ủy Lạng Giang" in context  # the text before the sentence
    assert "Năm 2023, chi bộ kết nạp 5 đảng viên mới." in context  # and after it
    assert '<span id="page-number">1</span>' in html
    assert ARTICLE_SUBJECT in html
    assert "18 + 7 = 25 ≠ 24" not in html and "/findings/" in html  # the finding is linked, by its message


def test_a_pdf_figure_shows_its_page_with_the_quote_boxed(client: TestClient) -> None:
    docs = client.get("/documents").text
    pdf = re.search(r'href="/documents/([0-9a-f]{64})">000_fecd69e2d4926bf8.pdf<', docs).group(1)
    rows = client.get("/figures", params={"doc_id": pdf, "per_page": 1000}).text
    pdf_figures = []
    for figure in ids(rows, "figures")[:3]:
        html = client.get(f"/figures/{figure}").text
        m = re.search(r'id="pdf-page" src="([^"]+)"', html)
        if m:
            pdf_figures.append(m.group(1).replace("&amp;", "&"))
    assert pdf_figures, "the PDF rendering of 000 has a figure with a page image"
    r = client.get(pdf_figures[0])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    import numpy as np
    from PIL import Image

    px = np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB")).astype(int)
    red = int(((px[..., 0] > 190) & (px[..., 1] < 80) & (px[..., 2] < 80)).sum())
    assert red > 100, "the box around the quote is drawn"


def test_document_page_shows_header_fields_and_its_text_with_every_figure_marked(client: TestClient) -> None:
    docs = client.get("/documents").text
    assert "000_fecd69e2d4926bf8.pdf" in docs and "bac_giang_minh_anh.txt" in docs
    article = next(d for d in ids(docs, "documents") if "bac_giang_minh_anh" in client.get(f"/documents/{d}").text)
    html = client.get(f"/documents/{article}").text
    assert "Bắc Giang" in html and "Bắc Ninh" in html  # province and its 2025 successor
    text = re.search(r'id="document-text">(.*?)</div>', html, re.DOTALL).group(1)
    assert text.count("<mark>") == 5
    assert "<mark>24 đảng viên</mark>" in text


def test_a_party_documents_header_fields_are_shown(client: TestClient) -> None:
    docs = client.get("/documents").text
    report = re.search(r'href="/documents/([0-9a-f]{64})">bc45_duk_lam_dong.txt<', docs).group(1)
    html = client.get(f"/documents/{report}").text
    fields = dict(re.findall(r'<tr class="header-field"><th>([^<]+)</th><td>([^<]*)</td>', html))
    assert fields, "the header of a báo cáo (issuer, symbol, signer …) is listed"
    assert any("45-BC" in v for v in fields.values())


# --- the explorer ------------------------------------------------------------------


def test_filters_narrow_the_rows_and_say_how_many(client: TestClient) -> None:
    def total(**params: object) -> int:
        html = client.get("/figures", params=params).text
        return int(re.search(r'id="n-results">([\d.]+)<', html).group(1).replace(".", ""))

    everything = total()
    assert everything > 100
    bac_giang = total(province="Bắc Giang")
    assert bac_giang == 5
    assert total(province_2025="Bắc Ninh") >= 5
    assert total(province="Bắc Giang", object="party_cell") == 1
    assert total(province="Bắc Giang", event="admitted") == 4
    assert total(province="Bắc Giang", year_from=2023, year_to=2023) == 1
    assert total(subject="minh anh") == 5
    assert total(q="100%_") == 0  # LIKE wildcards typed by a person match literally
    low = total(max_confidence=0.59)
    assert 0 < low < everything
    html = client.get("/figures", params={"max_confidence": 0.59, "sort": "confidence"}).text
    shown = [float(x) for x in re.findall(r'<td class="num">(0\.\d\d|1\.00)</td>', html)]
    assert shown and max(shown) <= 0.59 and shown == sorted(shown)
    listed = re.search(r'<select name="province" id="filter-province">(.*?)</select>', client.get("/figures").text, re.DOTALL)
    provinces = [p for p in re.findall(r'<option value="([^"]*)"', listed.group(1)) if p not in ("", "∅")]
    assert "Bắc Giang" in provinces and "Quảng Trị" in provinces
    unknown = total(province="∅") if "∅" in listed.group(1) else 0
    assert unknown + sum(total(province=p) for p in provinces) == everything  # every figure under one choice


def test_figures_filter_by_organization_and_level_with_vietnamese_labels(client: TestClient) -> None:
    def total(**params: object) -> int:
        html = client.get("/figures", params=params).text
        return int(re.search(r'id="n-results">([\d.]+)<', html).group(1).replace(".", ""))

    html = client.get("/figures").text
    select = re.search(r'<select name="organization_id" id="filter-organization_id">(.*?)</select>', html, re.DOTALL)
    organizations = dict(re.findall(r'<option value="([0-9a-f]{16})" >([^<]+)</option>', select.group(1)))
    (minh_anh,) = [oid for oid, name in organizations.items() if "Minh Anh" in name]
    assert total(organization_id=minh_anh) == 5
    assert total(organization_id=minh_anh, level="grassroots") == 5
    assert total(organization_id=minh_anh, level="provincial") == 0
    levels = re.search(r'<select name="level" id="filter-level">(.*?)</select>', html, re.DOTALL).group(1)
    assert ">Cơ sở (đảng bộ cơ sở" in levels  # the labels table's Vietnamese words
    assert sum(total(level=lv) for lv in re.findall(r'<option value="(\w+)"', levels) if lv) + total(level="∅") == total()


def test_rows_are_paged(client: TestClient) -> None:
    html = client.get("/figures", params={"per_page": 50}).text
    assert len(re.findall(r'class="figure-link"', html)) == 50 and 'rel="next"' in html
    second = client.get("/figures", params={"per_page": 50, "page": 2}).text
    assert set(ids(html, "figures")).isdisjoint(ids(second, "figures"))
    assert client.get("/figures", params={"per_page": "lots"}).status_code == 400


def test_exports_hold_the_filtered_rows_and_no_formula(client: TestClient) -> None:
    import pandas as pd

    csv = client.get("/figures.csv", params={"subject": "minh anh"})
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    df = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == 5 and "Trích dẫn" in df.columns  # Vietnamese headers by default
    formula_cells = [v for col in df.columns for v in df[col] if v.startswith(("=", "+", "-", "@"))]
    assert not formula_cells
    assert any(v.startswith("'=HYPERLINK(") for v in df["Câu trích"])
    xlsx = client.get("/figures.xlsx", params={"subject": "minh anh", "lang": "en"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert ws.max_row == 6 and "quote" in values
    assert not [v for v in values if isinstance(v, str) and v.startswith("=")]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# --- untrusted text ------------------------------------------------------------------


def test_document_text_is_escaped_and_pages_carry_no_script(client: TestClient) -> None:
    docs = client.get("/documents").text
    pages = ["/", "/figures", "/findings", "/documents"] + [f"/documents/{d}" for d in ids(docs, "documents")]
    pages += [f"/figures/{f}" for f in ids(client.get("/figures", params={"subject": "minh anh"}).text, "figures")]
    for path in pages:
        r = client.get(path)
        assert "<script" not in r.text.lower(), path
        assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none': no script at all
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    article = [p for p in pages if "/documents/" in p and "alert" in client.get(p).text]
    assert article and "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in client.get(article[0]).text


def test_a_localhost_server_refuses_other_host_headers(review_db: Path) -> None:
    with TestClient(create_app(settings(review_db))) as c:
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
        assert c.get("/", headers={"host": "[::1]:8000"}).status_code == 200


def test_english_switch(client: TestClient) -> None:
    vi = client.get("/").text
    assert "Tổng quan" in vi and 'lang="vi"' in vi
    en = client.get("/?lang=en")
    assert 'lang="en"' in en.text and "Overview" in en.text and en.cookies.get("lang") == "en"
    assert 'lang="en"' in client.get("/figures").text  # remembered
    assert "Figures per province and year" in client.get("/?lang=en").text


# --- settling findings -------------------------------------------------------------


def test_read_only_by_default(review_db: Path) -> None:
    with TestClient(create_app(settings(review_db))) as c:
        finding = minh_anh_finding(c)
        html = c.get(f"/findings/{finding}").text
        assert 'id="review-form"' not in html and "--review" in html
        token = csrf_of(c.get("/login").text)  # a valid token of this session: still refused
        r = c.post(f"/findings/{finding}/review", data={"action": "dismiss", "csrf_token": token})
        assert r.status_code == 403
    with open_store(review_db) as store:
        assert store.counts()["reviews"] == 0


def test_a_review_needs_the_sessions_csrf_token(db_copy: Path) -> None:
    with TestClient(create_app(settings(db_copy, review=True))) as c:
        finding = minh_anh_finding(c)
        token = csrf_of(c.get(f"/findings/{finding}").text)
        assert c.post(f"/findings/{finding}/review", data={"action": "dismiss"}).status_code == 403
        assert c.post(f"/findings/{finding}/review", data={"action": "dismiss", "csrf_token": "x" + token}).status_code == 403
        other_origin = {"origin": "http://evil.example"}
        r = c.post(f"/findings/{finding}/review", data={"action": "dismiss", "csrf_token": token}, headers=other_origin)
        assert r.status_code == 403
    with TestClient(create_app(settings(db_copy, review=True))) as other:  # another session: another token
        assert other.post(f"/findings/{finding}/review", data={"action": "dismiss", "csrf_token": token}).status_code == 403
    with open_store(db_copy) as store:
        assert store.counts()["reviews"] == 0


def review(c: TestClient, finding: str, action: str, note: str = "") -> None:
    token = csrf_of(c.get(f"/findings/{finding}").text)
    r = c.post(f"/findings/{finding}/review", data={"action": action, "note": note, "csrf_token": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/findings/{finding}"


def state_of(c: TestClient, finding: str) -> str:
    return re.search(rf'id="finding-{finding}".*?data-state="(\w+)"', c.get(f"/findings/{finding}").text, re.DOTALL).group(1)


def test_dismissed_stays_dismissed_across_restarts_reloads_and_reaudits(store_target: str, tmp_path: Path) -> None:
    with open_store(store_target) as store:
        fill(store, tmp_path)
    app_settings = settings(store_target, review=True, reviewer="kiem_tra_vien")
    with TestClient(create_app(app_settings)) as c:
        finding = minh_anh_finding(c)
        assert state_of(c, finding) == "open"
        review(c, finding, "comment", "Bài báo cộng nhầm: 18 + 7 = 25.")
        assert state_of(c, finding) == "open"  # a comment settles nothing
        review(c, finding, "dismiss", "Số 24 là số đã kết nạp, không phải tổng.")
        assert state_of(c, finding) == "dismissed"
        assert "kiem_tra_vien" in c.get(f"/findings/{finding}").text
    with open_store(store_target) as store:
        fill(store, tmp_path)  # the same documents loaded again, and the audit run again
        audit(store, tmp_path)
        rows = store.reviews(finding)
        assert rows["state"].tolist() == ["commented", "dismissed"]
        assert rows["reviewer"].tolist() == ["kiem_tra_vien"] * 2
    with TestClient(create_app(app_settings)) as c:  # the app restarted
        assert state_of(c, finding) == "dismissed"
        listed = c.get("/findings", params={"state": "dismissed"}).text
        assert ids(listed, "findings") == [finding]
        assert finding not in ids(c.get("/findings", params={"state": "open"}).text, "findings")
        review(c, finding, "reopen")
        assert state_of(c, finding) == "open"


def test_a_findings_id_is_the_same_for_the_same_figures(tmp_path: Path) -> None:
    ids_seen = []
    for i, reverse in enumerate((False, True)):
        with open_store(str(tmp_path / f"s{i}.duckdb")) as store:
            fill(store, tmp_path, reverse=reverse)  # another store, documents in another order
            audit(store, tmp_path)  # and audited twice
            ids_seen.append(sorted(store.fetch_df("SELECT id FROM audit_findings")["id"]))
    assert ids_seen[0] and ids_seen[0] == ids_seen[1]


def test_each_sentence_of_a_finding_is_shown_once_with_all_its_quotes_marked(db_copy: Path) -> None:
    with TestClient(create_app(settings(db_copy))) as c:
        html = c.get(f"/findings/{minh_anh_finding(c)}").text
        article = re.search(r'<article class="finding.*?</article>', html, re.DOTALL).group(0)
        assert article.count("<blockquote") == 1
        assert article.count("<mark>") == 3
        for quote in ("24 đảng viên", "18 đảng viên chính thức", "7 đảng viên dự bị"):
            assert f"<mark>{quote}</mark>" in article
        assert "18 + 7 = 25 ≠ 24" in article
        linked = ids(article, "figures")
        assert len(linked) == 3 and all(c.get(f"/figures/{f}").status_code == 200 for f in linked)


# --- login beyond localhost ------------------------------------------------------


def test_beyond_localhost_everyone_logs_in_with_a_hashed_password(db_copy: Path) -> None:
    with open_store(db_copy) as store:
        store.set_user("thanh", hash_password("mật khẩu đủ dài"))
        stored = store.password_hash("thanh")
    assert stored.startswith("scrypt$") and "mật khẩu" not in stored
    app_settings = dataclasses.replace(settings(db_copy, review=True), host="0.0.0.0")
    with TestClient(create_app(app_settings)) as c:
        r = c.get("/figures?province=B%E1%BA%AFc+Giang", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2Ffigures")
        assert c.get("/charts/by-year.svg", follow_redirects=False).status_code == 303
        token = csrf_of(c.get("/login").text)
        bad = c.post("/login", data={"name": "thanh", "password": "sai", "csrf_token": token})
        assert bad.status_code == 401
        ok = c.post("/login", data={"name": "thanh", "password": "mật khẩu đủ dài", "csrf_token": token,
                                    "next": "//evil.example/"}, follow_redirects=False)
        assert ok.status_code == 303 and ok.headers["location"] == "/"  # no open redirect
        finding = minh_anh_finding(c)
        review(c, finding, "accept", "Đúng là cộng sai.")
        assert "thanh" in c.get(f"/findings/{finding}").text
        c.post("/logout", data={"csrf_token": csrf_of(c.get("/").text)})
        assert c.get("/", follow_redirects=False).status_code == 303
    with open_store(db_copy) as store:
        assert store.reviews(finding)["reviewer"].tolist() == ["thanh"]


def test_failed_logins_are_throttled(db_copy: Path) -> None:
    with open_store(db_copy) as store:
        store.set_user("thanh", hash_password("mật khẩu đủ dài"))
    with TestClient(create_app(settings(db_copy, login=True))) as c:
        token = csrf_of(c.get("/login").text)
        codes = [c.post("/login", data={"name": "thanh", "password": f"sai {i}", "csrf_token": token}).status_code
                 for i in range(6)]
        assert codes == [401] * 5 + [429]
        right = c.post("/login", data={"name": "thanh", "password": "mật khẩu đủ dài", "csrf_token": token})
        assert right.status_code == 429  # even the right password waits


def test_serve_refuses_to_listen_beyond_localhost_without_users(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    run = subprocess.run([sys.executable, "-m", "baocao.cli", "serve", "--db", str(db), "--host", "0.0.0.0"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2 and "baocao user add" in run.stderr


def test_user_add_stores_only_a_hash(tmp_path: Path) -> None:
    db = tmp_path / "users.duckdb"
    cmd = [sys.executable, "-m", "baocao.cli", "user", "add", "lan", "--db", str(db), "--password-stdin"]
    short = subprocess.run(cmd, input="ngắn\n", capture_output=True, text=True, timeout=120, check=False)
    assert short.returncode == 2 and "at least" in short.stderr
    run = subprocess.run(cmd, input="một mật khẩu dài\n", capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    with open_store(db) as store:
        stored = store.password_hash("lan")
    assert verify_password("một mật khẩu dài", stored) and not verify_password("một mật khẩu khác", stored)
    assert "mật khẩu" not in stored


def test_a_document_whose_text_is_not_kept_still_shows_its_sentence(db_copy: Path) -> None:
    with open_store(db_copy) as store:
        store._run(lambda tx: tx.execute("DELETE FROM document_texts"))  # as a store loaded before schema 8
    with TestClient(create_app(settings(db_copy))) as c:
        html = c.get(f"/figures/{figure_with_quote(c, '18 đảng viên chính thức')}").text
        before, after = MINH_ANH_SENTENCE.split("18 đảng viên chính thức")
        assert f'{before}<mark id="quote">18 đảng viên chính thức</mark>{after}' in html and "baocao run" in html
