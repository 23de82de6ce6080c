"""The registry's knowledge, loaded once into plain values and handed to the resolver.

`load_rules()` reads `data/org_levels.json` (levels, heads, units) and, read-only, the
gazetteer's data files in `extractors/data/` (the 63 provinces with their district-level
units, and the 2025 merger map). A test can build `Rules` from a changed copy of either.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from baocao.normalize import normalize

# Punctuation that separates words in a name but is not part of one.
_PUNCT = re.compile(r"[,;:()\[\]\"“”'‘’]")
_DASHES = re.compile(r"\s*[–—‐−]\s*|\s+-\s+")


def words_of(text: str) -> list[str]:
    """The words of a name as written: one tone convention, NFC, dashes spaced, punctuation dropped."""
    text = normalize(text)[0]
    text = _DASHES.sub(" - ", text)
    text = _PUNCT.sub(" ", text)
    return text.split()


def fold(text: str) -> str:
    """Lookup key of a name: its words in lower case, without dashes."""
    return " ".join(w for w in words_of(text.lower()) if w != "-")


@dataclass(frozen=True)
class Head:
    words: tuple[str, ...]  # folded
    body: str  # party | youth_union | trade_union
    form: str  # party | party_committee | party_cell | youth_union | trade_union
    type: str | None = None  # locality type a committee word carries (Huyện ủy -> huyện)
    central: bool = False
    below: bool = False


@dataclass(frozen=True)
class ProvincialUnit:
    name: str  # as the registry writes it: "Công an tỉnh"
    aliases: tuple[tuple[str, ...], ...]  # folded word tuples, longest first


@dataclass(frozen=True)
class Province:
    name: str  # canonical pre-2025 name, as in provinces.json
    type: str  # tỉnh | thành phố
    successor: str  # province after the 2025 merger (itself when not merged)


@dataclass(frozen=True)
class District:
    name: str
    type: str  # huyện | quận | thị xã | thành phố
    province: str


@dataclass(frozen=True)
class Reorganization:
    effective: dt.date
    provinces_end: dt.date
    districts_end: dt.date
    district_types: frozenset[str]


@dataclass(frozen=True)
class Rules:
    levels: dict[str, dict[str, Any]]
    kinds: dict[str, dict[str, Any]]
    scopes: dict[str, dict[str, Any]]
    abbreviations: tuple[tuple[re.Pattern[str], str], ...]
    committee_prefixes: tuple[tuple[str, ...], ...]
    heads: tuple[Head, ...]
    localities: dict[str, str]  # type word -> level
    bloc_word: str
    central_markers: tuple[tuple[str, ...], ...]
    blocs_without_khoi: frozenset[str]
    provincial_units: tuple[ProvincialUnit, ...]
    unit_nouns: tuple[tuple[str, ...], ...]
    upper_units: tuple[tuple[str, ...], ...]
    below_units: tuple[tuple[str, ...], ...]
    under_words: tuple[tuple[str, ...], ...]
    generic_words: frozenset[str]
    national_markers: tuple[tuple[str, ...], ...]
    reorganization: Reorganization
    provinces: dict[str, Province]  # canonical name -> Province
    province_keys: dict[tuple[str, ...], str]  # folded words of a name or alias -> canonical name
    district_keys: dict[tuple[str, ...], tuple[District, ...]]  # folded name/alias -> districts holding it
    merger_source: str

    @property
    def level_rank(self) -> dict[str, int]:
        return {code: v["rank"] for code, v in self.levels.items()}


def _json(package: str, *path: str) -> Any:
    return json.loads(resources.files(package).joinpath(*path).read_text(encoding="utf-8"))


def _public(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if not k.startswith("_")}


def _wordsets(phrases: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(fold(p).split()) for p in phrases}, key=len, reverse=True))


def _abbreviation(short: str, full: str) -> tuple[re.Pattern[str], str]:
    # A dotted abbreviation may run into the next word ("TP.Long Khánh", "TT. Phước Hải").
    right = r"\s*" if short.endswith(".") else r"(?![\wÀ-ỹ])"
    return re.compile(rf"(?<![\wÀ-ỹ.]){re.escape(short)}{right}"), full + " "


def build_rules(levels: dict[str, Any], provinces: dict[str, Any], merger: dict[str, Any]) -> Rules:
    reorg = levels["reorganization_2025"]
    province_rows: dict[str, Province] = {}
    province_keys: dict[tuple[str, ...], str] = {}
    district_keys: dict[tuple[str, ...], list[District]] = {}
    successors = merger["successors"]
    for p in provinces["provinces"]:
        name = p["name"]
        province_rows[name] = Province(name, p["type"], successors.get(name, name))
        for n in (name, *p["aliases"]):
            province_keys.setdefault(tuple(fold(n).split()), name)
        for place in p["places"]:
            if place["type"] not in reorg["district_types"]:
                continue  # landmarks, industrial zones: not a Party organization's place
            d = District(place["name"], place["type"], name)
            for n in (place["name"], *place.get("aliases", [])):
                bucket = district_keys.setdefault(tuple(fold(n).split()), [])
                if d not in bucket:
                    bucket.append(d)
    heads = tuple(
        sorted(
            (
                Head(tuple(fold(h["words"]).split()), h["body"], h["form"], h.get("type"), h.get("central", False),
                     h.get("below", False))
                for h in levels["heads"]
            ),
            key=lambda h: len(h.words),
            reverse=True,
        )
    )
    units = tuple(ProvincialUnit(u["name"], _wordsets(u["aliases"])) for u in levels["provincial_units"])
    abbreviations = tuple(
        _abbreviation(short, full)
        for short, full in sorted(levels["abbreviations"].items(), key=lambda kv: len(kv[0]), reverse=True)
    )
    return Rules(
        levels=_public(levels["levels"]),
        kinds=_public(levels["kinds"]),
        scopes=_public(levels["scopes"]),
        abbreviations=abbreviations,
        committee_prefixes=_wordsets(levels["committee_prefixes"]),
        heads=heads,
        localities=_public(levels["localities"]),
        bloc_word=levels["bloc_word"],
        central_markers=_wordsets(levels["central_markers"]),
        blocs_without_khoi=frozenset(fold(b) for b in levels["blocs_without_khoi"]),
        provincial_units=units,
        unit_nouns=_wordsets(levels["unit_nouns"]),
        upper_units=_wordsets(levels["upper_units"]),
        below_units=_wordsets(levels["below_units"]),
        under_words=_wordsets(levels["under_words"]),
        generic_words=frozenset(fold(w) for w in levels["generic_words"]) | {"-"},
        national_markers=_wordsets(levels["national_markers"]),
        reorganization=Reorganization(
            effective=dt.date.fromisoformat(reorg["effective"]),
            provinces_end=dt.date.fromisoformat(reorg["provinces_end"]),
            districts_end=dt.date.fromisoformat(reorg["districts_end"]),
            district_types=frozenset(reorg["district_types"]),
        ),
        provinces=province_rows,
        province_keys=province_keys,
        district_keys={k: tuple(v) for k, v in district_keys.items()},
        merger_source=merger["source"],
    )


@cache
def load_rules() -> Rules:
    """The shipped rules: org_levels.json with the gazetteer's provinces and 2025 mergers (read once
    per process; build_rules makes others)."""
    return build_rules(
        _json("baocao.organizations", "data", "org_levels.json"),
        _json("extractors", "data", "provinces.json"),
        _json("extractors", "data", "province_merger_2025.json"),
    )
