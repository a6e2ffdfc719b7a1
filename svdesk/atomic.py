"""Write files so that a crash or a full disk never leaves a half-written one behind.

Write to a temporary file in the same folder, flush and fsync it, then rename it over the target
(atomic on POSIX and on Windows via ``os.replace``), then fsync the folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from svdesk.errors import SvdeskError


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    Raises:
        SvdeskError: the folder does not exist or cannot be written (the old file, if any, is untouched).
    """
    return write_stream_atomic(path, lambda fh: fh.write(data))


def write_stream_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> Path:
    """Write a file atomically from ``write(fh)``, which writes (and may seek) in the temporary file, so a large
    file is never held in memory whole. An exception from ``write`` leaves the old file, if any, untouched.

    Raises:
        SvdeskError: the folder does not exist or cannot be written (the old file, if any, is untouched).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise SvdeskError(f"{target}: the folder {folder} does not exist")
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = ""
        with contextlib.suppress(OSError):   # not every platform/file system can fsync a folder
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as e:
        raise SvdeskError(f"{target}: could not be written ({e.strerror or e}); nothing was changed") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`write_bytes_atomic`)."""
    return write_bytes_atomic(path, text.encode("utf-8"))
