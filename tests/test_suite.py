"""The evaluation suite: the shipped corpora read as their questions say, and `newsdesk eval --suite` prints one
row per corpus, the decision fitted on all corpora but one scored on the one left out."""

import json
from pathlib import Path

import numpy as np

from index.answer.chance import chance_similarity
from index.answer.decide import Decider
from index.eval.suite import cache_slug, check_corpus, load_suite
from index.store.vectorstore.faiss_store import FaissStore
from newsdesk.cli import main

SUITE = Path(__file__).resolve().parent.parent / "eval" / "suite.toml"


def test_every_shipped_corpus_reads_as_its_questions_say():
    corpora = [c for c in load_suite(SUITE) if not c.optional]
    checks = {c.name: check_corpus(c) for c in corpora}

    assert {name: found.problems for name, found in checks.items()} == {name: [] for name in checks}
    team = [found for name, found in checks.items() if name != "sample"]
    assert len(team) >= 4 and all(12 <= found.documents <= 40 for found in team)
    assert all({"txt", "md", "json", "jsonl", "jsonl.gz", "html"} <= set(found.formats) for found in team)
    assert sum(found.kinds.get("answerable", 0) for found in checks.values()) >= 200
    assert sum(found.kinds.get("near", 0) + found.kinds.get("off_domain", 0) for found in checks.values()) >= 120


def test_the_held_out_corpus_reads_as_its_questions_say_and_stays_out_of_the_suite():
    [held] = load_suite(SUITE.parent / "holdout.toml")
    found = check_corpus(held)

    assert found.problems == []
    assert 24 <= found.documents <= 30 and found.undated
    assert {"txt", "md", "json", "jsonl", "jsonl.gz", "html"} <= set(found.formats)
    assert found.kinds["answerable"] >= 45 and found.kinds["near"] >= 18 and found.kinds["off_domain"] >= 8
    assert held.docs not in {c.docs for c in load_suite(SUITE)}


def test_the_development_set_is_optional_and_outside_the_repository():
    [dev] = [c for c in load_suite(SUITE) if c.name == "realtimeqa-dev"]
    assert dev.optional and SUITE.parent.parent not in dev.docs.parents


def _corpus(root: Path, name: str, stories: list[tuple[str, str, str]], questions: list[dict]) -> None:
    docs = root / name / "docs"
    docs.mkdir(parents=True)
    for i, (day, title, body) in enumerate(stories):
        (docs / f"{i}.md").write_text(f"---\ntitle: {title}\ndate: {day}\nsource: Gazette\n---\n{body}\n")
    (root / name / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))


def _answerable(qid: str, question: str, doc: str, sentence: str, answer: str) -> dict:
    return {"id": qid, "kind": "answerable", "question": question, "question_date": "2026-12-06", "answers": [answer],
            "evidence_doc_ids": [doc], "answer_sentences": [sentence]}


