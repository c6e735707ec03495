"""`newsdesk eval` on a small question set the test writes: metrics, as-of dates, the answer decision."""

import json

from newsdesk.cli import main


def test_eval_reports_every_configuration(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    corpus = tmp_path / "articles.jsonl"
    stories = [
        ("s1", "2022-06-10", "Harbour reopens", "The old harbour reopened on Friday after repairs, the mayor said."),
        ("s2", "2022-06-12", "Bridge vote", "The council voted to build a new bridge over the Ash river."),
        ("s3", "2022-01-05", "Bridge plan", "An early plan for a bridge over the Ash river was dropped."),
        ("s4", "2022-06-14", "Rare bird", "A rare heron was spotted at the lake, rangers reported."),
    ]
    corpus.write_text("".join(json.dumps({"id": i, "date": d, "title": t, "source": "Gazette", "body": b}) + "\n"
                              for i, d, t, b in stories))
    questions = tmp_path / "questions.jsonl"
    qs = [
        ("q1", "What did the council vote to build this week?", ["a new bridge"], ["s2"], "2022-06-15"),
        ("q2", "Which bird was spotted at the lake?", ["heron"], ["s4"], "2022-06-15"),
        ("q3", "What reopened after repairs?", ["harbour"], ["s1"], "2022-06-15"),
        ("q4", "Which bird was spotted at the lake?", ["heron"], ["s4"], "2022-06-13"),  # asked before s4 existed
    ]
    questions.write_text("".join(json.dumps({"id": i, "question": q, "answers": a, "evidence_doc_ids": g,
                                             "question_date": d}) + "\n" for i, q, a, g, d in qs))

    negatives = tmp_path / "negatives.jsonl"
    negatives.write_text(json.dumps({"id": "neg-1", "kind": "off_domain", "question": "How long do I boil an egg?",
                                     "question_date": "2022-06-15"}) + "\n")

    assert main(["eval", str(questions), "--corpus", str(corpus), "--negatives", str(negatives), "--json"]) == 0
    results = {r["name"]: r for r in json.loads(capsys.readouterr().out)}

    assert set(results) == {"dense", "bm25", "hybrid", "full"}
    full = results["full"]
    assert full["hits"]["1"] == 0.75  # q4 cannot find s4: it is newer than the question
    assert full["answer_in_quote"]["3"] == 0.75
    assert [r["rank"] for r in full["per_question"]] == [1, 1, 1, None, None]
    assert full["questions"] == 4  # answerable ones; the negative counts only in its own column
    assert full["refused"] == {"off_domain": 1.0}
    decisions = [r["decision"] for r in full["per_question"]]
    assert full["answered_rate"] == decisions[:4].count("answer") / 4
    assert full["shown_hits5"] <= min(full["hits"]["5"], full["answered_rate"])
    assert 0 <= full["latency_ms_p50"] <= full["latency_ms_p95"]
