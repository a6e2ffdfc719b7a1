"""Child processes for the store's crash, lock and disk-full tests: ``python -m tests.store.driver COMMAND …``.

Each goes through the same API the GUI uses, and reports on stdout with whole lines written by single
``os.write`` calls (atomic on a pipe), so a process killed at any moment never leaves half a line:

- ``hold DB``: open the database, print ``ready``, keep it open until stdin closes.
- ``zygote``: import everything once, then for each ``go DB START PROFILE`` line on stdin fork a child that
  runs the save loop (printing ``ready`` once open, then ``ack N`` after each save returned, i.e. after
  COMMIT) and print ``pid N``; when that child dies, print ``done``. Forking a warm process makes 200+ kill runs cheap.
- ``fill DB LIMIT``: limit file sizes to LIMIT bytes (RLIMIT_FSIZE), save bigger and bigger edits until
  one fails, print ``ack N`` per save and ``error MESSAGE`` for the failure, then prove the database
  is still usable by reading it (``read ok``) and exit.
"""

from __future__ import annotations

import os
import signal
import sys
from decimal import Decimal
from pathlib import Path

from svdesk.domain import tender as T
from svdesk.store import api

REF = "KILL-1"
CRITERIA = ("q1", "q2", "q3", "q4", "q5")


def kill_tender(bids: int = 20) -> T.Tender:
    """The tender the save loop edits: five quality criteria; every save rewrites one bid's five scores."""
    criteria = (T.Criterion("price", "Price", T.CriterionKind.PRICE, Decimal(50)),
                *(T.Criterion(c, f"Quality {c}", T.CriterionKind.QUALITY, Decimal(10)) for c in CRITERIA))
    return T.Tender(REF, "Crash test", criteria=criteria,
                    bids=tuple(T.Bid(f"Supplier {n:02d}", Decimal(1000 + n)) for n in range(bids)))


def save_number(t: T.Tender, supplier: str) -> int:
    """Which save last wrote this bid's scores (-1: none); asserts the five scores agree (a save is whole)."""
    reasons = {t.bid(supplier).explanations.get(c) for c in CRITERIA}
    scores = {t.bid(supplier).scores.get(c) for c in CRITERIA}
    assert len(reasons) == 1 and len(scores) == 1, (supplier, reasons, scores)
    (reason,) = reasons
    return -1 if reason is None else int(reason.split()[1])


def edit(t: T.Tender, n: int) -> T.Tender:
    """Save ``n``: bid ``n % bids`` gets score ``n % 6`` on all five criteria, reason ``save n``."""
    supplier = t.bids[n % len(t.bids)].supplier
    for c in CRITERIA:
        t = T.set_consensus_score(t, supplier, c, Decimal(n % 6), f"save {n}")
    return t


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def save_loop(path: str, start: int) -> None:
    with api.open_database(path) as db:
        t = db.load_tender(REF)
        _say("ready")
        n = start
        while True:
            new = edit(t, n)
            db.save_tender(new, previous=t, who="crash-test", action=f"save {n}")
            _say(f"ack {n}")
            t, n = new, n + 1


def _warm_up() -> None:
    """One full cycle on a scratch database, so forked children start with SQLAlchemy's caches filled."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder, api.open_database(Path(folder) / "warm.sqlite3") as db:
        t = kill_tender()
        db.create_tender(t, who="warm-up")
        t = db.load_tender(REF)
        db.save_tender(edit(t, 0), previous=t, who="warm-up", action="save 0")
        db.check()


def zygote() -> None:
    _warm_up()
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "go":
            break
        path, start, profile = parts[1], int(parts[2]), parts[3]
        gate_r, gate_w = os.pipe()   # the child waits until "pid" is out, so that line always comes first
        pid = os.fork()
        if pid == 0:
            try:
                os.close(gate_w)
                os.read(gate_r, 1)
                os.environ["SVDESK_NETWORK_DRIVE"] = "1" if profile == "network" else "0"
                save_loop(path, start)
            finally:
                os._exit(0)
        os.close(gate_r)
        _say(f"pid {pid}")
        os.write(gate_w, b"go")
        os.close(gate_w)
        os.waitpid(pid, 0)
        _say("done")


def hold(path: str) -> None:
    with api.open_database(path):
        _say("ready")
        sys.stdin.read()


def fill(path: str, limit: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    with api.open_database(path) as db:
        t = db.load_tender(REF)
        n = 0
        try:
            while True:
                new = t
                for b in t.bids:  # a big save: every bid's scores, with long reasons
                    for c in CRITERIA:
                        new = T.set_consensus_score(new, b.supplier, c, Decimal(n % 6), f"save {n} " + "x" * 2000)
                db.save_tender(new, previous=t, who="fill", action=f"save {n}")
                _say(f"ack {n}")
                t, n = new, n + 1
        except api.StoreError as e:
            _say(f"error {type(e).__name__}: {e}")
        assert db.load_tender(REF) == t
        _say("read ok")


def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "zygote":
        zygote()
    elif command == "hold":
        hold(argv[1])
    elif command == "fill":
        fill(argv[1], int(argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(sys.argv[1:])
