"""The BM25 read side answers as bm25s does on the index bm25s built and saved, without importing it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from index.ingest.chunk import chunk_document
from index.store.lexical import BM25Parameters, LexicalIndex, Terms, bm25
from index.ingest.parse import parse_file
from tests.conftest import REPO, SAMPLE

QUERIES = ["Which ships left Tartus?", "Russia bases Syria", "what did Turkey offer", "the of and",
           "Khmeimim air base warships port", "zzyzx unknown words"]


def _texts() -> list[str]:
    doc = next(d for d in parse_file(SAMPLE, SAMPLE.name) if not isinstance(d, tuple))
    chunks = chunk_document(doc, max_words=40)
    return [c.text for c in chunks] + ["", "Ships, ships and more SHIPS.", "Tartus"]


def test_terms_tokenise_as_bm25s_does() -> None:
    import bm25s

    from index.store.lexical import _stemmer

    texts = [t for t in _texts() if t] + ["Ünïcödé “quotes” 1,234 km² — it's the U.S.-led 3rd fleet"]
    theirs = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)
    assert Terms()(texts) == [list(t) for t in theirs]
    assert Terms()(["", "the of"]) == [[], []]  # (bm25s gives [""] for a text without words)


def test_search_matches_bm25s(tmp_path) -> None:
    import bm25s

    texts = _texts()
    ids = list(range(100, 100 + len(texts)))
    LexicalIndex.build(ids, texts).save(tmp_path)
    ours = LexicalIndex.load(tmp_path)
    theirs = bm25s.BM25.load(str(tmp_path))
    allowed = np.zeros(200, dtype=bool)
    allowed[100::2] = True
    for query in QUERIES:
        terms = [t for t in ours.terms.question(query) if t in ours.vocab]
        for mask in (None, allowed):
            got_ids, got_scores = ours.search(query, k=5, allowed=mask)
            if not terms:
                assert len(got_ids) == 0
                continue
            weight = None if mask is None else mask[np.asarray(ids)].astype(np.float32)
            docs, scores = theirs.retrieve([terms], k=5, show_progress=False, weight_mask=weight)
            keep = scores[0] > 0
            assert got_ids.tolist() == [ids[d] for d in docs[0][keep]]
            assert np.allclose(got_scores, scores[0][keep], rtol=0, atol=1e-6)
    assert ours.df("tartus") >= 2 and ours.idf("tartus") < ours.idf("never-seen")


def test_loading_and_searching_does_not_import_bm25s(tmp_path) -> None:
    LexicalIndex.build([1, 2], ["Ships left Tartus.", "Russia keeps its bases."]).save(tmp_path)
    probe = ("import sys; from index.store.lexical import LexicalIndex; "
             f"ix = LexicalIndex.load(__import__('pathlib').Path({str(tmp_path)!r})); "
             "print(ix.search('which ships left?', 5)[0].tolist(), 'bm25s' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.stdout.split() == ["[1]", "False", "False"], out.stderr


def test_top_k_is_best_first_with_ties_in_position_order() -> None:
    from index.store.lexical import top_k

    scores = np.array([0, 2, 5, 2, 0, 5, 1, 2], dtype=np.float32)
    assert top_k(scores, 4).tolist() == [2, 5, 1, 3]
    assert top_k(scores, 100).tolist() == [2, 5, 1, 3, 7, 6]  # never a passage that scored nothing
    assert top_k(np.zeros(5, dtype=np.float32), 3).tolist() == []


def test_a_passage_scored_from_its_terms_scores_as_in_the_index(tmp_path):
    texts = ["Ships left the port of Tartus on Sunday: a frigate and a cargo ship.",
             "Russia keeps its bases in Syria, Peskov said.",
             "The port of Tartus is Russia's naval base in Syria; ships come and go.",
             "Nothing here about it."]
    LexicalIndex.build([1, 2, 3, 4], texts).save(tmp_path)
    index = LexicalIndex.load(tmp_path)
    passages = index.terms(texts)
    params = BM25Parameters(index.k1, index.b, avgdl=sum(map(len, passages)) / len(passages))
    question = index.terms.question("Which ships left the port of Tartus in Syria?")
    from_terms = [bm25(question, terms, index.idf, params) for terms in passages]
    assert from_terms == pytest.approx(index.scores(question).tolist(), rel=1e-5)