def test_newsdesk_eval_suite_prints_a_row_per_corpus_and_the_held_out_decision(settings, tmp_path, monkeypatch,
                                                                                 capsys):
    monkeypatch.setenv("EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    _corpus(tmp_path, "harbour", [
        ("2023-04-02", "Ferry line opens", "The new ferry to Kesselby sails four times a day. A ticket costs 14 euros."),
        ("2024-06-11", "Library vote", "The council voted nine to two to turn the grain store into a library."),
    ], [_answerable("h1", "How much is a ferry ticket to Kesselby?", "0.md", "A ticket costs 14 euros.", "14 euros"),
        _answerable("h2", "How did the council vote on the library?", "1.md",
                    "The council voted nine to two to turn the grain store into a library.", "nine to two"),
        {"id": "h-n1", "kind": "near", "question": "What did the ferry line cost to build?", "question_date": "2026-12-06"},
        {"id": "h-n2", "kind": "off_domain", "question": "How long should I boil an egg?", "question_date": "2026-12-06"}])
    _corpus(tmp_path, "sports", [
        ("2024-03-09", "Rovers win derby", "Eastvale Rovers beat Carrow Vale 2-1 on Saturday. Akinde scored twice."),
        ("2025-01-20", "New manager", "Tomas Reinholt was appointed manager of Eastvale Rovers on Monday."),
    ], [_answerable("s1", "Who scored the Rovers' goals in the derby?", "0.md", "Akinde scored twice.", "Akinde"),
        _answerable("s2", "Who is the Rovers' new manager?", "1.md",
                    "Tomas Reinholt was appointed manager of Eastvale Rovers on Monday.", "Tomas Reinholt"),
        {"id": "s-n1", "kind": "off_domain", "question": "What is the derivative of x squared?",
         "question_date": "2026-12-06"}])
    suite = tmp_path / "suite.toml"
    suite.write_text('[[corpus]]\nname = "harbour"\ndocs = "harbour/docs"\nquestions = "harbour/questions.jsonl"\n\n'
                     '[[corpus]]\nname = "sports"\ndocs = "sports/docs"\nquestions = ["sports/questions.jsonl"]\n\n'
                     '[[corpus]]\nname = "elsewhere"\ndocs = "missing/docs"\nquestions = "missing/q.jsonl"\n'
                     'optional = true\n')

    assert main(["eval", "--suite", str(suite), "--loco", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)

    assert [r["name"] for r in out["shipped"]] == ["harbour", "sports"]  # the absent optional corpus is skipped
    assert [r["decider"] for r in out["held_out"]] == ["fitted without this corpus"] * 2
    harbour = out["shipped"][0]
    assert (harbour["documents"], harbour["answerable"], harbour["near"], harbour["off_domain"]) == (2, 2, 1, 1)
    assert 0 <= harbour["answered"] <= 1 and harbour["reachable"] <= harbour["answerable"]
    assert {r["id"] for r in harbour["per_question"]} == {"h1", "h2", "h-n1", "h-n2"}
    assert Decider(**out["fitted_on_all"]).answer_at > 0

    def asked_as(variant: str) -> list[str]:
        """The sports corpus's questions as `newsdesk eval --suite … --only sports VARIANT` asks them."""
        assert main(["eval", "--suite", str(suite), "--only", "sports", variant, "--json"]) == 0
        return [r["question"] for r in json.loads(capsys.readouterr().out)["shipped"][0]["per_question"]]

    # the same questions as typed in a chat without capitals
    assert asked_as("--lower-case") == ["who scored the rovers' goals in the derby?",
                                        "who is the rovers' new manager?", "what is the derivative of x squared?"]

    # and as typed in a hurry: the longest name's middle letters swapped
    assert asked_as("--misspelled")[:2] == ["Who scored the Roevrs' goals in the derby?",
                                            "Who is the Roevrs' new manager?"]

    # and as posted in a team channel: a greeting, an asking frame or thanks around each, the same every run
    assert asked_as("--chatty") == ["Who scored the Rovers' goals in the derby? anyone?",
                                    "sorry if this was asked before, but who is the Rovers' new manager?",
                                    "What is the derivative of x squared? thanks!"]

    # and with a typo: the longest word in lower case two letters swapped
    assert asked_as("--typos") == ["Who scroed the Rovers' goals in the derby?",
                                   "Who is the Rovers' new maanger?", "What is the deriavtive of x squared?"]

    # and in capitals, or with every word capitalised
    assert asked_as("--upper-case")[0] == "WHO SCORED THE ROVERS' GOALS IN THE DERBY?"
    assert asked_as("--title-case")[0] == "Who Scored The Rovers' Goals In The Derby?"


def test_a_corpus_missing_its_files_is_an_error_unless_optional(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    suite = tmp_path / "suite.toml"
    suite.write_text('[[corpus]]\nname = "gone"\ndocs = "gone"\nquestions = "gone.jsonl"\n')
    assert main(["eval", "--suite", str(suite)]) == 2
    assert "corpus gone" in capsys.readouterr().err


def test_the_chance_level_is_how_close_unrelated_questions_get():
    rng = np.random.default_rng(7)
    passages = rng.normal(size=(50, 16)).astype(np.float32)
    passages /= np.linalg.norm(passages, axis=1, keepdims=True)
    store = FaissStore.new(16)
    store.add(list(range(50)), passages)

    assert chance_similarity(store, passages[:5]) > 0.99  # probes that are passages: found exactly
    unrelated = chance_similarity(store, -passages[:5])
    assert -1.0 <= unrelated < 0.9


def test_two_corpora_whose_last_folders_share_names_are_cached_apart(tmp_path):
    first, second = tmp_path / "multilingual" / "docs" / "uk", tmp_path / "multilingual-b" / "docs" / "uk"
    assert cache_slug(first, "multilingual-e5-small") != cache_slug(second, "multilingual-e5-small")
    assert cache_slug(first, "multilingual-e5-small") == cache_slug(first, "multilingual-e5-small")
    assert cache_slug(first, "multilingual-e5-small").startswith("docs-uk-multilingual-e5-small-")
