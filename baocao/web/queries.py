"""What the review app reads from the store: plain functions of a store and typed filters.

The app's pages are thin over these, and so are the exports and the benchmark. SQL uses `?`
placeholders (both backends) and is built only from fixed fragments; every value a person
typed travels as a parameter.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field, field_validator

from baocao.store import Store

# One row per figure of a loaded document: the store's figure_facts view (its organization and
# level, the province before and after 2025, a period dated by the document when the text gives
# none), with what the app shows besides (where the quote stands, how the reader decided).
FIGURE_ROWS = """
    SELECT ff.*, f.seq, f.start_offset, f.end_offset, f.decided_by, d.format AS doc_format
    FROM figure_facts ff
    JOIN figures f ON f.id = ff.figure_id
    JOIN documents d ON d.id = ff.doc_id"""

# What the explorer lists and exports, in order.
LIST_COLUMNS = (
    "figure_id", "doc_name", "page", "province", "province_2025", "organization_id", "organization_name", "level",
    "subject", "object", "event", "detail", "segment", "value", "qualifier", "target", "period_start", "period_end",
    "period_source", "confidence", "quote",
)  # fmt: skip
EXPORT_COLUMNS = LIST_COLUMNS + ("doc_id", "start_offset", "end_offset", "sentence", "decided_by")

# More rows than a person reads on one page go to the CSV/XLSX export (all rows that pass).
PAGE_SIZES = (50, 100, 500, 1000)
SORTS = {
    "document": "doc_name, seq",
    "confidence": "confidence ASC NULLS FIRST, doc_name, seq",
    "value": "value DESC, doc_name, seq",
    "period": "period_year DESC NULLS LAST, doc_name, seq",
}
# Filters chosen from a list: query parameter -> column.
CHOICES = ("province", "province_2025", "organization_id", "level", "object", "event", "detail", "qualifier")


class FigureFilter(BaseModel):
    """The explorer's filters, as query parameters; an empty value means 'any'."""

    province: str = ""  # before the 2025 merger
    province_2025: str = ""
    organization_id: str = Field("", description="an organization of the registry (organizations.id)")
    level: str = Field("", description="its level: central, provincial, under_provincial, grassroots, below_grassroots")
    subject: str = Field("", description="words of the organization's name as written (case-insensitive)")
    object: str = ""
    event: str = ""
    detail: str = ""
    qualifier: str = ""
    year_from: int | None = None
    year_to: int | None = None
    max_confidence: float | None = Field(None, description="only figures the reader was at most this sure of")
    target: str = Field("", description="'yes': goals only, 'no': achieved figures only")
    doc_id: str = ""
    q: str = Field("", description="words of the quote or sentence")
    sort: str = "document"
    page: int = 1
    per_page: int = 100

    @field_validator("year_from", "year_to", "max_confidence", mode="before")
    @classmethod
    def _blank_is_none(cls, v: Any) -> Any:
        return None if v == "" else v

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, v: str) -> str:
        return v if v in SORTS else "document"

    @field_validator("page")
    @classmethod
    def _page(cls, v: int) -> int:
        return max(1, v)

    @field_validator("per_page")
    @classmethod
    def _per_page(cls, v: int) -> int:
        return min(PAGE_SIZES, key=lambda s: abs(s - v))

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause over FIGURE_ROWS columns, and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for name in CHOICES:
            value = getattr(self, name)
            if value == "∅":  # 'not known'
                clauses.append(f"{name} IS NULL")
            elif value:
                clauses.append(f"{name} = ?")
                params.append(value)
        if self.subject:
            clauses.append(f"LOWER(subject) LIKE ? {_ESCAPE}")
            params.append(f"%{_like(self.subject.lower())}%")
        if self.q:
            clauses.append(f"(LOWER(quote) LIKE ? {_ESCAPE} OR LOWER(sentence) LIKE ? {_ESCAPE})")
            params += [f"%{_like(self.q.lower())}%"] * 2
        if self.year_from is not None:
            clauses.append("period_year >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("period_year <= ?")
            params.append(self.year_to)
        if self.max_confidence is not None:
            clauses.append("confidence <= ?")
            params.append(self.max_confidence)
        if self.target in ("yes", "no"):
            clauses.append("target" if self.target == "yes" else "NOT target")
        if self.doc_id:
            clauses.append("doc_id = ?")
            params.append(self.doc_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def query_string(self, **changes: Any) -> str:
        """These filters as a URL query (for links to other pages of the same list, or exports)."""
        from urllib.parse import urlencode

        values = {**self.model_dump(), **changes}
        defaults = FigureFilter().model_dump()
        return urlencode({k: v for k, v in values.items() if v not in (None, "") and v != defaults.get(k)})


_ESCAPE = "ESCAPE '\\'"  # DuckDB's LIKE has no escape character unless told


def _like(text: str) -> str:
    """A LIKE pattern that matches the text literally (%, _ and the escape itself are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class FigurePage:
    rows: list[dict[str, Any]]
    total: int
    filters: FigureFilter

    @property
    def n_pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with None (not NaN/NaT) for missing values."""
    if df.empty:
        return []
    df = df.astype(object).where(pd.notna(df), None)
    return df.to_dict("records")


def _page_sql(filters: FigureFilter, source: str) -> tuple[str, list[Any]]:
    where, params = filters.where()
    limit, offset = filters.per_page, (filters.page - 1) * filters.per_page
    sql = (
        f"SELECT {', '.join(LIST_COLUMNS)}, COUNT(*) OVER () AS n_total FROM ({source}) ff{where} "
        f"ORDER BY {SORTS[filters.sort]} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    return sql, params


def _count_sql(filters: FigureFilter, source: str) -> tuple[str, list[Any]]:
    where, params = filters.where()
    return f"SELECT COUNT(*) AS n FROM ({source}) ff{where}", params


def _page(frame: pd.DataFrame, filters: FigureFilter, count: pd.DataFrame | None) -> FigurePage:
    rows = _records(frame)
    if rows:
        total = int(rows[0]["n_total"])
    else:  # past the last page: still say how many there are
        total = int(count["n"][0]) if count is not None and not count.empty else 0
    return FigurePage(rows=rows, total=total, filters=filters)


def filter_figures(store: Store, filters: FigureFilter, *, source: str = FIGURE_ROWS) -> FigurePage:
    """One page of the figures that pass the filters, and how many pass in all."""
    page_sql, count_sql = _page_sql(filters, source), _count_sql(filters, source)
    frame, count = store.fetch_dfs([(page_sql[0], page_sql[1] or None), (count_sql[0], count_sql[1] or None)]) \
        if filters.page > 1 else (store.fetch_df(page_sql[0], page_sql[1] or None), None)
    return _page(frame, filters, count)


@dataclass
class _Options:
    version: tuple[Any, ...]
    values: dict[str, list[Any]]
    at: float


_OPTIONS: dict[int, _Options] = {}
_OPTIONS_TTL = 60.0  # seconds: the organization stage relinks figures without loading anything


def explorer(store: Store, filters: FigureFilter, *, source: str = FIGURE_ROWS) -> tuple[FigurePage, dict[str, list[Any]]]:
    """The explorer's page and the values its filters can take, in as few transactions as it can:
    the choices are read again only when the data changed (or a minute passed)."""
    import time

    page_sql, count_sql = _page_sql(filters, source), _count_sql(filters, source)
    statements = [(DATA_VERSION_SQL, None), (page_sql[0], page_sql[1] or None)]
    if filters.page > 1:  # a page past the last one still says how many there are
        statements.append((count_sql[0], count_sql[1] or None))
    frames = store.fetch_dfs(statements)
    version = _version(frames[0])
    cached = _OPTIONS.get(id(store))
    if cached is None or cached.version != version or time.monotonic() - cached.at > _OPTIONS_TTL:
        cached = _Options(version, filter_options(store, source=source), time.monotonic())
        _OPTIONS[id(store)] = cached
    return _page(frames[1], filters, frames[2] if len(frames) > 2 else None), cached.values


def export_figures(store: Store, filters: FigureFilter, *, source: str = FIGURE_ROWS) -> pd.DataFrame:
    """Every figure that passes the filters (no paging), with its provenance."""
    where, params = filters.where()
    sql = f"SELECT {', '.join(EXPORT_COLUMNS)} FROM ({source}) ff{where} ORDER BY {SORTS[filters.sort]}"
    return store.fetch_df(sql, params or None)


_OPTION_COLUMNS = (*CHOICES, "organization_name", "period_year")


def filter_options(store: Store, *, source: str = FIGURE_ROWS) -> dict[str, list[Any]]:
    """The values each list filter can take (what is loaded), and the years; organizations as (id, name).
    One pass over the figures: their distinct combinations, reduced here."""
    cols = ", ".join(_OPTION_COLUMNS)
    df = store.fetch_df(f"SELECT DISTINCT {cols} FROM ({source}) ff")
    out: dict[str, list[Any]] = {}
    nullable: list[str] = []
    for c in CHOICES:
        values = df[c]
        if values.isna().any():
            nullable.append(c)
        out[c] = sorted({str(v) for v in values.dropna()}, key=str.lower)
    years = df["period_year"].dropna()
    out["year"] = [str(y) for y in sorted({int(y) for y in years})]
    orgs = df[["organization_id", "organization_name"]].dropna(subset=["organization_id"]).drop_duplicates("organization_id")
    out["organization"] = sorted(
        ((str(i), str(n) if isinstance(n, str) else str(i)) for i, n in zip(orgs["organization_id"], orgs["organization_name"], strict=True)),
        key=lambda pair: pair[1].lower(),
    )
    out["_nullable"] = nullable
    return out


def figure(store: Store, figure_id: str, *, source: str = FIGURE_ROWS) -> dict[str, Any] | None:
    rows = _records(store.fetch_df(f"SELECT * FROM ({source}) ff WHERE figure_id = ?", [figure_id]))
    if not rows:
        return None
    row = rows[0]
    extra = _records(store.fetch_df(
        "SELECT parent_id, sentence_start, raw_start, raw_end FROM figures WHERE id = ?", [figure_id]
    ))
    row.update(extra[0] if extra else {})
    return row


def related_figures(store: Store, figure_id: str, parent_id: str | None) -> dict[str, list[dict[str, Any]]]:
    """The whole this figure is part of, and its own parts."""
    cols = "id, value, qualifier, object, event, quote, segment"
    parts = _records(store.fetch_df(f"SELECT {cols} FROM figures WHERE parent_id = ? ORDER BY seq", [figure_id]))
    whole = (
        _records(store.fetch_df(f"SELECT {cols} FROM figures WHERE id = ?", [parent_id])) if parent_id else []
    )
    return {"whole": whole, "parts": parts}


# --- documents -------------------------------------------------------------------

DOCUMENT_LIST = """
    SELECT d.id, d.name, d.path, d.format, d.status, d.error, d.n_pages, d.province, d.province_2025, d.doc_date,
           d.symbol, d.doc_type, d.title,
           d.loaded_at, d.duplicate_of, COALESCE(n.n_figures, 0) AS n_figures
    FROM documents d
    LEFT JOIN (SELECT doc_id, COUNT(*) AS n_figures FROM figures GROUP BY doc_id) n ON n.doc_id = d.id
    WHERE d.status <> 'deleted'
    ORDER BY d.status, d.name, d.id"""


def documents(store: Store) -> list[dict[str, Any]]:
    return _records(store.fetch_df(DOCUMENT_LIST))


def rejected_inputs(store: Store) -> list[dict[str, Any]]:
    return _records(store.fetch_df("SELECT * FROM rejected_inputs ORDER BY path, seen_at"))


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    rows = _records(store.fetch_df("SELECT * FROM documents WHERE id = ? AND status <> 'deleted'", [doc_id]))
    if not rows:
        return None
    doc = rows[0]
    doc["people"] = _records(store.fetch_df(
        "SELECT name, role, kind, page FROM people WHERE doc_id = ? ORDER BY seq", [doc_id]
    ))
    doc["doc_refs"] = _records(store.fetch_df(
        "SELECT ref, doc_type, issued, page FROM doc_refs WHERE doc_id = ? ORDER BY seq", [doc_id]
    ))
    doc["dates"] = _records(store.fetch_df("SELECT date, quote, page FROM dates WHERE doc_id = ? ORDER BY seq", [doc_id]))
    doc["figures"] = _records(store.fetch_df(
        "SELECT id, seq, page, start_offset, end_offset, object, event, detail, value, qualifier, target, "
        "subject, confidence, quote FROM figures WHERE doc_id = ? ORDER BY seq", [doc_id]
    ))
    doc["rejections"] = _records(store.fetch_df(
        "SELECT path, reason, error, seen_at FROM rejected_inputs WHERE doc_id = ? ORDER BY seen_at", [doc_id]
    ))
    return doc


# --- overview --------------------------------------------------------------------


def overview(store: Store, *, source: str = FIGURE_ROWS) -> dict[str, Any]:
    status = store.fetch_df("SELECT status, COUNT(*) AS n FROM documents WHERE status <> 'deleted' GROUP BY status")
    by_status = dict(zip(status["status"], status["n"].astype(int), strict=True))
    unread = int(store.fetch_df(
        "SELECT COUNT(*) AS n FROM rejected_inputs WHERE doc_id IS NULL"
    )["n"][0])  # files whose bytes could not even be read: no documents row
    per = store.fetch_df(
        f"SELECT province, period_year AS year, COUNT(*) AS n FROM ({source}) ff GROUP BY province, period_year"
    )
    levels = store.fetch_df(f"SELECT level, COUNT(*) AS n FROM ({source}) ff GROUP BY level ORDER BY level NULLS LAST")
    per["n"] = per["n"].astype(int)
    severities = store.fetch_df("SELECT severity, COUNT(*) AS n FROM audit_findings GROUP BY severity")
    return {
        "loaded": by_status.get("loaded", 0),
        "rejected": by_status.get("rejected", 0) + unread,
        "n_figures": int(per["n"].sum()) if not per.empty else 0,
        "per_province_year": _records(per.sort_values(["province", "year"], na_position="last")),
        "findings": dict(zip(severities["severity"], severities["n"].astype(int), strict=True)),
        "per_level": _records(levels),
        "low_confidence": int(store.fetch_df(
            f"SELECT COUNT(*) AS n FROM ({source}) ff WHERE confidence < 0.6"
        )["n"][0]),
    }


# --- findings --------------------------------------------------------------------


@dataclass
class FindingView:
    """A finding as the app shows it: its row, its facts grouped by the sentence they stand in, its review."""

    row: dict[str, Any]
    facts: list[dict[str, Any]]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    review: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def state(self) -> str:
        return self.review["state"] if self.review and self.review["state"] != "reopened" else "open"


def _sentences(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each distinct sentence once, with every quote of the finding that stands in it.

    A breakdown of 23 parts read from one sentence is one sentence with 23 marks, not the same
    sentence 23 times.
    """
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for f in facts:
        key = (f["doc_id"], f.get("sentence") or f["quote"])
        g = groups.setdefault(key, {"doc_id": f["doc_id"], "doc_name": f["doc_name"], "page": f.get("page"),
                                    "sentence": key[1], "facts": []})
        g["facts"].append(f)
    out = []
    for g in groups.values():
        spans = []
        for f in g["facts"]:
            i = f.get("quote_offset")
            if i is None or g["sentence"][i : i + len(f["quote"])] != f["quote"]:
                i = g["sentence"].find(f["quote"])
            if i >= 0:
                spans.append((i, i + len(f["quote"]), f))
        g["pieces"] = marked_pieces(g["sentence"], [(s, e, f["fact_id"]) for s, e, f in spans])
        out.append(g)
    return out


def marked_pieces(text: str, spans: list[tuple[int, int, Any]]) -> list[tuple[str, Any]]:
    """text cut into (piece, tag) pairs: tag None for plain text, else the span's tag; overlaps keep the first."""
    pieces: list[tuple[str, Any]] = []
    pos = 0
    for start, end, tag in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start:
            continue
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], tag))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


class FindingFilter(BaseModel):
    severity: str = ""
    state: str = ""  # open, accepted, dismissed
    rule: str = ""
    province: str = ""
    figure_id: str = ""


def _finding_view(row: dict[str, Any], reviews: dict[str, dict[str, Any]]) -> FindingView:
    facts = json.loads(row.get("facts_json") or "[]")
    return FindingView(row=row, facts=facts, sentences=_sentences(facts), review=reviews.get(str(row["id"])))


_FINDINGS_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, province, subject, rule, id"


def findings(store: Store, filters: FindingFilter | None = None) -> list[FindingView]:
    filters = filters or FindingFilter()
    clauses, params = [], []
    for name in ("severity", "rule", "province"):
        if getattr(filters, name):
            clauses.append(f"{name} = ?")
            params.append(getattr(filters, name))
    if filters.figure_id:
        clauses.append(f"facts_json LIKE ? {_ESCAPE}")
        params.append(f'%"fact_id": "{_like(filters.figure_id)}"%')
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = _records(store.fetch_df(f"SELECT * FROM audit_findings{where} ORDER BY {_FINDINGS_ORDER}", params or None))
    reviews = store.review_states()
    views = [_finding_view(r, reviews) for r in rows]
    if filters.state:
        views = [v for v in views if v.state == filters.state]
    return views


def finding(store: Store, finding_id: str) -> FindingView | None:
    rows = _records(store.fetch_df("SELECT * FROM audit_findings WHERE id = ?", [finding_id]))
    if not rows:
        return None
    return _finding_view(rows[0], store.review_states())


def orphan_reviews(store: Store) -> list[dict[str, Any]]:
    """Settled reviews whose finding the last audit did not find again (its figures changed)."""
    return _records(store.fetch_df(
        "SELECT r.finding_id, r.state, r.reviewer, r.created_at, r.rule, r.arithmetic, r.note FROM reviews r "
        "WHERE NOT EXISTS (SELECT 1 FROM audit_findings a WHERE a.id = r.finding_id) ORDER BY r.created_at DESC"
    ))


DATA_VERSION_SQL = (
    "SELECT (SELECT COUNT(*) FROM figures) AS n, (SELECT MAX(loaded_at) FROM documents) AS loaded, "
    "(SELECT COUNT(*) FROM documents) AS docs, (SELECT COUNT(*) FROM organizations) AS orgs"
)


def _version(df: pd.DataFrame) -> tuple[Any, ...]:
    return tuple(None if pd.isna(v) else v for v in df.iloc[0].tolist())


def data_version(store: Store) -> tuple[Any, ...]:
    """Changes whenever documents are loaded or organized: a key for caches of derived data."""
    return _version(store.fetch_df(DATA_VERSION_SQL))
