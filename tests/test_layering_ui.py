"""The Qt face stays a face: nothing under ``ui/`` talks to the database directly, and its modules form no circle.

The store (``svdesk.store``) is the only room with SQLAlchemy, Alembic and sqlite3 (STYLE.md, "the house"); the
window reaches it through :mod:`ui.store_port`. Every import is counted, also the ones inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

UI = ROOT / "ui"

#: Top-level packages no ui module may import, with why.
FORBIDDEN = {
    "sqlalchemy": "SQL belongs in svdesk/store",
    "alembic": "migrations belong in svdesk/store",
    "sqlite3": "the database file is the store's business",
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, with its line (``from . import x`` resolved against the file's package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # ``from ui import dialogs`` imports the module ui.dialogs
            found.extend((node.lineno, f"{module}.{a.name}") for a in node.names if a.name != "*")
    return found


def forbidden_imports(root: Path) -> list[str]:
    """``file:line imports X (why)`` for every forbidden import under a folder."""
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {top} ({FORBIDDEN[top]})")
    return sorted(set(offenders))


def ui_import_graph() -> dict[str, set[str]]:
    """Which ui modules each ui module imports."""
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in UI.rglob("*.py")}
    return {name: {m for _, m in imported_modules(path) if m in modules and m != name}
            for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every pair of modules that import each other, directly or round a longer loop (one loop each)."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    found.append([*path, start])
            elif nxt not in path and nxt > start:   # each loop once, found from its smallest module
                walk(start, nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, start, [start])
    return found


def test_nothing_under_ui_imports_sqlalchemy_alembic_or_sqlite3() -> None:
    offenders = forbidden_imports(UI)
    assert offenders == [], "the Qt face must go through ui/store_port.py:\n" + "\n".join(offenders)


def test_the_check_finds_a_forbidden_import(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The check itself is real: a module that reaches for SQL (even inside a function) is named with its line.
    import tests.test_layering_ui as me

    face = tmp_path / "ui"
    (face / "models").mkdir(parents=True)
    (face / "models" / "sneaky.py").write_text(
        "def rows():\n    from sqlalchemy import select\n    import sqlite3, json\n    return select, sqlite3, json\n",
        encoding="utf-8")
    (face / "fine.py").write_text("from ui.store_port import DatabaseLike\n", encoding="utf-8")
    monkeypatch.setattr(me, "ROOT", tmp_path)
    assert forbidden_imports(face) == [
        "ui/models/sneaky.py:2 imports sqlalchemy (SQL belongs in svdesk/store)",
        "ui/models/sneaky.py:3 imports sqlite3 (the database file is the store's business)",
    ]


def test_no_import_circle_in_the_qt_face() -> None:
    loops = [" → ".join(loop) for loop in circles(ui_import_graph())]
    assert loops == [], "ui modules that import each other:\n" + "\n".join(loops)


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"ui.app": {"ui.main_window"}, "ui.main_window": {"ui.app", "ui.guide"}, "ui.guide": set()}
    assert circles(graph) == [["ui.app", "ui.main_window", "ui.app"]]
