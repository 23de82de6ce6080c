"""Dashboard views: one consolidated value per figure, figures over time, and per organization.

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


def consolidation_sql(
    keys: tuple[str, ...], order_by: tuple[str, ...], facts: str = _FIGURE_FACTS, figure_ids: bool = False
) -> str:
    """SELECT that reduces the figures of each `keys` group to its best-supported value.

    Groups are numbered with DENSE_RANK over the keys rather than joined on them:
    the keys are often NULL, and NULLs are peers in an ORDER BY but never equal in
    a join condition. `facts` is the SELECT the figures come from (it has the keys,
    value, qualifier, doc_id, doc_name, doc_date, source_id, and figure_id when
    `figure_ids` asks for the ids of the figures stating the chosen value and the others).
    """
    key_list = ", ".join(keys)
    g_keys = ", ".join(f"g.{k}" for k in keys)
    ids = ",\n           string_agg(DISTINCT figure_id, '; ' ORDER BY figure_id) AS figure_ids" if figure_ids else ""
    alt_ids = ", string_agg(figure_ids, '; ' ORDER BY rank) AS alternative_figure_ids" if figure_ids else ""
    out_ids = ",\n       b.figure_ids, a.alternative_figure_ids" if figure_ids else ""
    return f"""
WITH facts AS ({facts}
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
           string_agg(DISTINCT doc_name, '; ' ORDER BY doc_name) AS source_names{ids}
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
    SELECT group_id, string_agg(value_text, '; ' ORDER BY rank) AS alternatives, COUNT(*) AS n_alternatives{alt_ids}
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
       b.source_doc_ids, b.source_names{out_ids}
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

# --- per organization: views a BI tool can sum ------------------------------------------
#
# figure_facts: one row per figure with its organization, level and a period that is always
# filled when anything dates it (period_source says from what). organization_figures: one
# consolidated value per (organization, object, event, segment, detail, target, period).
# organization_figures_yearly: one of those per year (the latest stock, the whole year's flow),
# the grain that sums. province_totals: sums over organizations of one level in one province,
# never across levels. indicator_values / official_form: the same yearly values as indicators of
# the Party's basic statistical forms (baocao/reference/data/official_indicators.json).

# The latest date a document mentions, and the latest period its figures state: what dates an
# undated document.
_MENTIONS_TIME = "GREATEST(dm.latest_date, pm.latest_period)"
_YEARS_TIME = "make_date(d.mentioned_year, 12, 31)"
_DOC_TIME = f"COALESCE(d.doc_date, {_MENTIONS_TIME}, {_YEARS_TIME})"
_PERIOD_END = (
    f"COALESCE(f.period_end, CASE WHEN f.period_start IS NULL OR {_DOC_TIME} >= f.period_start "
    f"THEN {_DOC_TIME} END, f.period_start)"
)
_PERIOD_SOURCE = f"""CASE WHEN f.period_end IS NOT NULL THEN 'text'
                WHEN f.period_start IS NOT NULL AND {_DOC_TIME} >= f.period_start THEN 'text_until_document'
                WHEN f.period_start IS NOT NULL THEN 'text'
                WHEN d.doc_date IS NOT NULL THEN 'document_date'
                WHEN {_MENTIONS_TIME} IS NOT NULL THEN 'document_mentions'
                WHEN d.mentioned_year IS NOT NULL THEN 'document_years'
                ELSE 'unknown' END"""

FIGURE_FACTS = f"""
    SELECT f.id AS figure_id, f.doc_id, d.name AS doc_name, d.doc_date, COALESCE(d.duplicate_of, d.id) AS source_id,
           f.organization_id, o.name AS organization_name, o.level, o.kind AS organization_kind, o.scope,
           COALESCE(o.province, f.province, d.province) AS province,
           COALESCE(
               o.province_2025, f.province_2025,
               CASE WHEN f.province IS NULL OR f.province = d.province THEN d.province_2025 END
           ) AS province_2025,
           f.subject, f.object, f.event, f.segment, f.detail, f.target, f.value, f.qualifier, f.confidence,
           COALESCE(f.period_start, {_PERIOD_END}) AS period_start,
           {_PERIOD_END} AS period_end,
           CAST(EXTRACT(YEAR FROM {_PERIOD_END}) AS INTEGER) AS period_year,
           {_PERIOD_SOURCE} AS period_source,
           f.page, f.quote, f.sentence
    FROM figures f
    JOIN documents d ON d.id = f.doc_id
    LEFT JOIN organizations o ON o.id = f.organization_id
    LEFT JOIN (
        -- a date after the document was loaded is a deadline, not when the text was written
        SELECT x.doc_id, MAX(x.date) AS latest_date FROM dates x JOIN documents xd ON xd.id = x.doc_id
        WHERE x.date <= CAST(xd.loaded_at AS DATE) GROUP BY x.doc_id
    ) dm ON dm.doc_id = f.doc_id
    LEFT JOIN (
        SELECT x.doc_id, MAX(x.period_end) AS latest_period FROM figures x JOIN documents xd ON xd.id = x.doc_id
        WHERE NOT x.target AND x.period_end <= CAST(xd.loaded_at AS DATE) GROUP BY x.doc_id
    ) pm ON pm.doc_id = f.doc_id
    WHERE d.status = 'loaded'"""

ORGANIZATION_KEYS = (
    "organization_id", "organization_name", "level", "organization_kind", "scope", "province", "province_2025",
    "object", "event", "segment", "detail", "target", "period_start", "period_end", "period_year", "period_source",
)  # fmt: skip
ORGANIZATION_ORDER = (
    "province", "level", "organization_name", "organization_id", "object", "event", "segment", "detail", "target",
    "period_end", "period_start", "period_source", "organization_kind", "scope", "province_2025", "period_year",
)  # fmt: skip

# One row per year and what it counts: the same keys without the period, whose columns the
# picked row keeps.
_YEAR_KEYS = tuple(k for k in ORGANIZATION_KEYS if k not in ("period_start", "period_end", "period_source"))


def _yearly_sql() -> str:
    from baocao.reference import stock_events

    stocks = ", ".join(f"'{e}'" for e in stock_events())
    partition = ", ".join(_YEAR_KEYS)
    return f"""
WITH ranked AS (
    SELECT g.*,
           ROW_NUMBER() OVER (
               PARTITION BY {partition}
               ORDER BY CASE WHEN event IN ({stocks}) THEN 0 ELSE period_end - period_start END DESC,
                        period_end DESC, n_sources DESC, value DESC
           ) AS pick,
           COUNT(*) OVER (PARTITION BY {partition}) AS n_periods
    FROM organization_figures g
    WHERE period_year IS NOT NULL
      -- a flow counts for one year only when its period lies within that year
      AND (event IN ({stocks}) OR CAST(EXTRACT(YEAR FROM period_start) AS INTEGER) = period_year)
)
SELECT {", ".join(ORGANIZATION_KEYS)},
       value, qualifier, n_sources, alternatives, n_alternatives, n_documents, latest_doc_date,
       source_doc_ids, source_names, figure_ids, alternative_figure_ids, n_periods
FROM ranked
WHERE pick = 1
ORDER BY {", ".join(k for k in ORGANIZATION_ORDER if k not in ("period_end", "period_start", "period_source"))}"""


_TOTAL_KEYS = ("province", "province_2025", "level", "object", "event", "segment", "detail", "target", "period_year")
PROVINCE_TOTALS = f"""
SELECT {", ".join(_TOTAL_KEYS)},
       SUM(value) AS value,
       CASE WHEN MIN(CASE WHEN qualifier = 'exact' THEN 1 ELSE 0 END) = 1 THEN 'exact' ELSE 'approx' END AS qualifier,
       COUNT(*) AS n_organizations,
       string_agg(organization_id, '; ' ORDER BY organization_id) AS organization_ids,
       string_agg(organization_name, '; ' ORDER BY organization_id) AS organization_names,
       string_agg(figure_ids, '; ' ORDER BY organization_id) AS figure_ids,
       string_agg(source_doc_ids, '; ' ORDER BY organization_id) AS source_doc_ids
FROM organization_figures_yearly
-- organizations named only generically in one document may be one already counted: left out
WHERE organization_id IS NOT NULL AND scope = 'registry' AND province IS NOT NULL AND level IS NOT NULL
GROUP BY {", ".join(_TOTAL_KEYS)}
ORDER BY {", ".join(_TOTAL_KEYS)}"""

INDICATOR_VALUES = """
SELECT y.organization_id, y.organization_name, y.level, y.province, y.province_2025, y.period_year AS year,
       i.form, i.code AS indicator, i.label_vi AS indicator_vi,
       y.value, y.qualifier, y.period_start, y.period_end, y.period_source, y.figure_ids, y.source_doc_ids
FROM organization_figures_yearly y
JOIN official_indicators i
  ON i.object = y.object AND i.event = y.event
 AND i.segment IS NOT DISTINCT FROM y.segment AND i.detail IS NOT DISTINCT FROM y.detail
WHERE NOT y.target AND y.organization_id IS NOT NULL"""


def _official_form_sql() -> str:
    """One row per organization and year, one column per indicator, like a filled-in form."""
    from baocao.reference import load_indicators

    keys = "organization_id, organization_name, level, province, province_2025, year"
    columns = ",\n       ".join(
        f"MAX(CASE WHEN indicator = '{i.code}' THEN value END) AS {i.code}" for i in load_indicators().indicators
    )
    return f"""
SELECT {keys},
       {columns},
       string_agg(figure_ids, '; ' ORDER BY indicator) AS figure_ids
FROM indicator_values
GROUP BY {keys}
ORDER BY province, level, organization_name, organization_id, year"""


def _views() -> dict[str, str]:
    """Every view in creation order (a view comes after the views it reads)."""
    return {
        "figures_consolidated": consolidation_sql(CONSOLIDATED_KEYS, CONSOLIDATED_KEYS),
        "figure_timeseries": consolidation_sql(TIMESERIES_KEYS, TIMESERIES_ORDER),
        "figure_facts": FIGURE_FACTS,
        "organization_figures": consolidation_sql(
            ORGANIZATION_KEYS, ORGANIZATION_ORDER, facts="SELECT * FROM figure_facts", figure_ids=True
        ),
        "organization_figures_yearly": _yearly_sql(),
        "province_totals": PROVINCE_TOTALS,
        "indicator_values": INDICATOR_VALUES,
        "official_form": _official_form_sql(),
    }


VIEWS: dict[str, str] = _views()


def view_statements() -> list[str]:
    """Drop and recreate every view (run by migrations; views hold no data). Dependent views are
    dropped first: PostgreSQL refuses to drop a view another one reads."""
    drops = [f"DROP VIEW IF EXISTS {name}" for name in reversed(VIEWS)]
    creates = [f"CREATE VIEW {name} AS {sql}" for name, sql in VIEWS.items()]
    return drops + creates
