"""The figures the audit reasons about: store rows (or extractions) -> plain `Fact` records.

The audit reads the same columns whether they come from the store (`fetch_df`) or from
extractions in memory (`frames_from_extractions`, used by tests and the benchmark), so the
rules never see a database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from schemas.records import Extraction, SourceDocument, TextSignature

from .config import fold

FIGURE_COLUMNS = (
    "id", "doc_id", "seq", "page", "start_offset", "end_offset", "quote", "sentence", "sentence_start",
    "object", "event", "value", "qualifier", "target", "subject", "period_start", "period_end", "segment",
    "parent", "province", "detail", "period_basis", "table_index", "table_col",
)
DOCUMENT_COLUMNS = ("id", "path", "name", "province", "doc_date", "loaded_at", "duplicate_of", "text_length", "symbol",
                    "minhash_scheme", "content_shingles", "minhash")


@dataclass(frozen=True, slots=True)
class DocInfo:
    id: str
    name: str
    path: str | None = None
    province: str | None = None
    doc_date: dt.date | None = None
    loaded_at: dt.datetime | None = None
    duplicate_of: str | None = None
    text_length: int | None = None
    signature: TextSignature | None = None  # made at load time (documents.minhash)
    symbol: str | None = None  # the report's own number and symbol (45-BC/TU), from its header

    @property
    def label(self) -> str:
        """How a message names the document: by its symbol when it has one, with the file name."""
        return f"{self.symbol} – {self.name}" if self.symbol else self.name

    def original_order(self) -> tuple[Any, ...]:
        """Sort key of 'which came first': the earliest dated, then by name and id. Not the order of
        loading, which is the order files were listed in: the same documents loaded in another
        order must give the same original, so the same findings with the same ids (reviews keep)."""
        return (self.doc_date is None, self.doc_date or dt.date.max, self.name, self.id)


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure with its provenance and the document it came from."""

    id: str
    doc_id: str
    doc_name: str
    seq: int
    page: int | None
    start: int
    end: int
    quote: str
    sentence: str
    sentence_start: int
    object: str
    event: str
    value: float
    qualifier: str
    target: bool
    subject: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    segment: str | None
    parent: int | None
    province: str | None  # the figure's own province, else its document's
    detail: str | None = None  # what an other/inspected figure is (badge_30_years …); "change" for a difference
    period_basis: str | None = None  # stated | document_date | context (records.Figure.period_basis)
    subject_key: str = ""  # fold(subject): how subjects are compared
    table_index: int | None = None  # for a figure read from a table cell: the table and its column
    table_col: int | None = None
    doc_label: str = ""  # the document named for a reader of messages (DocInfo.label)

    def __post_init__(self) -> None:
        if self.subject and not self.subject_key:
            object.__setattr__(self, "subject_key", fold(self.subject))

    @property
    def as_of(self) -> dt.date | None:
        """The date a stock holds at: the end of its period, or its only date."""
        return self.period_end or self.period_start

    def quote_in_sentence(self) -> int | None:
        """Offset of the quote in the sentence (the stored offsets, else a search), or None."""
        i = self.start - self.sentence_start
        if 0 <= i and self.sentence[i : i + len(self.quote)] == self.quote:
            return i
        j = self.sentence.find(self.quote)
        return j if j >= 0 else None


