"""Evaluator packs (``svdesk-pack/1``, ``svdesk-pack/2``) and returns (``svdesk-return/1``): see
``docs/evaluator-packs.md``.

A pack is one document for one panel member: the criteria they mark, with scales and descriptors, the
bids they are to mark (never a price, another member's mark, a consensus score, an exclusion or a private
note) and their own earlier marks. The member marks it in their own svdesk with no database and sends back a
return: the same tender and member, the pack's fingerprint and every mark they gave, with reasons.

A return, and a pack without response files, is plain UTF-8 JSON (``svdesk-pack/1``), at most
:data:`MAX_PACK_BYTES`, every value text. A pack with response files is ``svdesk-pack/2``: a zip archive whose
members are all stored uncompressed, ``pack.json`` (the same document, each file listed by name, size and
SHA-256) and ``files/<sha256>`` for each distinct file, at most :data:`MAX_PACK_ARCHIVE_BYTES`. Nothing is ever
extracted by member name: the member names are checked against that pattern, every size against the archive's
own, and each file's bytes are read into memory only to be checked or opened (no path traversal, no
decompression bomb). Each document carries ``sha256``: the SHA-256 of its canonical JSON without that field,
which covers the tender's audit head at the time of the pack and every file's size and SHA-256. The officer's
database records the fingerprint of the newest pack sent to each member and refuses a return that does not
answer it; a return whose fingerprint does not match its content was altered outside svdesk.

:func:`preview_merge` checks a return against the tender and lists every mark and reason that will change;
:func:`apply_merge` applies it. Nothing here touches the database: the CLI and the app save the result in
one audited transaction under the member's initials.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, NamedTuple

from svdesk import __version__
from svdesk.atomic import write_bytes_atomic, write_stream_atomic
from svdesk.domain import limits
from svdesk.domain import text as text_rule
from svdesk.domain.attachments import AttachmentKind, name_problem, sha256_hex, sniff
from svdesk.domain.panel import Member, Role, barred_from, check_may_mark, record_return
from svdesk.domain.tender import RESPONSE_MAX, Bid, Criterion, Descriptor, Tender, descriptors_for
from svdesk.domain.text import excerpt
from svdesk.domain.values import check_text
from svdesk.errors import FileFormatError, ValidationError

PACK_FORMAT = "svdesk-pack/1"
#: A pack with response files: a zip archive (``pack.json`` and ``files/<sha256>``, all stored uncompressed).
PACK_ARCHIVE_FORMAT = "svdesk-pack/2"
RETURN_FORMAT = "svdesk-return/1"
_FAMILIES = {"svdesk-pack": PACK_FORMAT, "svdesk-return": RETURN_FORMAT}
MAX_PACK_BYTES = 64 * 1024 * 1024
#: Bytes of a pack archive (``svdesk-pack/2``) on disk, checked before it is opened: the largest allowed
#: (``limits.MAX_PACK_ATTACHMENT_BYTES`` of files and a 64 MB ``pack.json``) is well under it.
MAX_PACK_ARCHIVE_BYTES = 1024 * 1024 * 1024
#: Members a pack archive may hold: ``pack.json`` and 20 files for each of 500 bids (refined by the bids listed).
_MAX_MEMBERS = limits.MAX_BIDS * limits.MAX_ATTACHMENTS_PER_BID + 1
_DOC_MEMBER = "pack.json"
_FILE_MEMBER = re.compile(r"files/[0-9a-f]{64}")
_CHUNK = 1024 * 1024
#: Every member's date in an archive svdesk writes (the zip format's earliest), so the bytes depend only on content.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: A reason is what an assessment summary may quote; the same limit as the app's reasons.
REASON_MAX = 10_000

#: First bytes of files that are not packs, with what they are (a renamed archive is refused unopened).
_MAGIC = (
    (b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "a zip archive"), (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"), (b"%PDF", "a PDF"), (b"SQLite format 3", "a database file"),
)


class PackError(FileFormatError):
    """A pack or return that cannot be used: names the file and what is wrong."""


MarkKey = tuple[str, str]          # (supplier, criterion id)
MarkValue = tuple[Decimal, str]    # (score, reason)


@dataclass(frozen=True)
class PackCriterion:
    """A criterion as the evaluator sees it: no weight (marks are given on the scale alone)."""

    id: str
    name: str
    kind: str
    scale_max: Decimal
    threshold: Decimal | None
    description: str
    descriptors: tuple[Descriptor, ...]


@dataclass(frozen=True)
class PackCommitment:
    """A social-value commitment as the evaluator reads it (what and how much, not its £ proxy)."""

    measure: str
    description: str
    quantity: Decimal
    theme: str
    locality: str


@dataclass(frozen=True)
class PackAttachment:
    """A response file of a bid, as the pack carries it: checked by size, SHA-256 and type when the pack is read.

    Its bytes are not kept: :meth:`read` gives them (from an ``svdesk-pack/2`` archive, read again from disk
    and checked against the SHA-256 again).
    """

    name: str
    label: str
    criterion: str | None
    media_type: str
    size: int
    sha256: str
    _read: Callable[[], bytes] = field(repr=False, compare=False)

    def read(self) -> bytes:
        """The file's bytes, their SHA-256 checked.

        Raises:
            PackError: the pack's file changed on disk since it was opened (or cannot be read any more).
        """
        return self._read()


@dataclass(frozen=True)
class PackBid:
    """A bid to mark: who, their answers to the questions (criterion id → text), what they committed to, and
    the response files the officer attached."""

    supplier: str
    commitments: tuple[PackCommitment, ...] = ()
    responses: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[PackAttachment, ...] = ()


@dataclass(frozen=True)
class Pack:
    """A parsed evaluator pack."""

    source: str
    reference: str
    title: str
    initials: str
    name: str
    made_at: datetime
    made_by: str
    audit_head: str
    model_sha256: str
    criteria: tuple[PackCriterion, ...]
    bids: tuple[PackBid, ...]
    marks: Mapping[MarkKey, MarkValue]
    sha256: str

    def criterion(self, cid: str) -> PackCriterion:
        """The criterion with this id.

        Raises:
            ValidationError: not in the pack.
        """
        for c in self.criteria:
            if c.id == cid:
                return c
        raise ValidationError("criterion", f"there is no criterion {cid!r} in this pack")

    @property
    def marks_due(self) -> int:
        """Marks the member is to give."""
        return len(self.criteria) * len(self.bids)

    @property
    def greeting(self) -> str:
        """What the marking window says first."""
        return f"You are marking {self.reference} as {self.initials}"


@dataclass(frozen=True)
class Return:
    """A parsed return."""

    source: str
    reference: str
    initials: str
    made_at: datetime
    made_by: str
    pack_sha256: str
    audit_head: str
    model_sha256: str
    marks: Mapping[MarkKey, MarkValue]
    sha256: str


class MarkChange(NamedTuple):
    """One mark or reason a merge changes. ``moderated``: a consensus score exists there already.

    A named tuple rather than a dataclass: a full return makes 30,000 of them.
    """

    supplier: str
    criterion: str
    before: tuple[Decimal | None, str | None]
    after: tuple[Decimal | None, str | None]
    moderated: bool = False


@dataclass(frozen=True)
class MergePreview:
    """What merging a return will change, for the officer to confirm first."""

    source: str
    reference: str
    initials: str
    sha256: str
    changes: tuple[MarkChange, ...]
    unchanged: int = 0
    criteria_names: Mapping[str, str] = field(default_factory=dict)
    #: What the officer should know before confirming (a return that may be older than the one merged …).
    warnings: tuple[str, ...] = ()

    @property
    def flagged(self) -> tuple[MarkChange, ...]:
        """Changes to marks that moderation has already discussed: held back unless asked for."""
        return tuple(c for c in self.changes if c.moderated)

    @property
    def has_changes(self) -> bool:
        """Anything to apply."""
        return bool(self.changes)

    def summary(self, *, command_line: bool = True) -> list[str]:
        """The preview in lines: two heading lines, then one per change (the warnings are apart, in ``warnings``).

        ``command_line=False``: the app's wording (no command-line option named; the app highlights the held-back
        changes and offers a box to include them).
        """
        n = len(self.changes)
        lines = [f"{self.source}: {self.initials}'s return for {self.reference} (SHA-256 {self.sha256})",
                 f"{self.initials}: {n} mark{'s' if n != 1 else ''} to change, {self.unchanged} unchanged"]
        held = "  [moderation began: held back unless --include-moderated]" if command_line else \
            "  (moderation began)"
        for c in self.changes:
            name = self.criteria_names.get(c.criterion, c.criterion)
            lines.append(f"  {c.supplier} / {name}: {_show(c.before)} → {_show(c.after)}{held if c.moderated else ''}")
        return lines


def _show(v: tuple[Decimal | None, str | None]) -> str:
    score, reason = v
    if score is None and not reason:
        return "(no mark)"
    text = "–" if score is None else f"{score:f}"
    if reason:
        text += f" “{reason}”"
    return text


# ---------------------------------------------------------------------------------------------------------
# Fingerprints
# ---------------------------------------------------------------------------------------------------------


def canonical_bytes(doc: Mapping[str, Any]) -> bytes:
    """The canonical JSON of a document without its ``sha256`` (sorted keys, no spaces, UTF-8)."""
    body = {k: v for k, v in doc.items() if k != "sha256"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def fingerprint(doc: Mapping[str, Any]) -> str:
    """Hex SHA-256 of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()


