"""Evaluator packs and returns through the real command line: a three-member panel end to end, and every refusal.

The panel: KT and JM mark everything; PS declared a conflict with Cobalt Ltd and does not mark it. Every pack
is made by ``svdesk pack``, every return by ``svdesk mark`` (what the member's own svdesk does, with no
database) and merged by ``svdesk import``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain.tender import Bid, Criterion, CriterionKind, Descriptor, Tender, TenderStatus
from svdesk.errors import ValidationError
from svdesk.io import packs
from svdesk.io.tender_file import write_tender_file

D = Decimal
REF = "PANEL-2026-01"
SECRETS = ("123456.78", "654321.00", "PRIVATE-NOTE-XYZ", "MODERATION-SECRET", "OTHER-MEMBER-REASON",
           "EXCLUSION-SECRET", "Hidden Excluded Ltd")


def panel_tender() -> Tender:
    """Three bids to mark (and one excluded), two assessed criteria; one consensus score and JM's earlier mark."""
    return Tender(
        reference=REF, title="Library Wi-Fi", status=TenderStatus.EVALUATION,
        criteria=(
            Criterion("price", "Price", CriterionKind.PRICE, D(40), method="lowest_price"),
            Criterion("q1", "Service delivery", CriterionKind.QUALITY, D(40), scale_max=D(5),
                      descriptors=(Descriptor(D(0), "No answer"), Descriptor(D(5), "Excellent, fully evidenced"))),
            Criterion("sv1", "Social value approach", CriterionKind.SOCIAL_VALUE, D(20), scale_max=D(10)),
        ),
        bids=(
            Bid("Acme Ltd", price=D("123456.78"), notes="PRIVATE-NOTE-XYZ",
                responses={"q1": "We migrate site by site, with named engineers (section 3.2).",
                           "sv1": "Two local apprentices a year."},
                evaluator_scores={"q1": {"JM": D(2)}}, evaluator_reasons={"q1": {"JM": "OTHER-MEMBER-REASON"}}),
            Bid("Bramble CIC", price=D("654321.00"), scores={"sv1": D(7)}, explanations={"sv1": "MODERATION-SECRET"}),
            Bid("Cobalt Ltd", price=D("100000.00")),
            Bid("Hidden Excluded Ltd", price=D("99.00"), excluded=True, exclusion_reason="EXCLUSION-SECRET"),
        ),
    )


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def load(db: Path) -> Tender:
    from svdesk.store import api

    with api.open_database(db) as d:
        return d.load_tender(REF)


