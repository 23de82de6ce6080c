"""Resolved mentions -> the rows of `organizations` and `organization_aliases`.

Pure functions: the stage (stage.py) reads the store, resolves every document's subjects and
hands the mentions here. The registry holds the Party as a whole and the 63 provinces of
2019-2025 (so that successors and parents always exist), plus every organization a figure
names. An id is the first 16 hex digits of the SHA-1 of the canonical key.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .resolve import BELOW, GRASSROOTS, UNDER, OrgRef, Resolver
from .rules import Rules, fold

_COMMITTEE_OF_TYPE = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy"}


def organization_id(key: str) -> str:
    """Stable id of an organization: the same key gives the same id in every run and on every backend."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Mention:
    """One subject as a document states it, resolved, with how many figures it names."""

    subject: str
    ref: OrgRef
    doc_id: str
    n_figures: int = 1
    context_parent: str | None = None  # the body above it that its document names, when the name does not say


@dataclass
class _Entry:
    ref: OrgRef
    names: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    provinces: Counter[str] = field(default_factory=Counter)
    parents: Counter[str] = field(default_factory=Counter)
    subjects: Counter[str] = field(default_factory=Counter)
    doc_ids: set[str] = field(default_factory=set)
    seeded: bool = False


def context_parents(refs: Iterable[OrgRef]) -> dict[str, str]:
    """Within one document: the body above each organization whose name does not say it, when the
    document names exactly one organization of the level above ("Trường Cao đẳng Hải Dương" in a
    report of the Đảng bộ Khối các cơ quan tỉnh Hải Dương)."""
    refs = list({r.key: r for r in refs}.values())
    above = {GRASSROOTS: UNDER, BELOW: GRASSROOTS}
    out: dict[str, str] = {}
    for r in refs:
        if r.parent_key is not None or r.level not in above:
            continue
        cands = [c for c in refs if c.level == above[r.level] and c.key != r.key and c.kind not in ("youth_union", "trade_union")
                 and (c.province == r.province or r.province is None)]
        if len(cands) == 1:
            out[r.key] = cands[0].key
    return out


