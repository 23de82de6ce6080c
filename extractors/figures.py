"""Counted quantities of the figure taxonomy (GUIDE.md), read sentence by sentence.

Every number becomes a `FigureCandidate` that goes through small passes in a fixed order
(extractors/figure_passes/), each filling what it owns and recording why:

    counted noun → event → detail → object → qualifier → target → breakdown → confidence

and the M of an "N/M" gets a figure of its own.  What the passes know (cue words, the
object/event decision table, the text shapes they check) is data, compiled once into
`FigureRules` and handed in.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

from extractors.abbreviations import defined_abbreviations
from extractors.cues import lower_keeping_offsets
from extractors.figure_candidate import DocumentContext, FigureCandidate, SentenceContext
from extractors.figure_passes.breakdown import link_parent
from extractors.figure_passes.confidence import rate_confidence
from extractors.figure_passes.counted import read_counted
from extractors.figure_passes.denominators import read_denominator
from extractors.figure_passes.details import read_detail
from extractors.figure_passes.events import circumstances, read_event, sentence_cues, sentence_topics
from extractors.figure_passes.objects import resolve_object
from extractors.figure_passes.qualifiers import read_qualifier
from extractors.figure_passes.targets import read_target
from extractors.figure_rules import FigureRules
from extractors.figure_words import WordRules
from extractors.numbers import Number, NumberRules, find_numbers
from extractors.sentences import Sentence, is_headline

Pass = Callable[[FigureCandidate, SentenceContext], None]

# The passes in the order they run; each reads what the ones before it decided.
PASSES: tuple[tuple[str, Pass], ...] = (
    ("counted", read_counted),
    ("event", read_event),
    ("detail", read_detail),
    ("object", resolve_object),
    ("qualifier", read_qualifier),
    ("target", read_target),
    ("breakdown", link_parent),
    ("confidence", rate_confidence),
)


def read_figures(text: str, sentences: list[Sentence], masked: list[tuple[int, int]], rules: FigureRules,
                 words: WordRules, numbers: NumberRules) -> list[FigureCandidate]:
    """All figures of the text; `masked` spans (dates, document symbols, times, URLs) hold no figures."""
    mask = sorted(masked)
    mask_starts = [ms for ms, _ in mask]
    # the furthest end among the spans starting before each one: a span [s, e) meets the mask when
    # some span starting before e ends after s, found by bisecting instead of scanning every span
    reach = list(itertools.accumulate((me for _, me in mask), max))
    doc = DocumentContext(text=text, lower=lower_keeping_offsets(text), rules=rules, words=words,
                          abbreviations=defined_abbreviations(text, rules))

    def is_masked(s: int, e: int) -> bool:
        i = bisect.bisect_left(mask_starts, e)
        return i > 0 and reach[i - 1] > s

    opener_until = -1
    paragraph_of_opener = -1
    list_parent: int | None = None  # the figure a list opened by "…, trong đó:" breaks down
    goal_section = False  # under a heading of goals ("III. CHỈ TIÊU") until the next heading
    for sent in sentences:
        if rules.shapes["section_heading"].fullmatch(sent.text) and len(sent.text) < 90:
            goal_section = bool(rules.targets.any_case.search(sent.text)) and not find_numbers(text, numbers, sent.start, sent.end)
        if sent.paragraph != paragraph_of_opener:
            opener_until = -1
        # Both openers end in a colon (or "như ;"): a sentence without one is not scanned.
        has_colon = text.find(":", sent.start, sent.end) >= 0
        op = rules.target_openers.search(text, sent.start, sent.end) \
            if has_colon or text.find(";", sent.start, sent.end) >= 0 else None
        if op:
            # Goals listed after "đề ra một số chỉ tiêu chủ yếu là:" run to the paragraph's end.
            paragraph_of_opener = sent.paragraph
            end_of_par = text.find("\n", op.end())
            opener_until = len(text) if end_of_par < 0 else end_of_par
        if not rules.shapes["list_item"].match(text, sent.start):
            list_parent = None  # the list ends at the first line that is no item of it
        found = [n for n in find_numbers(text, numbers, sent.start, sent.end)
                 if not is_masked(n.start, n.end) and not _in_range(text, n, rules)]
        first = len(doc.figures)
        if found:
            ctx = SentenceContext(doc=doc, sentence=sent, first=first, topics=sentence_topics(text, doc.lower, sent, rules),
                                  cues=sentence_cues(text, doc.lower, sent, rules), opener_until=opener_until,
                                  circumstances=circumstances(text, sent, rules), list_parent=list_parent, numbers=found,
                                  goal_section=goal_section)
            _read_sentence(found, ctx)
        if has_colon and rules.list_opener.search(text, sent.start, sent.end):
            opened = [i for i in range(first, len(doc.figures)) if doc.figures[i].denominator_of is None]
            list_parent = opened[-1] if opened else None
    restatements(doc.figures)
    return doc.figures


# Rules of the event pass that only say "nothing decided otherwise".
_WEAK_EVENTS = frozenset({"exist", "default", "coordinated", "topic"})


def restatements(figures: list[FigureCandidate]) -> None:
    """A title that restates a figure of the body ("* Có 9 đảng viên là học sinh thpt" above
    "… phát triển được 9 đảng viên là học sinh") says what the body says: a title's figure whose
    event nothing decided takes the event of the same count stated in the body."""
    body = {}
    for f in figures:
        d = f.decisions.get("event")
        if not is_headline(f.sentence.text) and d is not None and d.rule not in _WEAK_EVENTS:
            body.setdefault((f.object, f.number.value), f)
    for f in figures:
        d = f.decisions.get("event")
        if not is_headline(f.sentence.text) or d is None or d.rule not in _WEAK_EVENTS:
            continue
        same = body.get((f.object, f.number.value))
        if same is not None and same.event != f.event:
            f.event, f.detail = same.event, same.detail
            f.decide("event", "restated", same.sentence.text[:60], 0.9)
            rate_confidence(f, None)


def _read_sentence(found: list[Number], ctx: SentenceContext) -> None:
    doc = ctx.doc
    dens = {n.denominator_of: n for n in found if n.denominator_of is not None}
    for num in found:
        if num.denominator_of is not None:
            continue
        den = dens.get(num.start)
        c = read_one(FigureCandidate(number=num, sentence=ctx.sentence, tail=den.end if den else num.end, denominator=den), ctx)
        if c.dropped:
            continue
        doc.figures.append(c)
        if den is not None:
            d = read_denominator(den, c, ctx)
            if d is not None:
                doc.figures.append(d)


def read_one(c: FigureCandidate, ctx: SentenceContext, passes: tuple[tuple[str, Pass], ...] = PASSES) -> FigureCandidate:
    """Run the passes over one candidate; a pass that drops it ends the reading."""
    for _name, run in passes:
        run(c, ctx)
        if c.dropped:
            break
    return c


def _in_range(text: str, num: Number, rules: FigureRules) -> bool:
    """'chỉ có 1-2 đảng viên', '80 - 85%': a range says how many roughly, it is no count."""
    return bool(rules.shapes["range_before"].search(text[max(0, num.start - 4) : num.start])
                or rules.shapes["range_after"].match(text, num.end))


__all__ = ["PASSES", "read_figures", "read_one"]
