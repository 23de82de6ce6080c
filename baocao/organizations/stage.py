"""The organizations stage, after load and before audit: subjects -> registry -> figures.organization_id.

    from baocao.organizations import resolve_organizations
    with open_store(db) as store:
        result = resolve_organizations(store)      # OrganizationsResult
        print(result.summary_line())

It reads what is loaded (figures.subject, the figure's or document's province, the document's
date) and rebuilds the registry as a whole, so the result depends only on what is loaded, not on
the order documents came in; figures whose organization did not change are not written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .registry import Mention, build_registry, context_parents, organization_id
from .resolve import Context, Resolver
from .rules import Rules, load_rules

_FIGURES_SQL = (
    "SELECT f.id, f.doc_id, f.subject, COALESCE(f.province, d.province) AS province, d.doc_date, f.organization_id "
    "FROM figures f JOIN documents d ON d.id = f.doc_id WHERE d.status = 'loaded'"
)


@dataclass
class OrganizationsResult:
    figures: int = 0
    with_subject: int = 0
    with_organization: int = 0
    document_scoped: int = 0  # figures whose organization is known only inside its document
    organizations: int = 0
    changed: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        """Share of the figures with a subject that have an organization."""
        return self.with_organization / self.with_subject if self.with_subject else 1.0

    def summary_line(self) -> str:
        return (
            f"organizations: {self.organizations} in the registry; {self.with_organization} of {self.with_subject} "
            f"figures with a subject linked ({self.coverage:.1%}), {self.document_scoped} to an organization "
            f"known only in its document"
        )


def _clean(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _date(value: Any) -> dt.date | None:
    value = _clean(value)
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return pd.Timestamp(value).date()


def resolve_organizations(store: Any, rules: Rules | None = None) -> OrganizationsResult:
    """Rebuild the registry from the loaded figures and set each figure's organization_id."""
    resolver = Resolver(rules or load_rules())
    figures = store.fetch_df(_FIGURES_SQL)
    by_doc: dict[str, Counter[tuple[str, Context]]] = defaultdict(Counter)
    figure_mention: dict[str, tuple[str, Context]] = {}
    for fid, doc_id, subject, province, doc_date in zip(
        figures["id"], figures["doc_id"], figures["subject"], figures["province"], figures["doc_date"], strict=True
    ):
        subject = _clean(subject)
        if not subject or not str(subject).strip():
            continue
        m = (str(subject), Context(doc_id, _clean(province), _date(doc_date)))
        by_doc[doc_id][m] += 1
        figure_mention[fid] = m

    mentions: list[Mention] = []
    resolved: dict[tuple[str, Context], str] = {}
    for doc_id in sorted(by_doc):
        counts = by_doc[doc_id]
        refs = resolver.resolve_document(sorted(counts, key=lambda m: (m[0], m[1].province or "")))
        parents = context_parents(refs.values())
        for m, ref in refs.items():
            resolved[m] = ref.key
            mentions.append(Mention(m[0], ref, doc_id, counts[m], parents.get(ref.key)))

    orgs, aliases = build_registry(mentions, resolver)
    scope = {o["id"]: o["scope"] for o in orgs}
    wanted = {fid: organization_id(resolved[m]) for fid, m in figure_mention.items()}
    current = dict(zip(figures["id"], (_clean(v) for v in figures["organization_id"]), strict=True))
    changes = [(fid, wanted.get(fid)) for fid in figures["id"] if current.get(fid) != wanted.get(fid)]
    changed = store.replace_organizations(orgs, aliases, changes)

    levels: Counter[str] = Counter(o["level"] or "unknown" for o in orgs)
    return OrganizationsResult(
        figures=len(figures),
        with_subject=len(figure_mention),
        with_organization=len(wanted),
        document_scoped=sum(1 for v in wanted.values() if scope.get(v) == "document"),
        organizations=len(orgs),
        changed=changed,
        by_level=dict(levels),
    )


def organize(store: Any, rules: Rules | None = None) -> OrganizationsResult:
    """The whole stage: labels, indicators and comments up to date, the registry rebuilt and the
    figures linked to it, undated documents dated by the years they name."""
    from .periods import update_mentioned_years

    store.refresh_reference_data()
    result = resolve_organizations(store, rules)
    update_mentioned_years(store)
    return result

