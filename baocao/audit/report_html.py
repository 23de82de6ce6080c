"""One self-contained HTML page of the findings (inline CSS, no external assets), grouped by
province and subject, each with its quoted sentences, sources and arithmetic."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .config import SEVERITY_RANK
from .findings import AuditResult, FactRef, Finding, stated

TEMPLATES = Path(__file__).with_name("templates")
NO_PROVINCE = "Không rõ tỉnh · Province unknown"
NO_SUBJECT = "Không rõ đơn vị · Subject unknown"
SEVERITY_LABELS = {"error": "lỗi · error", "warning": "cảnh báo · warning", "info": "thông tin · info"}
ROLE_LABELS = {
    "whole": "tổng · whole", "part": "phần · part", "statement": "nêu · stated", "plan": "chỉ tiêu · plan",
    "earlier": "trước · earlier", "later": "sau · later", "admitted": "kết nạp · admitted", "total": "tổng · total",
    "kind": "loại · kind", "original": "bản gốc · original", "copy": "bản sao · copy",
}


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def _fact_view(r: FactRef) -> dict[str, Any]:
    """The sentence split around the quote, so the quote can be highlighted where it stands."""
    if r.quote_offset is not None:
        pre, post = r.sentence[: r.quote_offset], r.sentence[r.quote_offset + len(r.quote) :]
    else:
        pre, post = (r.sentence + " — ") if r.sentence and r.sentence != r.quote else "", ""
    return {
        "role": ROLE_LABELS.get(r.role, r.role),
        "value": stated(r.value, r.qualifier),
        "pre": pre,
        "quote": r.quote,
        "post": post,
        "doc_name": r.doc_name,
        "page": r.page if r.page is not None else "–",
        "start": r.start,
        "end": r.end,
    }


def _finding_view(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "severity": f.severity,
        "severity_label": SEVERITY_LABELS.get(f.severity, f.severity),
        "rule": f.rule,
        "message_vi": f.message_vi,
        "message_en": f.message_en,
        "arithmetic": f.arithmetic,
        "facts": [_fact_view(r) for r in f.facts],
    }


def _anchor(text: str, i: int) -> str:
    return f"p{i}-" + re.sub(r"\W+", "-", text.lower()).strip("-")[:40]


def context(result: AuditResult, generated: dt.datetime | None = None) -> dict[str, Any]:
    """What the template shows: provinces (unknown last), their subjects, their findings (worst first)."""
    tree: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        tree[f.province or NO_PROVINCE][f.subject or NO_SUBJECT].append(f)

    def last_if_unknown(name: str, unknown: str) -> tuple[bool, str]:
        return (name == unknown, name)

    groups = []
    for i, province in enumerate(sorted(tree, key=lambda p: last_if_unknown(p, NO_PROVINCE))):
        subjects = []
        for subject in sorted(tree[province], key=lambda s: last_if_unknown(s, NO_SUBJECT)):
            findings = sorted(tree[province][subject], key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.id))
            subjects.append({"subject": subject, "findings": [_finding_view(f) for f in findings]})
        count = sum(len(s["findings"]) for s in subjects)
        groups.append({"province": province, "anchor": _anchor(province, i), "count": count, "subjects": subjects})
    names = result.doc_names
    copies = [{"copy_name": names.get(c, c), "original_name": names.get(o, o)} for c, o in sorted(result.duplicates.items())]
    return {
        "groups": groups,
        "counts": result.counts_by_severity(),
        "n_documents": result.n_documents,
        "n_facts": result.n_facts,
        "copies": copies,
        "generated": (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M"),
    }


def render_html(result: AuditResult, generated: dt.datetime | None = None) -> str:
    return _environment().get_template("audit.html.j2").render(**context(result, generated))


def write_html(result: AuditResult, path: str | Path, generated: dt.datetime | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(result, generated), encoding="utf-8")
    return path
