"""Organization registry: a figure's subject -> one organization with a stable id, its level and place.

    from baocao.organizations import organize
    with open_store(db) as store:
        organize(store)          # labels, organizations, organization_aliases, figures.organization_id

- data/org_levels.json: the Party's levels, heads (Đảng bộ, Huyện ủy, Chi bộ …), units, the 2025 reorganization
- rules.py: that file and the gazetteer's provinces, loaded once into `Rules`
- names.py: a subject -> its parts (body, form, locality type, name)
- resolve.py: parts + context -> an organization with a canonical key (`OrgRef`)
- registry.py: resolved mentions -> organization and alias rows (ids from keys)
- stage.py: the stage the flow runs after load and before audit
"""

from .registry import organization_id
from .resolve import Context, OrgRef, Resolver
from .rules import Rules, load_rules
from .stage import OrganizationsResult, organize, resolve_organizations

__all__ = [
    "Context",
    "OrgRef",
    "OrganizationsResult",
    "Resolver",
    "Rules",
    "load_rules",
    "organization_id",
    "organize",
    "resolve_organizations",
]
