"""Write extractors/data/entity_patterns.jsonl (spaCy EntityRuler patterns for organization names)
from extractors/data/organizations.json, tokenizing each head with underthesea so that the
patterns match the tokens the pipeline will see.

    .venv/bin/python tools/build_entity_patterns.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from underthesea import word_tokenize

from extractors.cues import UPPER

DATA = Path(__file__).resolve().parents[1] / "extractors" / "data"


def main() -> None:
    orgs = json.loads((DATA / "organizations.json").read_text(encoding="utf-8"))
    connectors = sorted({w for c in orgs["connectors"] for w in [c]}, key=len, reverse=True)
    # A name word: capitalized (any word of it), or one of the connectors.
    name_word = rf"^(?:[{UPPER}]\S*|(?:{'|'.join(re.escape(c) for c in connectors)})$|\S*\s[{UPPER}]\S*)"
    lines = []
    for head in sorted(orgs["heads"], key=len, reverse=True):
        # underthesea's words depend on the context ("Tỉnh ủy" alone, "Tỉnh", "ủy" before a verb):
        # one pattern per way the head can come out, so the ruler matches whichever the text gives.
        variants = {tuple(word_tokenize(head)), tuple(head.split()), (head,)}
        for ctx in (" đã thống nhất", " Quảng Trị có", " tổ chức hội nghị"):
            words = word_tokenize(head + ctx)
            joined, taken = "", []
            for w in words:
                if len(joined) >= len(head):
                    break
                taken.append(w)
                joined = " ".join(taken)
            if joined == head:
                variants.add(tuple(taken))
        for tokens in sorted(variants):
            pattern = [{"LOWER": t.lower()} for t in tokens] + [{"TEXT": {"REGEX": name_word}, "OP": "*"}]
            lines.append({"label": "ORG", "pattern": pattern, "id": orgs["heads"][head]})
    (DATA / "entity_patterns.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} patterns")


if __name__ == "__main__":
    main()
