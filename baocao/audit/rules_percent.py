"""Percentages stated with a count: "11/95 (11,58%)" must be 100·11/95, "N đảng viên (chiếm X%)" a share
of its whole, and "đạt X% kế hoạch" / "vượt chỉ tiêu X%" must agree with a plan the document states.

The percentage is read in the figure's sentence right next to its quote, never further: a percentage
a few words on ("doanh nghiệp có vốn Nhà nước chiếm trên 50%") is about something else.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .config import AuditConfig, cue_regex, fold
from .facts import Fact
from .findings import Finding, make_finding, num, object_words, stated

_NUM = r"\d+(?:[.,]\d+)?"
_PCT_QUAL = {"trên": "more_than", "hơn": "more_than", "gần": "approx", "khoảng": "approx", "xấp xỉ": "approx",
             "dưới": "less_than", "chưa đến": "less_than"}
_RATIO = re.compile(r"(\d[\d.]*)\s*/\s*(\d[\d.]*)")


def _percent_patterns(cfg: AuditConfig) -> tuple[re.Pattern[str], ...]:
    pc = cfg.percent
    return _compile_percent(tuple(pc.share_cues), tuple(pc.parent_share_cues), tuple(pc.plan_words), tuple(pc.exceed_words))


@lru_cache(maxsize=8)
def _compile_percent(share_words: tuple[str, ...], parent_words: tuple[str, ...], plan_words: tuple[str, ...],
                     exceed_words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    share, parent_share = cue_regex(share_words), cue_regex(parent_words)
    plan, exceed = cue_regex(plan_words), cue_regex(exceed_words)
    qual = cue_regex(tuple(_PCT_QUAL))
    pct = re.compile(rf"(?:(?P<q>{qual})\s+)?(?P<pct>{_NUM})\s*%", re.IGNORECASE)
    adjacent = re.compile(rf"\s*[,(]?\s*(?:{share}\s+)?", re.IGNORECASE)
    adjacent_parent = re.compile(rf"\s*[,(]?\s*(?:{parent_share}\s+)?", re.IGNORECASE)
    plan_after = re.compile(rf"\s*(?:so\s+với\s+|của\s+)?{plan}", re.IGNORECASE)
    exceed_before = re.compile(rf"{exceed}\s+{plan}\s*$", re.IGNORECASE)
    return pct, adjacent, adjacent_parent, plan_after, exceed_before


def _count(text: str) -> float | None:
    """'35.599' -> 35599 (dots group thousands in a count)."""
    digits = text.replace(".", "")
    return float(digits) if digits.isdigit() else None


def _pct_value(text: str) -> tuple[float, float]:
    """'11,58' -> (11.58, 0.01): the value and the unit of its last digit."""
    t = text.replace(",", ".")
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return float(t), 10.0 ** (-decimals)


@dataclass(frozen=True)
class PercentMention:
    pct: float
    unit: float
    qualifier: str
    text: str  # as written: "11,58%"
    plan: bool  # "đạt 140,8% kế hoạch", "vượt chỉ tiêu 24%" (pct already made 124)
    adjacent: bool  # right after the count: a share of its whole
    adjacent_parent: bool  # adjacent with a cue that makes it a share of the part's whole
    denominator: float | None  # M of "N/M" in the quote


def percent_mention(f: Fact, cfg: AuditConfig) -> PercentMention | None:
    """The percentage stated with a figure, read in its sentence next to its quote."""
    at = f.quote_in_sentence()
    if at is None:
        return None
    s = f.sentence
    q_end = at + len(f.quote)
    pc = cfg.percent
    pct_rx, adjacent, adjacent_parent, plan_after, exceed_before = _percent_patterns(cfg)
    anchor, denominator = q_end, None
    ratio = _RATIO.search(f.quote)
    if ratio and _count(ratio.group(1)) == f.value:
        anchor, denominator = at + ratio.end(), _count(ratio.group(2))
    m = pct_rx.search(s, anchor, min(len(s), q_end + pc.plan_gap_chars))
    if m is None:
        return None
    # The words between the count (or its N/M) and the percentage, leaving out the rest of the quote.
    gap = s[max(anchor, q_end) : m.start()] if m.start() >= q_end else s[anchor : m.start()]
    if re.search(r"[;.\d%]", gap):
        return None  # another clause or number stands between the count and the percentage
    value, unit = _pct_value(m.group("pct"))
    qualifier = _PCT_QUAL.get(fold(m.group("q") or ""), "exact")
    after = s[m.end() : m.end() + 40]
    if exceed_before.search(s, 0, m.start()):
        return PercentMention(100 + value, unit, qualifier, m.group(0), True, False, False, denominator)
    plan = bool(plan_after.match(after))
    return PercentMention(
        value, unit, qualifier, m.group(0), plan,
        bool(adjacent.fullmatch(gap)), bool(adjacent_parent.fullmatch(gap)), denominator,
    )


def check_percentages(facts: Sequence[Fact], cfg: AuditConfig) -> list[Finding]:
    by_seq = {f.seq: f for f in facts}
    plans: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.target:
            plans[(f.object, f.event)].append(f)
    findings: list[Finding] = []
    for f in facts:
        if f.target or "%" not in f.sentence:
            continue
        pm = percent_mention(f, cfg)
        if pm is None:
            continue
        if pm.plan:
            finding = _check_plan(f, pm, plans.get((f.object, f.event), []), cfg)
        else:
            finding = _check_share(f, pm, by_seq, cfg)
        if finding is not None:
            findings.append(finding)
    return findings


def _pct_interval(pm: PercentMention, cfg: AuditConfig) -> tuple[float, float]:
    tol = max(cfg.percent.units_of_last_digit * pm.unit, cfg.percent.min_pp)
    lo, hi = cfg.interval(pm.pct, pm.qualifier)
    return lo - tol, hi + tol


def _check_share(f: Fact, pm: PercentMention, by_seq: dict[int, Fact], cfg: AuditConfig) -> Finding | None:
    if pm.pct > 100 or not pm.adjacent:
        return None  # over 100% is no share of a whole ("đạt 233,3%" of a plan)
    whole: Fact | None = None
    if pm.denominator:
        m_lo = m_hi = pm.denominator
        whole_text = num(pm.denominator)
    else:
        whole = by_seq.get(f.parent) if f.parent is not None else None
        if whole is None or not pm.adjacent_parent or cfg.family(whole.object) != cfg.family(f.object):
            return None
        m_lo, m_hi = cfg.interval(whole.value, whole.qualifier)
        whole_text = stated(whole.value, whole.qualifier)
    n_lo, n_hi = cfg.interval(f.value, f.qualifier)
    if m_lo <= 0:
        return None
    c_lo, c_hi = 100 * n_lo / m_hi, 100 * n_hi / max(m_lo, 1e-9)
    s_lo, s_hi = _pct_interval(pm, cfg)
    if c_hi >= s_lo and c_lo <= s_hi:
        return None
    computed = 100 * f.value / (pm.denominator or (whole.value if whole else 1))
    involved = [(f, "part")] + ([(whole, "whole")] if whole else [])
    return make_finding(
        "percent_mismatch",
        cfg.severity("percent_mismatch"),
        involved,
        cfg.message("percent_mismatch", stated=pm.text.rstrip("%").strip(), part=stated(f.value, f.qualifier),
                    whole=whole_text, computed=f"{computed:.2f}"),
        f"100 × {stated(f.value, f.qualifier)} / {whole_text} = {computed:.2f}% ≠ {pm.text}",
    )


def _check_plan(f: Fact, pm: PercentMention, targets: list[Fact], cfg: AuditConfig) -> Finding | None:
    """N at X% of plan implies a plan of 100·N/X; it must agree with a plan the document states."""
    candidates = _plan_candidates(f, targets)
    if not candidates or pm.pct <= 0:
        return None
    n_lo, n_hi = cfg.interval(f.value, f.qualifier)
    x_lo, x_hi = _pct_interval(pm, cfg)
    tol = cfg.percent.plan_rel_tolerance
    p_lo, p_hi = 100 * n_lo / x_hi * (1 - tol), 100 * n_hi / max(x_lo, 1e-9) * (1 + tol)
    for t in candidates:
        t_lo, t_hi = cfg.interval(t.value, t.qualifier)
        if t_hi >= p_lo and t_lo <= p_hi:
            return None
    implied = 100 * f.value / pm.pct
    nearest = min(candidates, key=lambda t: abs(t.value - implied))
    words = object_words(f, cfg)
    return make_finding(
        "plan_mismatch",
        cfg.severity("plan_mismatch"),
        [(f, "statement"), (nearest, "plan")],
        cfg.message("plan_mismatch", quote=f.quote, percent=pm.text, implied=num(round(implied)), plan=nearest.quote,
                    **words),
        f"100 × {stated(f.value, f.qualifier)} / {num(pm.pct)}% = {num(implied)} ≠ {stated(nearest.value, nearest.qualifier)}",
    )


def _plan_candidates(f: Fact, targets: list[Fact]) -> list[Fact]:
    """The plans an achievement may be measured against: same segment, overlapping period; those of
    the same subject when there are any (subjects of figures are often read loosely)."""
    def overlaps(t: Fact) -> bool:
        a0, a1 = f.period_start or f.period_end, f.period_end or f.period_start
        b0, b1 = t.period_start or t.period_end, t.period_end or t.period_start
        return a0 is None or b0 is None or (a0 <= b1 and b0 <= a1)  # type: ignore[operator]

    scoped = [t for t in targets if t is not f and fold(t.segment) == fold(f.segment) and overlaps(t)]
    same_subject = [t for t in scoped if f.subject and t.subject_key == f.subject_key]
    return same_subject or scoped


