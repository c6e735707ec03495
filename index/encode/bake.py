"""The ONNX exports a read-only models folder must carry: fp32 and every int8 preset of this architecture.

A Docker image bakes them at build time (`python -m index.encode.bake /opt/newsdesk/models`) so that a container never
exports at start, whatever its CPU: each process picks the preset for its CPU (`index.encode.quantization.this_cpu`),
or the one its index was embedded with, among the files already there.
"""

from __future__ import annotations

import argparse
import platform
from pathlib import Path

from index.encode.embed import load_encoder
from index.encode.quantization import variants_for
from index.settings import DEFAULT_MODEL


def bake(models_dir: Path, model: str = DEFAULT_MODEL, machine: str | None = None) -> list[str]:
    """Export `model` into `models_dir` for every int8 preset of `machine` (default: this one); each export is
    loaded and run once. Returns the presets."""
    variants = variants_for(machine or platform.machine())
    for variant in variants:
        load_encoder(model, "onnx-int8", models_dir, variant).encode(["ready"])
    load_encoder(model, "onnx", models_dir).encode(["ready"])  # fp32, exported by the first int8 one
    return list(variants)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m index.encode.bake", description=__doc__.splitlines()[0])
    parser.add_argument("models_dir", type=Path, help="the folder MODELS_DIR will name")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    print(f"baked {args.model} into {args.models_dir}: fp32 and int8 {', '.join(bake(args.models_dir, args.model))}")


if __name__ == "__main__":
    main()
