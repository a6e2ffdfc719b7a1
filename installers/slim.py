"""The slim-bundle recipe shared by ``svdesk.spec`` and the bare baseline that ``bench_startup.py`` builds.

Both executables are built the same way, so the start-up comparison measures svdesk, not the recipe.
What is dropped and why (measured in ``../shared/research/toolchain.md`` §3.6):

- Python modules svdesk never uses (tkinter, unittest, pydoc …), the Qt bindings it does not import, and every
  database driver: the SQLAlchemy hook collects whichever driver is installed (psycopg added 9 MB).
- From the collected binaries and data files: Qt translations (the UI is English, which is built into Qt), the
  plugin folders a widgets application on a desktop does not load, the platform plugins other than the native
  one plus ``offscreen``/``minimal`` (headless CI and smoke tests), image formats other than SVG/ICO/JPEG/GIF
  (PNG is built in), and the Qt libraries of modules svdesk does not use.

The library filter matches the *file name* wherever it sits, because PyInstaller 6 also puts ``libQt6*.so.6``
symlinks at the top level of the bundle: dropping only ``PySide6/Qt/lib/`` copies would leave them dangling.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

#: A PyInstaller TOC entry: (path in the bundle, source path or symlink target, type code).
Entry = tuple[str, str, str]

#: Python modules never bundled.
EXCLUDES = [
    # standard library parts a desktop app does not use
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "unittest", "doctest", "pydoc", "pydoc_data",
    "lib2to3", "test", "ensurepip", "venv", "distutils",
    # packaging and test tools that happen to sit in a venv
    "setuptools", "pkg_resources", "pip", "pytest", "_pytest", "py", "IPython",
    # database drivers: svdesk bundles SQLite only (PostgreSQL users run svdesk from a Python install)
    "psycopg", "psycopg_binary", "psycopg_c", "psycopg2", "pymysql", "MySQLdb", "pg8000", "asyncpg",
    "cx_Oracle", "oracledb", "pyodbc", "aiosqlite", "pysqlite2",
    # test scaffolding inside libraries
    "sqlalchemy.testing", "alembic.testing",
    # Pillow (ReportLab's image reader) without AVIF (5 MB of libavif) and the GUI toolkits' adapters
    "PIL._avif", "PIL.AvifImagePlugin", "PIL.ImageQt", "PIL.ImageTk", "PIL._imagingtk",
    # Qt bindings svdesk does not import (QtCore, QtGui, QtWidgets, QtPrintSupport, QtSvg stay)
    *(f"PySide6.{m}" for m in (
        "QtNetwork", "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest", "QtQuick3D",
        "QtOpenGL", "QtOpenGLWidgets", "QtDBus", "QtSql", "QtTest", "QtXml", "QtConcurrent", "QtDesigner",
        "QtHelp", "QtUiTools", "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
        "QtWebSockets", "QtMultimedia", "QtMultimediaWidgets", "QtPdf", "QtPdfWidgets", "QtCharts",
        "QtDataVisualization", "QtGraphs", "QtBluetooth", "QtPositioning", "QtLocation", "QtSerialPort",
        "QtRemoteObjects", "QtStateMachine", "QtTextToSpeech", "Qt3DCore", "Qt3DRender", "Qt3DInput",
        "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
    )),
    "PyQt5", "PyQt6", "PySide2",
]

#: Qt plugin folders that are kept; every other plugin folder is dropped (platform themes, Wayland, EGL,
#: network information, TLS, SQL drivers, QML tooling, Designer …).
KEEP_PLUGIN_DIRS = {"platforms", "imageformats", "iconengines", "printsupport", "styles", "platforminputcontexts"}

#: Within a kept folder, only these plugins (by name without ``lib`` prefix and suffix) stay.
KEEP_PLUGINS = {
    # the native platform, plus offscreen (CI, smoke test) and minimal
    "platforms": re.compile(r"^q(xcb|offscreen|minimal|windows|cocoa)$"),
    # PNG is built into QtGui; SVG icons, ICO, JPEG and GIF are what documents and icons use
    "imageformats": re.compile(r"^q(svg|ico|jpeg|gif)$"),
    # X11 compose key and ibus input methods stay (accented names); the virtual keyboard needs QtQuick
    "platforminputcontexts": re.compile(r"^(compose|ibus)platforminputcontextplugin$"),
}

#: Qt libraries (and their Python bindings) of modules svdesk does not use, matched on the file name.
#: QtDBus stays: QtGui links to it on Linux.
_UNUSED_QT = (
    r"Network\w*|Qml\w*|Quick\w*|Pdf\w*|VirtualKeyboard\w*|Wayland\w*|WlShell\w*|EglFS\w*|EglFs\w*|OpenGL\w*"
    r"|Labs\w*|Lottie\w*|Designer\w*|Help|Sql|Test|UiTools|Xml|Concurrent|WebEngine\w*|WebChannel\w*"
    r"|WebSockets|WebView\w*|Multimedia\w*|3D\w*|Charts\w*|DataVisualization\w*|Graphs\w*|ShaderTools"
)
_UNUSED_QT_FILE = re.compile(rf"^(lib)?(Qt6?|pyside6)({_UNUSED_QT}|qml)([._].*|\.framework)?$", re.IGNORECASE)

#: Host libraries never bundled. libcups: the CUPS print plugin stays, but uses the desktop's own CUPS (every
#: Linux desktop that prints has it; without it Qt still prints to PDF). Bundling it dragged in 13 MB of
#: GnuTLS, Kerberos and Avahi that must match the host's configuration anyway.
_HOST_LIBRARIES = re.compile(r"^libcups\.so")

def _plugin_name(filename: str) -> str:
    name = filename.split(".")[0]
    return name[3:] if name.startswith("lib") else name


def keep(dest: str) -> bool:
    """Whether a file at ``dest`` (its path inside the bundle) stays in the bundle."""
    parts = dest.replace("\\", "/").split("/")
    filename = parts[-1]
    if _UNUSED_QT_FILE.match(filename) or any(_UNUSED_QT_FILE.match(p) for p in parts[:-1]):
        return False
    if "PySide6" in parts:
        below = parts[parts.index("PySide6") + 1:]
        if below[:1] == ["Qt"]:
            below = below[1:]
        if below[:1] == ["translations"]:
            return False
        if below[:1] == ["plugins"] and len(below) >= 3:
            folder = below[1]
            if folder not in KEEP_PLUGIN_DIRS:
                return False
            pattern = KEEP_PLUGINS.get(folder)
            if pattern is not None and not pattern.match(_plugin_name(below[2])):
                return False
    return not (sys.platform.startswith("linux") and _HOST_LIBRARIES.match(filename))


def slim(binaries: list[Entry], datas: list[Entry]) -> tuple[list[Entry], list[Entry], list[str]]:
    """Apply the recipe to an Analysis' ``binaries`` and ``datas``; returns both lists and what was dropped.

    Besides the entries :func:`keep` rejects, it drops the shared libraries that only the rejected ones needed
    (PyInstaller collected them as their dependencies before this filter ran: the GTK theme's GLib/GIO, the GLX
    integration's libxcb-glx …) and the symlinks pointing at anything dropped.
    """
    dropped = {e[0] for e in (*binaries, *datas) if not keep(e[0])}
    kept_binaries = [e for e in binaries if e[0] not in dropped]
    if sys.platform.startswith("linux"):
        dropped |= _orphans([e for e in binaries if e[0] in dropped], kept_binaries)
        kept_binaries = [e for e in kept_binaries if e[0] not in dropped]
    kept_datas = [e for e in datas if e[0] not in dropped and not (e[2] == "SYMLINK" and e[1] in dropped)]
    return kept_binaries, kept_datas, sorted(dropped)


def _elf_needed(path: str) -> list[str]:
    """The direct link-time dependencies (DT_NEEDED) of an ELF file, read with objdump (PyInstaller needs
    binutils on Linux anyway). PyInstaller's own ``get_imports`` uses ldd, which lists them transitively."""
    try:
        out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False).stdout
    except OSError:
        return []
    return re.findall(r"^\s*NEEDED\s+(\S+)", out, re.M)


def _orphans(dropped: list[Entry], kept: list[Entry]) -> set[str]:
    """Kept libraries reachable only from dropped binaries through their link-time dependencies (ELF NEEDED)."""
    by_name = {Path(dest).name: dest for dest, _src, _kind in kept}
    sources = {dest: src for dest, src, _kind in (*dropped, *kept)}

    def needed(dest: str) -> set[str]:
        return {by_name[n] for n in _elf_needed(sources[dest]) if n in by_name}

    def closure(roots: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            dest = todo.pop()
            if dest not in seen:
                seen.add(dest)
                todo.extend(needed(dest) - seen)
        return seen

    candidates = closure({d for d, _s, _k in dropped}) - {d for d, _s, _k in dropped}
    still_needed = closure({d for d, _s, _k in kept} - candidates)
    return candidates - still_needed
