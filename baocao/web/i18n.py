"""The app's words in Vietnamese (the default) and English, from data files.

- data/messages.json: the interface (titles, buttons, column names), key -> {vi, en}
- data/labels.json: codes the store holds (qualifiers, rules, severities, review states,
  roles of a fact in a finding), kind -> code -> {vi, en}
- objects and events: the audit's own wording (baocao/audit/audit_config.json), so the app
  and the audit messages name things alike.
A store that has a `labels` table (kind, code, label_vi, label_en) adds its labels on top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

LANGS = ("vi", "en")
# The store's names for label kinds the app calls otherwise.
STORE_KINDS = {"finding_kind": "rule", "document_status": "status"}
DEFAULT_LANG = "vi"


def _load(name: str) -> dict[str, Any]:
    return json.loads(files("baocao.web").joinpath("data", name).read_text(encoding="utf-8"))


@dataclass
class Texts:
    messages: dict[str, dict[str, str]]
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Texts:
        from baocao.audit.config import default_config

        messages = {k: v for k, v in _load("messages.json").items() if not k.startswith("_")}
        labels = {k: v for k, v in _load("labels.json").items() if not k.startswith("_")}
        cfg = default_config()
        labels["object"] = {k: {"vi": w.vi, "en": w.en} for k, w in cfg.objects.items()}
        labels["event"] = {k: {"vi": w.vi, "en": w.en} for k, w in cfg.events.items()}
        return cls(messages=messages, labels=labels)

    def add_labels(self, rows: list[dict[str, Any]]) -> None:
        """Labels from the store's labels table: {kind, code, label_vi, label_en} rows."""
        for r in rows:
            kind = STORE_KINDS.get(str(r["kind"]), str(r["kind"]))
            self.labels.setdefault(kind, {})[str(r["code"])] = {"vi": r["label_vi"], "en": r["label_en"]}

    def t(self, key: str, lang: str) -> str:
        entry = self.messages.get(key)
        if entry is None:
            return key
        return entry.get(lang) or entry.get(DEFAULT_LANG) or key

    def label(self, kind: str, code: Any, lang: str) -> str:
        """The words for a code; the code itself (underscores as spaces) when none are known."""
        if code is None or code == "":
            return ""
        entry = self.labels.get(kind, {}).get(str(code))
        if entry:
            return entry.get(lang) or entry.get(DEFAULT_LANG) or str(code)
        return str(code).replace("_", " ")


def pick_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG
