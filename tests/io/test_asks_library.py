"""The asks library: what svdesk ships, the officer's own asks, and files to share them between councils."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from svdesk.cli.main import main
from svdesk.domain import checklist as C
from svdesk.domain import negotiation as N
from svdesk.domain.values import Theme
from svdesk.errors import FileFormatError
from svdesk.io import asks_library as L
from tests.conftest import ROOT

SHIPPED = ROOT / "resources" / "asks.json"


def shipped() -> L.AsksLibrary:
    return L.read_library_file(SHIPPED)


# --- the shipped library ---------------------------------------------------------------------------------


def test_the_shipped_library_covers_every_category_and_theme() -> None:
    lib = shipped()
    assert len(lib.asks) >= 30
    assert {c for a in lib.asks for c in a.categories} >= set(C.CATEGORIES)
    assert {a.theme for a in lib.asks} == set(Theme)
    for a in lib.asks:
        assert a.question.endswith("?") and a.why and a.evidence and a.clause and a.kpi, a.id
        assert a.formula or a.how_to_value, a.id


@pytest.mark.parametrize(
    ("ask_id", "words"),
    [
        ("ict-resident-broadband-discount", "discount"),
        ("ict-free-community-broadband", "libraries and schools"),
        ("ict-digital-literacy-programme", "older and disadvantaged"),
        ("ict-public-wifi", "wi-fi"),
        ("ict-supplier-onboards-residents", "onboards"),
        ("any-local-sme-partner", "local small business"),
        ("ict-digital-skills-training", "digital skills"),
        ("energy-home-efficiency-upgrades", "energy-efficiency"),
        ("transport-resident-travel-discount", "travel discounts"),
    ],
)
def test_every_example_in_the_seed_article_is_in_the_library(ask_id: str, words: str) -> None:
    assert words in shipped().ask(ask_id).title.lower()


def test_the_broadband_discount_values_as_the_seed_describes() -> None:
    a = shipped().ask("ict-resident-broadband-discount")
    o = C.Outcome(a.id, "Acme", inputs={"households": Decimal(2000)})          # default 10% and £30 a month
    assert C.value_per_year(a, o) == Decimal("72000.00")


def test_no_third_party_measure_codes_or_proxy_values_are_shipped() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert not re.search(r"\bNT\d+|\bTOMs?\b|\bHACT\b|Social Value Portal|ECC\d+", text)


def test_every_clause_placeholder_is_an_input() -> None:
    for a in shipped().asks:
        names = {i.name for i in a.inputs}
        assert set(re.findall(r"\{(\w+)\}", a.clause)) <= names, a.id


def test_suggested_asks_for_a_category() -> None:
    ids = [a.id for a in L.suggested_asks("ict")]
    assert ids[0] == "ict-resident-broadband-discount"
    assert "any-local-sme-partner" in ids and "energy-home-efficiency-upgrades" not in ids
    assert all("any" in a.categories for a in L.suggested_asks("something-else"))


# --- files: round trip and clear errors --------------------------------------------------------------------


def test_export_then_import_round_trips(tmp_path: Path) -> None:
    lib = shipped()
    out = tmp_path / "shared.json"
    L.write_library_file(lib, out)
    assert L.read_library_file(out) == lib
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "svdesk-asks/1"


def test_the_shipped_file_is_written_the_way_svdesk_writes_it(tmp_path: Path) -> None:
    """Re-exporting loses nothing: same asks, same fields, numbers as decimal strings."""
    again = tmp_path / "again.json"
    L.write_library_file(shipped(), again)
    a = json.loads(SHIPPED.read_text(encoding="utf-8"))
    b = json.loads(again.read_text(encoding="utf-8"))
    assert a["asks"] == b["asks"]


def doc(**changes: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"format": "svdesk-asks/1", "name": "Ours", "asks": [
        {"id": "a-1", "title": "First", "theme": "skills", "categories": ["ict"], "formula": "n * 2",
         "inputs": [{"name": "n", "label": "N"}]},
        {"id": "a-2", "title": "Second", "theme": "growth"},
    ]}
    d.update(changes)
    return d


@pytest.mark.parametrize(
    ("mutate", "where", "what"),
    [
        (lambda d: d.update(format="svdesk-tender/1"), "$.format", "expected 'svdesk-asks/1'"),
        (lambda d: d.pop("asks"), "$.asks", "is missing"),
        (lambda d: d.update(asks={}), "$.asks", "must be a list"),
        (lambda d: d.update(extra=1), "$.extra", "unknown field"),
        (lambda d: d.update(name=5), "$.name", "must be text"),
        (lambda d: d["asks"].append(5), "$.asks[2]", "must be an object"),
        (lambda d: d["asks"][1].update(id="a-1"), "$.asks[1].id", "used by an earlier ask"),
        (lambda d: d["asks"][1].update(id="a 1"), "$.asks[1].id", "letters, digits"),
        (lambda d: d["asks"][1].pop("title"), "$.asks[1].title", "is missing"),
        (lambda d: d["asks"][1].update(theme="joy"), "$.asks[1].theme", "is not one of"),
        (lambda d: d["asks"][0].update(formula="n *"), "$.asks[0].formula", "missing at the end"),
        (lambda d: d["asks"][0].update(formula="m * 2"), "$.asks[0].formula", "not a declared input"),
        (lambda d: d["asks"][0]["inputs"][0].update(name="n-1"), "$.asks[0].inputs[0].name", "start with a letter"),
        (lambda d: d["asks"][0]["inputs"][0].update(default="NaN"), "$.asks[0].inputs[0].default", "finite"),
        (lambda d: d["asks"][0].update(categories="ict"), "$.asks[0].categories", "must be a list"),
        (lambda d: d["asks"][0].update(outcomes=[]), "$.asks[0].outcomes", "unknown field"),
        (lambda d: d["asks"][0].update(reporting="weekly"), "$.asks[0].reporting", "is not one of"),
    ],
)
def test_malformed_library_files_name_file_path_and_problem(tmp_path: Path, mutate, where: str, what: str) -> None:  # type: ignore[no-untyped-def]
    d = doc()
    mutate(d)
    p = tmp_path / "lib.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(FileFormatError) as e:
        L.read_library_file(p)
    assert (e.value.path, e.value.where) == (str(p), where)
    assert what in e.value.message
    assert str(p) in str(e.value)


@pytest.mark.parametrize(
    ("content", "what"),
    [(b"{not json", "is not valid JSON"), (b"\xff\xfe\x00", "not UTF-8"), (b"[]", "must be an object"),
     (b'{"format": "svdesk-asks/1", "format": "x"}', "appears twice")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, what: str) -> None:
    p = tmp_path / "lib.json"
    p.write_bytes(content)
    with pytest.raises(FileFormatError, match=what):
        L.read_library_file(p)
    with pytest.raises(FileFormatError, match="no such file"):
        L.read_library_file(tmp_path / "missing.json")


# --- the officer's own asks merged with the shipped ones -------------------------------------------------


def test_import_merges_into_my_library_and_mine_win(tmp_path: Path) -> None:
    base = shipped().ask("ict-public-wifi")
    edited = N.replace_ask(base, {"question": "Will you cover the seafront too?"})
    theirs = L.AsksLibrary("Neighbour DC", "", (edited, C.Ask("nbr-1", "Neighbour ask", Theme.INNOVATION)))
    f = tmp_path / "neighbour.json"
    L.write_library_file(theirs, f)

    r = L.import_library(f)
    assert r.added == ("ict-public-wifi", "nbr-1") and r.replaced == ()
    assert r.path == L.user_library_path() and r.path.exists()
    entries = {e.ask.id: e for e in L.library_entries()}
    assert entries["ict-public-wifi"].ask.question == "Will you cover the seafront too?"
    assert entries["ict-public-wifi"].source is L.AskSource.MINE and entries["ict-public-wifi"].replaces_shipped
    assert entries["nbr-1"].source is L.AskSource.MINE
    assert len(L.load_library()) == len(shipped().asks) + 1

    again = L.import_library(f)
    assert again.added == () and again.replaced == () and set(again.unchanged) == {"ict-public-wifi", "nbr-1"}

    L.delete_my_ask("ict-public-wifi")
    assert {e.ask.id: e for e in L.library_entries()}["ict-public-wifi"].ask == base


def test_importing_the_shipped_asks_copies_nothing(tmp_path: Path) -> None:
    f = tmp_path / "all.json"
    L.export_library(f)
    r = L.import_library(f)
    assert r.added == () and len(r.unchanged) == len(shipped().asks)
    assert not L.user_library_path().exists()


def test_a_bad_import_changes_nothing(tmp_path: Path) -> None:
    L.save_my_ask(C.Ask("mine-1", "Mine", Theme.SKILLS))
    before = L.user_library_path().read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc(asks=[{"id": "x", "title": "X", "theme": "nope"}])), encoding="utf-8")
    with pytest.raises(FileFormatError):
        L.import_library(bad)
    assert L.user_library_path().read_bytes() == before


def test_export_mine_only(tmp_path: Path) -> None:
    L.save_my_ask(C.Ask("mine-1", "Mine", Theme.SKILLS))
    out = tmp_path / "mine.json"
    lib = L.export_library(out, mine_only=True, name="Fenwick BC")
    assert [a.id for a in lib.asks] == ["mine-1"]
    assert L.read_library_file(out).name == "Fenwick BC"


# --- the command line --------------------------------------------------------------------------------------


def test_cli_list_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["asks", "list", "--category", "energy"]) == 0
    out = capsys.readouterr().out
    assert "energy-home-efficiency-upgrades" in out and "ict-public-wifi" not in out
    assert main(["asks", "list", "--theme", "innovation"]) == 0
    assert "any-innovation-pilot" in capsys.readouterr().out

    f = tmp_path / "lib.json"
    L.write_library_file(L.AsksLibrary("X", "", (C.Ask("x-1", "Extra ask", Theme.GROWTH),)), f)
    assert main(["asks", "import", str(f)]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main(["asks", "list"]) == 0
    assert re.search(r"^\* x-1 ", capsys.readouterr().out, re.M)

    out_file = tmp_path / "export.json"
    assert main(["asks", "export", "--out", str(out_file)]) == 0
    assert any(a.id == "x-1" for a in L.read_library_file(out_file).asks)


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["asks", "list", "--category", "spaceships"]) == 2
    err = capsys.readouterr().err
    assert "unknown category" in err and "Traceback" not in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "svdesk-asks/1", "asks": [{"id": "a", "title": "A", "theme": "joy"}]}')
    assert main(["asks", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: $.asks[0].theme: 'joy' is not one of" in err and len(err.strip().splitlines()) == 1
    assert main(["asks", "export", "--out", str(tmp_path / "no" / "such" / "dir.json")]) == 2
