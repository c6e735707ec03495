"""Who said it: the attribution printed beside a quote, scored against labels a person wrote for the suite's corpora.

A label (one JSON line of a corpus's `attributions.jsonl`) names a sentence of a document and who a careful editor
would say said or reported it: `in_sentence` (the sentence names its speaker or source), `context` (the words of a
speaker named just before) or `report` (the article's own reporting: nobody, so the outlet). `expected` and `also_ok`
hold the accepted names; eval/README.md says how they were written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index.types import Document

KINDS = ("in_sentence", "context", "report")


@dataclass(frozen=True)
class AttributionLabel:
    doc: str
    sentence: str
    kind: str
    expected: str = ""
    also_ok: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [n for n in (self.expected, *self.also_ok) if n]


def load_labels(path: Path) -> list[AttributionLabel]:
    """The labels of one file; a line of another shape is a ValueError naming the line."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            label = AttributionLabel(r["doc"], r["sentence"], r["kind"], r.get("expected", ""),
                                     tuple(r.get("also_ok", ())))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not an attribution label ({exc})") from None
        if label.kind not in KINDS:
            raise ValueError(f"{path}:{number}: kind {label.kind!r} is not one of {', '.join(KINDS)}")
        out.append(label)
    return out


def is_right(attribution: str, label: AttributionLabel, outlet: str) -> bool:
    """An attribution naming one of the label's names (or named inside one: "Vellacott" for "Marta Vellacott"); for
    the article's own reporting, the outlet or nothing."""
    said = attribution.strip().lower()
    if label.kind == "report":
        return said in ("", outlet.strip().lower())
    return any(name.lower() in said or (len(said) >= 4 and said in name.lower()) for name in label.names)


def attributed_right(labels: list[AttributionLabel], document: Callable[[str], Document],
                     attribution: Callable[[str, int, int], str]) -> list[bool]:
    """Whether each label's sentence is attributed right: `document(doc_id)` reads a document, `attribution(doc_id,
    start, end)` attributes a span of it (an index version's, or `index.answer.attribute.attribute`'s)."""
    out = []
    for label in labels:
        doc = document(label.doc)
        at = doc.text.find(label.sentence)
        if at < 0:
            raise ValueError(f"{label.doc}: no sentence {label.sentence[:60]!r}…")
        out.append(is_right(attribution(label.doc, at, at + len(label.sentence)), label, doc.source or doc.author))
    return out
