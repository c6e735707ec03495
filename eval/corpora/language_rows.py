"""Writes a multilingual corpus's question files, one per row of its suite file ("uk-en": Ukrainian questions over
the English reports; "uk-all": over every report; "uk-negatives": near and off-domain questions). Shared by
corpora/multilingual/make_questions.py and corpora/multilingual-b/make_questions.py, which hold the facts."""
import json
from pathlib import Path

LANGUAGES = ("uk", "ru", "en")


def answerable(corpus: dict, asked_in: str, reports_in: str | None) -> list[dict]:
    """The questions asked in `asked_in` whose answer is in a report in `reports_in` (None: in any; then ids
    name the report's language folder)."""
    docs, out = corpus["docs"], []
    for story, fact, answers, typ, asked in corpus["questions"]:
        ev = [d for d in corpus["story_docs"][story] if fact in docs[d][1] and reports_in in (None, d[:2])]
        if not ev:
            continue
        sentences = list(dict.fromkeys(docs[d][1][fact] for d in ev))
        assert any(a in s for a in answers for s in sentences), (asked[asked_in], answers)
        out.append({"id": f"{corpus['prefix']}-{asked_in}-{story}-{fact}", "kind": "answerable",
                    "question": asked[asked_in], "question_date": corpus["asked_on"], "answers": answers,
                    "evidence_doc_ids": [docs[d][0] if reports_in else f"{d[:2]}/{docs[d][0]}" for d in ev],
                    "answer_sentences": sentences, "type": typ, "speaker": "none"})
    return out


def negatives(corpus: dict, asked_in: str) -> list[dict]:
    prefix, on = corpus["prefix"], corpus["asked_on"]
    return ([{"id": f"{prefix}-{asked_in}-off{i}", "kind": "off_domain", "question": q, "question_date": on}
             for i, q in enumerate(corpus["off"][asked_in])] +
            [{"id": f"{prefix}-{asked_in}-near{i}", "kind": "near", "question": q, "question_date": on}
             for i, q in enumerate(corpus["near"][asked_in])])


def write_all(here: Path, corpus: dict) -> None:
    """Every row's file under `here`/questions. `corpus`: prefix (of ids), asked_on, docs ({key: (file, {fact:
    sentence})}), story_docs ({story: [doc keys]}), questions ([(story, fact, answers, type, {lang: text})]),
    off and near ({lang: [questions]})."""
    (here / "questions").mkdir(exist_ok=True)

    def write(name: str, rows: list[dict]) -> None:
        (here / "questions" / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                                                  for r in rows))
        print(f"questions/{name}.jsonl: {len(rows)}")

    for asked_in in LANGUAGES:
        for reports_in in LANGUAGES:
            write(f"{asked_in}-{reports_in}", answerable(corpus, asked_in, reports_in))
        write(f"{asked_in}-all", answerable(corpus, asked_in, None))
        write(f"{asked_in}-negatives", negatives(corpus, asked_in))
