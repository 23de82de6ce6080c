"""All the knowledge the extractors read, loaded once from the data files into one value.

    rules = load_rules()                 # the shipped data (extractors/data/)
    rules = load_rules(Path("my-data"))  # a copy a domain expert edited
    extract(text, rules)

Like a spaCy pipeline's components, which get their patterns at initialization, every
extractor takes its part of `Rules` as an argument: nothing reads a data file behind the
caller's back, so a test can run the extractors with a changed rule set and a run can say
exactly which rules produced its facts (`fingerprint`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from extractors.cues import DATA_DIR, load_json, load_jsonl
from extractors.doc_refs import DocRefRules
from extractors.figure_rules import FigureRules
from extractors.figure_words import WordRules
from extractors.furniture import FurnitureRules
from extractors.gazetteer import Gazetteer
from extractors.header import FormatRules, format_rules
from extractors.numbers import NumberRules
from extractors.people import PeopleRules
from extractors.periods import PeriodRules
from extractors.segments import SegmentRules
from extractors.subjects import SubjectRules
from extractors.tables import TableRules, table_rules

if TYPE_CHECKING:
    from spacy.language import Language

# The data files the rules are built from; their bytes make the fingerprint.
DATA_FILES = (
    "figure_cues.json", "figure_objects.json", "details.json", "abbreviations.json", "figure_patterns.jsonl",
    "periods.json", "segments.json", "organizations.json", "entity_patterns.jsonl", "doc_types.json",
    "furniture.json", "roles.json", "provinces.json", "province_merger_2025.json", "party_format.json",
    "table_headers.json",
)


@dataclass(frozen=True)
class Rules:
    data_dir: Path
    figures: FigureRules
    words: WordRules
    numbers: NumberRules
    periods: PeriodRules
    segments: SegmentRules
    subjects: SubjectRules
    doc_refs: DocRefRules
    furniture: FurnitureRules
    people: PeopleRules
    gazetteer: Gazetteer
    header: FormatRules  # the Party document format
    tables: TableRules  # statistical tables
    fingerprint: str = field(default="")

    @cached_property
    def pipeline(self) -> Language:
        """The spaCy pipeline for organization names (underthesea tokenizer + name patterns), built
        on first use: loading spaCy is the slowest part of start-up."""
        from extractors.nlp import build_pipeline

        return build_pipeline(self.data_dir / "entity_patterns.jsonl")

    @cached_property
    def name_end(self):
        """Where the organization name opening a window ends (extractors.nlp.org_name_end), memoized:
        a document names its organizations again and again."""
        from extractors.nlp import Memo, org_name_end

        return Memo(partial(org_name_end, self.pipeline), size=20_000)


def load_rules(data_dir: Path | None = None) -> Rules:
    """Read and compile every data file of `data_dir` (default: the shipped extractors/data)."""
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    cues = load_json("figure_cues.json", d)
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(name.encode())
        h.update((d / name).read_bytes())
    return Rules(
        data_dir=d,
        figures=FigureRules.from_data(cues, load_json("figure_objects.json", d), load_json("details.json", d),
                                      load_json("abbreviations.json", d)),
        words=WordRules.from_patterns(load_jsonl("figure_patterns.jsonl", d)),
        numbers=NumberRules.from_data(cues),
        periods=PeriodRules.from_data(load_json("periods.json", d)),
        segments=SegmentRules.from_data(load_json("segments.json", d)),
        subjects=SubjectRules.from_data(load_json("organizations.json", d)),
        doc_refs=DocRefRules.from_data(load_json("doc_types.json", d)),
        furniture=FurnitureRules.from_data(load_json("furniture.json", d)),
        people=PeopleRules.from_data(load_json("roles.json", d), load_json("doc_types.json", d)),
        gazetteer=Gazetteer(load_json("provinces.json", d), load_json("province_merger_2025.json", d)),
        header=format_rules(load_json("party_format.json", d), load_json("doc_types.json", d)),
        tables=table_rules(cues, load_json("table_headers.json", d), load_json("segments.json", d)),
        fingerprint=h.hexdigest()[:16],
    )
