"""The layers of generator/ and the direction of their imports.

Each subpackage is a layer with one job; a module may import from its own layer and from the layers below it,
never from a layer above or from a sibling on its own level::

    records  ←  site  ←  pages, exports, publish  ←  pipeline  ←  editing, importing  ←  cli
"""

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "generator"
# The rank of each layer: an import must point to a lower rank (or stay inside its own layer).
RANKS = {
    "records": 0,  # read and check the input: models, kinds, load, validate, settings, history
    "site": 1,  # the linked record set and every address of it; the one writer
    "pages": 2,  # view data, templates, the Markdown pages
    "exports": 2,  # record JSON, tables, OParl, feeds, redirects, the address list
    "publish": 2,  # MkDocs, the theme, the search index, the lock of the folders
    "pipeline": 3,  # the spine: load → validate → link → render + export → write → build
    "editing": 4,  # the editors' tools: preview and serve, new records and sites, schemas, demo data
    "importing": 4,  # a council information system's record over OParl, as the files editors write
    "cli": 5,
    "__main__": 6,
    "__init__": 6,
}


def layer(module: str) -> str:
    """``generator.site.link`` → ``site``; ``generator.pipeline`` → ``pipeline``."""
    return module.split(".")[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)] = path
    return found


def imports(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}: relative import (the layers import absolutely, to be read at a glance)")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("generator.")}


def test_every_module_belongs_to_a_layer() -> None:
    assert {layer(m) for m in modules() if m != "generator"} == set(RANKS)


def violations(graph: dict[str, set[str]]) -> list[str]:
    """The imports of ``graph`` (module → the package's modules it imports) that point up or sideways."""
    return sorted(
        f"{module} → {target}"
        for module, targets in graph.items()
        for target in targets
        if layer(module) != layer(target) and RANKS[layer(target)] >= RANKS[layer(module)]
    )


def test_imports_point_down_the_layers() -> None:
    known = modules()
    # A name imported from a module that is not a module itself (``from generator.site.link import Site``) drops out.
    graph = {module: imports(path) & known.keys() for module, path in known.items() if module != "generator"}
    assert violations(graph) == []


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text("import json\n\n\ndef f():\n    from generator.exports import oparl\n", encoding="utf-8")
    assert imports(path) == {"generator.exports", "generator.exports.oparl"}
    graph = {
        "generator.records.models": {"generator.pages.views"},  # up
        "generator.pages.views": {"generator.exports.oparl", "generator.pages.labels", "generator.site.link"},
        "generator.editing.preview": {"generator.pipeline"},
    }
    assert violations(graph) == [
        "generator.pages.views → generator.exports.oparl",  # sideways
        "generator.records.models → generator.pages.views",
    ]
