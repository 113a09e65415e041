"""The package's shape: which stage may import which (README.md, "Where things are"), read from the
source's imports.

The pipeline runs ingest → model → typeset → layout → frame → render → publish → raster → web →
report. ``model`` (the edition) and ``frame`` (the laid-out page) are the data that crosses the
stages: every stage may read them, and they import no stage. A stage imports only stages before it,
and the backends (everything after the frame) read frames, never typesetting's or layout's
internals. Entry points (``build``, ``cli``) wire the stages together and may import any of them.
A new package must be given its place here; no import cycle between packages.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "epaper"

SHARED = ["pickled", "stops", "workers", "cache", "tasks", "resources", "urls", "time_zones", "formats", "i18n", "model",
          "frame", "truetype", "collector"]  # a record's field kept pickled, Ctrl-C and SIGTERM as exceptions, process pools, the build cache (whose code fingerprint the task runner checks workers by), the task runner, configuration, the edition's clock, words, the data crossing the stages, the fonts as ReportLab parses them, the cycle collector paused
STAGES = ["ingest", "typeset", "layout", "render", "publish", "raster", "archive", "web", "report"]
BACKENDS = STAGES[STAGES.index("render"):]  # they read page frames: typeset and layout are out of reach
ENTRY_POINTS = ["__init__", "__main__", "build", "cli", "memos", "night", "products", "rebase", "replate", "serve", "tile_sets",
                "warm", "watch"]  # commands and what they join stages with


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "epaper" and len(parts) > 1 else None


@lru_cache(maxsize=None)  # parsed once for all the parametrized packages (it was 1 s a package)
def _imports(root: Path = PACKAGE) -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the files that import it (imports of epaper.* only, also
    those under ``if TYPE_CHECKING:`` and inside functions)."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        package = relative.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # relative: within the package unless it climbs out of it
                    if node.level > len(relative.parts) - 1:
                        target = _top("epaper." + (node.module or ""))
                    else:
                        continue
                else:
                    target = _top(node.module or "")
                targets = [target]
            elif isinstance(node, ast.Import):
                targets = [_top(alias.name) for alias in node.names]
            else:
                continue
            for target in targets:
                if target is not None and target != package:
                    found[package][target].append(str(relative))
    return found


def _allowed(package: str) -> set[str]:
    if package in ENTRY_POINTS:
        return set(SHARED + STAGES + ENTRY_POINTS)
    if package in SHARED:
        return set(SHARED[:SHARED.index(package)])
    if package in STAGES:
        earlier = set(STAGES[:STAGES.index(package)])
        if package in BACKENDS:
            earlier -= {"ingest", "typeset", "layout"}
        return set(SHARED) | earlier
    raise AssertionError(f"epaper/{package} has no place in the import contract: add it to tests/test_import_contract.py")


def test_every_package_has_a_place():
    packages = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
                if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    unplaced = packages - set(SHARED + STAGES + ENTRY_POINTS)
    assert not unplaced, f"add {sorted(unplaced)} to the import contract (tests/test_import_contract.py)"


@pytest.mark.parametrize("package", SHARED + STAGES)
def test_a_package_imports_only_what_comes_before_it(package):
    imports = _imports().get(package, {})
    wrong = {target: files for target, files in imports.items() if target not in _allowed(package)}
    assert not wrong, f"epaper/{package} must not import " + "; ".join(
        f"epaper.{target} (in {', '.join(sorted(set(files)))})" for target, files in sorted(wrong.items()))


def test_no_import_cycles_between_modules():
    """No cycle among the package's modules (a TYPE_CHECKING import counts: it is a cycle in the design)."""
    graph: dict[str, set[str]] = defaultdict(set)
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    # A package's __init__ re-exporting its own modules is no cycle of design: leave those edges out.
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not (modules[t].name == "__init__.py" and name.startswith(t + "."))}
    cycle = _find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_contract_sees_a_forbidden_import(tmp_path):
    """The checker itself: a backend importing layout (even only for type checking) is caught."""
    (tmp_path / "render").mkdir()
    (tmp_path / "render" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from epaper.layout.plan import PagePlan\n")
    assert "layout" in _imports(tmp_path)["render"] and "layout" not in _allowed("render")
