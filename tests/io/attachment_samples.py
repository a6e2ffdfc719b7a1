"""Small files of every type svdesk attaches, and look-alikes that it must refuse (built in memory)."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TXT = b"Method statement: we migrate one site a weekend, with named engineers.\n"
CSV = b"item,quantity\nengineer days,40\n"


def _zip(members: dict[str, bytes], *, first: tuple[str, bytes] | None = None) -> bytes:
    """A zip with fixed member dates, so the same call always gives the same bytes (and SHA-256)."""
    buf = io.BytesIO()
    when = (2026, 12, 1, 9, 0, 0)
    with zipfile.ZipFile(buf, "w") as z:
        if first is not None:
            z.writestr(zipfile.ZipInfo(first[0], when), first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, when), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def docx(text: str = "Our approach to social value") -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                 "word/document.xml": f"<w:document><w:t>{text}</w:t></w:document>".encode()})


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odt() -> bytes:
    return _zip({"content.xml": b"<office:document-content/>"},
                first=("mimetype", b"application/vnd.oasis.opendocument.text"))


def ods() -> bytes:
    return _zip({"content.xml": b"<office:document-content/>"},
                first=("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"))


def plain_zip() -> bytes:
    return _zip({"readme.txt": b"not a document"})


def zip_without_content_types() -> bytes:
    return _zip({"word/document.xml": b"<w:document/>"})
