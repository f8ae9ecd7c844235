"""The simulator is written from the documents alone: it imports nothing from the integration."""

import ast
from pathlib import Path

import simulator

SIMULATOR = Path(simulator.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_module_imports_the_integration() -> None:
    sources = sorted(SIMULATOR.rglob("*.py"))
    assert len(sources) > 10
    offenders = {
        str(path.relative_to(SIMULATOR)): name
        for path in sources
        for name in imported_modules(path)
        if name.split(".")[0] in ("custom_components", "homeassistant")
    }
    assert offenders == {}


def test_no_source_mentions_the_integration_package() -> None:
    for path in SIMULATOR.rglob("*.py"):
        assert "custom_components" not in path.read_text(encoding="utf-8"), path


def test_no_import_circle() -> None:
    """No two simulator modules import each other, not even for type checking."""
    modules = {
        ".".join(path.relative_to(SIMULATOR.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        ): imported_modules(path)
        for path in SIMULATOR.rglob("*.py")
    }
    circles = {
        tuple(sorted((module, other)))
        for module, imports in modules.items()
        for other in imports
        if other in modules and other != module and module in modules[other]
    }
    assert circles == set()
