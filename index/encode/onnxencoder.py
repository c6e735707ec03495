"""Sentence embeddings from an exported ONNX model with ONNX Runtime and `tokenizers`: no torch, no transformers.

The model folder is a sentence-transformers export (`save_pretrained`): `tokenizer.json`, `modules.json`
(Transformer → Pooling → optional Normalize), `1_Pooling/config.json` and `onnx/*.onnx`. Tokenising, batching,
pooling and normalising follow sentence-transformers' `encode`, so the vectors are the same as its ONNX backend's.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from index.errors import ModelUnavailable

# sentence-transformers' Pooling modes this encoder computes; older configs name them as flags (in this order)
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens")
_POOLING_FLAGS = {"pooling_mode_cls_token": "cls", "pooling_mode_max_tokens": "max",
                  "pooling_mode_mean_tokens": "mean", "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens"}


@dataclass(frozen=True)
class SentenceConfig:
    """What a sentence-transformers folder says about turning token vectors into one vector per text."""

    pooling: tuple[str, ...]
    normalize: bool
    max_seq_length: int
    dim: int

    @classmethod
    def read(cls, folder: Path) -> "SentenceConfig":
        modules = json.loads((folder / "modules.json").read_text())
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
            raise ModelUnavailable(f"{folder}: modules {kinds} are not Transformer → Pooling [→ Normalize]")
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text())
        mode = pooling.get("pooling_mode")
        if mode is not None:
            modes = (mode,) if isinstance(mode, str) else tuple(mode)
        else:
            modes = tuple(name for flag, name in _POOLING_FLAGS.items() if pooling.get(flag))
        unknown = [m for m in modes if m not in POOLING_MODES]
        if unknown or not modes:
            raise ModelUnavailable(f"{folder}: pooling {unknown or 'none'} is not supported "
                                   f"(only {', '.join(POOLING_MODES)})")
        dim = int(pooling.get("embedding_dimension") or pooling["word_embedding_dimension"]) * len(modes)
        return cls(modes, "Normalize" in kinds, _max_seq_length(folder), dim)


def _max_seq_length(folder: Path) -> int:
    """As sentence-transformers decides it: its own config, else the tokenizer's, else the model's positions."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length"),
                      ("config.json", "max_position_embeddings")):
        path = folder / name
        value = json.loads(path.read_text()).get(key) if path.is_file() else None
        if isinstance(value, int) and 0 < value < 1_000_000:  # tokenizers write 1e30 for "no limit"
            return value
    raise ModelUnavailable(f"{folder}: no maximum sequence length in its configuration")


SMALL = 64  # texts in a call (a question, a passage's sentences) encoded on the calling thread alone


class OnnxEncoder:
    """One ONNX model on ONNX Runtime's CPU provider; `encode` is thread-safe.

    A call of up to SMALL texts runs on a session of one thread, on the calling thread, alongside other such
    calls: a question's encoding is too small to split, and ONNX Runtime's second thread only spun (twice the
    CPU for the same time, docs/load.md), while the engine's other threads waited for the session. Larger
    calls (ingest) take a session of the CPU's threads, one call at a time. Both give the same vectors
    (the threads split rows and columns, not sums).
    """

    min_similarity = 0.30

    def __init__(self, folder: str | Path, file_name: str, *, name: str, backend: str) -> None:
        import onnxruntime  # noqa: F401 - missing: ImportError here, as before (the sessions import it below)
        from tokenizers import Tokenizer

        folder = Path(folder)
        try:
            self.config = SentenceConfig.read(folder)
            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._session = _session(folder / file_name, threads=1)
        except ModelUnavailable:
            raise
        except Exception as exc:  # missing files, a corrupt model: all mean "cannot load"
            raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0][:200]}") from exc
        pad = self._tokenizer.padding or {}
        self._pad_id, self._pad_type_id = pad.get("pad_id", 0), pad.get("pad_type_id", 0)
        self._tokenizer.no_padding()  # each batch is padded to its longest text in `_feeds`
        self._tokenizer.enable_truncation(self.config.max_seq_length)
        self._inputs = [i.name for i in self._session.get_inputs()]
        self.name, self.backend, self.folder, self.file_name = name, backend, folder, file_name
        self.dim = self.config.dim
        self._lock = threading.Lock()
        self._wide: object | None = None  # the session for large calls, opened at the first

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """L2-normalised (when the model says so) float32 vectors, one row per text.

        Texts are tokenised once and encoded longest first (in tokens; characters break ties) in batches of
        `batch_size`, each padded to its longest text: sorting by characters, as sentence-transformers does,
        padded ingest's batches by a quarter. Where both orders agree the batches, and so the vectors, are
        sentence-transformers' (int8 activations are quantised per batch).
        """
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: (-len(encodings[i].ids), -len(texts[i])))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if len(texts) <= SMALL:
            self._run(self._session, encodings, order, batch_size, out)
            return out
        with self._lock:
            if self._wide is None:
                self._wide = _session(self.folder / self.file_name, threads=0)
            self._run(self._wide, encodings, order, batch_size, out)
        return out

    def _run(self, session, encodings: list, order: list[int], batch_size: int, out: np.ndarray) -> None:
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            feeds = self._feeds([encodings[i] for i in rows])
            tokens = session.run(None, {k: feeds[k] for k in self._inputs})[0]
            out[rows] = pool(tokens, feeds["attention_mask"], self.config.pooling, normalize=self.config.normalize)

    def _feeds(self, encodings: list) -> dict[str, np.ndarray]:
        """The model's inputs for one batch, padded on the right to its longest encoding."""
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        types = np.full((len(encodings), width), self._pad_type_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            n = len(e.ids)
            ids[row, :n], types[row, :n], mask[row, :n] = e.ids, e.type_ids, e.attention_mask
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the model sees for `texts` (after truncation, special tokens included, no padding)."""
        return sum(sum(e.attention_mask) for e in self._tokenizer.encode_batch(list(texts)))


def _session(path: Path, *, threads: int):
    """An ONNX Runtime CPU session of `path` on `threads` threads (0: ONNX Runtime's default, one per core)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def pool(tokens: np.ndarray, mask: np.ndarray, modes: Sequence[str], *, normalize: bool) -> np.ndarray:
    """One vector per row of `tokens` (batch, seq, dim) from its unmasked token vectors."""
    m = mask[:, :, None].astype(tokens.dtype)
    parts = []
    for mode in modes:
        if mode == "cls":
            parts.append(tokens[np.arange(len(tokens)), mask.argmax(axis=1)])
        elif mode == "max":
            parts.append(np.where(m > 0, tokens, -np.inf).max(axis=1))
        else:
            count = np.maximum(m.sum(axis=1), 1e-9)
            total = np.einsum("bs,bsd->bd", m[:, :, 0], tokens)  # 3x faster than (tokens * m).sum(axis=1)
            parts.append(total / count if mode == "mean" else total / np.sqrt(count))
    vecs = np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]
    if normalize:
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return vecs.astype(np.float32, copy=False)
