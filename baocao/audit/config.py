"""The audit's knowledge, read from audit_config.json: tolerances, breakdown cues, severities, wording.

Python here only gives that data a typed shape and a few lookups; every number or word a
domain expert may want to change lives in the JSON file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

CONFIG_PATH = Path(__file__).with_name("audit_config.json")

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Tolerance(BaseModel):
    below_rel: float = 0.0
    above_rel: float = 0.0
    abs_min: float = 0.0


class PercentSettings(BaseModel):
    units_of_last_digit: float = 1.0
    min_pp: float = 0.05
    share_cues: list[str] = Field(default_factory=list)
    parent_share_cues: list[str] = Field(default_factory=list)
    plan_words: list[str] = Field(default_factory=list)
    exceed_words: list[str] = Field(default_factory=list)
    plan_gap_chars: int = 60
    plan_rel_tolerance: float = 0.02


class Partition(BaseModel):
    whole: str
    parts: list[str]


class BreakdownSettings(BaseModel):
    object_partitions: list[Partition] = Field(default_factory=list)
    complementary_pairs: list[tuple[str, str]] = Field(default_factory=list)
    exhaustive_openers: list[str] = Field(default_factory=list)
    subset_markers: list[str] = Field(default_factory=list)


class IdentitySettings(BaseModel):
    skip_parts_without_segment: bool = True
    cross_doc_fallback_by_province: bool = True
    undated_max_gap_days: int = 366
    generic_subject_words: list[str] = Field(default_factory=list)
    bare_subjects: list[str] = Field(default_factory=list)


class RestatedSettings(BaseModel):
    skip_events: list[str] = Field(default_factory=lambda: ["other"])
    noun_synonyms: dict[str, str] = Field(default_factory=dict)


class SeriesSettings(BaseModel):
    jump_ratio: float = 2.0
    min_abs_change: float = 10
    events: list[str] = Field(default_factory=lambda: ["total"])


class StocksAndFlows(BaseModel):
    admitted_vs_total: dict[str, str] = Field(default_factory=dict)


class DuplicateSettings(BaseModel):
    shingle_words: int = 5
    num_perm: int = 128
    threshold: float = 0.8
    min_shingles: int = 8
    min_length_ratio: float = 0.8
    seed: int = 1234


class Wording(BaseModel):
    vi: str
    en: str


class AuditConfig(BaseModel):
    """The whole of audit_config.json (keys starting with '_' are comments)."""

    model_config = ConfigDict(extra="ignore")

    tolerances: dict[str, Tolerance]
    percent: PercentSettings = Field(default_factory=PercentSettings)
    families: dict[str, list[str]] = Field(default_factory=dict)
    breakdown: BreakdownSettings = Field(default_factory=BreakdownSettings)
    identity: IdentitySettings = Field(default_factory=IdentitySettings)
    restated: RestatedSettings = Field(default_factory=RestatedSettings)
    series: SeriesSettings = Field(default_factory=SeriesSettings)
    stocks_and_flows: StocksAndFlows = Field(default_factory=StocksAndFlows)
    kinds: dict[str, list[str]] = Field(default_factory=dict)
    duplicates: DuplicateSettings = Field(default_factory=DuplicateSettings)
    severities: dict[str, Severity]
    emit_passed_checks: bool = False
    objects: dict[str, Wording]
    events: dict[str, Wording]
    bases: dict[str, Wording] = Field(default_factory=dict)
    messages: dict[str, Wording]
    why: dict[str, Wording] = Field(default_factory=dict)

    _family_of: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        self._family_of = {member: name for name, members in self.families.items() for member in members}

    # --- lookups ---------------------------------------------------------

    def family(self, obj: str) -> str:
        """The family an object is added up in (party_committee -> party_org)."""
        return self._family_of.get(obj, obj)

    def severity(self, key: str) -> Severity:
        return self.severities.get(key, "warning")

    def interval(self, value: float, qualifier: str) -> tuple[float, float]:
        """Where the true value may lie for a stated value and its qualifier ("gần 5.000")."""
        tol = self.tolerances.get(qualifier) or self.tolerances.get("exact") or Tolerance()
        below = max(abs(value) * tol.below_rel, tol.abs_min) if tol.below_rel > 0 else 0.0
        above = max(abs(value) * tol.above_rel, tol.abs_min) if tol.above_rel > 0 else 0.0
        return value - below, value + above

    def words(self, kind: Literal["objects", "events", "bases"], key: str | None) -> Wording:
        table = {"objects": self.objects, "events": self.events, "bases": self.bases}[kind]
        return table.get(key or "", Wording(vi=key or "", en=key or ""))

    def message(self, rule: str, **fields: Any) -> tuple[str, str]:
        """The finding's message in Vietnamese and English, from the templates of the config."""
        w = self.messages[rule]
        return _fill(w.vi, fields), _fill(w.en, fields)


class _Defaulting(dict):  # a template field left out renders as empty, not as a KeyError
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, fields: dict[str, Any]) -> str:
    return template.format_map(_Defaulting(fields)).strip()


def _strip_comments(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_comments(v) for k, v in data.items() if not k.startswith("_")}
    return data


def load_config(path: str | Path | None = None) -> AuditConfig:
    """The audit configuration at `path` (default: the packaged audit_config.json)."""
    if path is None:
        return default_config()
    return AuditConfig.model_validate(_strip_comments(json.loads(Path(path).read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def default_config() -> AuditConfig:
    return AuditConfig.model_validate(_strip_comments(json.loads(CONFIG_PATH.read_text(encoding="utf-8"))))


def fold(text: str | None) -> str:
    """Case-folded NFC text with single spaces: the form in which words and names are compared."""
    if not text:
        return ""
    return _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """One regex for a list of cue words, longest first, not matching inside other words."""
    alts = sorted({fold(w) for w in words if w}, key=len, reverse=True)
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in alts]
    return re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(parts) + r")(?![\wÀ-ỹ])" if parts else r"(?!x)x")


def cue_regex(words: list[str] | tuple[str, ...]) -> str:
    """An alternation of cue words for use inside a larger case-insensitive regex on NFC text."""
    alts = sorted({" ".join(w.split()) for w in words if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts) + ")" if alts else "(?!x)x"