def _num(d: Decimal) -> str:
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _criteria_docs(criteria: Iterable[Criterion | PackCriterion]) -> list[dict[str, Any]]:
    out = []
    for c in criteria:
        kind = c.kind if isinstance(c.kind, str) else c.kind.value
        # a tender's criterion with no descriptors of its own is marked against its scale's preset, as in the app
        descs = descriptors_for(c) if isinstance(c, Criterion) else c.descriptors
        d: dict[str, Any] = {"id": c.id, "name": c.name, "kind": kind, "scale_max": _num(c.scale_max),
                             "descriptors": [{"score": _num(x.score), "text": x.text} for x in descs]}
        if c.threshold is not None:
            d["threshold"] = _num(c.threshold)
        if c.description:
            d["description"] = c.description
        out.append(d)
    return out


def model_fingerprint(reference: str, criteria: Iterable[Criterion | PackCriterion]) -> str:
    """SHA-256 of what marks are given against: the tender and its assessed criteria, scales and descriptors."""
    doc = {"reference": reference, "criteria": _criteria_docs(criteria)}
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()


def _assessed(t: Tender) -> list[Criterion]:
    return [c for c in t.criteria if c.is_assessed]


# ---------------------------------------------------------------------------------------------------------
# Making a pack (officer's side)
# ---------------------------------------------------------------------------------------------------------


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def pack_bids(t: Tender, initials: str) -> list[Bid]:
    """The bids the member marks: not excluded, not ruled out by their declaration of interest."""
    barred = barred_from(t, initials)
    return [b for b in t.bids if not b.excluded and b.supplier.casefold() not in barred]


def _marks_doc(marks: Mapping[MarkKey, MarkValue]) -> list[list[str]]:
    """``[[supplier, criterion id, score, reason], …]``: rows, not objects, so a big return parses fast."""
    return [[supplier, cid, _num(score), reason] for (supplier, cid), (score, reason) in marks.items()]


#: What reads an attached file's bytes for :func:`make_pack`: ``(supplier, file name) -> bytes``, or a mapping
#: with those keys (the store's ``Database.attachment_bytes`` bound to the tender, checked by SHA-256).
AttachmentSource = Callable[[str, str], bytes] | Mapping[tuple[str, str], bytes]


@dataclass(frozen=True)
class PackArchive:
    """A pack with response files as :func:`make_pack` gives it, for :func:`write_file` to write as an
    ``svdesk-pack/2`` zip: ``pack.json`` (:attr:`document`) and each distinct file, read again from the caller's
    source as it is written (so the officer's computer never holds all the files at once) and checked against
    the SHA-256 the document lists."""

    document: bytes
    #: ``(sha256, size, read)`` for each distinct file, in the order first listed.
    files: tuple[tuple[str, int, Callable[[], bytes]], ...] = field(repr=False)

    @property
    def size(self) -> int:
        """Bytes of the archive's members (the archive adds about 100 bytes a member)."""
        return len(self.document) + sum(n for _, n, _ in self.files)

    def write_to(self, fh: IO[bytes]) -> None:
        """Write the archive to a file opened for writing (seekable).

        Raises:
            ValidationError: a file's bytes no longer match the SHA-256 the pack lists (nothing usable written).
        """
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as z:
            z.writestr(_stored(_DOC_MEMBER), self.document)
            for sha, size, read in self.files:
                data = read()
                if len(data) != size or sha256_hex(data) != sha:
                    raise ValidationError("attachments", f"a response file (SHA-256 {sha[:12]}…) changed while the "
                                                         f"pack was written: the pack was not written")
                z.writestr(_stored(f"files/{sha}"), data)

    def to_bytes(self) -> bytes:
        """The archive in memory (for tests and small packs)."""
        import io

        buf = io.BytesIO()
        self.write_to(buf)
        return buf.getvalue()


