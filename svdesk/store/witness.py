"""The witness file: an append-only record, in the officer's own profile, of every audit head svdesk wrote.

The audit chain (:mod:`svdesk.store.audit`) shows any entry changed, inserted or swapped, but not the newest
entries cut off, nor a chain recomputed from the start by someone with the database file. So after every
committed change svdesk appends one line to ``witness.jsonl`` in the data folder (``SVDESK_HOME``): which
database (the hash of its first audit entry, and where it is), the head's number and hash, when and who. On a
server every officer keeps their own witness. ``svdesk check`` then fails when the chain is shorter than a
witness has seen, or when a witnessed head is not in the chain.

A restore legitimately replaces the newest entries: it is witnessed as such (``"event": "restore"``), and a
head witnessed before a restore that is itself in the chain is no longer expected. The file is only ever
appended to; a line that cannot be read (a torn write) is skipped. The witness protects against someone
who has the database file but not the officer's profile; someone with both can rewrite both (the printed
papers and the backups still hold the heads they saw).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from svdesk import paths

FORMAT = "svdesk-witness/1"
#: A witness line is small; a longer one is not ours (and is not read into memory whole).
_MAX_LINE = 4096


def witness_file() -> Path:
    """``witness.jsonl`` in the officer's data folder."""
    return paths.home() / "witness.jsonl"


@dataclass(frozen=True)
class Seen:
    """One witnessed head."""

    database: str
    location: str
    seq: int
    hash: str
    at: str
    who: str
    event: str


def record(*, database: str, location: str, seq: int, digest: str, who: str, event: str = "write") -> str | None:
    """Append one line; returns a sentence for the officer when the witness could not be written."""
    if seq <= 0:
        return None
    line = json.dumps({"format": FORMAT, "db": database, "location": location, "seq": seq, "hash": digest,
                       "at": datetime.now(UTC).isoformat(timespec="seconds"), "who": who, "event": event},
                      ensure_ascii=True, separators=(",", ":"))
    target = witness_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode("ascii"))
        finally:
            os.close(fd)
    except OSError as e:
        return (f"the change is saved, but svdesk could not note the audit head in {target} "
                f"({paths.folder_problem(e, target.parent)}); 'svdesk check' will have one witness fewer")
    return None


def read(path: Path | None = None) -> list[Seen]:
    """Every readable line of the witness file, in the order written (empty when there is none)."""
    target = path or witness_file()
    out: list[Seen] = []
    try:
        fh = target.open("rb")
    except OSError:
        return out
    with fh:
        for raw in iter(lambda: fh.readline(_MAX_LINE), b""):
            if not raw.endswith(b"\n"):
                if len(raw) >= _MAX_LINE:   # an over-long line: skip to its end
                    while raw and not raw.endswith(b"\n"):
                        raw = fh.readline(_MAX_LINE)
                continue
            try:
                doc = json.loads(raw)
            except ValueError:
                continue
            seen = _seen(doc)
            if seen is not None:
                out.append(seen)
    return out


def _seen(doc: Any) -> Seen | None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    try:
        seq = doc["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            return None
        return Seen(str(doc["db"]), str(doc["location"]), seq, str(doc["hash"]), str(doc.get("at", "")),
                    str(doc.get("who", "")), str(doc.get("event", "write")))
    except KeyError:
        return None


def check(chain: Mapping[int, str], *, first_at: str, location: str,
          lines: Iterable[Seen] | None = None) -> tuple[bool, str]:
    """Compare the chain (``seq → hash``, as verified) with what the witness saw; ``(ok, detail)``.

    Args:
        chain: every entry's hash by number.
        first_at: when the first entry was written (a witness of another chain at the same location from
            before then saw an earlier database there, e.g. one deleted and started afresh).
        location: this database's file or server.
    """
    first = chain.get(1, "")
    seen = list(read() if lines is None else lines)
    # A copy of the file elsewhere may go its own way: only this location's witness lines are its history.
    mine = [s for s in seen if s.database == first and s.location == location] if first else []
    problems: list[str] = []
    pending: list[Seen] = []
    for s in mine:
        if s.event == "restore" and chain.get(s.seq) == s.hash:
            pending.clear()          # what was witnessed before this restore was undone by it
        pending.append(s)
    head = max(chain) if chain else 0
    longest = max((s for s in pending), key=lambda s: s.seq, default=None)
    if longest is not None and longest.seq > head:
        problems.append(f"the audit log ends at entry {head} but this computer's witness saw entry {longest.seq} "
                        f"(written {_when(longest)} by {longest.who}): the newest entries were removed")
    for s in pending:
        if s.seq <= head and chain.get(s.seq) != s.hash:
            problems.append(f"entry {s.seq} is not the one this computer's witness saw (written {_when(s)} by "
                            f"{s.who}): the audit log was rewritten")
            break
    if first:
        began = _moment(first_at)
        others = [s for s in seen if s.location == location and s.database != first
                  and began is not None and (_moment(s.at) or began) > began]
        if others:
            s = others[-1]
            problems.append(f"this computer's witness saw a different audit log at {location} on {_when(s)}, "
                            f"after this log says it began: the log was rewritten from its first entry")
    if problems:
        return False, "; ".join(problems[:3])
    if not mine:
        return True, "no heads of this database witnessed on this computer yet"
    return True, f"{len(mine)} heads witnessed on this computer, every one in the chain"


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _when(s: Seen) -> str:
    return s.at[:16].replace("T", " ") + " UTC" if s.at else "at an unknown time"