def build_registry(mentions: list[Mention], resolver: Resolver) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Organization rows and alias rows, in key order."""
    rules = resolver.rules
    entries: dict[str, _Entry] = {}

    def entry(ref: OrgRef, seeded: bool = False) -> _Entry:
        e = entries.get(ref.key)
        if e is None:
            e = entries[ref.key] = _Entry(ref, seeded=seeded)
        return e

    entry(resolver.central(), seeded=True)
    for province in rules.provinces:
        entry(resolver.province(province), seeded=True)
    for m in mentions:
        e = entry(m.ref)
        e.names[m.ref.name] += m.n_figures
        e.forms[m.ref.kind] += m.n_figures
        if m.ref.province:
            e.provinces[m.ref.province] += m.n_figures
        if m.context_parent:
            e.parents[m.context_parent] += m.n_figures
        e.subjects[m.subject] += m.n_figures
        e.doc_ids.add(m.doc_id)

    orgs = [_organization_row(key, e, entries, rules) for key, e in sorted(entries.items())]
    by_key = {o["key"]: o for o in orgs}
    aliases = [a for _, e in sorted(entries.items()) for a in _alias_rows(e, by_key[e.ref.key]["id"], rules, by_key)]
    return orgs, _unique_aliases(aliases)


def _best(counter: Counter[str], default: str | None = None) -> str | None:
    """The most frequent value; ties to the one not written in capitals, then the first in order."""
    if not counter:
        return default
    return min(counter, key=lambda v: (-counter[v], v.isupper(), sum(w.isupper() for w in v.split()) > 3, v))


def _organization_row(key: str, e: _Entry, entries: dict[str, _Entry], rules: Rules) -> dict[str, Any]:
    ref = e.ref
    reorg = rules.reorganization
    province = _best(e.provinces, ref.province)
    parent = ref.parent_key or _best(e.parents)
    if parent is not None and parent not in entries:
        parent = None  # a document-only body that is gone from the registry: say nothing
    valid_to = successor = None
    if ref.shape == "province" and ref.scope == "registry" and province:
        succ = rules.provinces[province].successor
        if succ != province:
            valid_to, successor = reorg.provinces_end, organization_id(f"p:{fold(succ)}")
    if ref.district_type in reorg.district_types and ref.shape == "district":
        valid_to = reorg.districts_end  # no single successor: its grassroots went to the new communes
    kind = _best(e.forms, ref.kind) or ref.kind
    name = _best(e.names, ref.name) or ref.name
    if ref.shape == "unit" and kind != ref.kind:
        # "Chi bộ Công ty X" seen more often than "Đảng bộ Công ty X": name it the way it is most often named.
        heads = {"party_cell": "Chi bộ", "party_committee": "Đảng bộ"}
        for form, head in heads.items():
            if kind == form and not name.startswith(head):
                name = head + name.removeprefix(heads.get(ref.kind, ""))
    return {
        "id": organization_id(key),
        "key": key,
        "name": name,
        "level": ref.level,
        "kind": kind,
        "parent_id": organization_id(parent) if parent else None,
        "province": province,
        "province_2025": rules.provinces[province].successor if province in rules.provinces else None,
        "scope": ref.scope,
        "doc_id": next(iter(e.doc_ids)) if ref.scope == "document" and len(e.doc_ids) == 1 else None,
        "valid_from": None,
        "valid_to": valid_to,
        "successor_id": successor,
        "source": "gazetteer" if e.seeded and not e.subjects else "figures",
    }


def derived_names(ref: OrgRef, rules: Rules) -> list[str]:
    """Other names the same organization goes by: its committee ('Huyện ủy Đại Lộc'), the place
    alone ('Đại Lộc') and the Đảng ủy of a body ('Đảng ủy Khối …')."""
    out: list[str] = []
    if ref.scope != "registry":
        return out
    if ref.shape == "province" and ref.province:
        p = rules.provinces[ref.province]
        bare = p.name[len(p.type) :].strip() if p.name.lower().startswith(p.type) else p.name
        out += [f"{_COMMITTEE_OF_TYPE[p.type]} {bare}", bare, f"Ban Chấp hành Đảng bộ {p.type} {bare}"]
    elif ref.shape == "district" and ref.district_type:
        bare = ref.name.removeprefix(f"Đảng bộ {ref.district_type} ")
        out += [f"{_COMMITTEE_OF_TYPE[ref.district_type]} {bare}", bare, f"Đảng ủy {ref.district_type} {bare}"]
    elif ref.shape in ("bloc", "provincial_unit", "commune") or (ref.shape == "unit" and ref.kind == "party_committee"):
        out.append(ref.name.replace("Đảng bộ", "Đảng ủy", 1))
    elif ref.shape == "unit" and ref.kind == "party_cell":
        out.append(ref.name.replace("Chi bộ", "Chi ủy", 1))
    return out


def _alias_rows(e: _Entry, org_id: str, rules: Rules, by_key: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [_alias(org_id, s, "subject", n) for s, n in sorted(e.subjects.items())]
    rows.append(_alias(org_id, by_key[e.ref.key]["name"], "name", 0))
    rows += [_alias(org_id, n, "derived", 0) for n in derived_names(e.ref, rules)]
    return rows


def _alias(org_id: str, alias: str, source: str, n: int) -> dict[str, Any]:
    return {"organization_id": org_id, "alias": alias, "alias_key": fold(alias), "source": source, "n_figures": n}


def _unique_aliases(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (organization, alias): a subject beats a derived spelling of the same words."""
    rank = {"subject": 0, "name": 1, "derived": 2}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        k = (r["organization_id"], r["alias"])
        if k not in best or rank[r["source"]] < rank[best[k]["source"]]:
            best[k] = r
    return list(best.values())


def level_counts(orgs: list[dict[str, Any]]) -> dict[str | None, int]:
    out: dict[str | None, int] = defaultdict(int)
    for o in orgs:
        out[o["level"]] += 1
    return dict(out)


