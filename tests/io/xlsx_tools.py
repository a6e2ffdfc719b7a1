"""Build and take apart XLSX files in memory, for tests of hostile workbooks (no openpyxl write per case)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping

from openpyxl.utils import get_column_letter


def members(data: bytes) -> dict[str, bytes]:
    """The parts of a workbook, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def pack(parts: Mapping[str, bytes], *, level: int = 1) -> bytes:
    """A zip (workbook) from parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(ref: str, value: object) -> str:
    """One ``<c>`` element: text as an inline string, numbers as numbers, ``("f", formula, cached)`` a formula."""
    if value is None:
        return ""
    if isinstance(value, tuple) and value and value[0] == "f":
        _, formula, cached = value
        v = "<v/>" if cached is None else f"<v>{cached}</v>"
        return f'<c r="{ref}"><f>{_escape(str(formula))}</f>{v}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escape(str(value))}</t></is></c>'


def sheet_xml(rows: list[list[object]]) -> bytes:
    """A worksheet part holding ``rows`` (row 1 first)."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, start=1))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


def with_sheet(template: bytes, rows: list[list[object]]) -> bytes:
    """The template workbook with its first sheet replaced by ``rows``."""
    parts = members(template)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(rows)
    return pack(parts)


def forge_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size the zip's central directory declares for one member."""
    out = bytearray(data)
    pos = 0
    while True:
        pos = out.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        member = bytes(out[pos + 46: pos + 46 + name_len]).decode()
        if member == name:
            struct.pack_into("<I", out, pos + 24, size)
        pos += 4
    return bytes(out)


def with_shared_strings(template: bytes, rows: list[list[object]]) -> bytes:
    """The template workbook with its first sheet replaced by ``rows``, text held in sharedStrings.xml (as
    Excel itself saves it)."""
    strings: list[str] = []
    index: dict[str, int] = {}
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(v, str):
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
            else:
                cells.append(cell_xml(ref, v))
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">']
    sst += [f'<si><t xml:space="preserve">{_escape(s)}</t></si>' for s in strings]
    sst.append("</sst>")
    parts = members(template)
    parts["xl/worksheets/sheet1.xml"] = "".join(out).encode("utf-8")
    parts["xl/sharedStrings.xml"] = "".join(sst).encode("utf-8")
    ct = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in ct:
        ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                            "</Relationships>")
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    return pack(parts)
