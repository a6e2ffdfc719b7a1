"""The core runs without Qt: importing svdesk and running ``svdesk score`` loads no PySide6 module."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

CORE = ROOT / "svdesk"


def test_no_core_module_imports_qt_or_ui() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                if n.split(".")[0] in ("PySide6", "shiboken6") or n.split(".")[0] == "ui":
                    offenders.append(f"{path.relative_to(ROOT)}: {n}")
    assert offenders == []


def test_domain_imports_neither_sqlalchemy_nor_reportlab() -> None:
    for path in (CORE / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlalchemy" not in text and "reportlab" not in text, path


def test_scoring_from_the_cli_loads_no_qt() -> None:
    code = (
        "import sys, io, contextlib\n"
        "import svdesk\nfrom svdesk.cli.main import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    assert main(['score', {str(ROOT / 'resources/demo/network-tender.json')!r}, '--json']) == 0\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui')))\n"
        "print(bad)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "[]"
