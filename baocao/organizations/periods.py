"""What dates an undated document: the latest year its stored sentences name.

The views fill a figure's period from the text, else from its document's date, else from the
latest date or period the document states, else from this year (period_source says which).
The store keeps no full text, so the sentences of the document's facts stand in for it; a year
after the document was loaded is a plan ("đến năm 2030"), not a date of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

# A year as written: not part of a larger number ("2.015 đảng viên", "12.019") nor a decimal.
_YEAR = re.compile(r"(?<![\d.,])(19[4-9]\d|20\d\d)(?![\d]|[.,]\d)")

_SENTENCES_SQL = (
    "SELECT s.doc_id, s.sentence FROM ("
    "SELECT doc_id, sentence FROM figures UNION ALL SELECT doc_id, sentence FROM doc_refs "
    "UNION ALL SELECT doc_id, sentence FROM dates) s JOIN documents d ON d.id = s.doc_id WHERE d.status = 'loaded'"
)
_DOCUMENTS_SQL = "SELECT id, loaded_at, mentioned_year FROM documents WHERE status = 'loaded'"


def latest_years(sentences: Iterable[tuple[str, str]], loaded_year: dict[str, int]) -> dict[str, int]:
    """doc id -> the latest year its sentences name, up to the year it was loaded."""
    out: dict[str, int] = {}
    for doc_id, sentence in sentences:
        limit = loaded_year.get(doc_id)
        for m in _YEAR.finditer(sentence or ""):
            year = int(m.group(1))
            if limit is not None and year > limit:
                continue
            if year > out.get(doc_id, 0):
                out[doc_id] = year
    return out


def update_mentioned_years(store: Any) -> int:
    """Write documents.mentioned_year where it changed; returns how many documents changed."""
    docs = store.fetch_df(_DOCUMENTS_SQL)
    loaded = {i: pd.Timestamp(t).year for i, t in zip(docs["id"], docs["loaded_at"], strict=True)}
    years = latest_years(store.fetch_df(_SENTENCES_SQL).itertuples(index=False, name=None), loaded)
    changes = []
    for doc_id, current in zip(docs["id"], docs["mentioned_year"], strict=True):
        current = None if current is None or pd.isna(current) else int(current)
        if years.get(doc_id) != current:
            changes.append((doc_id, years.get(doc_id)))
    if changes:
        store.set_mentioned_years(changes)
    return len(changes)
