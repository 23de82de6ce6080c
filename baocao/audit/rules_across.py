"""Checks across documents: the same fact stated differently, series that jump, intakes larger than
the membership they join, and one kind of organization outnumbering all kinds.

Every rule groups facts by a hash key (dicts of lists), so the time grows with the number of
facts, not with the number of pairs. Facts of republished copies are left out by the caller.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Sequence

from .config import AuditConfig, fold
from .facts import DocInfo, Fact, identity, is_part_only
from .findings import Finding, make_finding, num, object_words, period_text, stated


def check_across(facts: Sequence[Fact], docs: dict[str, DocInfo], cfg: AuditConfig) -> list[Finding]:
    """All cross-document findings over the facts of the documents that are not copies."""
    return [
        *check_conflicts(facts, docs, cfg),
        *check_period_uncertain(facts, cfg),
        *check_series(facts, cfg),
        *check_admitted_vs_members(facts, cfg),
        *check_kinds_vs_total(facts, cfg),
    ]


def _countable(f: Fact, cfg: AuditConfig) -> bool:
    """A fact that speaks for its subject's whole: not a plan, not an average, not a bare part."""
    return not f.target and f.qualifier != "average" and not (cfg.identity.skip_parts_without_segment and is_part_only(f))


def _who(f: Fact) -> str:
    return f.subject or f.province or "?"


class SubjectKeys:
    """Who a fact is about, as a key that means the same body in every document.

    A named body ("Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị") is itself; a generic one
    ("Đảng bộ Khối các cơ quan tỉnh") is a different body in each province, so the province joins
    its key; a bare head ("Đảng bộ") could be any body and gets no key.
    """

    def __init__(self, cfg: AuditConfig) -> None:
        self.generic = {fold(w) for w in cfg.identity.generic_subject_words}
        self.bare = {fold(w) for w in cfg.identity.bare_subjects}
        self.memo: dict[tuple[str, str | None], str | None] = {}

    def __call__(self, f: Fact) -> str | None:
        memo_key = (f.subject_key, f.province)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._key(f.subject_key, f.province)
        return self.memo[memo_key]

    def _key(self, subject: str, province: str | None) -> str | None:
        if not subject or subject in self.bare:
            return None
        if all(w in self.generic for w in re.findall(r"[^\W\d_]+", subject)):
            return f"{subject} @ {fold(province)}" if province else None
        return subject


# --- the same fact, different values ---------------------------------------------


def conflict_key(f: Fact, cfg: AuditConfig, subject_of: SubjectKeys) -> tuple | None:
    """The fact's identity across documents, or None when it cannot be told apart safely.

    With a subject: (subject, object, event, period, segment, target). Without one, a province
    and a period together stand in for it; with neither, no comparison (never cry wolf).
    """
    if cfg.identity.skip_parts_without_segment and is_part_only(f):
        return None
    if f.subject:
        who = subject_of(f)
        return None if who is None else ("subject", who, *identity(f)[1:])
    if cfg.identity.cross_doc_fallback_by_province and f.province and (f.period_start or f.period_end):
        return ("province", fold(f.province), *identity(f)[1:])
    return None


