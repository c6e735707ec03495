"""Every script under scripts/ (benchmarks, studies, fits) still imports: one whose imports rotted when the engine
moved on fails here, not when someone next runs it (study_ablate.py imported a helper study_align.py had dropped)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_ALL = """
import importlib, pathlib, sys
sys.path.insert(0, "scripts")
failed = []
for script in sorted(pathlib.Path("scripts").glob("*.py")):
    try:
        importlib.import_module(script.stem)
    except BaseException as exc:
        failed.append(f"{script.name}: {exc!r}")
print("\\n".join(failed))
"""


def test_every_script_imports():
    scripts = sorted(p.name for p in (ROOT / "scripts").glob("*.py"))
    assert "bench_load.py" in scripts and "study_ablate.py" in scripts
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""
