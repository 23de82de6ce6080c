"""The committed JSON Schema and data dictionary match the code, and every column is described."""

from __future__ import annotations

import pytest

from baocao.store import Store
from baocao.store.catalog import relations
from baocao.store.dictionary import describe_column, headers_vi, table_descriptions, vietnamese_header
from schemas import generate


@pytest.mark.parametrize("path", list(generate.outputs()), ids=lambda p: p.name)
def test_committed_file_is_up_to_date(path) -> None:
    assert path.read_text(encoding="utf-8") == generate.outputs()[path], (
        f"{path.name} is stale: run python -m schemas.generate"
    )
    assert generate.main(["--check"]) == 0


def test_the_json_schema_covers_every_record() -> None:
    schema = generate.records_json_schema()
    assert schema["x-schema-version"] >= 1
    assert {"SourceDocument", "Extraction", "Figure", "DocRef", "DateMention", "Rejection"} <= set(schema["$defs"])


def test_every_column_has_an_english_and_vietnamese_description_and_header() -> None:
    for rel in relations().values():
        for col in rel.columns:
            text = describe_column(rel.name, col.name)
            assert text and text["en"].strip() and text["vi"].strip(), f"{rel.name}.{col.name} is not described"
            assert vietnamese_header(rel.name, col.name) != col.name, f"{rel.name}.{col.name} has no Vietnamese header"


def test_descriptions_and_headers_name_only_real_tables_and_columns() -> None:
    rels = relations()
    descriptions = table_descriptions()
    assert set(descriptions["tables"]) == set(rels)
    for name, entry in descriptions["tables"].items():
        assert entry["kind"] == rels[name].kind
        assert set(entry["columns"]) <= set(rels[name].column_names), name
    every_column = {c for r in rels.values() for c in r.column_names}
    assert set(descriptions["shared_columns"]) <= every_column
    headers = headers_vi()
    assert set(headers["columns"]) <= every_column
    for name, overrides in headers["tables"].items():
        assert set(overrides) <= set(rels[name].column_names), name


def test_vietnamese_headers_are_unique_within_a_sheet() -> None:
    for rel in relations().values():
        names = [vietnamese_header(rel.name, c) for c in rel.column_names]
        assert len(names) == len(set(names)), rel.name


_LOGICAL = {
    "varchar": "text", "text": "text", "integer": "integer", "bigint": "bigint", "double": "double",
    "double precision": "double", "boolean": "boolean", "date": "date", "timestamp": "timestamp",
    "timestamp without time zone": "timestamp",
}  # fmt: skip


def test_both_backends_have_the_catalogued_columns_and_types(store: Store) -> None:
    schema = "current_schema()" if store.dialect == "postgres" else "'main'"
    df = store.fetch_df(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        f"WHERE table_schema = {schema} ORDER BY table_name, ordinal_position"
    )
    found = {
        name: [(r.column_name, _LOGICAL[r.data_type.lower()]) for r in group.itertuples()]
        for name, group in df.groupby("table_name", sort=False)
    }
    expected = {r.name: [(c.name, c.type) for c in r.columns] for r in relations().values()}
    assert found == expected
