"""Fixtures shared by the store, export and schema tests.

`store` runs each test on DuckDB and on PostgreSQL. The PostgreSQL run needs a
server: `eval "$(bash scripts/ci_postgres.sh)"` sets BAOCAO_TEST_PG_URL; without
it those runs are skipped. Every PostgreSQL test gets a schema of its own
(dropped afterwards), so tests never see each other's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from baocao.store import Store, open_store
from schemas.records import DateMention, DocRef, DocumentInfo, Extraction, Figure, Page, Person, SourceDocument

PG_URL_ENV = "BAOCAO_TEST_PG_URL"
NO_PG_REASON = f'{PG_URL_ENV} is not set: run eval "$(bash scripts/ci_postgres.sh)" to test on PostgreSQL'


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"postgres: runs on a PostgreSQL server ({PG_URL_ENV})")


def with_search_path(url: str, schema: str) -> str:
    """The same database URL with its tables in `schema` (libpq `options`)."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def new_store_target(backend: str, directory: Path) -> Iterator[str]:
    """Where a fresh, empty store lives: a DuckDB file in `directory`, or a PostgreSQL URL with a
    new schema (dropped afterwards)."""
    if backend == "duckdb":
        yield str(directory / "baocao.duckdb")
        return
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(NO_PG_REASON)
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, empty store lives: a DuckDB file, or a PostgreSQL URL with a new schema."""
    with new_store_target(request.param, tmp_path) as target:
        yield target


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with open_store(store_target) as s:
        yield s


# --- records built from real Vietnamese text ---------------------------------

DocPair = tuple[SourceDocument, Extraction]
MakeDoc = Callable[..., DocPair]


def _span(text: str, quote_: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote_, start + 1)
    return start, start + len(quote_)


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    s = max(text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0, text.rfind("\n", 0, start) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    e = min(stops) + 1 if stops else len(text)
    return text[s:e].strip(), s


def _evidence(text: str, spec: dict[str, Any]) -> dict[str, Any]:
    spec = dict(spec)
    start, end = _span(text, spec["quote"], spec.pop("occurrence", 0))
    sentence, sentence_start = _sentence(text, start, end)
    return {"start": start, "end": end, "sentence": sentence, "sentence_start": sentence_start, **spec}


def _person(text: str, spec: dict[str, Any]) -> Person:
    """A person named by `quote` (its name unless the spec gives one); Person keeps a span, no sentence."""
    spec = dict(spec)
    name = spec.pop("quote")
    start, end = _span(text, name, spec.pop("occurrence", 0))
    return Person(**{"name": name, "start": start, "end": end, **spec})


def make_doc_pair(
    text: str,
    path: str,
    *,
    info: DocumentInfo | None = None,
    figures: list[dict[str, Any]] | None = None,
    doc_refs: list[dict[str, Any]] | None = None,
    dates: list[dict[str, Any]] | None = None,
    people: list[dict[str, Any]] | None = None,
) -> DocPair:
    """A .txt document and its extraction; each fact spec names its `quote`, offsets are found in `text`."""
    data = text.encode("utf-8")
    doc = SourceDocument(
        id=hashlib.sha256(data).hexdigest(),
        path=path,
        name=Path(path).name,
        format="txt",
        encoding="utf-8",
        size_bytes=len(data),
        text=text,
        raw_text=text,
        pages=[Page(number=1, start=0, end=len(text))],
    )
    info = info or DocumentInfo()
    if people:
        info = info.model_copy(update={"people": [_person(text, p) for p in people]})
    extraction = Extraction(
        info=info,
        figures=[Figure(**_evidence(text, f)) for f in figures or []],
        doc_refs=[DocRef(**_evidence(text, r)) for r in doc_refs or []],
        dates=[DateMention(**_evidence(text, d)) for d in dates or []],
    )
    return doc, extraction


@pytest.fixture
def make_doc() -> MakeDoc:
    return make_doc_pair


KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
QUANG_TRI = DocumentInfo(province="Quảng Trị", province_2025="Quảng Trị")

KHOI_2024_TEXT = (
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị được thành lập trên cơ sở hợp nhất Đảng bộ Khối "
    "Các cơ quan tỉnh và Đảng bộ Khối Doanh nghiệp tỉnh theo Quyết định số 1405- QĐ/TU ngày 26/6/2019 của "
    "Ban Chấp hành Đảng bộ tỉnh Quảng Trị. Hiện nay, Đảng bộ Khối có 84 TCCS đảng (46 Đảng bộ và 38 Chi bộ "
    "cơ sở) với 4.989 đảng viên."
)
KHOI_2020_TEXT = (
    "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị (Đảng bộ Khối) được thành lập ngày 1/7/2019 trên cơ "
    "sở hợp nhất Đảng bộ Khối các Cơ quan tỉnh và Đảng bộ Khối Doanh nghiệp tỉnh, có 81 tổ chức cơ sở đảng "
    "với gần 5.000 đảng viên."
)
KCN_TEXT = (
    "Toàn tỉnh có 27 đảng viên làm việc ở các khu công nghiệp, khu kinh tế, sinh hoạt đảng ở nơi cư trú; về "
    "tổ chức đoàn thể trong các doanh nghiệp, có 137 tổ chức công đoàn với 62.103 đoàn viên."
)


def khoi_2024(
    path: str = "corpus/khoi_2024.txt",
    text: str = KHOI_2024_TEXT,
    doc_date: dt.date = dt.date(2024, 7, 3),
    people: list[dict[str, Any]] | None = None,
) -> DocPair:
    """A news item: 84 party organizations (46 committees + 38 cells) and 4.989 members."""
    return make_doc_pair(
        text,
        path,
        info=QUANG_TRI.model_copy(update={"doc_date": doc_date}),
        people=people,
        figures=[
            {"quote": "84 TCCS đảng", "object": "party_org", "event": "total", "value": 84, "subject": KHOI},
            {
                "quote": "46 Đảng bộ",
                "object": "party_committee",
                "event": "total",
                "value": 46,
                "subject": KHOI,
                "parent": 0,
            },
            {
                "quote": "38 Chi bộ cơ sở",
                "object": "party_cell",
                "event": "total",
                "value": 38,
                "subject": KHOI,
                "parent": 0,
            },
            {"quote": "4.989 đảng viên", "object": "party_member", "event": "total", "value": 4989, "subject": KHOI},
        ],
        doc_refs=[
            {
                "quote": "Quyết định số 1405- QĐ/TU",
                "ref": "1405-QĐ/TU",
                "doc_type": "Quyết định",
                "issued": dt.date(2019, 6, 26),
            }
        ],
        dates=[{"quote": "26/6/2019", "date": dt.date(2019, 6, 26)}],
    )


# The article's closing line in corpus/002_17ddd8d68bc38bf9.txt: its author, with his title.
BYLINE = "\nThịnh Đức Tiền, Phó Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh."
TIEN = {"quote": "Thịnh Đức Tiền", "role": "Phó Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh", "kind": "official"}


def khoi_2024_signed(path: str = "corpus/khoi_2024.txt") -> DocPair:
    """khoi_2024 with its closing line: one person named, an official."""
    return khoi_2024(path, text=KHOI_2024_TEXT + BYLINE, people=[TIEN])


def khoi_2020(path: str = "corpus/khoi_2020.txt") -> DocPair:
    """An older article on the same Party committee: 81 organizations, nearly 5.000 members."""
    return make_doc_pair(
        KHOI_2020_TEXT,
        path,
        info=QUANG_TRI.model_copy(update={"doc_date": dt.date(2020, 8, 23)}),
        figures=[
            {"quote": "81 tổ chức cơ sở đảng", "object": "party_org", "event": "total", "value": 81, "subject": KHOI},
            {
                "quote": "gần 5.000 đảng viên",
                "object": "party_member",
                "event": "total",
                "value": 5000,
                "qualifier": "approx",
                "subject": KHOI,
            },
        ],
        dates=[{"quote": "1/7/2019", "date": dt.date(2019, 7, 1)}],
    )


def kcn(path: str = "corpus/kcn.txt") -> DocPair:
    """Industrial zones of a southern province: members, trade unions and their members."""
    return make_doc_pair(
        KCN_TEXT,
        path,
        info=DocumentInfo(province="Bình Phước", province_2025="Đồng Nai", doc_date=dt.date(2023, 5, 12)),
        figures=[
            {
                "quote": "27 đảng viên",
                "object": "party_member",
                "event": "total",
                "value": 27,
                "segment": "industrial_zone",  # extractors/data/segments.json code of "khu công nghiệp"
            },
            {"quote": "137 tổ chức công đoàn", "object": "trade_union_org", "event": "total", "value": 137},
            {"quote": "62.103 đoàn viên", "object": "trade_union_member", "event": "total", "value": 62103},
        ],
    )