def _stored(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


#: What :func:`make_pack` gives: the bytes of an ``svdesk-pack/1`` JSON pack (no response files), or a
#: :class:`PackArchive`; :func:`write_file` writes either.
PackData = bytes | PackArchive


def _attachments_doc(t: Tender, b: Bid, source: AttachmentSource | None,
                     files: dict[str, tuple[str, int, Callable[[], bytes]]]) -> list[dict[str, Any]]:
    """The bid's **response** files for a pack (never a pricing file), listed by size and SHA-256; each is read
    and checked here, and added to ``files`` (by SHA-256) to be read again when the archive is written."""
    out: list[dict[str, Any]] = []
    for a in t.attachments_of(b.supplier):
        if a.kind is not AttachmentKind.RESPONSE:
            continue                                  # pricing documents never travel
        if source is None:
            raise ValidationError("attachments", f"{b.supplier}'s bid has attached files, but their contents were "
                                                 f"not given to make the pack")
        def read(src: AttachmentSource = source, supplier: str = b.supplier, name: str = a.name) -> bytes:
            return src[(supplier, name)] if isinstance(src, Mapping) else src(supplier, name)

        try:
            data = read()
        except KeyError:
            raise ValidationError("attachments", f"the contents of {a.name} ({b.supplier}'s bid) were not given "
                                                 f"to make the pack") from None
        if len(data) != a.size or sha256_hex(data) != a.sha256:
            raise ValidationError("attachments", f"the attached file {a.name} of {b.supplier}'s bid does not match "
                                                 f"its SHA-256: the pack was not made")
        del data                                      # read again as the archive is written: bounded memory
        files.setdefault(a.sha256, (a.sha256, a.size, read))
        doc: dict[str, Any] = {"name": a.name, "label": a.label, "criterion": a.criterion,
                               "media_type": a.media_type, "size": str(a.size), "sha256": a.sha256}
        out.append(doc)
    return out


def make_pack(t: Tender, initials: str, *, audit_head: str, now: datetime | None = None,
              attachments: AttachmentSource | None = None) -> tuple[PackData, str]:
    """The pack for one panel member, and its fingerprint: the bytes of an ``svdesk-pack/1`` JSON pack when
    the bids it carries have no response files (as svdesk always wrote), else a :class:`PackArchive`
    (``svdesk-pack/2``). :func:`write_file` writes either.

    Args:
        attachments: reads the bytes of the bids' response files (``t.attachments`` is metadata only); only
            the files of the bids this member marks are read (here to check them, and again when the archive
            is written), and never a pricing file.

    Raises:
        ValidationError: the member is not an evaluator on the panel, has not declared their interests, or
            declared a conflict that is not mitigated; the tender has nothing to mark; or the response files
            of the member's bids are more than a pack may carry, or their bytes were not given or do not match.
    """
    m = t.panel.member(initials)
    if m.role is not Role.EVALUATOR:
        raise ValidationError("evaluator", f"{m.initials} is the {m.role.label.lower()} on {t.reference}'s panel, "
                                           f"not an evaluator: only evaluators are sent packs")
    d = m.declaration
    if d is None:
        raise ValidationError("evaluator", f"{m.initials} has not declared their interests for {t.reference}: "
                                           f"record a declaration (no conflict, or the conflict and its "
                                           f"mitigation) before sending a pack")
    if d.unmitigated:
        raise ValidationError("evaluator", f"{m.initials} declared a conflict of interest "
                                           f"({', '.join(d.bidders)}) that is not mitigated: record the "
                                           f"mitigation before sending a pack")
    criteria = _assessed(t)
    if not criteria:
        raise ValidationError("criteria", f"{t.reference} has no quality or social-value criteria to mark")
    bids = pack_bids(t, m.initials)
    carried = sum(a.size for b in bids for a in t.attachments_of(b.supplier) if a.kind is AttachmentKind.RESPONSE)
    if carried > limits.MAX_PACK_ATTACHMENT_BYTES:
        raise ValidationError("attachments", f"the response files of the bids {m.initials} marks total "
                                             f"{carried:,} bytes, more than a pack may carry "
                                             f"({limits.MAX_PACK_ATTACHMENT_BYTES:,}): remove some before sending")
    marks: dict[MarkKey, MarkValue] = {}
    for b in bids:
        for c in criteria:
            score = b.evaluator_scores.get(c.id, {}).get(m.initials)
            if score is not None:
                marks[(b.supplier, c.id)] = (score, b.evaluator_reasons.get(c.id, {}).get(m.initials, ""))
    files: dict[str, tuple[str, int, Callable[[], bytes]]] = {}
    doc: dict[str, Any] = {
        "format": PACK_FORMAT,
        "made_by": f"svdesk {__version__}",
        "made_at": _moment(now or datetime.now(UTC)),
        "tender": {"reference": t.reference, "title": t.title},
        "evaluator": {"initials": m.initials, "name": m.name},
        "audit_head": audit_head,
        "model_sha256": model_fingerprint(t.reference, criteria),
        "criteria": _criteria_docs(criteria),
        "bids": [_bid_doc(t, b, criteria, attachments, files) for b in bids],
        "marks": _marks_doc(marks),
    }
    if files:
        doc["format"] = PACK_ARCHIVE_FORMAT
    sha = fingerprint(doc)
    doc["sha256"] = sha
    if not files:
        return _dump(doc), sha
    return PackArchive(_dump(doc), tuple(files.values())), sha


def _bid_doc(t: Tender, b: Bid, criteria: list[Criterion], source: AttachmentSource | None,
             files: dict[str, tuple[str, int, Callable[[], bytes]]]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "supplier": b.supplier,
        "responses": {c.id: b.responses[c.id] for c in criteria if c.id in b.responses},
        "commitments": [
            {"measure": c.measure, "description": c.description, "quantity": _num(c.quantity),
             "theme": "" if c.theme is None else c.theme.value,
             "locality": "" if c.locality is None else c.locality.value} for c in b.commitments]}
    listed = _attachments_doc(t, b, source, files)
    if listed:                    # only when there are some: a pack without files is as svdesk wrote it before
        doc["attachments"] = listed
    return doc


def _dump(doc: Mapping[str, Any]) -> bytes:
    # Compact (no indent), so that the C encoder writes a 30,000-mark return in milliseconds.
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_file(path: str | os.PathLike[str], data: PackData) -> Path:
    """Write a pack or return atomically; a :class:`PackArchive` is streamed to a temporary file beside the
    target, then renamed over it.

    Raises:
        SvdeskError: the folder cannot be written.
        ValidationError: a response file changed while the archive was written (nothing is left behind).
    """
    if isinstance(data, PackArchive):
        return write_stream_atomic(path, data.write_to)
    return write_bytes_atomic(path, data)


# ---------------------------------------------------------------------------------------------------------
# Reading packs and returns
# ---------------------------------------------------------------------------------------------------------


class _Doc:
    """Field access on a parsed document; every problem is a PackError at a JSON path."""

    def __init__(self, source: str, doc: dict[str, Any], archive: _Archive | None = None) -> None:
        self.source = source
        self.doc = doc
        #: The pack's zip (``svdesk-pack/2``), whose members hold the files; ``None`` for JSON.
        self.archive = archive

    def fail(self, where: str, message: str) -> PackError:
        return PackError(self.source, where, message)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be an object")
        return value

    def text(self, value: Any, where: str, *, required: bool = True, limit: int = REASON_MAX) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, "must be text")
        try:
            return check_text(value, "", required=required, limit=limit)
        except ValidationError as e:
            raise self.fail(where, e.message) from None

    def number(self, value: Any, where: str) -> Decimal:
        if not isinstance(value, str):
            raise self.fail(where, "must be a number written as text")
        try:
            d = Decimal(value)
        except InvalidOperation:
            raise self.fail(where, f"{value!r} is not a number") from None
        if not d.is_finite():
            raise self.fail(where, f"{value!r} is not a number svdesk accepts")
        return d

    def moment(self, value: Any, where: str) -> datetime:
        text = self.text(value, where, limit=40)
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(where, f"{text!r} is not a date and time") from None
        if at.tzinfo is None:
            raise self.fail(where, f"{text!r} has no time zone")
        return at

    def sha(self, value: Any, where: str) -> str:
        text = self.text(value, where, limit=64)
        if len(text) != 64 or any(ch not in "0123456789abcdef" for ch in text):
            raise self.fail(where, "must be a SHA-256 (64 lower-case hex digits)")
        return text

    def attachment(self, value: Any, where: str) -> PackAttachment:
        """A response file in a pack: a safe name, valid base64, its size and SHA-256, a type svdesk accepts."""
        o = self.obj(value, where)
        name = o.get("name")
        if not isinstance(name, str):
            raise self.fail(f"{where}.name", "must be text")
        wrong = name_problem(name)
        if wrong:
            raise self.fail(f"{where}.name", f"{excerpt(name)} {wrong}; the file was not used")
        label = self.text(o.get("label"), f"{where}.label", required=False, limit=500)
        crit = o.get("criterion")
        criterion = None if crit is None else self.text(crit, f"{where}.criterion", limit=40)
        media_type = self.text(o.get("media_type"), f"{where}.media_type", limit=200)
        size_text = o.get("size")
        if not isinstance(size_text, str) or not size_text.isdigit() or len(size_text) > 12:
            raise self.fail(f"{where}.size", "must be a whole number of bytes written as text")
        size = int(size_text)
        sha = self.sha(o.get("sha256"), f"{where}.sha256")
        encoded = o.get("content_base64")
        if self.archive is not None:
            if encoded is not None:
                raise self.fail(f"{where}.content_base64", f"has no place in {PACK_ARCHIVE_FORMAT} (the file is a "
                                                           f"member of the archive); it was not opened")
            if size > limits.MAX_ATTACHMENT_BYTES:
                raise self.fail(f"{where}.size", f"{excerpt(name)} is {size:,} bytes, more than a file attached to a "
                                                 f"bid may be ({limits.MAX_ATTACHMENT_BYTES:,}); it was not opened")
            content = self.archive.file(where, name, sha, size)
            archive = self.archive
            read: Callable[[], bytes] = lambda: archive.reread(name, sha, size)  # noqa: E731
        elif not isinstance(encoded, str):
            raise self.fail(f"{where}.content_base64", "must be text (the file in base64)")
        else:
            try:
                content = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise self.fail(f"{where}.content_base64", f"is not valid base64: {excerpt(name)} was damaged; the "
                                                           f"file was not used") from None
            kept = content
            read = lambda: kept  # noqa: E731
        if len(content) != size:
            raise self.fail(f"{where}", f"{excerpt(name)} is {len(content):,} bytes, not the {size:,} the pack "
                                        f"says: it was damaged or changed; the file was not used")
        if sha256_hex(content) != sha:
            raise self.fail(f"{where}", f"{excerpt(name)} does not match its SHA-256: it was damaged or changed "
                                        f"after svdesk wrote it; the file was not used")
        try:
            sniffed = sniff(name, content)
        except ValidationError as e:
            raise self.fail(where, e.message) from None
        if sniffed != media_type:
            raise self.fail(f"{where}.media_type", f"{media_type!r} is not what {excerpt(name)} is ({sniffed})")
        return PackAttachment(name, label, criterion, media_type, size, sha, read)

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a list")
        return value

    def marks(self, value: Any, where: str) -> dict[MarkKey, MarkValue]:
        rows = self.array(value, where)
        out: dict[MarkKey, MarkValue] = {}
        numbers: dict[str, Decimal] = {}      # a return holds a handful of distinct scores, 30,000 times
        text = str
        for n, row in enumerate(rows):
            # The common case checked inline (30,000 marks in a big return); anything odd is located.
            if type(row) is not list or len(row) != 4:
                raise self.fail(f"{where}[{n}]", "must be [supplier, criterion, score, reason], all text")
            supplier, cid, score, reason = row
            if type(supplier) is not text or type(cid) is not text or type(score) is not text \
                    or type(reason) is not text:
                raise self.fail(f"{where}[{n}]", "must be [supplier, criterion, score, reason], all text")
            value_ = numbers.get(score)
            if value_ is None:
                try:
                    value_ = Decimal(score)
                except InvalidOperation:
                    raise self.fail(f"{where}[{n}][2]", f"{score!r} is not a number") from None
                if not value_.is_finite():
                    raise self.fail(f"{where}[{n}][2]", f"{score!r} is not a number svdesk accepts")
                numbers[score] = value_
            key = (supplier, cid)
            if key in out:
                raise self.fail(f"{where}[{n}]", f"a second mark for {supplier} on {cid}")
            out[key] = (value_, reason.strip())
        # Reasons: one pass over them all for hidden characters and length; a row is located only on a hit.
        if rows and (text_rule.hidden_character("\n".join(r[3] for r in rows)) is not None
                     or max(len(r[3]) for r in rows) > REASON_MAX):
            for n, row in enumerate(rows):
                self.text(row[3], f"{where}[{n}][3]", required=False)     # raises, naming the problem
        return out


