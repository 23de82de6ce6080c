"""A store for the review app's tests: corpus/ and one news article with a real inconsistency,
read, extracted, loaded, organized and audited by the real stages (without Prefect, which adds nothing here).

tests/web_fixtures/bac_giang_minh_anh.txt says "tổng cộng 24 đảng viên, trong đó có 18 đảng viên
chính thức và 7 đảng viên dự bị" (18 + 7 = 25 ≠ 24), carries a <script> in its title (documents
are untrusted) and a line starting with =HYPERLINK( (a formula, if an export let it through).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dev_docs import RULES

from baocao.audit import run_audit
from baocao.files import expand
from baocao.ingest import IngestError, read_document
from baocao.organizations import organize
from baocao.resolve import resolve
from baocao.store import Store, open_store
from extractors import extract
from schemas.records import Extraction, Rejection, SourceDocument

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARTICLE = Path(__file__).parent / "web_fixtures" / "bac_giang_minh_anh.txt"
ARTICLE_SUBJECT = "Chi bộ Công ty Cổ phần Minh Anh"


@cache
def read_and_extract(paths: tuple[Path, ...]) -> tuple[list[tuple[SourceDocument, Extraction]], list[Rejection]]:
    """Every document of `paths` with its facts (computed once per test session), and the rejections."""
    loaded, rejected = [], []
    for path in expand([str(p) for p in paths]):
        try:
            doc = read_document(path)
        except IngestError as e:
            rejected.append(e.to_rejection(path))
            continue
        loaded.append((doc, resolve(doc, extract(doc.text, RULES), RULES)))
    return loaded, rejected


def audit(store: Store, outputs: Path) -> None:
    run_audit(store, html_path=outputs / "audit.html", csv_path=outputs / "audit_findings.csv")


def fill(store: Store, outputs: Path, paths: tuple[Path, ...] = (CORPUS, ARTICLE), *, reverse: bool = False) -> None:
    """Load the documents of `paths` into `store` and audit it (reports into `outputs`)."""
    loaded, rejected = read_and_extract(paths)
    for doc, extraction in reversed(loaded) if reverse else loaded:
        store.load_document(doc, extraction)
    for rej in rejected:
        store.record_rejection(rej)
    organize(store)  # as the flow does between load and audit: the registry, levels and labels
    audit(store, outputs)


def build_review_store(target: str, outputs: Path) -> None:
    with open_store(target) as store:
        fill(store, outputs)