def audit(db: Path) -> list[object]:
    from svdesk.store import api

    with api.open_database(db) as d:
        return list(d.audit_entries(REF))


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The panel tender in a database, with KT, JM and PS on the panel and their declarations recorded."""
    path = panel_db(tmp_path)
    capsys.readouterr()
    return path


def panel_db(tmp_path: Path) -> Path:
    """:func:`db`'s database (for other test modules' fixtures)."""
    path = tmp_path / "svdesk.sqlite3"
    src = tmp_path / "tender.json"
    write_tender_file(panel_tender(), src)
    assert run(path, "import", str(src)) == 0
    for who, name in (("KT", "Kim Taylor"), ("JM", "Jo Mills"), ("PS", "Priya Shah")):
        assert run(path, "panel", REF, "add", who, "--name", name) == 0
    assert run(path, "panel", REF, "declare", "KT", "--no-conflict", "--on", "2026-12-01") == 0
    assert run(path, "panel", REF, "declare", "JM", "--no-conflict", "--on", "2026-12-01") == 0
    assert run(path, "panel", REF, "declare", "PS", "--conflict", "Her partner is a director of Cobalt.",
               "--bidder", "Cobalt Ltd", "--mitigation", "does_not_mark", "--on", "2026-12-01") == 0
    return path


def send(db: Path, tmp_path: Path, who: str) -> Path:
    out = tmp_path / f"{who}.svpack"
    assert run(db, "pack", REF, "--evaluator", who, "--out", str(out)) == 0
    return out


def mark(pack: Path, rows: list[tuple[str, str, str, str]], out: Path) -> Path:
    sheet = out.with_suffix(".csv")
    buf = io.StringIO()
    csv.writer(buf).writerows([("supplier", "criterion", "score", "reason"), *rows])
    sheet.write_text(buf.getvalue(), encoding="utf-8")
    assert main(["mark", str(pack), "--from", str(sheet), "--out", str(out)]) == 0
    return out


def refused(db: Path, capsys: pytest.CaptureFixture[str], path: Path, *needles: str) -> str:
    """Import ``path``: exit 2, one line naming the file and what is wrong, database unchanged."""
    before, entries = load(db), len(audit(db))
    capsys.readouterr()
    assert run(db, "import", str(path), "--yes") == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1, err
    assert err.startswith(f"svdesk: {path}") and "Traceback" not in err
    for n in needles:
        assert n in err, err
    assert load(db) == before and len(audit(db)) == entries
    return err


def rewrite(path: Path, change: object, out: Path) -> Path:
    """A copy of a pack/return with ``change(doc)`` applied and its fingerprint made to match again."""
    doc = json.loads(path.read_text("utf-8"))
    change(doc)  # type: ignore[operator]
    doc["sha256"] = packs.fingerprint(doc)
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------------------


def test_three_member_panel_end_to_end(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kt, jm, ps = (send(db, tmp_path, w) for w in ("KT", "JM", "PS"))
    out = capsys.readouterr().out
    assert out.count("Wrote the evaluator pack") == 3
    assert main(["mark", str(kt), "--out", str(tmp_path / "empty.svpack")]) == 0
    assert f"You are marking {REF} as KT" in capsys.readouterr().out
    assert [b.supplier for b in packs.read_pack(ps).bids] == ["Acme Ltd", "Bramble CIC"]            # not Cobalt
    assert packs.read_pack(jm).marks == {("Acme Ltd", "q1"): (D(2), "OTHER-MEMBER-REASON")}       # her own mark
    assert packs.read_pack(kt).bids[0].responses == {
        "q1": "We migrate site by site, with named engineers (section 3.2).", "sv1": "Two local apprentices a year."}

    r_kt = mark(kt, [("Acme Ltd", "q1", "4", "Named engineers, clear plan"), ("Bramble CIC", "q1", "3", "Adequate"),
                     ("Cobalt Ltd", "q1", "5", "Excellent"), ("Acme Ltd", "sv1", "6", "Some local partners")],
                tmp_path / "KT-return.svpack")
    r_jm = mark(jm, [("Acme Ltd", "q1", "3", "On reflection, thinner on migration"),
                     ("Cobalt Ltd", "sv1", "8.5", "Strong local offer")], tmp_path / "JM-return.svpack")
    r_ps = mark(ps, [("Acme Ltd", "q1", "4", "Good"), ("Bramble CIC", "q1", "2", "Weak evidence")],
                tmp_path / "PS-return.svpack")
    capsys.readouterr()

    assert run(db, "import", str(r_kt), "--yes") == 0
    out = capsys.readouterr().out
    assert "KT: 4 marks to change, 0 unchanged" in out
    assert "Acme Ltd / Service delivery: (no mark) → 4 “Named engineers, clear plan”" in out
    assert run(db, "import", str(r_jm), "--yes") == 0
    out = capsys.readouterr().out
    assert "Acme Ltd / Service delivery: 2 “OTHER-MEMBER-REASON” → 3 “On reflection, thinner on migration”" in out
    assert run(db, "import", str(r_ps), "--yes") == 0

    t = load(db)
    assert t.bid("Acme Ltd").evaluator_scores["q1"] == {"JM": D(3), "KT": D(4), "PS": D(4)}
    assert t.bid("Cobalt Ltd").evaluator_scores == {"q1": {"KT": D(5)}, "sv1": {"JM": D("8.5")}}
    assert t.bid("Bramble CIC").evaluator_reasons["q1"] == {"KT": "Adequate", "PS": "Weak evidence"}
    assert all(m.returned is not None and not m.awaiting_return for m in t.panel.members)
    merges = [e for e in audit(db) if e.action.startswith("Merged")]  # type: ignore[attr-defined]
    assert [e.who for e in merges] == ["KT", "JM", "PS"]  # type: ignore[attr-defined]
    for e, r in zip(merges, (r_kt, r_jm, r_ps), strict=True):
        assert packs.read_return(r).sha256 in e.action  # type: ignore[attr-defined]
        assert any(".evaluator_scores." in c["what"] for c in e.details["changes"])  # type: ignore[attr-defined]

    assert run(db, "panel", REF) == 0
    out = capsys.readouterr().out
    assert "Marks: 4 of 6" in out and "Marks: 2 of 4" in out and "Does not mark: Cobalt Ltd" in out
    assert run(db, "score", REF) == 0


PRICING = b"item,price\nPRICING-SECRET-ROW,123456.78\n"


def attach(db: Path, tmp_path: Path, supplier: str, name: str, data: bytes, *args: str) -> None:
    path = tmp_path / "attach" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    assert run(db, "attach", REF, supplier, str(path), *args) == 0


def test_a_pack_holds_no_price_other_marks_moderation_or_private_notes(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    attach(db, tmp_path, "Acme Ltd", "Acme PRICING-SCHEDULE-NAME.csv", PRICING, "--kind", "pricing")
    sheet = S.xlsx()
    attach(db, tmp_path, "Bramble CIC", "Bramble PRICING-SHEET-NAME.xlsx", sheet, "--kind", "pricing")
    attach(db, tmp_path, "Acme Ltd", "Method statement.pdf", S.PDF, "--criterion", "q1")
    secrets = (*SECRETS, "PRICING-SECRET-ROW", "PRICING-SCHEDULE-NAME", "PRICING-SHEET-NAME")
    pricing_forms = [base64.b64encode(PRICING), base64.b64encode(sheet), hashlib.sha256(PRICING).hexdigest().encode(),
                     hashlib.sha256(sheet).hexdigest().encode(), sheet[:40]]
    for who in ("KT", "JM", "PS"):
        path = send(db, tmp_path, who)
        raw = path.read_bytes()
        assert raw.startswith(b"PK\x03\x04")                 # svdesk-pack/2: a zip of stored members …
        with zipfile.ZipFile(path) as z:                      # … so every byte of every file is grepped in raw
            assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
            assert [i.filename for i in z.infolist()] == ["pack.json", f"files/{hashlib.sha256(S.PDF).hexdigest()}"]
            text = z.read("pack.json").decode("utf-8")
        forms = [raw, json.dumps(text).encode(), text.encode("unicode_escape")]
        hidden = [s for s in secrets if s == "OTHER-MEMBER-REASON" and who == "JM"]   # JM's own reason is hers
        for secret in secrets:
            if secret in hidden:
                continue
            for form in forms:
                assert secret.encode() not in form, (who, secret)
        for form in pricing_forms:                            # a pricing file in no form: bytes, base64, hash
            assert form not in raw, who
        assert S.PDF in raw                                   # the response file does travel, as it is
        doc = json.loads(text)
        assert set(doc) == {"format", "made_by", "made_at", "tender", "evaluator", "audit_head", "model_sha256",
                            "criteria", "bids", "marks", "sha256"}
        assert all("weight" not in c and "price" not in json.dumps(c) for c in doc["criteria"])
        assert [c["id"] for c in doc["criteria"]] == ["q1", "sv1"]
        assert doc["criteria"][0]["descriptors"][1] == {"score": "5", "text": "Excellent, fully evidenced"}


def test_a_pack_for_a_member_with_an_unmitigated_conflict_or_no_declaration_is_refused(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "panel", REF, "declare", "KT", "--conflict", "Used to work at Acme.", "--bidder", "Acme Ltd") == 0
    assert run(db, "panel", REF, "add", "NEW") == 0
    capsys.readouterr()
    for who, needle in (("KT", "KT declared a conflict of interest (Acme Ltd) that is not mitigated"),
                        ("NEW", "NEW has not declared their interests")):
        out = tmp_path / f"{who}.svpack"
        assert run(db, "pack", REF, "--evaluator", who, "--out", str(out)) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err
        assert not out.exists()
        assert load(db).panel.member(who).pack_sent is None


def test_refusals_leave_the_database_unchanged(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kt, jm = send(db, tmp_path, "KT"), send(db, tmp_path, "JM")
    good = mark(kt, [("Acme Ltd", "q1", "4", "Good")], tmp_path / "KT-return.svpack")

    # another tender
    other = rewrite(good, lambda d: d["tender"].update(reference="OTHER-1"), tmp_path / "other.svpack")
    refused(db, capsys, other, "is a return for OTHER-1, which is not in")
    assert run(db, "import", str(good), "--tender", "OTHER-1", "--yes") == 2
    assert f"is a return for {REF}, not OTHER-1" in capsys.readouterr().err
    # another member: JM's pack answered but labelled KT, and a member not on the panel
    swapped = mark(jm, [("Acme Ltd", "q1", "1", "x")], tmp_path / "JM-return.svpack")
    swapped = rewrite(swapped, lambda d: d["evaluator"].update(initials="KT"), tmp_path / "swapped.svpack")
    refused(db, capsys, swapped, "answers the pack sent to JM: another member's return")
    stranger = rewrite(good, lambda d: d["evaluator"].update(initials="ZZ"), tmp_path / "stranger.svpack")
    refused(db, capsys, stranger, "ZZ is not on PANEL-2026-01's evaluation panel")
    # tampered: a mark edited by hand, the fingerprint left as it was
    doc = json.loads(good.read_text("utf-8"))
    assert doc["marks"] == [["Acme Ltd", "q1", "4", "Good"]]
    doc["marks"][0][2] = "5"
    tampered = tmp_path / "tampered.svpack"
    tampered.write_text(json.dumps(doc), encoding="utf-8")
    refused(db, capsys, tampered, "$.sha256", "changed after svdesk wrote it")
    # truncated
    cut = tmp_path / "cut.svpack"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    refused(db, capsys, cut, "is cut short (incomplete)")
    # a zip bomb renamed .svpack: refused from its first bytes, never unpacked
    bomb = tmp_path / "bomb.svpack"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("pack.json", b"\0" * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    refused(db, capsys, bomb, "is a zip archive, not an svdesk return", "not opened or unpacked")
    # from a newer svdesk
    newer = rewrite(good, lambda d: d.update(format="svdesk-return/2"), tmp_path / "newer.svpack")
    refused(db, capsys, newer, "made by a newer svdesk (svdesk-return/2")
    # marks out of scale (a well-formed file, fingerprint and all)
    wild = rewrite(good, lambda d: d["marks"][0].__setitem__(2, "6"), tmp_path / "wild.svpack")
    refused(db, capsys, wild, "the mark for Acme Ltd on q1: 6 is out of scale for Service delivery (marks are 0 to 5)")
    twice = rewrite(good, lambda d: d["marks"].append(["Acme Ltd", "q1", "3", "again"]), tmp_path / "twice.svpack")
    refused(db, capsys, twice, "$.marks[1]: a second mark for Acme Ltd on q1")
    hidden = rewrite(good, lambda d: d["marks"][0].__setitem__(3, "Good \u202e"), tmp_path / "hidden.svpack")
    refused(db, capsys, hidden, "$.marks[0][3]: contains a hidden or control character (U+202E")
    # a pack given where a return is expected
    refused(db, capsys, kt, "is a pack, not a return")
    # an older version of the tender: the criteria changed since the pack was made
    from svdesk.domain.tender import update_criterion
    from svdesk.store import api

    with api.open_database(db) as d:
        t = d.load_tender(REF)
        d.save_tender(update_criterion(t, "q1", scale_max=D(10)), previous=t, who="officer", action="Rescale q1")
    refused(db, capsys, good, "was marked against an older version of PANEL-2026-01", "send KT a new pack")


def test_an_older_pack_is_refused_once_a_newer_one_was_sent(db: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    first = send(db, tmp_path, "KT")
    old = mark(first, [("Acme Ltd", "q1", "4", "Good")], tmp_path / "old-return.svpack")
    send(db, tmp_path / ".." / tmp_path.name, "KT")          # a second pack replaces the first
    refused(db, capsys, old, "answers an older or unknown pack")


def test_a_return_marking_a_bidder_the_member_does_not_mark_is_refused(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ps = send(db, tmp_path, "PS")
    ret = mark(ps, [("Acme Ltd", "q1", "4", "Good")], tmp_path / "PS-return.svpack")
    pack = packs.read_pack(ps)
    forged = rewrite(ret, lambda d: d["marks"].append(["Cobalt Ltd", "q1", "5", "x"]),
                     tmp_path / "forged.svpack")
    assert ("Cobalt Ltd", "q1") not in pack.marks
    refused(db, capsys, forged, "PS declared a conflict of interest with Cobalt Ltd and does not mark that bid")


def test_a_mark_changed_after_moderation_began_is_flagged_and_held_back(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kt = send(db, tmp_path, "KT")
    ret = mark(kt, [("Bramble CIC", "sv1", "3", "Thin"), ("Acme Ltd", "q1", "4", "Good")],
               tmp_path / "KT-return.svpack")
    capsys.readouterr()
    assert run(db, "import", str(ret), "--yes") == 0
    out = capsys.readouterr().out
    assert "Bramble CIC / Social value approach: (no mark) → 3 “Thin”  [moderation began" in out
    assert "1 mark changed after moderation began is held back" in out
    t = load(db)
    assert "sv1" not in t.bid("Bramble CIC").evaluator_scores and t.bid("Acme Ltd").evaluator_scores["q1"]["KT"] == 4
    assert run(db, "import", str(ret), "--yes", "--include-moderated") == 0
    assert load(db).bid("Bramble CIC").evaluator_scores["sv1"] == {"KT": D(3)}


def test_without_a_terminal_or_yes_nothing_is_merged(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ret = mark(send(db, tmp_path, "KT"), [("Acme Ltd", "q1", "4", "Good")], tmp_path / "KT-return.svpack")
    before = load(db)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    assert run(db, "import", str(ret)) == 2
    captured = capsys.readouterr()
    assert "Acme Ltd / Service delivery: (no mark) → 4" in captured.out      # the preview was shown
    assert "no terminal to ask for confirmation" in captured.err
    assert load(db) == before


def test_marking_refuses_out_of_scale_marks_naming_the_row(tmp_path: Path, db: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    kt = send(db, tmp_path, "KT")
    sheet = tmp_path / "marks.csv"
    sheet.write_text("supplier,criterion,score,reason\nAcme Ltd,q1,4,ok\nAcme Ltd,sv1,11,too much\n")
    capsys.readouterr()
    assert main(["mark", str(kt), "--from", str(sheet), "--out", str(tmp_path / "r.svpack")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and 'row 3, column "score"' in err and "between 0 and 10" in err
    assert not (tmp_path / "r.svpack").exists()


def test_a_pack_read_back_matches_what_was_packed(db: Path, tmp_path: Path) -> None:
    p = packs.read_pack(send(db, tmp_path, "KT"))
    assert (p.reference, p.initials, p.name, p.marks_due) == (REF, "KT", "Kim Taylor", 6)
    assert p.greeting == f"You are marking {REF} as KT"
    assert p.sha256 == load(db).panel.member("KT").pack_sha256
    marks = packs.set_mark(p, p.marks, "Acme Ltd", "sv1", D("9.5"), "Good")
    with pytest.raises(Exception, match="between 0 and 10"):
        packs.set_mark(p, marks, "Acme Ltd", "sv1", D(11))
    data, sha = packs.make_return(p, marks)
    path = tmp_path / "r.svpack"
    path.write_bytes(data)
    r = packs.read_return(path)
    assert (r.sha256, r.pack_sha256, dict(r.marks)) == (sha, p.sha256, {("Acme Ltd", "sv1"): (D("9.5"), "Good")})
    assert replace(r, source="x").initials == "KT"


def test_an_older_copy_of_a_return_or_one_merged_already_is_pointed_out(db: Path, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Two returns answering the same pack: the older one, imported after the newer was merged, would clear the
    marks given since; the preview says so (CLI and app), and says when a return was merged already."""
    from datetime import UTC, datetime, timedelta

    kt = send(db, tmp_path, "KT")
    p = packs.read_pack(kt)
    one = packs.set_mark(p, p.marks, "Acme Ltd", "q1", D(3), "First look")
    two = packs.set_mark(p, one, "Cobalt Ltd", "q1", D(4), "Clear")
    made = datetime.now(UTC) - timedelta(minutes=5)
    old_data, _ = packs.make_return(p, one, now=made)
    new_data, _ = packs.make_return(p, two, now=made + timedelta(minutes=1))
    old, new = tmp_path / "old.svpack", tmp_path / "new.svpack"
    old.write_bytes(old_data)
    new.write_bytes(new_data)
    first = packs.preview_merge(load(db), packs.read_return(new))
    assert first.warnings == ()                                          # nothing merged from KT yet
    assert run(db, "import", str(new), "--yes") == 0
    again = packs.preview_merge(load(db), packs.read_return(new))
    assert again.warnings[0].startswith("This return was merged already, on ")
    stale = packs.preview_merge(load(db), packs.read_return(old))
    (warning,) = stale.warnings
    assert "before KT's return merged on" in warning and "it may be an older copy" in warning
    assert "Merging it clears 1 mark that KT's merged return gave" in warning
    capsys.readouterr()
    assert run(db, "import", str(old), "--yes") == 0
    assert f"Warning: {warning}" in capsys.readouterr().out


