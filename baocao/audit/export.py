"""Where findings go: the `audit_findings` table (through the store) and a CSV file."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from .findings import Finding

log = logging.getLogger(__name__)

# The columns of the `audit_findings` table, in order; facts_json holds the facts with provenance.
FINDING_COLUMNS = (
    "id", "rule", "severity", "province", "subject", "object", "event", "message_vi", "message_en",
    "arithmetic", "facts_json", "doc_ids", "created_at",
)


class FindingsStore(Protocol):
    def replace_audit_findings(self, rows: list[dict[str, Any]]) -> None: ...


def utcnow() -> dt.datetime:
    """Naive UTC, as the store keeps its timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def finding_rows(findings: Sequence[Finding], created_at: dt.datetime) -> list[dict[str, Any]]:
    return [f.to_row(created_at) for f in findings]


def persist(store: object, findings: Sequence[Finding], created_at: dt.datetime) -> bool:
    """Replace the store's findings with these; False when the store cannot hold findings yet."""
    replace = getattr(store, "replace_audit_findings", None)
    if replace is None:
        log.warning("this store has no replace_audit_findings(): %d findings not persisted", len(findings))
        return False
    replace(finding_rows(findings, created_at))
    return True


def write_csv(findings: Sequence[Finding], path: str | Path, created_at: dt.datetime) -> Path:
    """One row per finding, the table's columns; UTF-8 with BOM so Excel shows Vietnamese right;
    quoted text that would start a formula stays text (baocao.export.csv_frame)."""
    from baocao.export import csv_frame

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame.from_records(finding_rows(findings, created_at), columns=list(FINDING_COLUMNS))
    csv_frame(df).to_csv(path, index=False, encoding="utf-8-sig")
    return path
