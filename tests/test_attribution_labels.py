"""Who said it, on the suite's corpora: the attribution of each labelled sentence against what a person wrote."""

from pathlib import Path

import pytest

from index.answer.attribute import attribute
from index.eval.attributions import AttributionLabel, attributed_right, is_right, load_labels
from index.eval.suite import load_suite, read_documents

EVAL = Path(__file__).resolve().parent.parent / "eval"


def labelled(suite: str) -> list[bool]:
    """Whether each labelled sentence of a suite's corpora is attributed right (documents read, no index)."""
    right = []
    for corpus in [c for c in load_suite(EVAL / suite) if c.attributions is not None]:
        docs = read_documents(corpus.docs)
        right += attributed_right(load_labels(corpus.attributions), docs.__getitem__,
                                  lambda doc_id, start, end: attribute(docs[doc_id], start, end))
    return right


def test_the_suite_corpora_are_attributed_as_a_person_would():
    right = labelled("suite.toml")
    assert len(right) == 238
    assert sum(right) / len(right) >= 0.94  # 0.98 when written; 0.78 before the subject and role rules


def test_ukrainian_and_russian_reports_are_attributed_as_a_person_would():
    right = labelled("multilingual.toml") + labelled("multilingual-b.toml")
    assert len(right) == 59
    assert sum(right) / len(right) >= 0.9  # 58 of 59 when written; 45 before the role and body rules


def test_a_label_accepts_its_names_and_a_report_only_the_outlet():
    said = AttributionLabel("d", "s", "in_sentence", "Marta Vellacott", ("Vellacott",))
    assert is_right("Town Engineer Marta Vellacott", said, "Courier")
    assert is_right("Vellacott", said, "Courier")
    assert not is_right("Courier", said, "Courier")
    report = AttributionLabel("d", "s", "report")
    assert is_right("Courier", report, "Courier") and is_right("", report, "Courier")
    assert not is_right("Vellacott", report, "Courier")


def test_a_malformed_label_names_its_line(tmp_path):
    path = tmp_path / "attributions.jsonl"
    path.write_text('{"doc": "a", "sentence": "b", "kind": "report"}\n{"doc": "a", "kind": "said"}\n')
    with pytest.raises(ValueError, match=r"attributions.jsonl:2"):
        load_labels(path)
