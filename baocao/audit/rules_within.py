"""Checks inside one document: breakdowns against their totals and the same figure stated twice
(percentages and plans: rules_percent.py).

Every rule takes the document's facts (in their order) and the config, and returns findings;
nothing here looks at another document.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .config import AuditConfig, fold, word_pattern
from .facts import Fact, identity
from .findings import Finding, make_finding, num, object_words, period_text, stated, sum_arithmetic
from .rules_percent import check_percentages


def check_document(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """All within-document findings of one document's facts."""
    return [
        *check_breakdowns(facts, cfg),
        *check_percentages(facts, cfg),
        *check_restated(facts, cfg),
    ]


# --- breakdowns ----------------------------------------------------------------


@dataclass(frozen=True)
class Exhaustive:
    """Why a set of parts looks like the whole of it (None: it may be a subset)."""

    kind: str  # complement | object_partition | opener
    detail: str


def check_breakdowns(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    by_seq = {f.seq: f for f in facts}
    groups: dict[tuple[int, str], list[Fact]] = defaultdict(list)
    for f in facts:
        whole = by_seq.get(f.parent) if f.parent is not None else None
        # Only parts that count the same kind of thing in the same way as the whole add up to it:
        # "84 TCCS đảng (46 Đảng bộ …) với 4.989 đảng viên" links members to organizations.
        if whole is None or whole is f or cfg.family(f.object) != cfg.family(whole.object):
            continue
        if f.event != whole.event or f.target != whole.target or "average" in (f.qualifier, whole.qualifier):
            continue
        groups[(whole.seq, f.event)].append(f)
    findings: list[Finding] = []
    for (whole_seq, _), parts in groups.items():
        whole = by_seq[whole_seq]
        findings.extend(_check_parts(whole, parts, cfg))
    return findings


def _check_parts(whole: Fact, parts: list[Fact], cfg: AuditConfig) -> list[Finding]:
    w_lo, w_hi = cfg.interval(whole.value, whole.qualifier)
    words = object_words(whole, cfg)
    too_big = [p for p in parts if cfg.interval(p.value, p.qualifier)[0] > w_hi]
    findings = [
        make_finding(
            "part_exceeds_whole",
            cfg.severity("part_exceeds_whole"),
            [(whole, "whole"), (p, "part")],
            cfg.message("part_exceeds_whole", part=stated(p.value, p.qualifier), whole=stated(whole.value, whole.qualifier), **words),
            f"{stated(p.value, p.qualifier)} > {stated(whole.value, whole.qualifier)}",
        )
        for p in too_big
    ]
    if len(parts) < 2:
        return findings
    s_lo = sum(cfg.interval(p.value, p.qualifier)[0] for p in parts)
    s_hi = sum(cfg.interval(p.value, p.qualifier)[1] for p in parts)
    why = exhaustive_evidence(whole, parts, cfg)
    involved = [(whole, "whole"), *((p, "part") for p in parts)]
    fields = dict(parts=num(sum(p.value for p in parts)), whole=stated(whole.value, whole.qualifier), **words)
    if s_lo > w_hi:
        if why is None and too_big:
            return findings  # a subset list: the part that is too big is the finding, not the sum
        key = "breakdown_exceeds_total" if why is not None else "breakdown_exceeds_total_subset"
        findings.append(
            make_finding(
                "breakdown_exceeds_total",
                cfg.severity(key),
                involved,
                cfg.message("breakdown_exceeds_total", **fields),
                sum_arithmetic(parts, whole, ok=False),
            )
        )
    elif why is not None and s_hi < w_lo:
        key = "breakdown_short_of_total" if why.kind != "opener" else "breakdown_short_of_total_opener_only"
        why_vi, why_en = _why(why, cfg)
        findings.append(
            make_finding(
                "breakdown_short_of_total",
                cfg.severity(key),
                involved,
                cfg.message("breakdown_short_of_total", why_vi=why_vi, why_en=why_en, **fields),
                sum_arithmetic(parts, whole, ok=False),
            )
        )
    elif cfg.emit_passed_checks and why is not None:
        findings.append(
            make_finding(
                "breakdown_ok",
                cfg.severity("breakdown_ok"),
                involved,
                cfg.message("breakdown_ok", **fields),
                sum_arithmetic(parts, whole, ok=True),
            )
        )
    return findings


def _why(why: Exhaustive, cfg: AuditConfig) -> tuple[str, str]:
    w = cfg.why.get(why.kind)
    if w is None:
        return why.detail, why.detail
    return w.vi.format(pair=why.detail, opener=why.detail), w.en.format(pair=why.detail, opener=why.detail)


def exhaustive_evidence(whole: Fact, parts: Sequence[Fact], cfg: AuditConfig) -> Exhaustive | None:
    """Do these parts claim to be all of the whole?

    Yes when their objects partition the whole's (đảng bộ + chi bộ = TCCS đảng), when two of them
    are complementary kinds (chính thức / dự bị, có vốn / ngoài nhà nước, nam / nữ), or when the
    list is introduced by "gồm" or a parenthesis rather than "trong đó" (which announces a subset).
    """
    if len(parts) < 2:
        return None
    if whole.table_index is not None and all(
        (p.table_index, p.table_col) == (whole.table_index, whole.table_col) for p in parts
    ):
        # the rows of a table column under its total row (Tổng cộng): all of it by construction
        return Exhaustive("table_column", f"{whole.table_index + 1}/{whole.table_col + 1}")
    objs = {p.object for p in parts}
    for part in cfg.breakdown.object_partitions:
        if whole.object == part.whole and objs == set(part.parts):
            return Exhaustive("object_partition", " + ".join(part.parts))
    locals_ = [_local_text(p, parts) for p in parts]
    for a, b in cfg.breakdown.complementary_pairs:
        if _complementary(locals_, a, b):
            return Exhaustive("complement", f"{a} / {b}")
    opener = _opener_text(whole, parts)
    subset = _rx(tuple(cfg.breakdown.subset_markers))
    if subset.search(opener):
        return None
    m = _rx(tuple(cfg.breakdown.exhaustive_openers)).search(opener)
    return Exhaustive("opener", m.group(0)) if m else None


@lru_cache(maxsize=64)
def _rx(words: tuple[str, ...]) -> re.Pattern[str]:
    plain = [w for w in words if w[:1].isalnum()]
    rx = word_pattern(plain).pattern
    punct = [re.escape(w) for w in words if w and not w[:1].isalnum()]
    return re.compile("|".join([rx, *punct]))


def _complementary(texts: list[str], a: str, b: str) -> bool:
    """Some part says `a` (and not `b`) and another says `b`: "18 … chính thức và 7 … dự bị"."""
    ra, rb = _rx((a,)), _rx((b,))
    has_b = [bool(rb.search(t)) for t in texts]
    # "ngoài nhà nước" contains "nhà nước", "không có" contains "có": read `a` with `b` blanked out.
    has_a = [bool(ra.search(rb.sub(" ", t))) for t in texts]
    return any(has_a[i] and not has_b[i] and has_b[j] and not has_a[j] for i in range(len(texts)) for j in range(len(texts)) if i != j)


def _local_text(p: Fact, siblings: Sequence[Fact]) -> str:
    """The words that describe one part: from its number up to the next part or bracket/semicolon."""
    at = p.quote_in_sentence()
    if at is None:
        return fold(p.quote)
    end = len(p.sentence)
    for s in siblings:
        if s is not p and s.sentence_start == p.sentence_start and p.start < s.start:
            end = min(end, s.start - p.sentence_start)
    stop = re.search(r"[;()]", p.sentence[at + len(p.quote) : end])
    if stop:
        end = at + len(p.quote) + stop.start()
    return fold(p.sentence[at:end])


def _opener_text(whole: Fact, parts: Sequence[Fact]) -> str:
    """The words between the whole and its first part ("(", "gồm", "trong đó có")."""
    first = min(parts, key=lambda p: p.start)
    at = first.quote_in_sentence()
    if at is None:
        return ""
    if whole.sentence_start == first.sentence_start and whole.end <= first.start:
        w_at = whole.quote_in_sentence()
        lo = (w_at + len(whole.quote)) if w_at is not None else 0
        return fold(first.sentence[lo:at])
    return fold(first.sentence[:at])


# --- the same figure stated twice ------------------------------------------------


def check_restated(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    """One fact (same subject, object, event, period, segment, target) restated with values that cannot agree.

    The extractor's identity misses much of what tells two figures apart (a sub-unit named in the
    clause, "là chủ doanh nghiệp"), so a restatement also needs what a writer's back-reference has:
    another sentence, the first count of its kind there, the same counted noun, not a part of a
    breakdown, a definite event. Without
    a subject nothing tells two figures of a document apart and they are not compared.
    """
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    heads: set[tuple[int, str, str]] = set()
    for f in facts:
        # Only the first count of its kind in a sentence states the fact: later ones of the same
        # kind are its breakdown, a list of units, or a comparison ("139 …, vượt chỉ tiêu 9 …").
        head = (f.sentence_start, f.object, f.event)
        if head in heads:
            continue
        heads.add(head)
        if not f.subject or f.parent is not None or f.event in cfg.restated.skip_events:
            continue
        noun = counted_noun(f, cfg)
        if noun:
            groups[(*identity(f), noun)].append(f)
    findings = []
    for group in groups.values():
        if len({f.sentence_start for f in group}) < 2 or agree(group, cfg):
            continue
        head = group[0]
        key = "restated_value" if head.as_of else "restated_value_no_period"
        words = object_words(head, cfg)
        findings.append(
            make_finding(
                "restated_value",
                cfg.severity(key),
                [(f, "statement") for f in group],
                cfg.message("restated_value", values=values_text(group), period_vi=period_text(head, "vi"),
                            period_en=period_text(head, "en"), **words),
                " ≠ ".join(dict.fromkeys(stated(f.value, f.qualifier) for f in group)),
            )
        )
    return findings


_AFTER_NUMBER = re.compile(r"\d[\d.,]*(?:\s*/\s*\d[\d.,]*)?(?:\s*\([^()]*\))?\s*(.*)$", re.DOTALL)


def counted_noun(f: Fact, cfg: AuditConfig) -> str:
    """The noun phrase a figure counts with, normalized: '84 TCCS đảng' -> 'tổ chức cơ sở đảng'."""
    m = _AFTER_NUMBER.search(f.quote)
    noun = fold(re.sub(r"[^\w\s]", " ", m.group(1))) if m else ""
    for short, full in _synonyms(tuple(cfg.restated.noun_synonyms.items())):
        if noun == short or noun.startswith(short + " "):
            return full + noun[len(short) :]
    return noun


@lru_cache(maxsize=4)
def _synonyms(items: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return sorted(((fold(a), fold(b)) for a, b in items), key=lambda kv: -len(kv[0]))  # longest first


def agree(facts: Sequence[Fact], cfg: AuditConfig) -> bool:
    """Can one true value satisfy every statement? (intervals on a line: the largest low <= the smallest high)"""
    intervals = [cfg.interval(f.value, f.qualifier) for f in facts]
    return max(lo for lo, _ in intervals) <= min(hi for _, hi in intervals) + 1e-9


def values_text(facts: Sequence[Fact]) -> str:
    return ", ".join(f"{stated(f.value, f.qualifier)} ({f.doc_name}, {f.quote!r})" for f in facts)
