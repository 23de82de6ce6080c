"""The figure reader's knowledge, compiled once from the data files and handed to the passes.

figure_cues.json    cue words (events, qualifiers, goals, links) and the text shapes the passes check
figure_objects.json kinds of objects and the object/event decision table
details.json        what an `other` or `inspected` figure is (badge, rating, discipline …)
abbreviations.json  common abbreviations and how a document defines its own
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from extractors.cues import FoldedRegex, alternation, fold, labelled_regex, template, words_regex


@dataclass(frozen=True)
class Resolution:
    """One row of the object/event decision table (figure_objects.json 'resolve')."""

    objects: frozenset[str] | None
    events: frozenset[str] | None
    phrases: frozenset[str] | None
    cue: str | None  # "left" | "right": where the event was read
    context: str | None  # a shape of figure_cues.json that must match after the counted noun
    object: str | None  # the object to use instead
    event: str | None  # the event to use instead
    drop: str | None  # why this is no figure

    def fits(self, obj: str, phrase: str, event: str, cue: str | None, context: Callable[[str], bool]) -> bool:
        return ((self.objects is None or obj in self.objects) and (self.events is None or event in self.events)
                and (self.phrases is None or fold(phrase) in self.phrases) and (self.cue is None or self.cue == cue)
                and (self.context is None or context(self.context)))


@dataclass(frozen=True)
class DetailRule:
    """A detail of an `other`/`inspected` figure and the words that state it (details.json)."""

    code: str
    events: frozenset[str]
    regex: re.Pattern[str]  # over lower-cased text
    years: bool  # the code takes the years of a badge: badge_30_years


@dataclass(frozen=True)
class FigureRules:
    object_label: dict[str, str]  # folded counted phrase -> object
    objects: re.Pattern[str]  # every counted phrase, for a noun before the number ("đảng bộ cơ sở 85/779")
    left: FoldedRegex  # event cues before the number
    left_label: dict[str, str]
    right: re.Pattern[str]  # event cues after the counted noun (also read in a topic's rest)
    right_label: dict[str, str]
    targets: FoldedRegex
    target_negators: re.Pattern[str]
    target_openers: re.Pattern[str]  # both openers end in ':' (or "như ;"), which the reader checks first
    list_opener: re.Pattern[str]
    training: re.Pattern[str]
    average_clause: re.Pattern[str]
    shapes: dict[str, re.Pattern[str]]  # figure_cues.json 'patterns', compiled
    folded: dict[str, FoldedRegex]  # its 'lower_case_patterns', for lower-cased text ("(tổng) số đảng viên")
    adverbial: re.Pattern[str]  # a circumstance opening a clause: "Qua kiểm tra, …"
    nominalizers: re.Pattern[str]
    numbered_name: re.Pattern[str]  # "Chi bộ 3": the number is part of a name
    weak_number_blocker: re.Pattern[str]  # "hằng năm", "một số": a weak number word is no number here
    stock_after_verb: frozenset[str]  # "kết nạp tổng số 39": the verb decides
    near_stop: frozenset[str]  # words that start another clause after the counted noun
    achieved: re.Pattern[str]  # "đã", "đạt": a clause of what was done
    kinds: dict[str, frozenset[str]]  # member, org, unit, person
    resolve: tuple[Resolution, ...]
    detail_persons: dict[str, str]  # detail -> the persons it applies to ("badge" -> party_member)
    details: tuple[DetailRule, ...] = field(default=())
    abbreviations: dict[str, str] = field(default_factory=dict)  # common abbreviation -> full phrase
    abbreviation_definition: re.Pattern[str] | None = None

    @property
    def members(self) -> frozenset[str]:
        return self.kinds["member"]

    @property
    def orgs(self) -> frozenset[str]:
        return self.kinds["org"]

    @property
    def persons(self) -> frozenset[str]:
        return self.kinds["person"]

    def shape(self, name: str) -> re.Pattern[str]:
        return self.shapes[name]

    @classmethod
    def from_data(cls, cues: dict[str, Any], objects: dict[str, Any], details: dict[str, Any] | None = None,
                  abbreviations: dict[str, Any] | None = None) -> FigureRules:
        object_label: dict[str, str] = {}  # folded phrase -> object; the first listing wins
        for obj, items in cues["objects"].items():
            for p in items:
                object_label.setdefault(fold(p), obj)
        left, left_label = labelled_regex(cues["events_left"])
        right, right_label = labelled_regex(cues["events_right"])
        obj_alt = alternation([p for items in cues["objects"].values() for p in items])
        expanded = {k: template(v).replace("{OBJECTS}", obj_alt) for k, v in cues["patterns"].items()}
        lower_case = set(cues["lower_case_patterns"])
        if {"topic", "result_before"} - lower_case:  # the passes read these two over lower-cased text
            raise ValueError("figure_cues.json: lower_case_patterns must list 'topic' and 'result_before'")
        for k in sorted(lower_case):
            if _has_capital(expanded[k]):
                raise ValueError(f"figure_cues.json: '{k}' is matched over lower-cased text: it must be written in lower case")
        shapes = {k: re.compile(v) for k, v in expanded.items() if k not in lower_case}
        folded = {k: FoldedRegex.compile(v) for k, v in expanded.items() if k in lower_case}
        if not shapes["named_before_bracket"].pattern.endswith(r"\(\s*$"):
            # depth.py looks for it only where the text before a number ends in "(" (a search of
            # every sentence's start from each capital letter is slow)
            raise ValueError("figure_cues.json: the shape 'named_before_bracket' must end in an opening bracket, \\(\\s*$")
        kinds = {k: frozenset(v) for k, v in objects["kinds"].items()}
        openers = alternation(cues["adverbial_openers"])
        names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(cues["numbered_names"], key=len, reverse=True))
        return cls(
            object_label=object_label,
            objects=re.compile(obj_alt, re.IGNORECASE),
            left=FoldedRegex.compile(left.pattern),
            left_label=left_label,
            right=right,
            right_label=right_label,
            targets=FoldedRegex.compile(alternation(cues["targets"])),
            target_negators=re.compile(rf"(?:{alternation(cues['target_negators'])})(?:\s+(?:[\wÀ-ỹ]+|\d+(?:[.,]\d+)?\s*%)){{0,2}}\s*$", re.IGNORECASE),
            # "đề ra một số chỉ tiêu chủ yếu là:", "… một số chỉ tiêu quan trọng trong năm 2020 như;"
            target_openers=re.compile(rf"(?:{alternation(cues['target_openers'])})[^.;:]{{0,60}}(?::|\snhư\s*[:;])", re.IGNORECASE),
            list_opener=re.compile(rf"(?:{'|'.join(map(_spaced, cues['list_openers']))})\s*:\s*$", re.IGNORECASE),
            training=words_regex(cues["training_words"]),
            average_clause=words_regex(cues["average_clause"]),
            shapes=shapes,
            folded=folded,
            adverbial=re.compile(rf"\s*(?:{openers})[^,;:]*,", re.IGNORECASE),
            nominalizers=words_regex(cues["nominalizers"]),
            numbered_name=re.compile(rf"(?<![\wÀ-ỹ])(?:{names})\s*$"),
            stock_after_verb=frozenset(fold(w) for w in cues["stock_after_verb"]),
            near_stop=frozenset(fold(w) for w in cues["near_stop"]),
            achieved=words_regex(cues["achieved_markers"]),
            weak_number_blocker=re.compile(rf"(?:{alternation(cues.get('weak_number_blockers', []))})\s*$", re.IGNORECASE),
            kinds=kinds,
            resolve=tuple(_resolution(row, kinds) for row in objects["resolve"]),
            detail_persons={k: v["persons"] for k, v in (details or {}).get("details", {}).items() if "persons" in v},
            details=tuple(_details(details or {})),
            abbreviations=dict((abbreviations or {}).get("common", {})),
            abbreviation_definition=re.compile(template(abbreviations["definition"])) if abbreviations else None,
        )


def _has_capital(pattern: str) -> bool:
    """A capital letter in a regex outside a class ([\\wÀ-ỹ] names a range), an escape (\\S, \\W …)
    and a named group's (?P: what a regex over lower-cased text could not match."""
    in_class, i = False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c.isupper() and not in_class and pattern[max(0, i - 2) : i] != "(?":
            return True
        i += 1
    return False


def _resolution(row: dict[str, Any], kinds: dict[str, frozenset[str]]) -> Resolution:
    when = row.get("when", {})
    obj = when.get("object")
    objects = None if obj is None else kinds[obj[1:]] if obj.startswith("@") else frozenset([obj])
    then = row.get("then", {})
    return Resolution(
        objects=objects,
        events=frozenset(when["event"]) if "event" in when else None,
        phrases=frozenset(fold(p) for p in when["phrase"]) if "phrase" in when else None,
        cue=when.get("cue"),
        context=when.get("context"),
        object=then.get("object"),
        event=then.get("event"),
        drop=row.get("drop"),
    )


def _details(data: dict[str, Any]) -> list[DetailRule]:
    out = []
    for code, spec in data.get("details", {}).items():
        body = alternation([p.lower() for p in spec["phrases"]])
        out.append(DetailRule(code, frozenset(spec.get("events", ["other"])), re.compile(body), bool(spec.get("years"))))
    return out


def _spaced(phrase: str) -> str:
    """A phrase with any white space between its words, no word boundaries ("bao gồm" ends in "gồm")."""
    return r"\s+".join(map(re.escape, phrase.split()))
