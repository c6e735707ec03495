"""Which int8 quantisation of the ONNX model suits the CPU it runs on (optimum's AutoQuantizationConfig presets)."""

from __future__ import annotations

import platform
import re
from pathlib import Path

from index.types import Manifest

# optimum's presets, best first where the CPU allows: VNNI multiplies u8×s8 in one instruction; AVX-512 without
# VNNI takes s8 weights too; AVX2 needs u8 weights (u8×s8 saturates there); ARM64 takes s8 weights.
VARIANTS = ("avx512_vnni", "avx512", "avx2", "arm64")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The instruction-set flags the kernel reports for the first CPU (empty where there is no /proc/cpuinfo)."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def choose_variant(flags: frozenset[str] | set[str], machine: str) -> str:
    """The preset for a CPU with these flags and this architecture (`platform.machine()`)."""
    if machine.lower() in ("arm64", "aarch64", "armv8", "armv8l"):
        return "arm64"
    if "avx512_vnni" in flags or "avx512vnni" in flags:
        return "avx512_vnni"
    if {"avx512f", "avx512bw"} <= set(flags):
        return "avx512"
    return "avx2"


def variants_for(machine: str) -> tuple[str, ...]:
    """Every preset a CPU of this architecture may choose: what a models folder shared by several machines (a
    baked image) carries so that each picks its own at start."""
    arm = machine.lower() in ("arm64", "aarch64", "armv8", "armv8l")
    return ("arm64",) if arm else tuple(v for v in VARIANTS if v != "arm64")


def this_cpu() -> str:
    return choose_variant(cpu_flags(), platform.machine())


def file_name(variant: str) -> str:
    """Where sentence-transformers' `export_dynamic_quantized_onnx_model` writes that preset's model."""
    weights = "quint8" if variant == "avx2" else "qint8"
    return f"onnx/model_{weights}_{variant}.onnx"


def variant_of(file: str) -> str | None:
    """The preset an int8 model file was quantised with (by its name), None for anything else."""
    m = re.fullmatch(r"onnx/model_q?u?int8_(\w+)\.onnx", file or "")
    return m.group(1) if m and m.group(1) in VARIANTS else None


def built_with(manifest: Manifest | None) -> str | None:
    """The int8 preset an index version's passages were embedded with, so questions are encoded the same way.

    Versions built before the manifest said (no "embedding" entry) used the only int8 file there was, avx2's;
    None when the passages were not embedded with int8 (or there is no index yet).
    """
    if not manifest:
        return None
    embedding = manifest.embedding
    if embedding is None:
        return "avx2"
    return variant_of(embedding.get("file", "")) if embedding.get("backend") == "onnx-int8" else None
