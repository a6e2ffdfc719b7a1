"""The files svdesk reads and writes, as two catalogues both faces loop over, and how a file is recognised.

:data:`IMPORT_KINDS` lists what ``svdesk import`` and the app's *Import* accept; :data:`EXPORT_FORMATS` lists
what ``svdesk export --format`` and the app's *Export* dialog offer, each with the function that writes it.
A new export format is one :class:`ExportFormat` here (plus its test): the CLI's choices, the dialog, the help
text and the README table follow. Heavy libraries (openpyxl, jsonschema) are imported inside the writers and
readers, so importing this module stays cheap (``svdesk --version`` imports it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from svdesk.domain.tender import Tender
from svdesk.errors import FileFormatError

KIND_TENDER = "tender"
KIND_OCDS = "ocds"
KIND_CSV = "csv"
KIND_XLSX = "xlsx"


@dataclass(frozen=True)
class ImportKind:
    """One kind of file svdesk imports.

    Attributes:
        key: what :func:`recognise_file` returns.
        label: its name in the officer's words.
        extensions: the file endings it usually has (for file dialogs' filters).
        becomes: what importing it does.
        bids: whether it holds bids for an existing tender (else it becomes a new tender).
    """

    key: str
    label: str
    extensions: tuple[str, ...]
    becomes: str
    bids: bool = False


IMPORT_KINDS: tuple[ImportKind, ...] = (
    ImportKind(KIND_TENDER, "svdesk tender file", ("json",), "a new tender"),
    ImportKind(KIND_OCDS, "OCDS notice (release, package or record)", ("json",),
               "a new draft tender (e.g. from Contracts Finder)"),
    ImportKind(KIND_CSV, "CSV sheet of bids and scores", ("csv", "txt", "tsv"),
               "bids and scores in an existing tender, after a preview", bids=True),
    ImportKind(KIND_XLSX, "Excel workbook of bids and scores", ("xlsx",),
               "bids and scores in an existing tender, after a preview", bids=True),
)


def import_kind(key: str) -> ImportKind:
    """The catalogue entry for ``key`` (a value :func:`recognise_file` returns)."""
    return next(k for k in IMPORT_KINDS if k.key == key)


@dataclass(frozen=True)
class ExportOptions:
    """The choices an export may use (each format reads those it needs).

    Attributes:
        table: for CSV, which table (:data:`CSV_TABLES`).
        private: for a tender file, whether officers' private notes go in.
        ocid_prefix: for OCDS, the registered ocid prefix (``None``: ``$SVDESK_OCID_PREFIX`` or a placeholder).
        publisher: for OCDS, the publisher's name (``None``: the buyer).
        notice: for OCDS, the Find a Tender notice (``UK6``, ``UK7``; ``None``: a plain award release).
    """

    table: str = "results"
    private: bool = True
    ocid_prefix: str | None = None
    publisher: str | None = None
    notice: str | None = None


#: ``write(tender, path, options) -> notes`` (sentences to tell the officer afterwards).
ExportWriter = Callable[[Tender, str, ExportOptions], list[str]]


@dataclass(frozen=True)
class ExportFormat:
    """One format a tender can be exported as.

    Attributes:
        key: the ``--format`` value.
        label: its name in the officer's words, with the file ending.
        extension: the file ending (no dot).
        purpose: what it is for, in one sentence.
        write: the function that writes it (atomically; never a half-written file).
    """

    key: str
    label: str
    extension: str
    purpose: str
    write: ExportWriter

    def default_name(self, reference: str, options: ExportOptions = ExportOptions()) -> str:
        """A file name to offer for tender ``reference``."""
        suffix = {KIND_OCDS: f"-{options.notice}" if options.notice else "-ocds", "ocds-uk6": "-UK6",
                  "ocds-uk7": "-UK7", KIND_CSV: f"-{options.table}"}.get(self.key, "")
        return f"{reference}{suffix}.{self.extension}"


#: The CSV export's tables: (key, name).
CSV_TABLES: tuple[tuple[str, str], ...] = (("results", "Results"), ("scores", "Scores"),
                                           ("commitments", "Commitments"))


def _write_json(tender: Tender, path: str, options: ExportOptions) -> list[str]:
    from svdesk.io.tender_file import write_tender_file

    write_tender_file(tender, path, private=options.private)
    return []


def _write_xlsx(tender: Tender, path: str, options: ExportOptions) -> list[str]:
    from svdesk.io.export import export_xlsx

    export_xlsx(tender, path)
    return []


def _write_csv(tender: Tender, path: str, options: ExportOptions) -> list[str]:
    from svdesk.io.export import export_csv

    export_csv(tender, path, options.table)
    return []


def _write_ocds(tender: Tender, path: str, options: ExportOptions) -> list[str]:
    from svdesk.io.ocds import DEFAULT_OCID_PREFIX, ocid_prefix, write_release_package

    prefix = ocid_prefix(options.ocid_prefix)
    write_release_package(tender, path, prefix=prefix, publisher=options.publisher, notice=options.notice)
    if prefix != DEFAULT_OCID_PREFIX:
        return []
    return [f"The release's ocid uses the placeholder prefix {DEFAULT_OCID_PREFIX!r}. Before you publish it, "
            "ask for your council's registered prefix and set SVDESK_OCID_PREFIX."]


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("json", "svdesk tender file (.json)", "json",
                 "Everything about the tender, to keep, to send to a colleague, or to open in another copy of "
                 "svdesk.", _write_json),
    ExportFormat("xlsx", "Excel workbook (.xlsx)", "xlsx",
                 "The results, the scores and the commitments, one sheet each.", _write_xlsx),
    ExportFormat("csv", "CSV table (.csv)", "csv", "One table, for any spreadsheet or database.", _write_csv),
    ExportFormat("ocds", "OCDS award release (.json)", "json",
                 "The award in the Open Contracting Data Standard, to publish (e.g. on Contracts Finder).",
                 _write_ocds),
    ExportFormat("ocds-uk6", "Contract award notice UK6 (.json)", "json",
                 "The Find a Tender contract award notice: it opens the standstill. Refused, with what is missing, "
                 "until the tender has it all.", lambda t, p, o: _write_ocds(t, p, replace(o, notice="UK6"))),
    ExportFormat("ocds-uk7", "Contract details notice UK7 (.json)", "json",
                 "The Find a Tender contract details notice, within 30 days of entering into the contract.",
                 lambda t, p, o: _write_ocds(t, p, replace(o, notice="UK7"))),
)


def export_format(key: str) -> ExportFormat:
    """The catalogue entry for ``key``.

    Raises:
        KeyError: no such format.
    """
    for f in EXPORT_FORMATS:
        if f.key == key:
            return f
    raise KeyError(key)


# --- recognising files ------------------------------------------------------------------------------------


def looks_like_file(arg: str) -> bool:
    """A FILE_OR_REF argument names a file when it exists or ends in ``.json``; otherwise it is a reference.

    References may contain slashes (``ICT/2026/001``), so a slash alone does not make a path.
    """
    return arg.lower().endswith(".json") or Path(arg).is_file()


def recognise_file(path: str) -> str:
    """What kind of file this is: ``tender``, ``ocds``, ``csv`` or ``xlsx`` (from its content, then its name).

    Raises:
        FileFormatError: missing, unreadable, or none of those.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise FileFormatError(path, "", "no such file") from None
    except IsADirectoryError:
        raise FileFormatError(path, "", "is a folder, not a file") from None
    except OSError as e:
        raise FileFormatError(path, "", f"cannot be read ({e.strerror or e})") from None
    from svdesk.io.spreadsheet import detect_kind

    lower = path.lower()
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if lower.endswith(".json") or stripped.startswith((b"{", b"[")):
        return _json_kind(path)
    kind = detect_kind(path, head)
    text_endings = tuple(f".{e}" for e in import_kind(KIND_CSV).extensions)
    if kind == KIND_CSV and not lower.endswith(text_endings):
        raise FileFormatError(path, "", "is not a file svdesk imports: use a tender file or OCDS notice (.json), "
                                        "or bids as .csv or .xlsx")
    return kind


def _json_kind(path: str) -> str:
    from svdesk.io.ocds import MAX_OCDS_BYTES, load_json, ocds_kind
    from svdesk.io.spreadsheet import read_capped

    doc = load_json(read_capped(path, MAX_OCDS_BYTES), path)
    if isinstance(doc, dict) and "format" in doc:
        if doc.get("format") == "svdesk-tender/1":
            return KIND_TENDER
        raise FileFormatError(path, "$.format", f"{doc.get('format')!r} is not a format svdesk reads "
                                                "(expected 'svdesk-tender/1')")
    if ocds_kind(doc) is not None:
        return KIND_OCDS
    raise FileFormatError(path, "$", "is neither an svdesk tender file nor an OCDS release, package or record")


@dataclass(frozen=True)
class TenderFromFile:
    """A tender read from a tender file or an OCDS notice, checked, with what it came from."""

    tender: Tender
    kind: str                     # KIND_TENDER or KIND_OCDS
    what: str                     # "tender file" or "OCDS release package" …
    warnings: tuple[str, ...] = ()

    @property
    def ocds(self) -> bool:
        """Whether it came from an OCDS notice (a draft to finish)."""
        return self.kind == KIND_OCDS


def read_tender(path: str | os.PathLike[str], reference: str | None = None) -> TenderFromFile:
    """A new tender from a tender file or an OCDS notice, checked against the tender's rules.

    Args:
        path: the file.
        reference: the new tender's reference instead of the file's (``None``: the file's).

    Raises:
        FileFormatError: not a file svdesk reads, a spreadsheet (bids go into an existing tender), or a tender
            that breaks a rule (named by field).
    """
    from svdesk.domain.rules import check_arrival
    from svdesk.domain.tender import check_tender
    from svdesk.errors import ValidationError

    name = str(path)
    kind = recognise_file(name)
    if import_kind(kind).bids:
        raise FileFormatError(name, "", "is a spreadsheet of bids: import it into an existing tender")
    if kind == KIND_TENDER:
        from svdesk.io.tender_file import read_tender_file

        tender = read_tender_file(name)
        if reference:
            tender = replace(tender, reference=reference.strip())
        result = TenderFromFile(tender, kind, "tender file")
    else:
        from svdesk.io.ocds import read_ocds_file

        got = read_ocds_file(name, reference=reference)
        result = TenderFromFile(got.tender, kind, f"OCDS {got.kind}", tuple(got.warnings))
    try:
        check_tender(result.tender)
        check_arrival(result.tender)  # e.g. "evaluation" with weights at 95: refused as the app refuses the move
    except ValidationError as e:
        raise FileFormatError(name, e.field, e.message) from None
    return result