def _load(path: str | os.PathLike[str], expected: str) -> _Doc:
    """Read, sniff, parse and verify a pack or return (``expected`` is its format)."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if expected == PACK_FORMAT:
            with p.open("rb") as fh:
                first = fh.read(4)
            if first in (b"PK\x03\x04", b"PK\x05\x06"):
                return _load_archive(name, p, size)
        if size > MAX_PACK_BYTES:
            raise PackError(name, "", f"is too large to be an svdesk pack or return ({size:,} bytes; the limit is "
                                      f"{MAX_PACK_BYTES:,}); it was not opened")
        with p.open("rb") as fh:
            raw = fh.read(MAX_PACK_BYTES + 1)
    except FileNotFoundError:
        raise PackError(name, "", "no such file") from None
    except IsADirectoryError:
        raise PackError(name, "", "is a folder, not a file") from None
    except OSError as e:
        raise PackError(name, "", f"cannot be read ({e.strerror or e})") from None
    return _parse(name, raw, expected)


def _parse(name: str, raw: bytes, expected: str) -> _Doc:
    """Sniff, parse and verify a document read whole (a pack archive's ``pack.json``: ``expected`` is
    :data:`PACK_ARCHIVE_FORMAT`)."""
    if len(raw) > MAX_PACK_BYTES:
        raise PackError(name, "", f"is too large to be an svdesk pack or return (the limit is {MAX_PACK_BYTES:,} "
                                  f"bytes); it was not opened")
    what = "return" if expected == RETURN_FORMAT else "pack"
    inside = f"{_DOC_MEMBER}: " if expected == PACK_ARCHIVE_FORMAT else ""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise PackError(name, "", f"is {kind}, not an svdesk {what} (a pack or return is JSON text); it was not "
                                      f"opened or unpacked")
    if not raw.strip():
        raise PackError(name, "", f"is empty: it is not an svdesk {what}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PackError(name, f"byte {e.start}", f"is not UTF-8 text, so not an svdesk {what}") from None
    from svdesk.io.jsonfile import loads_exact

    try:
        doc = loads_exact(text)
    except json.JSONDecodeError as e:
        cut = not text.rstrip().endswith("}")
        why = "is cut short (incomplete)" if cut else "is damaged"
        raise PackError(name, f"line {e.lineno}, column {e.colno}",
                        f"{why}: it is not valid JSON ({e.msg}); ask for the file again") from None
    except ValueError as e:
        raise PackError(name, "", f"is not valid JSON ({e})") from None
    if not isinstance(doc, dict):
        raise PackError(name, "$", f"is not an svdesk {what}")
    fmt = doc.get("format")
    if not isinstance(fmt, str):
        raise PackError(name, "$.format", f"is missing: this is not an svdesk {what}")
    family, _, version = fmt.partition("/")
    if family in _FAMILIES and family != expected.partition("/")[0]:
        other = "a pack" if family == "svdesk-pack" else "a return"
        hint = (" (the evaluator opens the pack in svdesk, marks it and sends back the return)"
                if family == "svdesk-pack" else " (import it into the officer's database with 'svdesk import')")
        raise PackError(name, "$.format", f"is {other}, not {'a pack' if what == 'pack' else 'a return'}{hint}")
    if family not in _FAMILIES:
        raise PackError(name, "$.format", f"{fmt!r} is not an svdesk {what} (expected {expected!r})")
    mine = int(expected.partition("/")[2])
    newest = 2 if what == "pack" else mine
    if not version.isdigit() or int(version) > newest:
        reads = f"{PACK_FORMAT} and {PACK_ARCHIVE_FORMAT}" if what == "pack" else expected
        raise PackError(name, f"{inside}$.format", f"was made by a newer svdesk ({fmt}; this svdesk {__version__} "
                                                   f"reads {reads}): update svdesk to open it")
    if int(version) != mine:
        if expected == PACK_FORMAT and int(version) == 2:
            why = f"says {PACK_ARCHIVE_FORMAT}, which is a zip archive, but this file is JSON text"
        elif expected == PACK_ARCHIVE_FORMAT:
            why = f"says {fmt!r}, but a pack archive holds {PACK_ARCHIVE_FORMAT}"
        else:
            why = f"{fmt!r} is not a format this svdesk reads (expected {expected!r})"
        raise PackError(name, f"{inside}$.format", f"{why}; it was not opened")
    r = _Doc(name, doc)
    claimed = r.sha(doc.get("sha256"), "$.sha256")
    if fingerprint(doc) != claimed:
        raise PackError(name, f"{inside}$.sha256", f"does not match the {what}'s content: the file was changed "
                                                   f"after svdesk wrote it (tampered with or damaged); it was not "
                                                   f"used")
    return r


# ---------------------------------------------------------------------------------------------------------
# Pack archives (svdesk-pack/2)
# ---------------------------------------------------------------------------------------------------------


def _bad_zip(name: str, why: str) -> PackError:
    return PackError(name, "", f"is a zip archive but not an svdesk pack ({why}); it was not opened or unpacked")


def _zip_directory_bounds(name: str, fh: IO[bytes], size: int) -> None:
    """Refuse, from the end-of-directory record alone, an archive listing more members than a pack may hold or a
    directory larger than they need, before :mod:`zipfile` reads the directory into memory."""
    tail_at = max(0, size - (22 + 65535))
    fh.seek(tail_at)
    tail = fh.read()
    at = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _bad_zip(name, "it is cut short or damaged: its directory is missing")
    _, disk, cd_disk, here, total, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if disk or cd_disk or here != total:
        raise _bad_zip(name, "it is split over several disks")
    if total > _MAX_MEMBERS or cd_size > total * 1024 or cd_offset + cd_size > size:
        raise _bad_zip(name, f"its directory lists {total:,} members in {cd_size:,} bytes, more than a pack holds")


def _load_archive(name: str, p: Path, size: int) -> _Doc:
    """Open an ``svdesk-pack/2`` archive: every member checked by its directory entry, then ``pack.json`` read
    and verified as a JSON pack is. The files are checked as the bids list them (:meth:`_Archive.file`)."""
    if size > MAX_PACK_ARCHIVE_BYTES:
        raise PackError(name, "", f"is too large to be an svdesk pack ({size:,} bytes; the limit is "
                                  f"{MAX_PACK_ARCHIVE_BYTES:,}); it was not opened")
    try:
        with p.open("rb") as fh:
            _zip_directory_bounds(name, fh, size)
        zf = zipfile.ZipFile(p)
    except PackError:
        raise
    except OSError as e:
        raise PackError(name, "", f"cannot be read ({e.strerror or e})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError,
            struct.error) as e:
        raise _bad_zip(name, str(e) or type(e).__name__) from None
    try:
        archive = _Archive(name, p, zf)
        info = archive.members[_DOC_MEMBER]
        if info.file_size > MAX_PACK_BYTES:
            raise PackError(name, _DOC_MEMBER, f"is too large ({info.file_size:,} bytes; the limit is "
                                               f"{MAX_PACK_BYTES:,}); it was not opened")
        raw = archive.read(zf, info, _DOC_MEMBER)
        r = _parse(name, raw, PACK_ARCHIVE_FORMAT)
    except BaseException:
        zf.close()
        raise
    r.archive = archive
    return r


class _Archive:
    """A pack archive's members, checked by their directory entries; reads and checks the files the bids list."""

    def __init__(self, name: str, path: Path, zf: zipfile.ZipFile) -> None:
        self.name = name
        self.path = path
        self.zf: zipfile.ZipFile | None = zf
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.used: set[str] = set()
        infos = zf.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise _bad_zip(name, f"it holds {len(infos):,} members, more than a pack may")
        if not infos or infos[0].filename != _DOC_MEMBER:
            raise _bad_zip(name, f"its first member is not {_DOC_MEMBER}")
        total = 0
        for info in infos:
            member = info.filename
            shown = _shown(member)
            if member != _DOC_MEMBER and not _FILE_MEMBER.fullmatch(member):
                raise PackError(name, shown, f"is not a member of an svdesk pack (only {_DOC_MEMBER} and "
                                             f"files/<SHA-256>); it was not opened or unpacked")
            if member in self.members:
                raise PackError(name, shown, "is in the archive twice; it was not opened or unpacked")
            _check_stored(name, info)
            total += info.file_size
            self.members[member] = info
        self.size = p_size = path.stat().st_size
        if total > p_size:
            raise _bad_zip(name, f"its members claim {total:,} bytes, more than the {p_size:,} of the file")

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, sha: str | None = None,
             label: str = "") -> bytes:
        """A member's bytes, read in chunks, never more than its stated size (checked against ``sha``;
        ``label`` begins each message)."""
        h = hashlib.sha256()
        buf = bytearray()
        try:
            with zf.open(info) as fh:
                while len(buf) <= info.file_size:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    buf += chunk
                    h.update(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, struct.error) as e:
            raise PackError(self.name, where, f"{label}cannot be read from the archive ({e}): it was damaged; it "
                                              f"was not opened") from None
        if len(buf) != info.file_size:
            raise PackError(self.name, where, f"{label}is {len(buf):,} bytes, not the {info.file_size:,} the archive "
                                              f"says: it was damaged; it was not opened")
        if sha is not None and h.hexdigest() != sha:
            raise PackError(self.name, where, f"{label}does not match its SHA-256: it was damaged or changed after "
                                              f"svdesk wrote it; the file was not used")
        return bytes(buf)

    def file(self, where: str, filename: str, sha: str, size: int) -> bytes:
        """The listed file's bytes from its member, which must be there, of that size and SHA-256."""
        member = f"files/{sha}"
        info = self.members.get(member)
        if info is None:
            raise PackError(self.name, where, f"{excerpt(filename)} is not in the archive (no member {member}): it "
                                              f"was lost or removed; it was not opened")
        if info.file_size != size:
            raise PackError(self.name, where, f"{excerpt(filename)} is {info.file_size:,} bytes in the archive, not "
                                              f"the {size:,} the pack says: it was damaged or changed; it was not "
                                              f"opened")
        assert self.zf is not None
        data = self.read(self.zf, info, where, sha, f"{excerpt(filename)} (member {member}) ")
        self.used.add(member)
        return data

    def finish(self, bids: int) -> None:
        """After every bid is read: no member unlisted, no more members than the bids may have files."""
        try:
            cap = bids * limits.MAX_ATTACHMENTS_PER_BID + 1
            if len(self.members) > cap:
                raise _bad_zip(self.name, f"it holds {len(self.members):,} members; {bids} bids may have at most "
                                          f"{cap - 1:,} files")
            extra = sorted(set(self.members) - self.used - {_DOC_MEMBER})
            if extra:
                raise PackError(self.name, extra[0], "is not a file any bid of the pack lists; it was not opened")
        finally:
            self.close()

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()
            self.zf = None

    def reread(self, filename: str, sha: str, size: int) -> bytes:
        """A file's bytes read again from the archive on disk (it may have changed since the pack was opened)."""
        member = f"files/{sha}"
        changed = (f"{excerpt(filename)} cannot be opened: the pack changed on disk since it was opened (or was "
                   f"moved); open the pack again")
        try:
            if self.path.stat().st_size > MAX_PACK_ARCHIVE_BYTES:
                raise PackError(self.name, member, changed)
            with zipfile.ZipFile(self.path) as zf:
                found = [i for i in zf.infolist() if i.filename == member]
                if len(found) != 1 or found[0].file_size != size:
                    raise PackError(self.name, member, changed)
                _check_stored(self.name, found[0])
                return self.read(zf, found[0], member, sha, f"{excerpt(filename)} ")
        except PackError as e:
            raise PackError(self.name, member, f"{changed} ({e.message})" if e.message != changed else changed) \
                from None
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError,
                struct.error) as e:
            raise PackError(self.name, member, f"{changed} ({e})") from None