def _none(x: Any) -> Any:
    """pandas' missing values (NaN, NaT, pd.NA) as None."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def _int(x: Any) -> int | None:
    x = _none(x)
    return None if x is None else int(x)


def _date(x: Any) -> dt.date | None:
    x = _none(x)
    if x is None:
        return None
    if isinstance(x, pd.Timestamp):
        return x.date()
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x)[:10])


def _timestamp(x: Any) -> dt.datetime | None:
    x = _none(x)
    if x is None:
        return None
    if isinstance(x, pd.Timestamp):
        return x.to_pydatetime()
    if isinstance(x, dt.datetime):
        return x
    return dt.datetime.fromisoformat(str(x))


def _str(x: Any) -> str | None:
    x = _none(x)
    return None if x is None or x == "" else str(x)


def documents_from_frame(documents: pd.DataFrame) -> dict[str, DocInfo]:
    docs: dict[str, DocInfo] = {}
    cols = [c for c in DOCUMENT_COLUMNS if c in documents.columns]
    for row in documents[cols].itertuples(index=False):
        r = row._asdict()
        docs[str(r["id"])] = DocInfo(
            id=str(r["id"]),
            name=_str(r.get("name")) or str(r["id"])[:12],
            path=_str(r.get("path")),
            province=_str(r.get("province")),
            doc_date=_date(r.get("doc_date")),
            loaded_at=_timestamp(r.get("loaded_at")),
            duplicate_of=_str(r.get("duplicate_of")),
            text_length=_int(r.get("text_length")),
            signature=_signature(r),
            symbol=_str(r.get("symbol")),
        )
    return docs


def _signature(r: dict[str, Any]) -> TextSignature | None:
    scheme, minhash, n = _str(r.get("minhash_scheme")), _str(r.get("minhash")), _int(r.get("content_shingles"))
    return TextSignature(scheme=scheme, shingles=n, minhash=minhash) if scheme and minhash and n is not None else None


def facts_from_frame(figures: pd.DataFrame, docs: dict[str, DocInfo]) -> list[Fact]:
    """Facts of the figures table (store column names), in document order (doc, seq)."""
    facts: list[Fact] = []
    if figures.empty:
        return facts
    # Column lists zipped: much faster than itertuples over Arrow-backed string columns.
    for r in zip(*(figures[c].tolist() for c in FIGURE_COLUMNS), strict=True):
        (fid, doc_id, seq, page, start, end, quote, sentence, sentence_start, obj, event, value, qualifier, target,
         subject, p_start, p_end, segment, parent, province, detail, period_basis, table_index, table_col) = r
        doc = docs.get(str(doc_id))
        facts.append(
            Fact(
                id=str(fid),
                doc_id=str(doc_id),
                doc_name=doc.name if doc else str(doc_id)[:12],
                seq=int(seq),
                page=_int(page),
                start=int(start),
                end=int(end),
                quote=str(quote),
                sentence=_str(sentence) or str(quote),
                sentence_start=_int(sentence_start) or 0,
                object=str(obj),
                event=str(event),
                value=float(value),
                qualifier=_str(qualifier) or "exact",
                target=bool(_none(target)),
                subject=_str(subject),
                period_start=_date(p_start),
                period_end=_date(p_end),
                segment=_str(segment),
                parent=_int(parent),
                province=_str(province) or (doc.province if doc else None),
                detail=_str(detail),
                period_basis=_str(period_basis),
                table_index=_int(table_index),
                table_col=_int(table_col),
                doc_label=doc.label if doc else str(doc_id)[:12],
            )
        )
    facts.sort(key=lambda f: (f.doc_id, f.seq))
    return facts


def frames_from_extractions(
    items: Iterable[tuple[SourceDocument, Extraction]], loaded_at: dt.datetime | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures, documents) frames shaped like the store's tables, without a store.

    Rows are made by the store's own pure row builders, so a column renamed there shows up here.
    """
    from baocao.store.rows import document_row, figure_rows, unique_by_id

    base = loaded_at or dt.datetime(2000, 1, 1)
    doc_rows: list[dict[str, Any]] = []
    fig_rows: list[dict[str, Any]] = []
    for i, (doc, extraction) in enumerate(items):
        # Distinct load times, in the order given, as a store would record them.
        doc_rows.append(document_row(doc, extraction, base + dt.timedelta(seconds=i)))
        fig_rows.extend(unique_by_id(figure_rows(doc, extraction.figures)))
    figures = pd.DataFrame.from_records(fig_rows, columns=list(FIGURE_COLUMNS) + ["parent_id"])
    documents = pd.DataFrame.from_records(doc_rows)
    return figures, documents


IdentityKey = tuple[Any, ...]


def identity(fact: Fact) -> IdentityKey:
    """What makes two statements the same fact: subject, object, event, detail, period, segment, target.

    Averages ("bình quân 30 đảng viên/chi bộ") are a different kind of number than counts, and
    30-year badges than 50-year ones.
    """
    return (
        fact.subject_key,
        fact.object,
        fact.event,
        fact.detail,
        fact.period_start,
        fact.period_end,
        fold(fact.segment),
        fact.target,
        fact.qualifier == "average",
    )


def is_part_only(fact: Fact) -> bool:
    """A part of a breakdown with no segment of its own: it counts a slice, not the subject's total."""
    return fact.parent is not None and not fact.segment
