"""The asks library: the asks svdesk ships, the officer's own, and files to share them between councils.

An asks library file is JSON in the ``svdesk-asks/1`` format::

    {"format": "svdesk-asks/1", "name": "Ashbourne DC asks", "description": "…",
     "asks": [{"id": "…", "title": "…", "theme": "communities", "categories": ["ict"], …}]}

Each ask has the same fields as an entry of a tender file's ``asks`` section (``docs/tender-file.md``). svdesk
ships ``resources/asks.json``; the officer's own asks (added, edited or imported) live in
``asks-library.json`` in :func:`svdesk.paths.home`. The library an officer sees is the shipped one merged with
theirs: an ask of theirs with the same id as a shipped one replaces it. Every problem with a file raises
:class:`~svdesk.errors.FileFormatError` naming the file, the JSON path and what is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from svdesk.atomic import write_text_atomic
from svdesk.domain.checklist import Ask
from svdesk.domain.negotiation import suggest_asks
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.asks_section import ask_to_json, read_ask

FORMAT = "svdesk-asks/1"
USER_LIBRARY_NAME = "asks-library.json"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ASKS = 5000
_TOP_FIELDS = frozenset({"format", "name", "description", "asks"})


class AskSource(StrEnum):
    """Where an ask in the merged library comes from."""

    SHIPPED = "shipped"
    MINE = "mine"


@dataclass(frozen=True)
class AsksLibrary:
    """A set of asks with a name and description (one library file)."""

    name: str = ""
    description: str = ""
    asks: tuple[Ask, ...] = ()

    def ask(self, ask_id: str) -> Ask:
        """The ask with this id.

        Raises:
            ValidationError: no such ask.
        """
        for a in self.asks:
            if a.id == ask_id:
                return a
        raise ValidationError("ask", f"the library has no ask {ask_id!r}")


@dataclass(frozen=True)
class LibraryEntry:
    """An ask in the merged library, and where it comes from."""

    ask: Ask
    source: AskSource
    replaces_shipped: bool = False


@dataclass(frozen=True)
class ImportResult:
    """What importing a library file did to the officer's own library."""

    added: tuple[str, ...]
    replaced: tuple[str, ...]
    unchanged: tuple[str, ...]
    path: Path


# ---------------------------------------------------------------------------------------------------------
# Reading and writing library files
# ---------------------------------------------------------------------------------------------------------


def parse_library_document(doc: Any, source: str = "") -> AsksLibrary:
    """Turn a parsed ``svdesk-asks/1`` document into a validated library.

    Raises:
        FileFormatError: names ``source``, the JSON path (``$.asks[3].formula``) and the problem.
    """
    try:
        if not isinstance(doc, dict):
            raise ValidationError("$", "must be an object with format, name and asks")
        if doc.get("format") != FORMAT:
            raise ValidationError("$.format", f"expected {FORMAT!r}, found {doc.get('format')!r} (is this an asks "
                                              "library exported by svdesk?)")
        unknown = sorted(set(doc) - _TOP_FIELDS)
        if unknown:
            expected = ", ".join(sorted(_TOP_FIELDS))
            raise ValidationError(f"$.{unknown[0]}", f"unknown field (expected one of: {expected})")
        for name in ("name", "description"):
            if doc.get(name) is not None and not isinstance(doc[name], str):
                raise ValidationError(f"$.{name}", "must be text")
        items = doc.get("asks")
        if not isinstance(items, list):
            raise ValidationError("$.asks", "must be a list of asks" if items is not None else "is missing")
        if len(items) > MAX_ASKS:
            raise ValidationError("$.asks", f"has too many asks ({len(items)}; the limit is {MAX_ASKS})")
        asks: list[Ask] = []
        seen: set[str] = set()
        for i, v in enumerate(items):
            ask = read_ask(v, f"$.asks[{i}]")
            if ask.id in seen:
                raise ValidationError(f"$.asks[{i}].id", f"{ask.id!r} is used by an earlier ask in this file")
            seen.add(ask.id)
            asks.append(ask)
    except ValidationError as e:
        where = e.field if e.field.startswith("$") else f"$.{e.field}"
        raise FileFormatError(source, where, e.message) from None
    return AsksLibrary(doc.get("name") or "", doc.get("description") or "", tuple(asks))


def read_library_file(path: str | os.PathLike[str]) -> AsksLibrary:
    """Read and validate an asks library file.

    Raises:
        FileFormatError: missing, too large, not UTF-8, not JSON, or not a valid library.
    """
    from svdesk.io.jsonfile import read_json_file

    name = str(path)
    doc = read_json_file(path, limit=MAX_FILE_BYTES)
    return parse_library_document(doc, name)


def library_to_document(library: AsksLibrary) -> dict[str, Any]:
    """The ``svdesk-asks/1`` document for a library."""
    doc: dict[str, Any] = {"format": FORMAT, "name": library.name}
    if library.description:
        doc["description"] = library.description
    doc["asks"] = [ask_to_json(a) for a in library.asks]
    return doc


