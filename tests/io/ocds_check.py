"""Offline validation of svdesk's OCDS output, for the tests: the 1.1.5 release package schema with the UK extension
and its nine dependencies applied (JSON Merge Patch, RFC 7386, dependencies first), from ``../shared/data/ocds``."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

UK = "ocds_uk_extension"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def extension_order(extensions: Path) -> list[Path]:
    """The UK extension's dependencies (as its extension.json lists them), then the UK extension."""
    meta = json.loads((extensions / UK / "extension.json").read_text("utf-8"))
    deps = [url.split("/")[4] for url in meta["dependencies"]]
    folders = [extensions / name for name in deps]
    missing = [f.name for f in folders if not (f / "release-schema.json").is_file()]
    assert not missing, f"extensions not found offline: {missing}"
    return [*folders, extensions / UK]


@functools.cache
def uk_release_schema(ocds: Path) -> dict[str, Any]:
    """The 1.1.5 release schema with every extension's release-schema.json merged in."""
    schema = json.loads((ocds / "schema-1.1.5" / "release-schema.json").read_text("utf-8"))
    for folder in extension_order(ocds / "extensions"):
        schema = merge_patch(schema, json.loads((folder / "release-schema.json").read_text("utf-8")))
    return schema


@functools.cache
def _validators(ocds: Path) -> tuple[Any, Any]:
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release = uk_release_schema(ocds)
    registry = Registry().with_resource(release["id"], Resource.from_contents(release, default_specification=DRAFT4))
    schemas = ocds / "schema-1.1.5"
    release_pkg = json.loads((schemas / "release-package-schema.json").read_text("utf-8"))
    record_pkg = json.loads((schemas / "record-package-schema.json").read_text("utf-8"))
    versioned = json.loads((schemas / "versioned-release-validation-schema.json").read_text("utf-8"))
    registry = registry.with_resource(versioned["id"], Resource.from_contents(versioned,
                                                                              default_specification=DRAFT4))
    return (Draft4Validator(release_pkg, registry=registry, format_checker=FormatChecker()),
            Draft4Validator(record_pkg, registry=registry, format_checker=FormatChecker()))


def schema_errors(doc: dict[str, Any], ocds: Path, *, record: bool = False) -> list[str]:
    """Every schema error of a release (or record) package, as ``path: message``."""
    validator = _validators(ocds)[1 if record else 0]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def undeclared_fields(doc: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """Fields the (extended) release schema does not declare: what libcoveocds reports as additional fields."""
    defs = schema.get("definitions", {})

    def resolve(s: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in s:
            s = defs[s["$ref"].rsplit("/", 1)[-1]]
        return s

    def walk(value: Any, s: dict[str, Any], where: str) -> list[str]:
        s = resolve(s)
        out: list[str] = []
        if isinstance(value, dict):
            props = s.get("properties")
            if props is None:
                return [f"{where}/{k}" for k in value] if s.get("type") in ("object", ["object", "null"]) else []
            for k, v in value.items():
                if k not in props:
                    out.append(f"{where}/{k}")
                else:
                    out += walk(v, props[k], f"{where}/{k}")
        elif isinstance(value, list) and isinstance(s.get("items"), dict):
            for v in value:
                out += walk(v, s["items"], where)
        return out

    return walk(doc, schema, path)


def standard_zip(ocds: Path) -> bytes:
    """The 1.1.5 schema folder as the ZIP of the standard that ocdsextensionregistry reads (no download)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("standard-1__1__5/", "")
        for f in sorted((ocds / "schema-1.1.5").rglob("*")):
            if f.is_file():
                z.write(f, f"standard-1__1__5/schema/{f.relative_to(ocds / 'schema-1.1.5').as_posix()}")
    return buf.getvalue()


def _zip_folder(folder: Path, top: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{top}/", "")
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, f"{top}/{f.relative_to(folder).as_posix()}")
    return buf.getvalue()


def offline_adapter(ocds: Path) -> Any:
    """A requests adapter that serves ``https://raw.githubusercontent.com/<owner>/<extension>/<ref>/<file>`` from
    ``../shared/data/ocds/extensions`` and answers 404 for anything else (nothing leaves the machine)."""
    from requests import Response
    from requests.adapters import BaseAdapter

    class Offline(BaseAdapter):
        def send(self, request: Any, **kwargs: Any) -> Response:
            response = Response()
            response.request = request
            response.url = request.url
            parts = request.url.split("/")
            local = None
            if request.url.startswith("https://raw.githubusercontent.com/") and len(parts) > 6:
                local = ocds / "extensions" / parts[4] / "/".join(parts[6:])
            elif request.url.startswith("https://github.com/") and "/archive/" in request.url:
                folder = ocds / "extensions" / parts[4]     # the registry downloads the extension as a ZIP
                if folder.is_dir():
                    response.status_code, response.reason = 200, "OK"
                    response._content = _zip_folder(folder, f"{parts[4]}-{parts[-1].removesuffix('.zip')}")
                    response.encoding = "utf-8"
                    return response
            if local is not None and local.is_file():
                response.status_code, response.reason = 200, "OK"
                response._content = local.read_bytes()
            else:
                response.status_code, response.reason = 404, "Not Found"
                response._content = b""
            response.encoding = "utf-8"
            return response

        def close(self) -> None:
            pass

    return Offline()
