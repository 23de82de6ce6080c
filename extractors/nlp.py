"""The Vietnamese NLP layer: underthesea words as spaCy tokens.

Vietnamese writes words as space-separated syllables ("đảng viên", "tổ chức cơ sở"), so
spaCy's whitespace tokenizer would cut every word apart.  `UndertheseaTokenizer` asks
underthesea for the words and builds a `Doc` whose tokens are those words, with the
original text (line wraps included) preserved exactly, so that every span keeps its
character offsets.  An `EntityRuler` whose patterns live in `data/entity_patterns.jsonl`
marks organization names (ORG) for the subject of figures.

Only windows that can hold an organization name are parsed (subjects.py): the NLP cost is
paid where a fact can be.  The pipeline is built once by `extractors.rules.Rules` and handed in.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab


class Memo:
    """A bounded memo of a pure function of a string (least recently used entries go first).

    Report sentences repeat their windows: the same organization name, the same "đảng viên mới
    được kết nạp" after a number.  Segmenting a repeat again is the slowest thing extraction
    could do twice."""

    def __init__(self, fn, size: int = 50_000) -> None:
        self.fn, self.size = fn, size
        self.entries: OrderedDict = OrderedDict()

    def __call__(self, key: str):
        try:
            self.entries.move_to_end(key)
            return self.entries[key]
        except KeyError:
            value = self.entries[key] = self.fn(key)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
            return value


def word_spans(text: str) -> list[tuple[int, int]]:
    """underthesea's words as (start, end) offsets in `text`."""
    from underthesea import word_tokenize

    spans: list[tuple[int, int]] = []
    pos = 0
    for w in word_tokenize(text):
        at = text.find(w, pos)
        if at >= 0 and not text[pos:at].strip():
            spans.append((at, at + len(w)))
        else:
            # underthesea joins the syllables of a word with one space even where the text
            # has a line break: match any white space between them.
            m = re.compile(r"\s+".join(re.escape(p) for p in w.split())).search(text, pos)
            if m is None:
                continue
            spans.append((m.start(), m.end()))
        pos = spans[-1][1]
    return spans


def doc_from_spans(vocab: Vocab, text: str, spans: list[tuple[int, int]]) -> Doc:
    """A Doc whose tokens are the given words, the text between them kept exactly: one space
    after a word is its trailing space; any other gap becomes a token of its own, as spaCy expects."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for w_start, w_end in [*spans, (len(text), len(text))]:
        if w_start > pos:
            gap = text[pos:w_start]
            if gap == " " and words:
                spaces[-1] = True
            else:
                if words and gap.startswith(" "):
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
        if w_end > w_start:
            words.append(text[w_start:w_end])
            spaces.append(False)
        pos = max(pos, w_end)
    return Doc(vocab, words=words, spaces=spaces)


class UndertheseaTokenizer:
    """spaCy tokenizer whose tokens are underthesea words; white space other than one space
    becomes its own token, as spaCy expects."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return doc_from_spans(self.vocab, text, word_spans(text))

    # spaCy serializes tokenizers with the pipeline; this one has no state of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> UndertheseaTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> UndertheseaTokenizer:
        return self


@spacy.registry.tokenizers("baocao.underthesea_tokenizer")
def _create_tokenizer():
    def make(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return make


def build_pipeline(entity_patterns: Path) -> Language:
    """A blank Vietnamese pipeline: underthesea tokenizer + EntityRuler for organization names,
    its patterns read from `entity_patterns` (data/entity_patterns.jsonl)."""
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "baocao.underthesea_tokenizer"}}})
    ruler = pipeline.add_pipe("entity_ruler", config={"validate": True})
    ruler.from_disk(str(entity_patterns))
    return pipeline
