"""Dashboard views: one consolidated value per figure, and figures over time.

The SQL is written once in the subset that DuckDB and PostgreSQL share
(window functions, string_agg with ORDER BY, NULLS LAST); a test runs both.

Consolidation: every figure row becomes a candidate for its group key. Within a
group, the best-supported value is the one stated by the most distinct sources; a
source is a document, or the original when the audit stage marked the document as
a republication (`documents.duplicate_of`). Ties go to the value stated in the most
recent document, then to the value stated most often.
"""

from __future__ import annotations

# One row per figure of a loaded document, with the document's context.
# A figure's own province wins over the document's, and so does its 2025
# successor. Without one (a figure loaded before schema version 3, or a name the
# gazetteer does not know) the document's successor stands in, but only when the
# figure is in the document's province: another province's successor would be wrong.
_FIGURE_FACTS = """
    SELECT COALESCE(f.province, d.province) AS province,
           COALESCE(
               f.province_2025,
               CASE WHEN f.province IS NULL OR f.province = d.province THEN d.province_2025 END
           ) AS province_2025,
           f.subject, f.object, f.event, f.period_start, f.period_end, f.segment, f.target,
           COALESCE(f.period_end, d.doc_date) AS as_of,
           f.value, f.qualifier,
           d.id AS doc_id, d.name AS doc_name, d.doc_date,
           COALESCE(d.duplicate_of, d.id) AS source_id
    FROM figures f
    JOIN documents d ON d.id = f.doc_id
    WHERE d.status = 'loaded'"""


def _value_text(col: str) -> str:
    """A number as people write it: 4989, not 4989.0 (same text on both backends)."""
    return (
        f"CASE WHEN {col} = FLOOR({col}) AND ABS({col}) < 1e15 "
        f"THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END"
    )


def consolidation_sql(keys: tuple[str, ...], order_by: tuple[str, ...]) -> str:
    """SELECT that reduces the figures of each `keys` group to its best-supported value.

    Groups are numbered with DENSE_RANK over the keys rather than joined on them:
    the keys are often NULL, and NULLs are peers in an ORDER BY but never equal in
    a join condition.
    """
    key_list = ", ".join(keys)
    g_keys = ", ".join(f"g.{k}" for k in keys)
    return f"""
WITH facts AS ({_FIGURE_FACTS}
),
keyed AS (
    SELECT facts.*, DENSE_RANK() OVER (ORDER BY {key_list}) AS group_id
    FROM facts
),
candidates AS (
    SELECT group_id, value,
           COUNT(DISTINCT source_id) AS n_sources,
           COUNT(*) AS n_statements,
           MAX(doc_date) AS latest_doc_date,
           string_agg(DISTINCT doc_id, '; ' ORDER BY doc_id) AS source_doc_ids,
           string_agg(DISTINCT doc_name, '; ' ORDER BY doc_name) AS source_names
    FROM keyed
    GROUP BY group_id, value
),
qualifiers AS (
    -- the qualifier a value is most often stated with ('gần 5.000' -> approx)
    SELECT group_id, value, qualifier,
           ROW_NUMBER() OVER (PARTITION BY group_id, value ORDER BY COUNT(*) DESC, qualifier) AS rn
    FROM keyed
    GROUP BY group_id, value, qualifier
),
ranked AS (
    SELECT c.*, q.qualifier,
           {_value_text("c.value")} AS value_text,
           ROW_NUMBER() OVER (
               PARTITION BY c.group_id
               ORDER BY c.n_sources DESC, c.latest_doc_date DESC NULLS LAST, c.n_statements DESC, c.value DESC
           ) AS rank
    FROM candidates c
    JOIN qualifiers q ON q.group_id = c.group_id AND q.value = c.value AND q.rn = 1
),
alternatives AS (
    SELECT group_id, string_agg(value_text, '; ' ORDER BY rank) AS alternatives, COUNT(*) AS n_alternatives
    FROM ranked
    WHERE rank > 1
    GROUP BY group_id
),
groups AS (
    SELECT group_id, {key_list}, COUNT(DISTINCT source_id) AS n_documents
    FROM keyed
    GROUP BY group_id, {key_list}
)
SELECT {g_keys},
       b.value, b.qualifier, b.n_sources,
       a.alternatives, COALESCE(a.n_alternatives, 0) AS n_alternatives,
       g.n_documents, b.latest_doc_date,
       b.source_doc_ids, b.source_names
FROM groups g
JOIN ranked b ON b.group_id = g.group_id AND b.rank = 1
LEFT JOIN alternatives a ON a.group_id = g.group_id
ORDER BY {", ".join(f"g.{k}" for k in order_by)}"""


CONSOLIDATED_KEYS = (
    "province", "province_2025", "subject", "object", "event",
    "period_start", "period_end", "segment", "target",
)  # fmt: skip

# The time axis is the period's end when the text gives one ("năm 2023"),
# else the document's date ("Hiện nay ... có 4.989 đảng viên").
TIMESERIES_KEYS = (
    "province", "province_2025", "subject", "object", "event",
    "segment", "target", "period_start", "as_of",
)  # fmt: skip
TIMESERIES_ORDER = (
    "province", "subject", "object", "event", "segment", "target",
    "as_of", "period_start", "province_2025",
)  # fmt: skip

VIEWS: dict[str, str] = {
    "figures_consolidated": consolidation_sql(CONSOLIDATED_KEYS, CONSOLIDATED_KEYS),
    "figure_timeseries": consolidation_sql(TIMESERIES_KEYS, TIMESERIES_ORDER),
}


def view_statements() -> list[str]:
    """Drop and recreate every view (run by migrations; views hold no data)."""
    drops = [f"DROP VIEW IF EXISTS {name}" for name in VIEWS]
    creates = [f"CREATE VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
    return drops + creates
