"""One number on its way to becoming a figure, and the context the passes read it in.

A `FigureCandidate` goes through the passes of extractors/figure_passes/ in a fixed order; each
pass fills only the fields it owns and records in `decisions` which rule decided and on what
words, so a reviewer (and the confidence pass) can see why a figure is what it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.figure_rules import FigureRules
from extractors.figure_words import Window, WordRules
from extractors.numbers import Number
from extractors.sentences import Sentence


@dataclass(frozen=True)
class Cue:
    """An event cue of a sentence: a verb or marker before a number ("kết nạp", "trong đó", "có")."""

    label: str  # an event, or link / none / exist
    start: int
    end: int


@dataclass(frozen=True)
class Noun:
    """What the number counts, as the text says it."""

    object: str  # an object of the taxonomy, or "comrade" until the object pass knows whose comrades
    phrase: str  # the counted words ("TCCS đảng", "đồng chí"); for an elided item, its list's noun
    end: int  # where the counted phrase ends
    via: str  # words | list_item (noun left out) | raised_to ("nâng tổng số … lên N") | abbreviation


@dataclass(frozen=True)
class Topic:
    """'(tổng) số đảng viên mới được kết nạp' names what a sentence counts."""

    object: str
    phrase: str
    event: str
    start: int
    end: int  # end of the counted noun in it


@dataclass(frozen=True)
class Decision:
    """Which rule of which pass decided a field, on which words, and how sure that rule is."""

    rule: str
    evidence: str = ""
    weight: float = 1.0


@dataclass
class FigureCandidate:
    number: Number
    sentence: Sentence
    tail: int  # end of the number with its "/M"
    denominator: Number | None = None  # the M of "N/M"
    window: Window | None = None
    noun: Noun | None = None
    name_start: int | None = None  # an elided list item ("Hội An 110") starts at its name
    item_name: str | None = None  # … and counts for that name
    cue: Cue | None = None  # the event cue before the number that the event pass settled on
    clause_event: str | None = None  # the event the clause states, passed on to coordinated figures
    right_event: str | None = None  # an event stated after the counted noun
    event: str | None = None
    linked: int | None = None  # the figure a link word or a coordination continues
    plan_of: int | None = None  # "(kế hoạch 1.600)": the figure whose plan this number is
    coordinated: bool = False
    object: str | None = None
    phrase: str = ""  # the counted phrase after object resolution (a comrade takes its source's)
    qualifier: str = "exact"
    quote_start: int | None = None
    target: bool = False
    parent: int | None = None
    denominator_of: int | None = None  # for the M of "N/M": index of the figure N
    detail: str | None = None
    confidence: float = 1.0
    decisions: dict[str, Decision] = field(default_factory=dict)
    dropped: str | None = None

    def decide(self, what: str, rule: str, evidence: str = "", weight: float = 1.0) -> None:
        self.decisions[what] = Decision(rule, evidence, weight)

    def drop(self, why: str) -> None:
        self.dropped = why

    @property
    def elided(self) -> bool:
        return self.noun is not None and self.noun.via in ("list_item", "raised_to")

    @property
    def start(self) -> int:
        if self.name_start is not None:
            return self.name_start
        return self.quote_start if self.quote_start is not None else self.number.start

    @property
    def end(self) -> int:
        return self.noun.end if self.noun else self.tail

    def explain(self) -> str:
        """'noun=words(TCCS đảng) event=left_cue(kết nạp) …': why the figure is what it is."""
        return " ".join(f"{k}={d.rule}" + (f"({d.evidence})" if d.evidence else "") for k, d in self.decisions.items())


@dataclass
class DocumentContext:
    """What the passes share over one document."""

    text: str
    lower: str | None  # the text in lower case when that keeps every offset
    rules: FigureRules
    words: WordRules
    figures: list[FigureCandidate] = field(default_factory=list)  # the figures kept so far, in order
    abbreviations: dict[str, str] = field(default_factory=dict)  # abbreviation -> object, as this document defines them

    @property
    def abbreviation_words(self) -> frozenset[str]:
        return frozenset(self.abbreviations)


@dataclass
class SentenceContext:
    """What the passes read around the numbers of one sentence."""

    doc: DocumentContext
    sentence: Sentence
    first: int  # index in doc.figures of this sentence's first figure
    topics: list[Topic]
    cues: list[Cue]
    opener_until: int  # goals listed after "… chỉ tiêu chủ yếu là:" run to this offset
    circumstances: list[tuple[int, int]] = field(default_factory=list)  # "Qua kiểm tra," … up to its comma
    list_parent: int | None = None  # a bullet line under "…, trong đó:" continues this figure
    numbers: list[Number] = field(default_factory=list)  # every number of the sentence
    goal_section: bool = False  # the sentence stands under a heading of goals ("III. CHỈ TIÊU")

    def topic_before(self, offset: int) -> Topic | None:
        """The nearest topic whose counted noun ends before `offset`."""
        return next((t for t in reversed(self.topics) if t.end < offset), None)

    @property
    def topic(self) -> Topic | None:
        return self.topics[0] if self.topics else None

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def rules(self) -> FigureRules:
        return self.doc.rules

    @property
    def figures(self) -> list[FigureCandidate]:
        return self.doc.figures

    def shape(self, name: str) -> re.Pattern[str]:
        return self.doc.rules.shapes[name]

    def index_of(self, c: FigureCandidate) -> int:
        """Where a figure kept so far stands in doc.figures: found by identity from the end (it is
        one of this sentence's), not by list.index, which compares every field of every figure."""
        figures = self.doc.figures
        for i in range(len(figures) - 1, -1, -1):
            if figures[i] is c:
                return i
        raise ValueError("not a figure of this document")

    def previous(self) -> FigureCandidate | None:
        """The last figure of this sentence, not counting the M of an "N/M"."""
        for c in reversed(self.doc.figures[self.first :]):
            if c.denominator_of is None:
                return c
        return None

    def recent(self, fits, sentences: int = 3) -> FigureCandidate | None:
        """The nearest earlier figure that `fits`, in this sentence or the few before it (a list
        line under its heading, "Hoàn thành tốt nhiệm vụ: 3.952 đồng chí" under "Tổng số đảng viên")."""
        starts: list[int] = []
        for c in reversed(self.doc.figures):
            if c.sentence.start not in starts:
                starts.append(c.sentence.start)
                if len(starts) > sentences + (1 if starts[0] == self.sentence.start else 0):
                    return None
            if c.denominator_of is None and fits(c):
                return c
        return None
