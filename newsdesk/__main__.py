import sys
from pathlib import Path

# `python -m newsdesk` puts the working folder first on the import path; anywhere but the project itself, a
# folder there named like one of its packages (an INDEX_DIR called `index`) would stand in for the package.
if sys.path and Path(sys.path[0] or ".").resolve() != Path(__file__).resolve().parent.parent:
    del sys.path[0]

from .cli import main  # noqa: E402

raise SystemExit(main())
