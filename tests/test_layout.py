"""The shape of the code: arrows point one way (api → documents → engine, engine reads bpmn), no import
cycles (also through imports inside function bodies), small modules, and module names that say where
they belong (no two rooms hold a module of the same name)."""

from __future__ import annotations

import ast
import graphlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "bpmn", "documents", "api")
# what each package may import of ours; everything else is an upward (or sideways) arrow
ALLOWED = {"engine": {"engine", "bpmn"}, "bpmn": {"bpmn"}, "documents": {"documents", "engine", "bpmn"},
           "api": set(PACKAGES)}
MAX_LINES = 400
SHARED_NAMES = {"__init__.py", "__main__.py", "models.py", "service.py", "views.py"}  # Dispatch: one of each per domain


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imported(module: str, path: Path, known: set[str]) -> set[str]:
    """Our modules `module` imports anywhere in its body: `from x import y` counts as x.y where y is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def add(name: str) -> None:
        while name and name not in known:  # `import engine.objects.s3` also names a module; an attribute does not
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: _imported(module, path, set(modules)) for module, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle graphlib finds, breaking each found one at its first edge until none is left."""
    graph = {node: set(targets) for node, targets in graph.items()}
    cycles = []
    while True:
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return cycles
        except graphlib.CycleError as error:
            cycle = list(reversed(error.args[1]))  # graphlib lists the cycle against the arrows
            cycles.append(cycle)
            graph[cycle[0]].discard(cycle[1])


def test_no_import_cycle():
    cycles = [" → ".join(cycle) for cycle in _cycles(import_graph())]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_arrows_point_one_way():
    upward = sorted(f"{module} → {target}" for module, targets in import_graph().items() for target in targets
                    if target.split(".")[0] not in ALLOWED[module.split(".")[0]])
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_module_over_400_lines():
    long = sorted(f"{path.relative_to(ROOT)}: {lines} lines" for path in _modules().values()
                  if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES)
    assert not long, "split these modules:\n" + "\n".join(long)


def test_module_names_are_unique():
    rooms = defaultdict(list)
    for path in _modules().values():
        if path.name not in SHARED_NAMES:
            rooms[path.name].append(str(path.relative_to(ROOT)))
    same = sorted(f"{name}: {', '.join(paths)}" for name, paths in rooms.items() if len(paths) > 1)
    assert not same, "modules of the same name in different rooms:\n" + "\n".join(same)


def test_the_graph_sees_imports_in_function_bodies_and_resolves_submodules(tmp_path):
    """The checks above would pass vacuously if the walker missed these forms."""
    module = tmp_path / "step.py"
    module.write_text("def hook():\n    from engine.objects import s3, CHUNK_SIZE\n    import engine.db\n"
                      "    from . import issuing\n    from .catalogue import get_catalogue\n", encoding="utf-8")
    found = _imported("documents.step", module, set(_modules()))
    assert found == {"engine.objects.s3", "engine.objects", "engine.db", "documents.issuing", "documents.catalogue"}