def test_a_pack_for_a_member_added_after_moderation_began_says_their_marks_will_be_held_back(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = load(db)
    note = packs.moderation_note(t, "KT")
    assert note is not None and "1 of the 6 marks this pack asks KT for already have an agreed score" in note
    capsys.readouterr()
    send(db, tmp_path, "KT")
    assert f"Note: {note}" in capsys.readouterr().out
    unmoderated = replace(t, bids=tuple(replace(b, scores={}) for b in t.bids))
    assert packs.moderation_note(unmoderated, "KT") is None


def test_the_real_command_line_process_refuses_with_one_line(db: Path, tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.conftest import ROOT

    kt = send(db, tmp_path, "KT")
    cut = tmp_path / "cut.svpack"
    cut.write_bytes(kt.read_bytes()[:200])
    env = {**os.environ, "SVDESK_DB": str(db)}
    for args, code in ((["mark", str(kt), "--out", str(tmp_path / "r.svpack")], 0),
                       (["import", str(cut), "--yes"], 2)):
        p = subprocess.run([sys.executable, "-m", "svdesk", *args], capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=120)
        assert p.returncode == code, p.stderr
        if code == 2:
            assert p.stderr.count("\n") == 1 and "is cut short" in p.stderr and "Traceback" not in p.stderr
        else:
            assert f"You are marking {REF} as KT" in p.stdout


# ---------------------------------------------------------------------------------------------------------
# Attached files in packs
# ---------------------------------------------------------------------------------------------------------


def test_a_pack_carries_the_response_files_of_the_bids_the_member_marks(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    cobalt = S.docx("COBALT-ONLY-RESPONSE")
    attach(db, tmp_path, "Acme Ltd", "Method statement.pdf", S.PDF, "--criterion", "q1", "--label", "Method")
    attach(db, tmp_path, "Cobalt Ltd", "Cobalt social value.docx", cobalt, "--criterion", "sv1")
    kt = packs.read_pack(send(db, tmp_path, "KT"))
    by = {b.supplier: b for b in kt.bids}
    (acme,) = by["Acme Ltd"].attachments
    assert (acme.name, acme.label, acme.criterion, acme.media_type, acme.size, acme.read()) == (
        "Method statement.pdf", "Method", "q1", "application/pdf", len(S.PDF), S.PDF)
    assert acme.sha256 == hashlib.sha256(S.PDF).hexdigest()
    assert [a.read() for a in by["Cobalt Ltd"].attachments] == [cobalt]
    assert by["Bramble CIC"].attachments == ()
    # PS does not mark Cobalt: none of Cobalt's files, in any form.
    raw = send(db, tmp_path, "PS").read_bytes()
    assert raw.startswith(b"PK\x03\x04")                     # Acme's file travels: an archive, members stored
    for form in (cobalt, base64.b64encode(cobalt), b"Cobalt social value", hashlib.sha256(cobalt).hexdigest().encode()):
        assert form not in raw
    assert [b.supplier for b in packs.read_pack(tmp_path / "PS.svpack").bids] == ["Acme Ltd", "Bramble CIC"]


def test_a_return_carries_no_files(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    attach(db, tmp_path, "Acme Ltd", "m.pdf", S.PDF)
    ret = mark(send(db, tmp_path, "KT"), [("Acme Ltd", "q1", "4", "Good")], tmp_path / "KT-return.svpack")
    raw = ret.read_bytes()
    assert b"attachments" not in raw and b"content_base64" not in raw and base64.b64encode(S.PDF) not in raw


def as_pack1(path: Path, out: Path) -> Path:
    """An ``svdesk-pack/2`` archive rewritten as the ``svdesk-pack/1`` JSON an older svdesk wrote: each file in
    base64 beside its entry, the fingerprint made to match."""
    with zipfile.ZipFile(path) as z:
        doc = json.loads(z.read("pack.json"))
        for b in doc["bids"]:
            for a in b.get("attachments", []):
                a["content_base64"] = base64.b64encode(z.read(f"files/{a['sha256']}")).decode("ascii")
    doc["format"] = "svdesk-pack/1"
    doc["sha256"] = packs.fingerprint(doc)
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def _pack_with_a_file(db: Path, tmp_path: Path) -> Path:
    """KT's pack with one file, as an older svdesk wrote it (``svdesk-pack/1``, the file in base64)."""
    from tests.io import attachment_samples as S

    attach(db, tmp_path, "Acme Ltd", "m.pdf", S.PDF)
    return as_pack1(send(db, tmp_path, "KT"), tmp_path / "KT-pack1.svpack")


def _refused_pack(path: Path, *needles: str) -> str:
    with pytest.raises(packs.PackError) as e:
        packs.read_pack(path)
    said = str(e.value)
    assert "\n" not in said
    for n in needles:
        assert n in said, said
    return said


def test_a_tampered_file_in_a_pack_is_refused(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    pack = _pack_with_a_file(db, tmp_path)
    doc = json.loads(pack.read_text("utf-8"))
    encoded = doc["bids"][0]["attachments"][0]["content_base64"]
    flipped = encoded[:8] + ("A" if encoded[8] != "A" else "B") + encoded[9:]

    def flip(d: dict) -> None:  # type: ignore[type-arg]
        d["bids"][0]["attachments"][0]["content_base64"] = flipped

    # One base64 character changed, the pack's fingerprint recomputed: the file's own SHA-256 catches it.
    _refused_pack(rewrite(pack, flip, tmp_path / "a.svpack"), "$.bids[0].attachments[0]",
                  "'m.pdf' does not match its SHA-256")
    # … and without recomputing it, the pack's fingerprint does.
    raw = pack.read_text("utf-8").replace(encoded, flipped)
    (tmp_path / "b.svpack").write_text(raw, encoding="utf-8")
    _refused_pack(tmp_path / "b.svpack", "$.sha256", "does not match the pack's content")

    def field(key: str, value: object) -> Callable[[dict], None]:  # type: ignore[type-arg]
        def change(d: dict) -> None:  # type: ignore[type-arg]
            d["bids"][0]["attachments"][0][key] = value
        return change

    zipped = S.plain_zip()
    cases = [
        (field("content_base64", "not base64!"), "$.bids[0].attachments[0].content_base64", "is not valid base64"),
        (field("size", "5"), "$.bids[0].attachments[0]", f"is {len(S.PDF)} bytes, not the 5"),
        (field("name", "../../evil.pdf"), "$.bids[0].attachments[0].name", "has a name with a path in it"),
        (field("name", "CON.pdf"), "$.bids[0].attachments[0].name", "Windows keeps for a device"),
        (field("name", "x" * 300 + ".pdf"), "$.bids[0].attachments[0].name", "too long"),
        (field("name", "m.exe"), "$.bids[0].attachments[0]", "is a .exe file"),
        (field("media_type", "text/html"), "$.bids[0].attachments[0].media_type", "is not what 'm.pdf' is"),
    ]
    for n, (change, where, said) in enumerate(cases):
        _refused_pack(rewrite(pack, change, tmp_path / f"c{n}.svpack"), where, said)

    def renamed_zip(d: dict) -> None:  # type: ignore[type-arg]
        a = d["bids"][0]["attachments"][0]
        a.update(content_base64=base64.b64encode(zipped).decode(), size=str(len(zipped)),
                 sha256=hashlib.sha256(zipped).hexdigest())

    _refused_pack(rewrite(pack, renamed_zip, tmp_path / "z.svpack"), "$.bids[0].attachments[0]",
                  "named as a PDF but its content is a zip archive")

    def twice(d: dict) -> None:  # type: ignore[type-arg]
        d["bids"][0]["attachments"].append(dict(d["bids"][0]["attachments"][0]))

    _refused_pack(rewrite(pack, twice, tmp_path / "t.svpack"), "$.bids[0].attachments[1].name", "a second file")


def test_an_older_pack_without_attachments_still_reads(db: Path, tmp_path: Path) -> None:
    pack = _pack_with_a_file(db, tmp_path)

    def older(d: dict) -> None:  # type: ignore[type-arg]
        for b in d["bids"]:
            b.pop("attachments", None)

    old = packs.read_pack(rewrite(pack, older, tmp_path / "old.svpack"))
    assert old.bids and all(b.attachments == () for b in old.bids)
    assert packs.read_pack(pack).bids[0].attachments


def test_make_pack_is_pure_and_takes_the_bytes_from_its_caller(tmp_path: Path) -> None:
    from svdesk.domain import panel as P
    from svdesk.domain import rules
    from svdesk.domain.attachments import AttachmentKind
    from tests.io import attachment_samples as S

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    a = rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF)
    price = rules.check_add_attachment(t, "Acme Ltd", "p.csv", PRICING, kind=AttachmentKind.PRICING)
    t = replace(t, attachments=(a, price))
    asked: list[tuple[str, str]] = []

    def read(supplier: str, name: str) -> bytes:
        asked.append((supplier, name))
        return S.PDF

    data, _ = packs.make_pack(t, "KT", audit_head="", attachments=read)
    assert asked == [("Acme Ltd", "m.pdf")]                  # never the pricing file
    assert isinstance(data, packs.PackArchive) and S.PDF in data.to_bytes()
    assert asked == [("Acme Ltd", "m.pdf")] * 2              # read again (and checked) as the archive is written
    data2, _ = packs.make_pack(t, "KT", audit_head="", attachments={("Acme Ltd", "m.pdf"): S.PDF})
    assert isinstance(data2, packs.PackArchive)
    assert json.loads(data2.document)["bids"] == json.loads(data.document)["bids"]
    with pytest.raises(ValidationError, match="contents were not given"):
        packs.make_pack(t, "KT", audit_head="")
    with pytest.raises(ValidationError, match="does not match its SHA-256"):
        packs.make_pack(t, "KT", audit_head="", attachments=lambda s, n: S.PDF + b"x")


def test_a_criterion_without_descriptors_of_its_own_travels_with_its_scales_preset() -> None:
    """The member marks against what the officer's Scoring page shows: the scale's preset descriptors."""
    from svdesk.domain import panel as members
    from svdesk.domain.tender import SCALE_PRESETS

    t = members.declare(members.add_member(panel_tender(), "KT"), "KT", members.Declaration(date(2026, 12, 1)))
    doc = json.loads(packs.make_pack(t, "KT", audit_head="")[0])
    sv1 = next(c for c in doc["criteria"] if c["id"] == "sv1")              # scale 0–10, no descriptors given
    assert [(d["score"], d["text"]) for d in sv1["descriptors"]] == [(str(s), x) for s, x in SCALE_PRESETS[10]]
    q1 = next(c for c in doc["criteria"] if c["id"] == "q1")                # its own two descriptors
    assert [d["text"] for d in q1["descriptors"]] == ["No answer", "Excellent, fully evidenced"]


# ---------------------------------------------------------------------------------------------------------
# svdesk-pack/2: the archive a pack with files is
# ---------------------------------------------------------------------------------------------------------

WHEN = (1980, 1, 1, 0, 0, 0)


def members_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def zip_of(out: Path, members: list[tuple[str, bytes]], *, deflate: tuple[str, ...] = ()) -> Path:
    """An archive of these members, in order (``deflate``: the members to compress)."""
    import warnings

    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as z:
        warnings.simplefilter("ignore")                   # zipfile warns of a duplicate name: that is the point
        for name, data in members:
            kind = zipfile.ZIP_DEFLATED if name in deflate else zipfile.ZIP_STORED
            z.writestr(zipfile.ZipInfo(name, WHEN), data, compress_type=kind)
    return out


def _pack2(db: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """KT's pack with two files on Acme's bid and one on Cobalt's: (the pack, the PDF, the docx)."""
    from tests.io import attachment_samples as S

    docx = S.docx("COBALT-RESPONSE")
    attach(db, tmp_path, "Acme Ltd", "Method statement.pdf", S.PDF, "--criterion", "q1")
    attach(db, tmp_path, "Acme Ltd", "Notes.txt", S.TXT)
    attach(db, tmp_path, "Cobalt Ltd", "Social value.docx", docx, "--criterion", "sv1")
    return send(db, tmp_path, "KT"), S.PDF, docx


def test_a_pack_with_files_is_a_zip_of_stored_members_and_round_trips(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    pack, pdf, docx = _pack2(db, tmp_path)
    assert pack.read_bytes().startswith(b"PK\x03\x04")
    with zipfile.ZipFile(pack) as z:
        infos = z.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED and i.compress_size == i.file_size for i in infos)
        doc = json.loads(z.read("pack.json"))
    hashes = [hashlib.sha256(x).hexdigest() for x in (pdf, S.TXT, docx)]
    assert [i.filename for i in infos] == ["pack.json", *(f"files/{h}" for h in hashes)]
    assert doc["format"] == "svdesk-pack/2" and doc["sha256"] == packs.fingerprint(doc)
    listed = [a for b in doc["bids"] for a in b.get("attachments", [])]
    assert [a["sha256"] for a in listed] == hashes
    assert all(set(a) == {"name", "label", "criterion", "media_type", "size", "sha256"} for a in listed)
    read = packs.read_pack(pack)
    assert read.sha256 == doc["sha256"]
    by = {b.supplier: b for b in read.bids}
    assert [(f.name, f.size, f.read()) for f in by["Acme Ltd"].attachments] == [
        ("Method statement.pdf", len(pdf), pdf), ("Notes.txt", len(S.TXT), S.TXT)]
    assert [f.read() for f in by["Cobalt Ltd"].attachments] == [docx]
    # the member's side works from it as from a JSON pack
    ret = mark(pack, [("Acme Ltd", "q1", "4", "Good")], tmp_path / "KT-return.svpack")
    assert packs.read_return(ret).pack_sha256 == read.sha256


def test_the_same_file_on_two_bids_is_one_member(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    attach(db, tmp_path, "Acme Ltd", "m.pdf", S.PDF)
    attach(db, tmp_path, "Bramble CIC", "same.pdf", S.PDF)
    pack = send(db, tmp_path, "KT")
    assert [n for n, _ in members_of(pack)] == ["pack.json", f"files/{hashlib.sha256(S.PDF).hexdigest()}"]
    assert [f.read() for b in packs.read_pack(pack).bids for f in b.attachments] == [S.PDF, S.PDF]


def test_a_pack_without_files_is_still_svdesk_pack_1_json(db: Path, tmp_path: Path) -> None:
    from tests.io import attachment_samples as S

    attach(db, tmp_path, "Acme Ltd", "prices.csv", S.CSV, "--kind", "pricing")     # pricing never travels
    raw = send(db, tmp_path, "KT").read_bytes()
    assert raw[:1] == b"{" and raw.endswith(b"}\n")
    doc = json.loads(raw)
    assert doc["format"] == "svdesk-pack/1" and all("attachments" not in b for b in doc["bids"])


def test_an_older_base64_pack_with_files_still_reads(db: Path, tmp_path: Path) -> None:
    pack, pdf, docx = _pack2(db, tmp_path)
    old = as_pack1(pack, tmp_path / "old.svpack")
    assert old.read_bytes()[:1] == b"{"
    a, b = packs.read_pack(pack), packs.read_pack(old)
    assert [f.read() for x in b.bids for f in x.attachments] == [f.read() for x in a.bids for f in x.attachments]
    assert [f.read() for x in b.bids for f in x.attachments][::2] == [pdf, docx]


def test_a_bad_pack_archive_is_refused_naming_the_file_and_member(db: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pack, pdf, _ = _pack2(db, tmp_path)
    good = members_of(pack)
    doc_name, doc_bytes = good[0]
    first_file = good[1][0]
    n = iter(range(100))

    def refused_zip(members: list[tuple[str, bytes]], *needles: str, deflate: tuple[str, ...] = ()) -> None:
        path = zip_of(tmp_path / f"bad{next(n)}.svpack", members, deflate=deflate)
        said = _refused_pack(path, str(path), *needles)
        assert "not opened" in said or "not used" in said, said

    refused_zip(good, f"{first_file}: is compressed", deflate=(first_file,))
    refused_zip(good, "pack.json: is compressed", deflate=("pack.json",))
    for extra in ("../evil", "files/x", "other.txt", "files/" + "A" * 64, "/etc/passwd", "files/../pack.json"):
        refused_zip([*good, (extra, b"x")], "is not a member of an svdesk pack")
    refused_zip([*good, good[1]], f"{first_file}: is in the archive twice")
    refused_zip([*good[1:], good[0]], "its first member is not pack.json")
    refused_zip([good[0], *good[2:]], "$.bids[0].attachments[0]", "'Method statement.pdf' is not in the archive")
    flipped = pdf.replace(b"Catalog", b"Katalog")
    refused_zip([good[0], (first_file, flipped), *good[2:]], f"{first_file}",  "does not match its SHA-256")
    refused_zip([good[0], (first_file, pdf + b" "), *good[2:]], "is 78 bytes in the archive, not the 77")
    unlisted = "files/" + hashlib.sha256(b"stowaway").hexdigest()
    refused_zip([*good, (unlisted, b"stowaway")], f"{unlisted}: is not a file any bid of the pack lists")
    edited = doc_bytes.replace(b"Library Wi-Fi", b"Library WiFi!")
    refused_zip([(doc_name, edited), *good[1:]], "pack.json: $.sha256: does not match the pack's content")
    as_json1 = json.loads(doc_bytes)
    as_json1["format"] = "svdesk-pack/1"
    as_json1["sha256"] = packs.fingerprint(as_json1)
    refused_zip([(doc_name, json.dumps(as_json1).encode()), *good[1:]], "pack.json: $.format",
                "a pack archive holds svdesk-pack/2")
    with_base64 = json.loads(doc_bytes)
    with_base64["bids"][0]["attachments"][0]["content_base64"] = base64.b64encode(pdf).decode()
    with_base64["sha256"] = packs.fingerprint(with_base64)
    refused_zip([(doc_name, json.dumps(with_base64).encode()), *good[1:]],
                "$.bids[0].attachments[0].content_base64: has no place in svdesk-pack/2")
    # the old zip bomb: a compressed pack.json of 20 MB of NULs, never unpacked
    refused_zip([("pack.json", b"\0" * (20 * 1024 * 1024))], "pack.json: is compressed", deflate=("pack.json",))
    # cut short, anywhere
    raw = pack.read_bytes()
    for cut_at in (len(raw) // 2, len(raw) - 10, 30):
        cut = tmp_path / f"cut{cut_at}.svpack"
        cut.write_bytes(raw[:cut_at])
        _refused_pack(cut, str(cut), "is a zip archive but not an svdesk pack", "not opened or unpacked")
    empty = tmp_path / "empty.svpack"
    zipfile.ZipFile(empty, "w").close()
    _refused_pack(empty, str(empty), "is a zip archive but not an svdesk pack", "not opened")
    # JSON that says svdesk-pack/2 is not an archive
    json2 = tmp_path / "json2.svpack"
    json2.write_text(json.dumps({**as_json1, "format": "svdesk-pack/2"}), encoding="utf-8")
    _refused_pack(json2, "$.format", "says svdesk-pack/2, which is a zip archive, but this file is JSON text")
    # a member claiming more bytes than the file has (a forged directory): refused from the directory alone
    forged = bytearray(raw)
    at = forged.rfind(b"PK\x01\x02")                         # the last file's directory entry
    forged[at + 20:at + 28] = (10**9).to_bytes(4, "little") * 2        # compress_size, file_size
    (tmp_path / "forged.svpack").write_bytes(bytes(forged))
    _refused_pack(tmp_path / "forged.svpack", "claim", "not opened")
    # an encryption flag on a member (its directory entry), refused before anything is read
    locked = bytearray(raw)
    at = int.from_bytes(raw[-22 + 16:-22 + 20], "little")      # the directory's start: pack.json's entry
    assert locked[at + 46:at + 55] == b"pack.json"
    locked[at + 8] |= 0x1
    (tmp_path / "locked.svpack").write_bytes(bytes(locked))
    _refused_pack(tmp_path / "locked.svpack", "pack.json: is encrypted", "not opened")
    # too large, checked by its size on disk before it is opened
    monkeypatch.setattr(packs, "MAX_PACK_ARCHIVE_BYTES", len(raw) - 1)
    _refused_pack(pack, str(pack), "is too large to be an svdesk pack", f"the limit is {len(raw) - 1:,}",
                  "not opened")
    monkeypatch.undo()
    assert packs.read_pack(pack).bids


def test_a_pack_archive_given_as_a_return_is_refused_unopened(db: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    pack, _, _ = _pack2(db, tmp_path)
    refused(db, capsys, pack, "is a zip archive, not an svdesk return", "not opened or unpacked")
    with pytest.raises(packs.PackError, match="is a zip archive, not an svdesk return"):
        packs.read_return(pack)


def test_a_file_changed_on_disk_after_the_pack_was_opened_is_refused_when_opened(db: Path, tmp_path: Path) -> None:
    pack, pdf, _ = _pack2(db, tmp_path)
    opened = packs.read_pack(pack)
    f = opened.bids[0].attachments[0]
    assert f.read() == pdf
    good = members_of(pack)
    # the same member, other bytes of the same size (the zip's own CRC made to match): the SHA-256 catches it
    zip_of(pack, [good[0], (good[1][0], pdf.replace(b"Catalog", b"Katalog")), *good[2:]])
    with pytest.raises(packs.PackError) as e:
        f.read()
    said = str(e.value)
    assert said.startswith(f"{pack}: {good[1][0]}: 'Method statement.pdf' cannot be opened: the pack changed on "
                           f"disk since it was opened") and "does not match its SHA-256" in said, said
    pack.write_bytes(b"gone")
    with pytest.raises(packs.PackError, match="changed on disk since it was opened"):
        f.read()
    pack.unlink()
    with pytest.raises(packs.PackError, match="changed on disk since it was opened"):
        f.read()


def test_a_damaged_pack_archive_is_always_a_one_line_refusal(db: Path, tmp_path: Path) -> None:
    """Random bytes changed anywhere (and often in the zip's directory at the end), or the file cut short: a
    PackError every time, never another exception, when read and when each file is opened."""
    import random

    pack, _, _ = _pack2(db, tmp_path)
    raw = pack.read_bytes()
    rng = random.Random(2026)
    path = tmp_path / "damaged.svpack"
    refused_ = 0
    for _ in range(400):
        m = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(m)) if rng.random() < 0.5 else len(m) - 1 - rng.randrange(400)
            m[k] = rng.randrange(256)
        if rng.random() < 0.2:
            m = m[:rng.randrange(len(m))]
        path.write_bytes(bytes(m))
        try:
            for b in packs.read_pack(path).bids:
                for f in b.attachments:
                    f.read()
        except packs.PackError as e:
            assert "\n" not in str(e) and str(e).startswith(str(path))
            refused_ += 1
    assert refused_ > 300


def test_a_file_that_changes_while_the_archive_is_written_leaves_no_pack(tmp_path: Path) -> None:
    from svdesk.domain import panel as P
    from svdesk.domain import rules
    from tests.io import attachment_samples as S

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    t = replace(t, attachments=(rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF),))
    given = iter([S.PDF, S.PDF.replace(b"Catalog", b"Katalog")])
    data, _ = packs.make_pack(t, "KT", audit_head="", attachments=lambda s, n: next(given))
    with pytest.raises(ValidationError, match="changed while the pack was written: the pack was not written"):
        packs.write_file(tmp_path / "KT.svpack", data)
    assert list(tmp_path.iterdir()) == []                  # no pack, no half-written temporary file
