"""Confidence pass: how sure the reader is of a figure, from the rules that decided it.

Every pass records the rule that decided its field and that rule's weight (a verb before the
number: 1.0; a coordination: 0.85; the context of a classifier "tổ chức": 0.7; nothing at all,
so a stock by default: 0.4).  A figure is as sure as its least sure decision; the object table
settling the event (workers are counted as a stock) counts as a decision.  Figures below
REVIEW_BELOW are the ones a reviewer should look at first."""

from __future__ import annotations

from extractors.figure_candidate import FigureCandidate, SentenceContext

REVIEW_BELOW = 0.6


def rate_confidence(c: FigureCandidate, ctx: SentenceContext | None) -> None:
    weights = {k: d.weight for k, d in c.decisions.items()}
    obj = c.decisions.get("object")
    if obj is not None and obj.rule == "table" and "event" in weights:
        weights["event"] = max(weights["event"], 0.8)  # the table knows what such a noun's event is
    c.confidence = round(min(weights.values(), default=1.0), 2)
