"""The package layout: imports inside index/ go one way (no circle), and each module imports on its own."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
INDEX = REPO / "index"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(INDEX.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The index modules `name` imports anywhere in its file (TYPE_CHECKING blocks and functions included)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {target} | {f"{target}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in MODULES and m != name}


def test_index_imports_have_no_circle():
    graph = {name: imports_of(name) for name in MODULES}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:
        pytest.fail(f"import circle in index/: {' → '.join(err.args[1])}")


def test_value_types_import_nothing_of_index():
    assert imports_of("index.types") == set()
    assert "index.search.retrieve" not in imports_of("index.store.vectorstore.base")


def test_each_index_module_imports_alone():
    """A fresh interpreter per module: a circle that only shows at run time would fail here."""
    failed = [name for name in MODULES
              if subprocess.run([sys.executable, "-c", f"import {name}"], cwd=REPO, capture_output=True).returncode]
    assert failed == []


def test_the_engine_knows_neither_discord_nor_its_sources():
    """index/ is the engine: the bot (discord), the corpus sources (feeds, folder watch) and the application
    (newsdesk: its settings, shared database, writer lease, command line) sit on top of it."""
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
        assert not {n.split(".")[0] for n in names} & {"discord", "bot", "sources", "newsdesk"}, name


# index/'s rooms, each importing only those before it (the leaf modules errors, limits, settings, types and stages
# may be imported by any). The order is what each room's __init__ docstring says it may import.
ROOMS = ("text", "store", "encode", "search", "answer", "ingest", "digest", "batch", "engine", "eval")
LEAVES = {"index.errors", "index.limits", "index.settings", "index.types", "index.stages", "index.logs"}


def room_of(name: str) -> str:
    return name.split(".")[1] if name.count(".") else "index"


def test_each_room_imports_only_the_rooms_below_it():
    wrong = []
    for name in MODULES:
        room = room_of(name)
        if name in LEAVES or room not in ROOMS:
            continue
        below = set(ROOMS[: ROOMS.index(room) + 1])
        for target in imports_of(name):
            if target not in LEAVES and target != "index" and room_of(target) not in below:
                wrong.append(f"{name} → {target}")
    assert wrong == []


def test_the_leaf_modules_import_only_leaves():
    for name in LEAVES:
        assert imports_of(name) <= LEAVES | {"index.text", "index.text.unicode"}, name


def test_every_room_says_what_it_owns_and_may_import():
    for room in ROOMS:
        init = INDEX / room / "__init__.py"
        if init.exists():
            assert "May import" in (ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""), room


APP_STATE = {"newsdesk.settings", "newsdesk.database", "newsdesk.lease"}


def test_the_edges_import_of_the_app_only_its_settings_and_shared_state():
    """bot/ and sources/ sit under the command line: of newsdesk/ they import the settings, the shared database
    and the writer lease (never the CLI, doctor or health), and sources/ never imports the bot."""
    wrong = []
    for folder in ("bot", "sources"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
                for name in names:
                    top = name.split(".")[0]
                    if (top == "newsdesk" and name not in APP_STATE) or (folder == "sources" and top == "bot"):
                        wrong.append(f"{path.relative_to(REPO)} → {name}")
    assert wrong == []


def test_the_code_map_names_every_module():
    """docs/architecture.md's code map: every module of the engine, the bot, the sources and the app is named there
    (a cog by its name in the cogs line, any other by its file name)."""
    code_map = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [REPO / name for name in ("index", "bot", "sources", "newsdesk")]
    unnamed = [str(path.relative_to(REPO)) for package in packages for path in sorted(package.rglob("*.py"))
               if path.name != "__init__.py"
               and path.name not in code_map
               and not (path.parent.name == "cogs" and re.search(rf"\b{path.stem}\b", code_map))]
    assert unnamed == []


def test_the_repository_tracks_no_data_or_environment_folder_nor_links():
    """A symlinked `.newsdesk` (a worktree pointing at another checkout's data) once got committed: merging it
    replaced that checkout's data folder, which git treats as ignored and therefore expendable."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "-s"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    links = [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000 ")]
    paths = [line.split("\t", 1)[1] for line in listed.splitlines()]
    assert links == []
    assert not [p for p in paths if p.split("/")[0] in {".newsdesk", ".venv", ".env"}]