def check_conflicts(facts: Sequence[Fact], docs: dict[str, DocInfo], cfg: AuditConfig) -> list[Finding]:
    groups: dict[tuple, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    subject_of = SubjectKeys(cfg)
    for f in facts:
        key = conflict_key(f, cfg, subject_of)
        if key is not None:
            groups[key][f.doc_id].append(f)
    findings = []
    for key, by_doc in groups.items():
        if len(by_doc) < 2:
            continue
        # Each document's statements as one range (its own disagreements are the within-document
        # rule's business): the documents conflict when no value fits every document's range.
        hulls = []
        for doc_facts in by_doc.values():
            intervals = [cfg.interval(f.value, f.qualifier) for f in doc_facts]
            hulls.append((min(lo for lo, _ in intervals), max(hi for _, hi in intervals)))
        if max(lo for lo, _ in hulls) <= min(hi for _, hi in hulls) + 1e-9:
            continue
        involved = [f for doc_facts in by_doc.values() for f in doc_facts]
        head = involved[0]
        severity_key = _conflict_severity(key, head, list(by_doc), docs, cfg)
        if severity_key is None:
            continue
        words = object_words(head, cfg)
        findings.append(
            make_finding(
                "cross_doc_conflict",
                cfg.severity(severity_key),
                [(f, "statement") for f in involved],
                cfg.message(
                    "cross_doc_conflict",
                    who=_who(head),
                    values=", ".join(f"{stated(f.value, f.qualifier)} ({f.doc_label or f.doc_name})" for f in involved),
                    period_vi=period_text(head, "vi"),
                    period_en=period_text(head, "en"),
                    **words,
                ),
                " ≠ ".join(dict.fromkeys(stated(f.value, f.qualifier) for f in involved)),
            )
        )
    return findings


def _conflict_severity(key: tuple, head: Fact, doc_ids: list[str], docs: dict[str, DocInfo], cfg: AuditConfig) -> str | None:
    if key[0] == "province":
        return "cross_doc_conflict_by_province"
    if head.period_start or head.period_end:
        return "cross_doc_conflict"
    # No period on either side: documents written years apart may both be right for their time.
    dates = [docs[d].doc_date for d in doc_ids if d in docs]
    known = [d for d in dates if d is not None]
    if len(known) == len(dates) and known and (max(known) - min(known)).days > cfg.identity.undated_max_gap_days:
        return None
    return "cross_doc_conflict_no_period"


# --- the same figure, its period read from context the other document lacks ------------


def _without_period(key: tuple) -> tuple:
    """A subject conflict key ("subject", who, *identity[1:]) without the period (identity's 4th and 5th fields)."""
    return key[:5] + key[7:]


def _compatible_periods(a: Fact, b: Fact) -> bool:
    """Two periods that differ only where one document inferred a date the other could not: each
    date equal, or missing on one side and inferred (not stated) on the other."""
    if (a.period_start, a.period_end) == (b.period_start, b.period_end):
        return False  # the same period: check_conflicts compares them
    for x, y in ((a.period_start, b.period_start), (a.period_end, b.period_end)):
        if x == y:
            continue
        if x is not None and y is not None:
            return False
        has = a if x is not None else b
        if has.period_basis in (None, "stated"):
            return False
    return True


def check_period_uncertain(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """A figure whose period one document read from its context (a page banner's founding date,
    its own date) and another document states without that context: the same figure with the
    period uncertain, compared rather than taken for two different figures."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    subject_of = SubjectKeys(cfg)
    for f in facts:
        key = conflict_key(f, cfg, subject_of)
        if key is not None and key[0] == "subject":
            groups[_without_period(key)].append(f)
    findings = []
    for members in groups.values():
        if len({f.doc_id for f in members}) < 2:
            continue
        # each document's statements for one period as one range, as check_conflicts does
        stated_as: dict[tuple, list[Fact]] = defaultdict(list)
        for f in members:
            stated_as[(f.doc_id, f.period_start, f.period_end)].append(f)
        for (ka, fa), (kb, fb) in itertools.combinations(sorted(stated_as.items(), key=lambda kv: str(kv[0])), 2):
            a, b = fa[0], fb[0]
            if ka[0] == kb[0] or not _compatible_periods(a, b):
                continue
            lo_a, hi_a = _hull(fa, cfg)
            lo_b, hi_b = _hull(fb, cfg)
            if max(lo_a, lo_b) <= min(hi_a, hi_b) + 1e-9:
                continue  # they agree
            (inferred, side), lacking = ((a, fa), b) if _dates(a) > _dates(b) else ((b, fb), a)
            basis = "context" if any(f.period_basis == "context" for f in side) else inferred.period_basis
            words = object_words(a, cfg)
            involved = [*fa, *fb]
            findings.append(
                make_finding(
                    "cross_doc_conflict_period_uncertain",
                    cfg.severity("cross_doc_conflict_period_uncertain"),
                    [(f, "statement") for f in involved],
                    cfg.message(
                        "cross_doc_conflict_period_uncertain",
                        who=_who(a),
                        values=", ".join(dict.fromkeys(
                            f"{stated(f.value, f.qualifier)} ({f.doc_name}{period_text(f, 'en') or ', no period'})" for f in involved)),
                        values_vi=", ".join(dict.fromkeys(
                            f"{stated(f.value, f.qualifier)} ({f.doc_name}{period_text(f, 'vi') or ', không rõ thời gian'})"
                            for f in involved)),
                        inferred=inferred.doc_name,
                        lacking=lacking.doc_name,
                        basis_vi=cfg.words("bases", basis).vi,
                        basis_en=cfg.words("bases", basis).en,
                        **words,
                    ),
                    " ≠ ".join(dict.fromkeys(stated(f.value, f.qualifier) for f in involved)) + " (period uncertain)",
                )
            )
    return findings


def _hull(facts: Sequence[Fact], cfg: AuditConfig) -> tuple[float, float]:
    intervals = [cfg.interval(f.value, f.qualifier) for f in facts]
    return min(lo for lo, _ in intervals), max(hi for _, hi in intervals)


def _dates(f: Fact) -> int:
    return (f.period_start is not None) + (f.period_end is not None)


# --- time series -------------------------------------------------------------------


def check_series(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """A subject's stock that multiplies (or divides) by more than the configured ratio between two periods."""
    series: dict[tuple, dict] = defaultdict(dict)
    subject_of = SubjectKeys(cfg)
    for f in facts:
        if f.event not in cfg.series.events or not _countable(f, cfg) or f.as_of is None:
            continue
        who = subject_of(f)
        if who is None:
            continue
        # One value per date: the first statement read; disagreements on a date are conflicts.
        series[(who, f.object, f.event, fold(f.segment))].setdefault(f.as_of, f)
    findings = []
    for points in series.values():
        if len(points) < 2:
            continue
        ordered = [points[d] for d in sorted(points)]
        for before, after in itertools.pairwise(ordered):
            lo, hi = sorted((before.value, after.value))
            if lo <= 0 or hi / lo <= cfg.series.jump_ratio or hi - lo < cfg.series.min_abs_change:
                continue
            words = object_words(after, cfg)
            ratio = after.value / before.value
            findings.append(
                make_finding(
                    "series_jump",
                    cfg.severity("series_jump"),
                    [(before, "earlier"), (after, "later")],
                    cfg.message(
                        "series_jump",
                        who=_who(after),
                        before=stated(before.value, before.qualifier),
                        after=stated(after.value, after.qualifier),
                        period_before=f"{before.as_of:%d/%m/%Y}",
                        period_after=f"{after.as_of:%d/%m/%Y}",
                        ratio=f"{ratio:.2f}",
                        **words,
                    ),
                    f"{stated(before.value, before.qualifier)} → {stated(after.value, after.qualifier)}: "
                    f"{'×' if ratio > 1 else '÷'}{hi / lo:.2f} > {'×' if ratio > 1 else '÷'}{num(cfg.series.jump_ratio)}",
                )
            )
    return findings


# --- intake against stock ------------------------------------------------------------


def check_admitted_vs_members(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """Members admitted in a period cannot outnumber the members at the end of that period."""
    pairs = cfg.stocks_and_flows.admitted_vs_total
    # Only the largest stated total matters: an intake above it is above all of them, and totals
    # that disagree among themselves are the conflict rule's business.
    totals: dict[tuple, Fact] = {}
    subject_of = SubjectKeys(cfg)
    for f in facts:
        if f.event == "total" and f.as_of and f.object in pairs.values() and _countable(f, cfg) and subject_of(f):
            _keep_largest(totals, (subject_of(f), f.object, fold(f.segment), f.as_of), f, cfg)
    findings = []
    for f in facts:
        if f.event != "admitted" or f.object not in pairs or f.period_end is None or f.target or not subject_of(f):
            continue
        total = totals.get((subject_of(f), pairs[f.object], fold(f.segment), f.period_end))
        if total is not None and cfg.interval(f.value, f.qualifier)[0] > cfg.interval(total.value, total.qualifier)[1]:
            words = object_words(total, cfg)
            findings.append(
                make_finding(
                    "admitted_exceeds_members",
                    cfg.severity("admitted_exceeds_members"),
                    [(f, "admitted"), (total, "total")],
                    cfg.message(
                        "admitted_exceeds_members",
                        who=_who(f),
                        admitted=stated(f.value, f.qualifier),
                        members=stated(total.value, total.qualifier),
                        **words,
                    ),
                    f"{stated(f.value, f.qualifier)} > {stated(total.value, total.qualifier)}",
                )
            )
    return findings


# --- one kind against all kinds --------------------------------------------------------


def check_kinds_vs_total(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """Party committees (or cells) of a subject cannot outnumber its party organizations of all kinds."""
    kind_of = {kind: whole for whole, kinds in cfg.kinds.items() for kind in kinds}
    wholes: dict[tuple, Fact] = {}
    subject_of = SubjectKeys(cfg)
    for f in facts:
        if f.object in cfg.kinds and f.event == "total" and _countable(f, cfg) and subject_of(f):
            _keep_largest(wholes, (subject_of(f), f.object, f.period_start, f.period_end, fold(f.segment)), f, cfg)
    findings = []
    for f in facts:
        whole_obj = kind_of.get(f.object)
        if whole_obj is None or f.event != "total" or f.target or not subject_of(f):
            continue
        whole = wholes.get((subject_of(f), whole_obj, f.period_start, f.period_end, fold(f.segment)))
        if whole is None or (whole.doc_id == f.doc_id and f.parent == whole.seq):
            continue  # none, or a part of this very whole: the breakdown rules speak for it
        if cfg.interval(f.value, f.qualifier)[0] > cfg.interval(whole.value, whole.qualifier)[1]:
            kind_words, words = cfg.words("objects", f.object), object_words(whole, cfg)
            findings.append(
                make_finding(
                    "kind_exceeds_total",
                    cfg.severity("kind_exceeds_total"),
                    [(f, "kind"), (whole, "total")],
                    cfg.message(
                        "kind_exceeds_total",
                        who=_who(f),
                        kind_vi=kind_words.vi,
                        kind_en=kind_words.en,
                        kind_value=stated(f.value, f.qualifier),
                        total=stated(whole.value, whole.qualifier),
                        period_vi=period_text(f, "vi"),
                        period_en=period_text(f, "en"),
                        **words,
                    ),
                    f"{stated(f.value, f.qualifier)} > {stated(whole.value, whole.qualifier)}",
                )
            )
    return findings


def _keep_largest(index: dict[tuple, Fact], key: tuple, f: Fact, cfg: AuditConfig) -> None:
    kept = index.get(key)
    if kept is None or cfg.interval(f.value, f.qualifier)[1] > cfg.interval(kept.value, kept.qualifier)[1]:
        index[key] = f
