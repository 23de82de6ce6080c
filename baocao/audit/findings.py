"""What the audit reports: a `Finding` (rule, severity, bilingual message, arithmetic) and the
facts it rests on, each with its provenance, so a reader can go back to the sentence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from .config import SEVERITY_RANK, AuditConfig, Severity
from .facts import Fact

QUALIFIER_SIGNS = {"exact": "", "approx": "~", "more_than": ">", "at_least": "≥", "less_than": "<", "average": "avg "}


class FactRef(BaseModel):
    """A fact as shown in a finding: value, role in the check, and where it was read."""

    fact_id: str
    role: str = Field(description="what the fact is in the check: whole, part, statement, plan, …")
    doc_id: str
    doc_name: str
    page: int | None
    start: int
    end: int
    quote: str
    sentence: str
    quote_offset: int | None = Field(description="where the quote starts inside the sentence")
    value: float
    qualifier: str
    object: str
    event: str
    target: bool
    subject: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    segment: str | None

    @classmethod
    def of(cls, fact: Fact, role: str) -> FactRef:
        return cls(
            fact_id=fact.id,
            role=role,
            doc_id=fact.doc_id,
            doc_name=fact.doc_name,
            page=fact.page,
            start=fact.start,
            end=fact.end,
            quote=fact.quote,
            sentence=fact.sentence,
            quote_offset=fact.quote_in_sentence(),
            value=fact.value,
            qualifier=fact.qualifier,
            object=fact.object,
            event=fact.event,
            target=fact.target,
            subject=fact.subject,
            period_start=fact.period_start,
            period_end=fact.period_end,
            segment=fact.segment,
        )


class Finding(BaseModel):
    id: str = Field(description="sha1 of the rule and the ids of the facts involved: stable across runs")
    rule: str
    severity: Severity
    province: str | None = None
    subject: str | None = None
    object: str | None = None
    event: str | None = None
    message_vi: str
    message_en: str
    arithmetic: str
    facts: list[FactRef]

    @property
    def doc_ids(self) -> list[str]:
        return list(dict.fromkeys(f.doc_id for f in self.facts))

    def to_row(self, created_at: dt.datetime) -> dict[str, Any]:
        """The `audit_findings` table row (see baocao.audit.export.FINDING_COLUMNS)."""
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "province": self.province,
            "subject": self.subject,
            "object": self.object,
            "event": self.event,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "arithmetic": self.arithmetic,
            "facts_json": json.dumps([f.model_dump(mode="json") for f in self.facts], ensure_ascii=False),
            "doc_ids": ",".join(self.doc_ids),
            "created_at": created_at,
        }


def finding_id(rule: str, fact_ids: Iterable[str]) -> str:
    return hashlib.sha1("|".join([rule, *sorted(fact_ids)]).encode()).hexdigest()


def make_finding(
    rule: str,
    severity: Severity,
    facts: Sequence[tuple[Fact, str]],
    message: tuple[str, str],
    arithmetic: str,
) -> Finding:
    """A finding over (fact, role) pairs; province, subject, object and event come from the first fact."""
    head = facts[0][0]
    return Finding(
        id=finding_id(rule, (f.id for f, _ in facts)),
        rule=rule,
        severity=severity,
        province=head.province,
        subject=head.subject,
        object=head.object,
        event=head.event,
        message_vi=message[0],
        message_en=message[1],
        arithmetic=arithmetic,
        facts=[FactRef.of(f, role) for f, role in facts],
    )


@dataclass
class AuditResult:
    """What one audit run found, over how much data, and which documents were copies."""

    findings: list[Finding]
    duplicates: dict[str, str] = field(default_factory=dict)  # copy doc id -> original doc id
    doc_names: dict[str, str] = field(default_factory=dict)
    n_facts: int = 0
    n_documents: int = 0

    def counts_by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(("error", "warning", "info"), 0)
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def count_at_least(self, severity: str) -> int:
        """Findings of this severity or worse (error > warning > info)."""
        if severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {severity!r}: use one of error, warning, info")
        floor = SEVERITY_RANK[severity]
        return sum(1 for f in self.findings if SEVERITY_RANK[f.severity] >= floor)

    def summary_line(self) -> str:
        c = self.counts_by_severity()
        copies = len(self.duplicates)
        return (
            f"audit: {c['error']} error{'s' * (c['error'] != 1)}, {c['warning']} warning{'s' * (c['warning'] != 1)}, "
            f"{c['info']} info in {self.n_documents} document{'s' * (self.n_documents != 1)} "
            f"({self.n_facts} figure{'s' * (self.n_facts != 1)})"
            + (f"; {copies} republished cop{'ies' if copies != 1 else 'y'} counted once" if copies else "")
        )


# --- numbers as a reader writes them in the arithmetic ------------------------


def num(x: float) -> str:
    """84 -> '84', 11.578 -> '11.58': integers plainly, other numbers to two decimals."""
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def stated(value: float, qualifier: str) -> str:
    """A value with its qualifier as a sign: 'gần 5.000' -> '~5000', 'trên 4.000' -> '>4000'."""
    return f"{QUALIFIER_SIGNS.get(qualifier, '')}{num(value)}"


def sum_arithmetic(parts: Sequence[Fact], whole: Fact, ok: bool) -> str:
    """'46 + 38 = 84 = 84 ✓' or '18 + 7 = 25 ≠ 24'."""
    total = sum(p.value for p in parts)
    lhs = " + ".join(stated(p.value, p.qualifier) for p in parts)
    relation = "≠" if not ok else "=" if abs(total - whole.value) < 1e-9 else "≈"
    return f"{lhs} = {num(total)} {relation} {stated(whole.value, whole.qualifier)}{' ✓' if ok else ''}"


# --- words shared by the messages ------------------------------------------------


def object_words(f: Fact, cfg: AuditConfig) -> dict[str, str]:
    """The message fields naming what a fact counts and what happened, in both languages."""
    o, e = cfg.words("objects", f.object), cfg.words("events", f.event)
    return {"object_vi": o.vi, "object_en": o.en, "event_vi": e.vi, "event_en": e.en}


def period_text(f: Fact, lang: str) -> str:
    """', năm 2024' / ', in 2024' — empty when the period is unknown."""
    start, end = f.period_start, f.period_end
    if start is None and end is None:
        return ""
    if start and end and start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        return f", năm {years}" if lang == "vi" else f", in {years}"
    if start and end and start != end:
        return f", từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}" if lang == "vi" else f", {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    day = end or start
    return f", tính đến {day:%d/%m/%Y}" if lang == "vi" else f", as of {day:%Y-%m-%d}"