def _shown(member: str) -> str:
    """A member's name as a refusal shows it: whole when it is one svdesk writes, else quoted and shortened."""
    return member if member == _DOC_MEMBER or _FILE_MEMBER.fullmatch(member) else excerpt(member)


def _check_stored(name: str, info: zipfile.ZipInfo) -> None:
    shown = _shown(info.filename)
    if info.flag_bits & 0x1:
        raise PackError(name, shown, "is encrypted; it was not opened or unpacked")
    if info.compress_type != zipfile.ZIP_STORED:
        raise PackError(name, shown, "is compressed (an svdesk pack stores every member as it is, so its size is "
                                     "known before it is read); it was not opened or unpacked")
    if info.compress_size != info.file_size:
        raise PackError(name, shown, f"claims {info.file_size:,} bytes stored in {info.compress_size:,}; it was not "
                                     f"opened or unpacked")


def read_pack(path: str | os.PathLike[str]) -> Pack:
    """Read and verify an evaluator pack: ``svdesk-pack/1`` JSON, or an ``svdesk-pack/2`` archive, whose every
    member is checked (the files' bytes are not kept: :meth:`PackAttachment.read`).

    Raises:
        PackError: not a pack, from a newer svdesk, too large, cut short, altered, or malformed.
    """
    r = _load(path, PACK_FORMAT)
    try:
        pack = _read_pack(r)
    finally:
        if r.archive is not None:
            r.archive.close()
    return pack


