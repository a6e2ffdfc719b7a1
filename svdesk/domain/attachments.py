"""Files attached to a bid: what each is (:class:`Attachment`, metadata only) and what svdesk accepts.

The officer attaches the bidder's documents to its bid: ``response`` files (quality and social-value
responses, method statements, CVs …), which travel in the evaluators' packs, and ``pricing`` files (pricing
schedules), which never leave the officer's database. The bytes live in the store, never on the tender:
:class:`Attachment` is what the tender carries. The rules for adding and removing one (the freeze, how many,
how big, the same file twice) are :func:`svdesk.domain.rules.check_add_attachment` and
:func:`~svdesk.domain.rules.check_remove_attachment`; this module holds what needs no tender: the file's name
(:func:`check_name`) and its type, by extension **and** by content (:func:`sniff`), the same rule for the
officer's file and for a file inside a pack.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from svdesk.domain import limits
from svdesk.domain.text import excerpt, problem
from svdesk.errors import ValidationError


class AttachmentKind(StrEnum):
    """What an attached file is: a response (read by evaluators) or pricing (never in a pack)."""

    RESPONSE = "response"
    PRICING = "pricing"

    @property
    def label(self) -> str:
        """The kind in the officer's words."""
        return "Response" if self is AttachmentKind.RESPONSE else "Pricing (never sent to evaluators)"


@dataclass(frozen=True)
class Attachment:
    """One file attached to a bid, without its bytes (the store reads those on demand, checked by SHA-256)."""

    supplier: str
    name: str
    kind: AttachmentKind
    size: int
    sha256: str
    media_type: str
    label: str = ""
    #: The criterion id the file answers (``None``: the bid as a whole).
    criterion: str | None = None
    added_by: str = ""
    added_at: datetime | None = None


#: The types svdesk accepts: extension → (media type, what the officer calls it).
TYPES: dict[str, tuple[str, str]] = {
    ".pdf": ("application/pdf", "PDF"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"),
    ".odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    ".png": ("image/png", "PNG image"),
    ".jpg": ("image/jpeg", "JPEG image"),
    ".jpeg": ("image/jpeg", "JPEG image"),
    ".txt": ("text/plain", "text file"),
    ".csv": ("text/csv", "CSV file"),
}
ALLOWED_TEXT = "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), PNG, JPEG, text (.txt) or CSV"
#: Names Windows keeps for devices, with or without an extension (``CON``, ``nul.txt``).
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                       *(f"lpt{i}" for i in range(10))})
_BAD_CHARS = set('/\\:*?"<>|')


def size_text(n: int) -> str:
    """A file's size as an officer reads it: ``"815 B"``, ``"150.4 KB"``, ``"25.0 MB"``."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of the bytes."""
    return hashlib.sha256(data).hexdigest()


def extension(name: str) -> str:
    """``".pdf"`` for ``"Method.PDF"`` ("" when there is none)."""
    dot = name.rfind(".")
    return "" if dot <= 0 else name[dot:].casefold()


def name_problem(name: str) -> str | None:
    """What is wrong with a file name as svdesk stores and writes it (``None``: nothing).

    A name is a file's own name, never a path: no ``/`` or ``\\`` (nor ``..``), none of the characters Windows
    refuses, not a Windows device name (``CON``, ``NUL.txt`` …), not ending in a dot or space, at most 255
    characters and 255 bytes in UTF-8 (what Linux and macOS allow) and clean under the one text rule.
    """
    if not name:
        return "has no name"
    if len(name) > limits.MAX_ATTACHMENT_NAME:
        return f"has a name too long ({len(name):,} characters; the limit is {limits.MAX_ATTACHMENT_NAME})"
    if len(name.encode("utf-8")) > limits.MAX_ATTACHMENT_NAME:   # Linux and macOS count bytes, not characters
        return (f"has a name too long for some computers ({len(name.encode('utf-8')):,} bytes written as UTF-8; "
                f"the limit is {limits.MAX_ATTACHMENT_NAME}): shorten the file's name")
    wrong = problem(name, one_line=True)
    if wrong:
        return f"has a name that {wrong}"
    if name in (".", "..") or ".." in name or any(ch in _BAD_CHARS for ch in name):
        return "has a name with a path in it (/, \\, .. or one of : * ? \" < > |): give the file's own name"
    if name.split(".")[0].strip().casefold() in _RESERVED:
        return "has a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1…, LPT1…): rename the file"
    if name[-1] in ". " or name[0] == " ":
        return "has a name that starts with a space or ends with a dot or space: rename the file"
    return None


