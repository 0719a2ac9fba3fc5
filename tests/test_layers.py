"""Imports only point down the layers that docs/architecture.md describes.

Every import in every module of every app is checked, including imports inside functions,
so that a lower app cannot quietly depend on a higher one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. config wires everything together and sits outside the order.
LAYERS = [
    "common",
    "jobs",
    "notifications",
    "directory",
    "matching",
    "events",
    "curation",
    "insights",
    "api",
]
RANK = {app: i for i, app in enumerate(LAYERS)}


def imported_modules(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif (
            # importlib.import_module("x.y") and apps.get_model("x", ...) are imports too.
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"import_module", "get_model"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value.replace(".", " ").split()[0]))
    return found


def upward_imports(app: str, source: str) -> list[str]:
    out = []
    for line, module in imported_modules(source):
        target = module.split(".")[0]
        if target in RANK and RANK[target] > RANK[app]:
            out.append(f"line {line} imports {module}")
    return out


@pytest.mark.parametrize("app", LAYERS)
def test_no_module_imports_a_higher_layer(app):
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for problem in upward_imports(app, path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not problems, "imports pointing up the layers:\n" + "\n".join(problems)


TAG_LIBRARIES = {
    path.stem: path.parent.parent.name
    for app in LAYERS
    for path in (ROOT / app).glob("templatetags/*.py")
    if path.stem != "__init__"
}


@pytest.mark.parametrize("app", [a for a in LAYERS if (ROOT / a / "templates" / a).is_dir()])
def test_templates_load_no_tags_of_a_higher_layer(app):
    problems = []
    for path in sorted((ROOT / app / "templates" / app).rglob("*.html")):
        for libraries in re.findall(r"{%\s*load\s+([^%]+)%}", path.read_text(encoding="utf-8")):
            for library in libraries.split():
                owner = TAG_LIBRARIES.get(library)
                if owner and RANK[owner] > RANK[app]:
                    problems.append(f"{path.relative_to(ROOT)} loads {library} ({owner})")
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_upward_import_even_inside_a_function():
    source = "def f():\n    from matching.ranking import actor_ranking\n"
    assert upward_imports("directory", source) == ["line 2 imports matching.ranking"]
    assert upward_imports("events", source) == []
    assert upward_imports("directory", "import importlib\nimportlib.import_module('events.x')")
