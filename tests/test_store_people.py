"""People named in a document, and each figure's own 2025 province, in the store (both backends).

The documents are real articles of corpus/, read and extracted as `baocao run` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DocPair, kcn
from dev_docs import RULES, extract

from baocao.ingest import read_document
from baocao.resolve import resolve
from baocao.store import Store
from schemas.records import fact_id

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OFFICIAL = "002_17ddd8d68bc38bf9.txt"  # closes with an official's name and title
AUTHOR = "003_a8b278771690ab33.txt"  # signed by the Bí thư: "Hoàng Xuân Hường"
MERGED = "001_cb9490ee494cbe99.txt"  # Bình Phước, part of Đồng Nai since 2025


@pytest.fixture(scope="module")
def corpus() -> dict[str, DocPair]:
    pairs = {}
    for name in (OFFICIAL, AUTHOR, MERGED):
        doc = read_document(CORPUS / name)
        pairs[name] = (doc, resolve(doc, extract(doc.text), RULES))
    return pairs


def _tuples(store: Store, sql: str) -> list[tuple]:
    df = store.fetch_df(sql)
    df = df.astype(object).where(df.notna(), None)  # NULL as None, not NaN
    return list(df.itertuples(index=False, name=None))


def _people(store: Store) -> list[tuple]:
    rows = _tuples(store, "SELECT id, doc_id, seq, name, role, kind, start_offset, end_offset, quote, page FROM people")
    return sorted(rows, key=lambda r: (r[1], r[2]))


def _expected_people(*pairs: DocPair) -> list[tuple]:
    rows = [
        (
            fact_id(doc.id, "person", p.start, p.end, p.name),
            doc.id,
            seq,
            p.name,
            p.role,
            p.kind,
            p.start,
            p.end,
            doc.text[p.start : p.end],
            doc.page_at(p.start),
        )
        for doc, ex in pairs
        for seq, p in enumerate(ex.info.people)
    ]
    return sorted(rows, key=lambda r: (r[1], r[2]))


def _moved(pair: DocPair, path: str) -> DocPair:
    """The same bytes found at another path."""
    doc, ex = pair
    return doc.model_copy(update={"path": path, "name": Path(path).name}), ex


def test_the_people_a_document_names_are_stored_where_they_stand(store: Store, corpus: dict[str, DocPair]) -> None:
    official, author = corpus[OFFICIAL], corpus[AUTHOR]
    assert store.load_document(*official).people == len(official[1].info.people) >= 1
    store.load_document(*author)

    rows = _people(store)
    assert rows == _expected_people(official, author)
    signatory = [r for r in rows if r[1] == author[0].id]
    assert [(r[3], r[4], r[5]) for r in signatory] == [("Hoàng Xuân Hường", None, "author")]
    officials = [r for r in rows if r[1] == official[0].id]
    assert all(r[5] == "official" and r[4] for r in officials)  # an official comes with a title
    for r in rows:  # the quote is the name as written; the name has its spaces tidied
        assert " ".join(r[8].split()) == r[3] and r[9] == 1


def test_reloading_the_same_document_adds_no_people(store: Store, corpus: dict[str, DocPair]) -> None:
    store.load_document(*corpus[OFFICIAL])
    store.load_document(*corpus[OFFICIAL])
    assert _people(store) == _expected_people(corpus[OFFICIAL])


def test_a_changed_file_replaces_its_people(store: Store, corpus: dict[str, DocPair]) -> None:
    path = "corpus/bai_viet.txt"
    old = _moved(corpus[AUTHOR], path)
    store.load_document(*old)
    new = _moved(corpus[OFFICIAL], path)  # the file now holds another article

    assert store.load_document(*new).replaced == (old[0].id,)
    assert _people(store) == _expected_people(new)
    assert "Hoàng Xuân Hường" not in {r[3] for r in _people(store)}


def test_prune_removes_the_people_of_files_that_are_gone(store: Store, corpus: dict[str, DocPair]) -> None:
    official, author = corpus[OFFICIAL], corpus[AUTHOR]
    store.load_document(*official)
    store.load_document(*author)

    assert store.prune([official[0].path]) == [author[0].path]
    assert _people(store) == _expected_people(official)
    assert store.prune([]) == [official[0].path]
    assert store.counts()["people"] == 0 and store.counts()["documents"] == 0  # tombstones swept past the people


def test_each_figure_keeps_its_own_2025_province(store: Store, corpus: dict[str, DocPair]) -> None:
    doc, ex = corpus[MERGED]
    store.load_document(doc, ex)

    stored = _tuples(store, "SELECT seq, province, province_2025 FROM figures ORDER BY seq")
    assert len(stored) >= 1
    for seq, province, province_2025 in stored:
        f = ex.figures[seq]
        assert (province, province_2025) == (f.province, f.province_2025), f.quote
    assert "Đồng Nai" in {r[2] for r in stored}  # Bình Phước's successor
    assert store.fetch_df("SELECT province_2025 FROM documents")["province_2025"].tolist() == ["Đồng Nai"]


def test_a_figure_in_another_province_is_consolidated_under_that_province_s_successor(store: Store, make_doc) -> None:
    text = (
        "Toàn tỉnh Bình Phước có 27 đảng viên làm việc ở các khu công nghiệp và 12 chi bộ doanh nghiệp. "
        "Tỉnh Hòa Bình có 137 tổ chức công đoàn với 62.103 đoàn viên trong 45 doanh nghiệp."
    )
    binh_phuoc = {"province": "Bình Phước"}
    hoa_binh = {"province": "Hòa Bình"}
    doc, ex = make_doc(
        text,
        "corpus/hai_tinh.txt",
        info=kcn()[1].info,  # Bình Phước, Đồng Nai since 2025
        figures=[
            {"quote": "27 đảng viên", "object": "party_member", "event": "total", "value": 27,
             "province_2025": "Đồng Nai", **binh_phuoc},
            # no successor of its own (as figures loaded before schema version 3): the document's stands in
            {"quote": "12 chi bộ", "object": "party_cell", "event": "total", "value": 12, **binh_phuoc},
            {"quote": "137 tổ chức công đoàn", "object": "trade_union_org", "event": "total", "value": 137,
             "province_2025": "Phú Thọ", **hoa_binh},
            # another province without a successor: the document's would be wrong, so none
            {"quote": "62.103 đoàn viên", "object": "trade_union_member", "event": "total", "value": 62103,
             **hoa_binh},
            {"quote": "45 doanh nghiệp", "object": "enterprise", "event": "total", "value": 45},
        ],
    )  # fmt: skip
    store.load_document(doc, ex)

    stored = _tuples(store, "SELECT province_2025 FROM figures ORDER BY seq")
    assert stored == [("Đồng Nai",), (None,), ("Phú Thọ",), (None,), (None,)]
    for view in ("figures_consolidated", "figure_timeseries"):
        got = {o: (p, p25) for o, p, p25 in _tuples(store, f"SELECT object, province, province_2025 FROM {view}")}
        assert got == {
            "party_member": ("Bình Phước", "Đồng Nai"),
            "party_cell": ("Bình Phước", "Đồng Nai"),
            "trade_union_org": ("Hòa Bình", "Phú Thọ"),
            "trade_union_member": ("Hòa Bình", None),
            "enterprise": ("Bình Phước", "Đồng Nai"),
        }, view