def check_name(name: str) -> str:
    """The file name, checked (:func:`name_problem`).

    Raises:
        ValidationError: naming the file and what is wrong.
    """
    wrong = name_problem(name)
    if wrong:
        raise ValidationError("name", f"{excerpt(name)} {wrong}")
    return name


def _zip_names(data: bytes) -> list[str] | None:
    """The member names of a zip (its central directory only: nothing is unpacked), ``None`` if not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _odf_mimetype(data: bytes) -> str:
    """The ``mimetype`` an OpenDocument file begins with (stored uncompressed as its first member)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("mimetype")
            if info.file_size > 200:
                return ""
            return z.read(info).decode("ascii", "replace").strip()
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return ""


#: First bytes of files that are not what a text file may be.
_BINARY = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"\x7fELF", b"\x1f\x8b", b"7z\xbc\xaf",
           b"Rar!", b"SQLite format 3")


def _content(data: bytes) -> str | None:
    """What the bytes are, by their first bytes and structure (an extension key of :data:`TYPES`)."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return "zip?"
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return ".docx"
            if "xl/workbook.xml" in names:
                return ".xlsx"
        if "mimetype" in names:
            mt = _odf_mimetype(data)
            if mt == TYPES[".odt"][0]:
                return ".odt"
            if mt == TYPES[".ods"][0]:
                return ".ods"
        return "zip"
    return ".txt" if _is_text(data) else None


#: Bytes a text file never holds (C0 controls but tab, newline, form feed and carriage return; DEL).
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _is_text(data: bytes) -> bool:
    """Text as Windows programs save it: UTF-8; UTF-16 with its byte-order mark (Excel's "Unicode text");
    or Windows-1252 (Excel's plain "CSV" on a UK PC, "£" as one byte), with no control characters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return not _CONTROL_BYTES.search(data.decode("utf-16").encode("utf-8"))
        except UnicodeDecodeError:
            return False
    if any(data.startswith(m) for m in _BINARY) or _CONTROL_BYTES.search(data[:65536]):
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _what(content: str | None) -> str:
    if content in (None, "zip?"):
        return "binary data that is not one of these types" if content is None else "a damaged zip archive"
    if content == "zip":
        return "a zip archive (not a Word, Excel or OpenDocument file)"
    return f"a {TYPES[content][1]}"


def sniff(name: str, data: bytes) -> str:
    """The file's media type, when its extension is one svdesk accepts AND its content is that type.

    Raises:
        ValidationError: an empty file, a type svdesk does not take (``.exe``, ``.html``, ``.js`` …), or
            content that is not what the extension says (a zip renamed ``.pdf``, a ``.docx`` that is not a
            Word document): one plain sentence naming the file.
    """
    shown = excerpt(name)
    ext = extension(name)
    if ext not in TYPES:
        what = f"a {ext} file" if ext else "a file without an extension"
        raise ValidationError("file", f"{shown} is {what}, which svdesk does not attach: attach a {ALLOWED_TEXT} "
                                      f"file")
    if not data:
        raise ValidationError("file", f"{shown} is empty (0 bytes): there is nothing to attach")
    if len(data) > limits.MAX_ATTACHMENT_BYTES:
        raise ValidationError("file", f"{shown} is too large ({len(data):,} bytes; the limit is "
                                      f"{limits.MAX_ATTACHMENT_BYTES:,} bytes a file)")
    content = _content(data)
    want = ".jpg" if ext == ".jpeg" else (".txt" if ext == ".csv" else ext)
    if content != want:
        raise ValidationError("file", f"{shown} is named as a {TYPES[ext][1]} but its content is {_what(content)}: "
                                      f"it was not attached")
    return TYPES[ext][0]


__all__ = [
    "ALLOWED_TEXT",
    "TYPES",
    "Attachment",
    "AttachmentKind",
    "check_name",
    "extension",
    "name_problem",
    "sha256_hex",
    "size_text",
    "sniff",
]