def _read_pack(r: _Doc) -> Pack:
    d = r.doc
    tender = r.obj(d.get("tender"), "$.tender")
    ev = r.obj(d.get("evaluator"), "$.evaluator")
    criteria = []
    for i, c in enumerate(r.array(d.get("criteria"), "$.criteria")):
        w = f"$.criteria[{i}]"
        co = r.obj(c, w)
        criteria.append(PackCriterion(
            id=r.text(co.get("id"), f"{w}.id", limit=40), name=r.text(co.get("name"), f"{w}.name", limit=200),
            kind=r.text(co.get("kind"), f"{w}.kind", limit=40),
            scale_max=r.number(co.get("scale_max"), f"{w}.scale_max"),
            threshold=None if co.get("threshold") is None else r.number(co.get("threshold"), f"{w}.threshold"),
            description=r.text(co.get("description"), f"{w}.description", required=False),
            descriptors=tuple(
                Descriptor(r.number(r.obj(x, f"{w}.descriptors[{j}]").get("score"), f"{w}.descriptors[{j}].score"),
                           r.text(x.get("text"), f"{w}.descriptors[{j}].text", required=False, limit=1000))
                for j, x in enumerate(r.array(co.get("descriptors", []), f"{w}.descriptors"))),
        ))
    bids = []
    for i, b in enumerate(r.array(d.get("bids"), "$.bids")):
        w = f"$.bids[{i}]"
        bo = r.obj(b, w)
        commitments = tuple(
            PackCommitment(
                measure=r.text(r.obj(c, f"{w}.commitments[{j}]").get("measure"), f"{w}.commitments[{j}].measure",
                               limit=1000),
                description=r.text(c.get("description"), f"{w}.commitments[{j}].description", required=False),
                quantity=r.number(c.get("quantity"), f"{w}.commitments[{j}].quantity"),
                theme=r.text(c.get("theme"), f"{w}.commitments[{j}].theme", required=False),
                locality=r.text(c.get("locality"), f"{w}.commitments[{j}].locality", required=False))
            for j, c in enumerate(r.array(bo.get("commitments", []), f"{w}.commitments")))
        answers = {str(cid): r.text(text, f"{w}.responses.{cid}", required=False, limit=RESPONSE_MAX)
                   for cid, text in r.obj(bo.get("responses", {}), f"{w}.responses").items()}
        files = tuple(r.attachment(x, f"{w}.attachments[{j}]")
                      for j, x in enumerate(r.array(bo.get("attachments", []), f"{w}.attachments")))
        if len(files) > limits.MAX_ATTACHMENTS_PER_BID:
            raise r.fail(f"{w}.attachments", f"holds {len(files)} files (at most {limits.MAX_ATTACHMENTS_PER_BID} "
                                             f"a bid)")
        seen: set[str] = set()
        for j, f in enumerate(files):
            if f.name.casefold() in seen:
                raise r.fail(f"{w}.attachments[{j}].name", f"a second file named {excerpt(f.name)} for this bid")
            seen.add(f.name.casefold())
        bids.append(PackBid(r.text(bo.get("supplier"), f"{w}.supplier", limit=300), commitments, answers, files))
    pack = Pack(
        source=r.source, reference=r.text(tender.get("reference"), "$.tender.reference", limit=60),
        title=r.text(tender.get("title"), "$.tender.title", limit=500),
        initials=r.text(ev.get("initials"), "$.evaluator.initials", limit=20),
        name=r.text(ev.get("name"), "$.evaluator.name", required=False, limit=200),
        made_at=r.moment(d.get("made_at"), "$.made_at"), made_by=r.text(d.get("made_by"), "$.made_by", limit=100),
        audit_head=r.text(d.get("audit_head"), "$.audit_head", required=False, limit=64),
        model_sha256=r.sha(d.get("model_sha256"), "$.model_sha256"), criteria=tuple(criteria), bids=tuple(bids),
        marks=r.marks(d.get("marks", []), "$.marks"), sha256=r.sha(d.get("sha256"), "$.sha256"),
    )
    if model_fingerprint(pack.reference, pack.criteria) != pack.model_sha256:
        raise PackError(r.source, "$.model_sha256", "does not match the pack's criteria; it was not used")
    _check_marks(pack, pack.marks, r.source)
    if r.archive is not None:
        listed = sum(f.size for b in pack.bids for f in b.attachments)
        if listed > limits.MAX_PACK_ATTACHMENT_BYTES:
            raise PackError(r.source, "$.bids", f"lists {listed:,} bytes of files, more than a pack may carry "
                                                f"({limits.MAX_PACK_ATTACHMENT_BYTES:,}); it was not opened")
        r.archive.finish(len(pack.bids))
    return pack


