"""Shared by the tests: where the dev documents are, and a SourceDocument made from a text."""

import hashlib
import shutil
from pathlib import Path

import pytest

from extractors import extract as _extract
from extractors.rules import load_rules
from schemas.records import Extraction, Page, SourceDocument

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev" / "docs"
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev documents not found at {DEV}")
KHOI = "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh Quảng Trị"
RULES = load_rules()  # the shipped rules, loaded once for the whole test session


def extract(text: str, tables=None) -> Extraction:
    """The extractors with the shipped rules."""
    return _extract(text, RULES, tables)


def copy_data(tmp_path: Path) -> Path:
    """A copy of the shipped data files that a test may edit (then `load_rules(copy)`)."""
    target = tmp_path / "data"
    shutil.copytree(RULES.data_dir, target)
    return target


def text_doc(name: str, text: str) -> SourceDocument:
    data = text.encode("utf-8")
    return SourceDocument(
        id=hashlib.sha256(data).hexdigest(), path=f"corpus/{name}", name=name, format="txt", encoding="utf-8",
        size_bytes=len(data), text=text, raw_text=text, pages=[Page(number=1, start=0, end=len(text))],
    )