def write_library_file(library: AsksLibrary, path: str | os.PathLike[str]) -> Path:
    """Write a library file atomically (never half-written)."""
    from svdesk.io.tender_file import dumps

    return write_text_atomic(path, dumps(library_to_document(library)))


# ---------------------------------------------------------------------------------------------------------
# The shipped library, the officer's own, and the merged view
# ---------------------------------------------------------------------------------------------------------


def shipped_library_path() -> Path:
    """``resources/asks.json``."""
    from svdesk.paths import resources_dir

    return resources_dir() / "asks.json"


def user_library_path() -> Path:
    """Where the officer's own asks are kept (in svdesk's data folder)."""
    from svdesk.paths import home

    return home() / USER_LIBRARY_NAME


def shipped_library() -> AsksLibrary:
    """The asks svdesk ships."""
    return read_library_file(shipped_library_path())


def user_library() -> AsksLibrary:
    """The officer's own asks (an empty library when they have none yet)."""
    path = user_library_path()
    if not path.exists():
        return AsksLibrary(name="My asks")
    return read_library_file(path)


def merge_asks(base: Iterable[Ask], extra: Iterable[Ask]) -> tuple[Ask, ...]:
    """``base`` with each ask of ``extra`` replacing the one with the same id, or added at the end."""
    merged = {a.id: a for a in base}
    merged.update({a.id: a for a in extra})
    return tuple(merged.values())


def library_entries(
    shipped: AsksLibrary | None = None, mine: AsksLibrary | None = None
) -> tuple[LibraryEntry, ...]:
    """The merged library, each ask marked shipped or mine (shipped order, then the officer's new asks)."""
    shipped = shipped_library() if shipped is None else shipped
    mine = user_library() if mine is None else mine
    own = {a.id: a for a in mine.asks}
    out = [
        LibraryEntry(own[a.id], AskSource.MINE, True) if a.id in own else LibraryEntry(a, AskSource.SHIPPED)
        for a in shipped.asks
    ]
    shipped_ids = {a.id for a in shipped.asks}
    out.extend(LibraryEntry(a, AskSource.MINE) for a in mine.asks if a.id not in shipped_ids)
    return tuple(out)


def load_library() -> tuple[Ask, ...]:
    """Every ask the officer can use: the shipped library merged with theirs."""
    return tuple(e.ask for e in library_entries())


def suggested_asks(category: str) -> tuple[Ask, ...]:
    """The asks suggested for a tender of this category, from the merged library."""
    return suggest_asks(load_library(), category)


def save_user_library(library: AsksLibrary) -> Path:
    """Replace the officer's own library (written atomically)."""
    path = user_library_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_library_file(library, path)


def save_my_ask(ask: Ask) -> Path:
    """Add or replace one ask in the officer's own library (an edited shipped ask is saved here too)."""
    from svdesk.domain.checklist import check_ask

    check_ask(ask)
    mine = user_library()
    return save_user_library(AsksLibrary(mine.name or "My asks", mine.description, merge_asks(mine.asks, [ask])))


def delete_my_ask(ask_id: str) -> Path:
    """Remove an ask from the officer's own library (a shipped ask it replaced comes back).

    Raises:
        ValidationError: the officer's library has no such ask.
    """
    mine = user_library()
    mine.ask(ask_id)
    return save_user_library(AsksLibrary(mine.name, mine.description, tuple(a for a in mine.asks if a.id != ask_id)))


def import_library(path: str | os.PathLike[str]) -> ImportResult:
    """Merge a library file (e.g. from another council) into the officer's own library.

    Imported asks replace the officer's asks with the same id; asks identical to the shipped ones are not
    copied. Nothing is written if the file is invalid.

    Raises:
        FileFormatError: the file cannot be read or is not a valid library.
    """
    incoming = read_library_file(path)
    mine = user_library()
    current = {a.id: a for a in mine.asks}
    shipped = {a.id: a for a in shipped_library().asks}
    same_as_shipped = {a.id for a in incoming.asks if a.id not in current and shipped.get(a.id) == a}
    incoming = AsksLibrary(incoming.name, incoming.description,
                           tuple(a for a in incoming.asks if a.id not in same_as_shipped))
    added = tuple(a.id for a in incoming.asks if a.id not in current)
    replaced = tuple(a.id for a in incoming.asks if a.id in current and current[a.id] != a)
    unchanged = (*(a.id for a in incoming.asks if current.get(a.id) == a), *sorted(same_as_shipped))
    merged = AsksLibrary(mine.name or "My asks", mine.description, merge_asks(mine.asks, incoming.asks))
    written = save_user_library(merged) if added or replaced else user_library_path()
    return ImportResult(added, replaced, unchanged, written)


def export_library(path: str | os.PathLike[str], *, mine_only: bool = False, name: str = "") -> AsksLibrary:
    """Write the merged library (or only the officer's own asks) to a file to share."""
    if mine_only:
        lib = user_library()
        out = AsksLibrary(name or lib.name or "My asks", lib.description, lib.asks)
    else:
        shipped = shipped_library()
        out = AsksLibrary(name or "svdesk asks", shipped.description, load_library())
    write_library_file(out, path)
    return out
