"""Where a database file lives: on this computer, or on a network drive (standard library only).

Kept apart from :mod:`svdesk.store.engine` (which imports SQLAlchemy) so that the register's first read
(:mod:`svdesk.store.register`) can decline a network drive before SQLAlchemy has loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

#: File systems that live on another computer (Linux ``/proc/self/mountinfo`` names).
NETWORK_FILESYSTEMS = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ceph", "glusterfs", "9p", "davfs", "ncpfs", "coda",
     "lustre", "gpfs", "ocfs2", "gfs2", "virtiofs"}
)


def _unescape_mount(text: str) -> str:
    return text.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def linux_filesystem(path: Path, mountinfo: str) -> str:
    """The file system type holding ``path``, from the text of ``/proc/self/mountinfo`` ("" if unknown)."""
    best, fstype = -1, ""
    target = str(path)
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        mount = _unescape_mount(fields[4])
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) > best:
            best, fstype = len(mount), right.split()[0]
    return fstype


def is_network_location(
    path: Path, *, platform: str | None = None, mountinfo: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> bool:
    """Whether ``path`` is on a network drive (SMB/NFS share, mapped drive, remote FUSE mount).

    ``SVDESK_NETWORK_DRIVE=1`` (or ``0``) overrides the detection, for drives it cannot recognise.
    The keyword arguments exist for tests.
    """
    forced = os.environ.get("SVDESK_NETWORK_DRIVE", "")
    if forced in ("0", "1"):
        return forced == "1"
    platform = platform or sys.platform
    text = str(path)
    if platform == "win32":
        if text.startswith(("\\\\", "//")):
            return True
        drive = text[:2]
        if len(drive) == 2 and drive[1] == ":":
            get = drive_type or _windows_drive_type
            return get(drive + "\\") == 4  # DRIVE_REMOTE
        return False
    if platform.startswith("linux"):
        if mountinfo is None:
            try:
                mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return False
        fs = linux_filesystem(path, mountinfo)
        return fs in NETWORK_FILESYSTEMS or (fs.startswith("fuse.") and fs not in ("fuse.lxcfs", "fuse.portal"))
    return False


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - windll exists only on Windows
    return int(kernel32.GetDriveTypeW(root))