def read_return(path: str | os.PathLike[str]) -> Return:
    """Read and verify a return (its content against its fingerprint; not yet against any tender).

    Raises:
        PackError: not a return, from a newer svdesk, too large, cut short, altered, or malformed.
    """
    r = _load(path, RETURN_FORMAT)
    d = r.doc
    tender = r.obj(d.get("tender"), "$.tender")
    ev = r.obj(d.get("evaluator"), "$.evaluator")
    return Return(
        source=r.source, reference=r.text(tender.get("reference"), "$.tender.reference", limit=60),
        initials=r.text(ev.get("initials"), "$.evaluator.initials", limit=20),
        made_at=r.moment(d.get("made_at"), "$.made_at"), made_by=r.text(d.get("made_by"), "$.made_by", limit=100),
        pack_sha256=r.sha(d.get("pack_sha256"), "$.pack_sha256"),
        audit_head=r.text(d.get("audit_head"), "$.audit_head", required=False, limit=64),
        model_sha256=r.sha(d.get("model_sha256"), "$.model_sha256"),
        marks=r.marks(d.get("marks", []), "$.marks"), sha256=r.sha(d.get("sha256"), "$.sha256"),
    )


# ---------------------------------------------------------------------------------------------------------
# Marking and making the return (the evaluator's side)
# ---------------------------------------------------------------------------------------------------------


def _check_marks(pack: Pack, marks: Mapping[MarkKey, MarkValue], source: str) -> None:
    suppliers = {b.supplier for b in pack.bids}
    by_id = {c.id: c for c in pack.criteria}
    for (supplier, cid), (score, reason) in marks.items():
        where = f"$.marks: the mark for {supplier} on {cid}"
        if supplier not in suppliers:
            raise PackError(source, where, f"{supplier!r} is not a bid in this pack")
        c = by_id.get(cid)
        if c is None:
            raise PackError(source, where, f"{cid!r} is not a criterion in this pack")
        if not score.is_finite() or score < 0 or score > c.scale_max:
            raise PackError(source, where,
                            f"{_num(score)} is out of scale for {c.name} (marks are 0 to {_num(c.scale_max)})")
        if len(reason) > REASON_MAX:
            raise PackError(source, where, f"is too long ({len(reason)} characters; the limit is "
                                                       f"{REASON_MAX})")


def set_mark(pack: Pack, marks: Mapping[MarkKey, MarkValue], supplier: str, cid: str, score: Decimal | None,
             reason: str = "") -> dict[MarkKey, MarkValue]:
    """The marks with one mark set (``None`` clears it), checked against the pack's scale.

    Raises:
        ValidationError: no such bid or criterion in the pack, a mark out of scale, or a bad reason.
    """
    if supplier not in {b.supplier for b in pack.bids}:
        raise ValidationError("supplier", f"{supplier!r} is not a bid in this pack")
    c = pack.criterion(cid)
    out = dict(marks)
    if score is None:
        out.pop((supplier, cid), None)
        return out
    if not score.is_finite() or score < 0 or score > c.scale_max:
        raise ValidationError("score", f"must be between 0 and {_num(c.scale_max)} for {c.name} (got {score})")
    out[(supplier, cid)] = (score, check_text(reason, "reason", limit=REASON_MAX))
    return out


def make_return(pack: Pack, marks: Mapping[MarkKey, MarkValue], *, now: datetime | None = None) -> tuple[bytes, str]:
    """The return for a pack with these marks (every mark the member gave), as bytes, and its fingerprint.

    Raises:
        PackError: a mark is not for a bid or criterion of the pack, or is out of scale.
    """
    _check_marks(pack, marks, pack.source)
    doc: dict[str, Any] = {
        "format": RETURN_FORMAT,
        "made_by": f"svdesk {__version__}",
        "made_at": _moment(now or datetime.now(UTC)),
        "tender": {"reference": pack.reference, "title": pack.title},
        "evaluator": {"initials": pack.initials, "name": pack.name},
        "pack_sha256": pack.sha256,
        "audit_head": pack.audit_head,
        "model_sha256": pack.model_sha256,
        "marks": _marks_doc(dict(sorted(marks.items()))),
    }
    sha = fingerprint(doc)
    doc["sha256"] = sha
    return _dump(doc), sha


def read_marks_csv(pack: Pack, path: str | os.PathLike[str]) -> dict[MarkKey, MarkValue]:
    """Marks from a CSV with the columns ``supplier,criterion,score,reason`` (added to the pack's own marks).

    Raises:
        PackError: naming the row and column that is wrong.
    """
    import csv

    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise PackError(name, "", f"cannot be read as UTF-8 text ({e})") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [h.strip().casefold() for h in rows[0]][:3] != ["supplier", "criterion", "score"]:
        raise PackError(name, "row 1", "the columns must be supplier, criterion, score, reason")
    marks = dict(pack.marks)
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", "", "", ""][:4]
        supplier, cid, score, reason = (c.strip() for c in cells)
        try:
            value = None if score == "" else Decimal(score)
            marks = set_mark(pack, marks, supplier, cid, value, reason)
        except InvalidOperation:
            raise PackError(name, f'row {n}, column "score"', f"{score!r} is not a number") from None
        except ValidationError as e:
            raise PackError(name, f'row {n}, column "{e.field or "supplier"}"', e.message) from None
    return marks


# ---------------------------------------------------------------------------------------------------------
# Merging a return (officer's side)
# ---------------------------------------------------------------------------------------------------------


def preview_merge(t: Tender, ret: Return, *, expected_reference: str | None = None) -> MergePreview:
    """Check a return against the tender and list every mark and reason it changes.

    Raises:
        PackError: for another tender or another member, answering a pack this database did not send (or an
            older one), made against criteria that have changed since, a mark out of scale or for a bid the
            member may not mark, or from a member whose conflict of interest is not mitigated.
    """
    src = ret.source
    want = expected_reference or t.reference
    if ret.reference != want:
        raise PackError(src, "$.tender.reference", f"is a return for {ret.reference}, not {want}; it was not merged")
    m = t.panel.find(ret.initials)
    if m is None:
        raise PackError(src, "$.evaluator.initials", f"{ret.initials} is not on {t.reference}'s evaluation panel; "
                                                     f"it was not merged")
    if m.pack_sha256 != ret.pack_sha256:
        other = next((x for x in t.panel.members if x.pack_sha256 == ret.pack_sha256 and x is not m), None)
        if other is not None:
            raise PackError(src, "$.evaluator", f"says it is from {ret.initials}, but answers the pack sent to "
                                                f"{other.initials}: another member's return; it was not merged")
        if not m.pack_sha256:
            raise PackError(src, "$.pack_sha256", f"answers a pack this database never sent to {m.initials}; it was "
                                                  f"not merged")
        sent = "" if m.pack_sent is None else f" on {m.pack_sent.astimezone(UTC):%d %b %Y %H:%M} UTC"
        raise PackError(src, "$.pack_sha256", f"answers an older or unknown pack: the newest pack sent to "
                                              f"{m.initials}{sent} has another fingerprint; it was not merged")
    current = _assessed(t)
    if model_fingerprint(t.reference, current) != ret.model_sha256:
        raise PackError(src, "$.model_sha256", f"was marked against an older version of {t.reference}: the criteria "
                                               f"(or their scales or descriptors) changed since the pack was made; "
                                               f"send {m.initials} a new pack; it was not merged")
    d = m.declaration
    if d is not None and d.unmitigated:
        raise PackError(src, "$.evaluator", f"{m.initials} has a declared conflict of interest that is not "
                                            f"mitigated; record the mitigation first; it was not merged")
    by_id = {c.id: c for c in current}
    scale = {c.id: c.scale_max for c in current}
    bids = {b.supplier: b for b in t.bids}
    barred = barred_from(t, m.initials)
    zero = Decimal(0)
    for (supplier, cid), (score, reason) in ret.marks.items():
        top = scale.get(cid)
        if (top is not None and supplier in bids and zero <= score <= top and len(reason) <= REASON_MAX
                and (not barred or supplier.casefold() not in barred)):
            continue                                  # the common case, checked in one line
        where = f"$.marks: the mark for {supplier} on {cid}"
        if supplier not in bids:
            raise PackError(src, where, f"{supplier!r} has no bid on {t.reference}; it was not merged")
        c = by_id.get(cid)
        if c is None:
            raise PackError(src, where, f"{cid!r} is not a quality or social-value criterion of {t.reference}")
        if not zero <= score <= c.scale_max:
            raise PackError(src, where, f"{_num(score)} is out of scale for {c.name} (marks are 0 to "
                                                   f"{_num(c.scale_max)}); it was not merged")
        if len(reason) > REASON_MAX:
            raise PackError(src, where, f"is too long ({len(reason)} characters)")
        raise PackError(src, where, f"{m.initials} declared a conflict of interest with {supplier} and does not "
                                    f"mark that bid; it was not merged")
    changes = []
    unchanged = 0
    who = m.initials
    ids = [c.id for c in current]
    marks = ret.marks
    empty: dict[str, Any] = {}
    for b in pack_bids(t, who):
        supplier, es, er, consensus = b.supplier, b.evaluator_scores, b.evaluator_reasons, b.scores
        for cid in ids:
            old_score = es.get(cid, empty).get(who)
            old_reason = er.get(cid, empty).get(who)
            new = marks.get((supplier, cid))
            if new is None:
                if old_score is None and not old_reason:
                    continue
                changes.append(MarkChange(supplier, cid, (old_score, old_reason), (None, None),
                                          moderated=cid in consensus))
            elif new[0] == old_score and new[1] == (old_reason or ""):
                unchanged += 1
            else:
                changes.append(MarkChange(supplier, cid, (old_score, old_reason), new, moderated=cid in consensus))
    return MergePreview(src, t.reference, m.initials, ret.sha256, tuple(changes), unchanged,
                        {c.id: c.name for c in current}, _merge_warnings(m, ret, changes))


def _merge_warnings(m: Member, ret: Return, changes: list[MarkChange]) -> tuple[str, ...]:
    """What to tell the officer before a merge: a return already merged, or one that may be older."""
    if m.returned is None:
        return ()
    merged = f"{m.returned.astimezone(UTC):%d %b %Y %H:%M} UTC"
    if ret.sha256 == m.return_sha256:
        return (f"This return was merged already, on {merged}.",)
    if ret.made_at < m.returned:
        cleared = sum(1 for c in changes if c.after[0] is None)
        lost = (f" Merging it clears {cleared} mark{'s' if cleared != 1 else ''} that {m.initials}'s merged return "
                f"gave." if cleared else "")
        return (f"This return was made on {ret.made_at.astimezone(UTC):%d %b %Y %H:%M} UTC, before "
                f"{m.initials}'s return merged on {merged}: it may be an older copy.{lost} Check with "
                f"{m.initials} which return is the newest.",)
    return ()


def stale_pack_note(t: Tender, supplier: str, change: str) -> str | None:
    """After a response file of ``supplier``'s bid is added or removed (``change``: "this file is not in" /
    "still have this file in"): the members already sent a pack that marks that bid, told to send a new one."""
    who = [m.initials for m in t.panel.members
           if m.pack_sent is not None and supplier.casefold() not in barred_from(t, m.initials)]
    if not who:
        return None
    names = ", ".join(who)
    return (f"{names} {'was' if len(who) == 1 else 'were'} sent a pack before: {change} "
            f"{'that pack' if len(who) == 1 else 'those packs'}. Send {names} a new pack so they see the bid's files "
            f"as they are now.")


def moderation_note(t: Tender, initials: str) -> str | None:
    """Before a pack goes out: where moderation has begun on what the member marks, their marks are held back
    when merged unless the officer includes them (``None`` when moderation has not begun there)."""
    bids = pack_bids(t, initials)
    ids = [c.id for c in _assessed(t)]
    due = len(bids) * len(ids)
    agreed = sum(1 for b in bids for cid in ids if cid in b.scores)
    if not agreed:
        return None
    return (f"Moderation has begun on {t.reference}: {agreed} of the {due} marks this pack asks "
            f"{initials} for already have an agreed score. {initials}'s marks there will be held back when the "
            f"return is merged, unless you choose to include them.")


def apply_merge(t: Tender, preview: MergePreview, *, include_moderated: bool = False,
                now: datetime | None = None) -> Tender:
    """The tender with the previewed marks applied and the return recorded.

    Marks where moderation began are applied only with ``include_moderated``.
    """
    initials = t.panel.member(preview.initials).initials
    by_supplier: dict[str, list[MarkChange]] = {}
    for c in preview.changes:
        if c.moderated and not include_moderated:
            continue
        by_supplier.setdefault(c.supplier, []).append(c)
    bids = []
    for b in t.bids:
        todo = by_supplier.get(b.supplier)
        if not todo:
            bids.append(b)
            continue
        if any(c.after[0] is not None for c in todo):
            check_may_mark(t, initials, b.supplier)
        marks = {k: dict(v) for k, v in b.evaluator_scores.items()}
        reasons = {k: dict(v) for k, v in b.evaluator_reasons.items()}
        for c in todo:
            score, reason = c.after
            if score is None:
                marks.get(c.criterion, {}).pop(initials, None)
                reasons.get(c.criterion, {}).pop(initials, None)
            else:
                marks.setdefault(c.criterion, {})[initials] = score
                reasons.setdefault(c.criterion, {})[initials] = reason or ""
        bids.append(replace(b, evaluator_scores={k: v for k, v in marks.items() if v},
                            evaluator_reasons={k: v for k, v in reasons.items() if v}))
    merged = replace(t, bids=tuple(bids))
    return record_return(merged, initials, now or datetime.now(UTC), preview.sha256)


def merge_action(preview: MergePreview, merged_by: str) -> str:
    """The audit log's words for a merge (the entry's *who* is the member)."""
    return (f"Merged {preview.initials}'s return {Path(preview.source).name} (SHA-256 {preview.sha256}), "
            f"imported by {merged_by}")[:500]


__all__ = [
    "MAX_PACK_ARCHIVE_BYTES",
    "MAX_PACK_BYTES",
    "PACK_ARCHIVE_FORMAT",
    "PACK_FORMAT",
    "RETURN_FORMAT",
    "AttachmentSource",
    "MarkChange",
    "MergePreview",
    "Pack",
    "PackArchive",
    "PackAttachment",
    "PackBid",
    "PackData",
    "PackError",
    "Return",
    "apply_merge",
    "make_pack",
    "make_return",
    "merge_action",
    "preview_merge",
    "read_marks_csv",
    "read_pack",
    "read_return",
    "set_mark",
]
