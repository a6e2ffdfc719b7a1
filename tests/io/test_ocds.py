"""OCDS 1.1.5: award exports validate against the official schema; real Contracts Finder notices import."""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svdesk.domain.tender import Bid, TenderStatus
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.ocds import (
    DEFAULT_OCID_PREFIX,
    award_release_package,
    dumps_ocds,
    load_json,
    ocds_to_tender,
    ocid_prefix,
    read_ocds_file,
    write_release_package,
)
from svdesk.io.tender_file import read_tender_file
from tests.io.samples import DEMO, awarded, small_tender

D = Decimal
WHEN = datetime(2026, 12, 11, 9, 30, tzinfo=UTC)


@functools.cache
def _validator(schema_dir: Path) -> Any:
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release = json.loads((schema_dir / "release-schema.json").read_text("utf-8"))
    package = json.loads((schema_dir / "release-package-schema.json").read_text("utf-8"))
    uri = release.get("$id") or release["id"]
    registry = Registry().with_resource(uri, Resource.from_contents(release, default_specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


@pytest.fixture
def validate(shared_data: Path) -> Any:
    validator = _validator(shared_data / "ocds" / "schema-1.1.5")

    def check(doc: dict[str, Any]) -> None:
        parsed = json.loads(dumps_ocds(doc))            # what a reader of the file sees
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(parsed)]
        assert errors == []
        for rel in parsed["releases"]:                   # what the schema cannot check
            ids = {p["id"] for p in rel["parties"]}
            assert rel["buyer"]["id"] in ids
            for a in rel["awards"]:
                assert {s["id"] for s in a["suppliers"]} <= ids
                assert a.get("value", {}).get("currency", "GBP") == "GBP"
            assert rel["date"].endswith("Z")

    return check


# --- export ------------------------------------------------------------------------------------------------


def test_demo_award_validates(validate: Any) -> None:
    t = awarded(read_tender_file(DEMO))
    doc = award_release_package(t, published=WHEN)
    validate(doc)
    (rel,) = doc["releases"]
    assert rel["tag"] == ["award"] and rel["initiationType"] == "tender"
    assert rel["tender"]["awardCriteria"] == "ratedCriteria"
    assert "Price 40% (lowest price)" in rel["tender"]["awardCriteriaDetails"]
    (award,) = rel["awards"]
    assert award["status"] == "active" and award["suppliers"][0]["name"] == "Acme Networks Ltd"
    assert award["value"] == {"amount": D("540000.00"), "currency": "GBP"}
    roles = {p["name"]: p["roles"] for p in rel["parties"]}
    assert roles["Ashbourne District Council"] == ["buyer"]
    assert roles["Acme Networks Ltd"] == ["tenderer", "supplier"] and roles["Budget Links Ltd"] == ["tenderer"]
    assert rel["tender"]["value"]["amount"] == D("1000000.00")      # £200k a year × (3 + 2) years
    assert rel["ocid"] == f"{DEFAULT_OCID_PREFIX}-NET-2026-01"


def test_only_the_awarded_supplier_s_address_is_published() -> None:
    """A sole trader's address is personal data: unsuccessful tenderers are named only."""
    t = awarded(read_tender_file(DEMO))
    text = dumps_ocds(award_release_package(t, published=WHEN))
    parties = {p["name"]: p for p in json.loads(text)["releases"][0]["parties"]}
    assert parties["Acme Networks Ltd"]["address"] == {"streetAddress": "1 Fibre Way, Reading RG1 1AA"}
    for b in t.bids:
        if b.supplier != "Acme Networks Ltd":
            assert "address" not in parties[b.supplier] and b.address and b.address not in text


def test_amounts_are_exact_json_numbers() -> None:
    text = dumps_ocds(award_release_package(awarded(read_tender_file(DEMO)), published=WHEN))
    assert '"amount": 540000.00,' in text
    assert json.loads(text, parse_float=D)["releases"][0]["awards"][0]["value"]["amount"] == D("540000.00")


def test_pending_award_before_the_decision_and_stable_ids() -> None:
    t = small_tender()
    a = award_release_package(t, published=WHEN)
    b = award_release_package(t, published=datetime(2027, 1, 1, tzinfo=UTC))
    assert a["releases"][0]["awards"][0]["status"] == "pending"
    assert a["releases"][0]["tender"]["status"] == "active"
    # Defect 12 (issue 15): a release is its content *at its date*. The same export at the same moment is the
    # same release; re-exported later it is a new release (a new id and package uri), so a record holding both
    # meets the schema's uniqueness rules.
    assert award_release_package(t, published=WHEN)["releases"][0]["id"] == a["releases"][0]["id"]
    assert a["releases"][0]["id"] != b["releases"][0]["id"] and a["uri"] != b["uri"]
    c = award_release_package(replace(t, title="Library Wi-Fi and broadband"), published=WHEN)
    assert c["releases"][0]["id"] != a["releases"][0]["id"]


def test_ocid_prefix_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ocid_prefix() == DEFAULT_OCID_PREFIX
    monkeypatch.setenv("SVDESK_OCID_PREFIX", "ocds-abc123")
    assert award_release_package(small_tender(), published=WHEN)["releases"][0]["ocid"] == "ocds-abc123-ICT-2026-07"
    assert ocid_prefix("ocds-zzz999") == "ocds-zzz999"
    with pytest.raises(ValidationError, match="not an ocid prefix"):
        ocid_prefix("my council")


def test_what_cannot_be_published() -> None:
    t = small_tender()
    with pytest.raises(ValidationError, match="no buyer"):
        award_release_package(replace(t, buyer=" "))
    with pytest.raises(ValidationError, match="cancelled"):
        award_release_package(replace(t, status=TenderStatus.CANCELLED))
    with pytest.raises(ValidationError, match="no ranked bid"):
        award_release_package(replace(t, bids=()))
    twin = replace(t.bids[0], supplier="Twin Ltd")
    with pytest.raises(ValidationError, match="tie for first place"):
        award_release_package(replace(t, bids=(t.bids[0], twin)))


_names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_names, min_size=1, max_size=5, unique_by=str.casefold),
    prices=st.lists(st.decimals(min_value=1, max_value=10**9, places=2), min_size=5, max_size=5),
    dates=st.dictionaries(st.sampled_from(["bids_due", "award_decision", "contract_start", "contract_end",
                                           "clarification_deadline"]), st.dates(date(2000, 1, 1), date(2100, 1, 1))),
    status=st.sampled_from([TenderStatus.EVALUATION, TenderStatus.AWARDED, TenderStatus.CLOSED]),
    value=st.none() | st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_any_scorable_tender_exports_valid_ocds(
    validate: Any, names: list[str], prices: list[D], dates: dict[str, date], status: TenderStatus,
    value: D | None,
) -> None:
    base = small_tender()
    bids = tuple(Bid(n, price=p, scores={"q1": D(3), "sv1": D(5)}) for n, p in zip(names, prices, strict=False))
    t = replace(base, bids=bids, key_dates=dates, status=status, annual_value=value, description="")
    try:
        doc = award_release_package(t, published=WHEN)
    except ValidationError as e:            # equal prices tie
        assert "tie" in e.message
        return
    validate(doc)


def test_export_then_import_round_trip(tmp_path: Path) -> None:
    t = awarded(read_tender_file(DEMO))
    path = write_release_package(t, tmp_path / "award.json", published=WHEN)
    got = read_ocds_file(path, reference="NET-COPY")
    assert got.kind == "release package"
    assert got.tender.title == t.title and got.tender.buyer == t.buyer and got.value == D("1000000.00")
    assert got.tender.reference == "NET-COPY" and got.tender.status is TenderStatus.DRAFT
    # Defect 10: every tenderer comes back (the winner first, with its price), not only the winner.
    assert got.tender.bids[0].supplier == "Acme Networks Ltd"
    assert sorted(b.supplier for b in got.tender.bids) == sorted(b.supplier for b in t.bids)
    assert got.tender.bids[0].price == D("540000.00")
    assert got.tender.key_dates["award_decision"] == date(2026, 12, 10)
    assert got.tender.key_dates["contract_start"] == date(2027, 4, 1)


# --- import: the real Contracts Finder files ------------------------------------------------------------------


def _cf_files(shared_data: Path) -> list[Path]:
    folder = shared_data / "ocds" / "contracts-finder-2016"
    files = sorted(folder.glob("releases/*.json")) + sorted(folder.glob("records/*.json"))
    assert len(files) == 32, "expected 21 releases and 11 records"
    return files


def _tidy(text: str) -> str:
    return " ".join(text.split())


def test_every_contracts_finder_file_imports_with_title_buyer_and_value(shared_data: Path) -> None:
    for path in _cf_files(shared_data):
        raw = json.loads(path.read_text("utf-8"))
        release = raw.get("compiledRelease", raw)
        got = read_ocds_file(path)
        t = got.tender
        assert t.title == _tidy(release["tender"]["title"]), path.name
        assert t.buyer == _tidy(release["buyer"]["name"]), path.name
        amount = D(str(release["tender"]["value"]["amount"]))
        assert got.value == amount, path.name
        assert t.whole_life_value == amount or any("whole number of pence" in w for w in got.warnings), path.name
        assert t.whole_life_value is not None and abs(t.whole_life_value - amount) < t.term_years * D("0.01")
        assert t.reference == raw.get("ocid", release["ocid"]) and t.status is TenderStatus.DRAFT
        assert got.kind == ("record" if "compiledRelease" in raw else "release")
        assert "bids_due" in t.key_dates and "contract_start" in t.key_dates
        assert got.items and all(isinstance(i.id, str) for i in got.items)     # integer ids read as text
        # Defect 11: the CPV codes are classifications, not text appended to the published description.
        cpv = {str(i["classification"]["id"]) for i in release["tender"]["items"]
               if i.get("classification", {}).get("scheme") == "CPV"}
        assert cpv and cpv <= {c.id for c in t.publication.classifications}, path.name
        assert "Imported from" not in t.description and "Imported from" in got.notes
        assert any("stray spaces" in w for w in got.warnings)


def test_contracts_finder_term_and_dates(shared_data: Path) -> None:
    folder = shared_data / "ocds" / "contracts-finder-2016" / "releases"
    (path,) = folder.glob("ocds-b5fd17-2c44d7bf-*-59437-dcc-*.json")      # Devon County Council
    got = read_ocds_file(path)
    t = got.tender
    assert t.buyer == "Devon County Council" and got.value == D(600000)
    assert (t.term_years, t.annual_value) == (3, D("200000.00"))
    assert t.key_dates["contract_start"] == date(2015, 4, 1) and t.key_dates["contract_end"] == date(2018, 3, 31)
    assert t.key_dates["bids_due"] == date(2015, 1, 14)
    assert any("blank identifier" in w for w in got.warnings)


# --- import: quirks --------------------------------------------------------------------------------------------


def release(**tender: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ocid": "ocds-b5fd17-test-1", "id": "r1", "date": "2026-01-05T10:00:00Z", "tag": ["tender"],
        "initiationType": "tender",
        "parties": [{"id": "b1", "name": "Ashbourne District Council", "roles": ["buyer"],
                     "identifier": {"scheme": "", "id": ""}}],
        "buyer": {"id": "b1"},
        "tender": {"id": "T1", "title": "Roads", "value": {"amount": 100000, "currency": "GBP"}},
    }
    base["tender"].update(tender)
    return base


def imported(doc: Any) -> Any:
    return ocds_to_tender(doc, "notice.json")


def test_html_entities_tags_and_stray_spaces() -> None:
    got = imported(release(title="  Roads &amp; bridges&nbsp;maintenance ",
                           description="<p>Gritting &amp; repairs</p><p>Second&#39;s para</p>"))
    assert got.tender.title == "Roads & bridges maintenance"
    assert got.tender.description.startswith("Gritting & repairs\nSecond's para")
    assert any("HTML entities" in w for w in got.warnings) and any("HTML markup" in w for w in got.warnings)
    assert got.tender.buyer == "Ashbourne District Council"                 # found through buyer.id → parties
    assert any("blank identifier" in w for w in got.warnings)


def test_empty_and_bad_dates_are_warnings() -> None:
    got = imported(release(tenderPeriod={"startDate": "", "endDate": "31/01/2026"},
                           contractPeriod={"startDate": None, "endDate": "2027-03-31T00:00:00+01:00"}))
    assert got.tender.key_dates == {"published": date(2026, 1, 5), "contract_end": date(2027, 3, 31)}
    assert any("was empty" in w for w in got.warnings) and any("is not a date" in w for w in got.warnings)
    assert any("no contract period" in w for w in got.warnings)


def test_extra_fields_integer_ids_lots_and_odd_types_do_not_crash() -> None:
    doc = release(items=[{"id": 1, "description": "Gritting", "classification": {"scheme": "CPV", "id": 90620000}},
                         "not an item", {"id": None}],
                  lots=[{"id": 7, "title": "North", "value": {"amount": "40000", "currency": "GBP"}},
                        {"id": "L2", "title": None, "value": {"amount": -5}}],
                  xClassifications={"isSuitableForSme": True}, milestones="none", value={"amount": True})
    doc["packageInfo"] = {"anything": [1, 2]}
    doc["parties"].append("junk")
    got = imported(doc)
    assert [i.id for i in got.items] == ["1", "2", "3"] and got.items[0].classification == "CPV 90620000"
    assert [(lot.id, lot.title, lot.value) for lot in got.lots] == [("7", "North", D("40000.00")),
                                                                   ("L2", "Lot L2", None)]
    assert got.value is None and got.tender.description == ""          # defect 11: no notes in the description
    assert [(lot.id, lot.title, lot.value) for lot in got.tender.publication.lots] == [
        ("7", "North", D("40000.00")), ("L2", "Lot L2", None)]
    assert [(c.scheme, c.id) for c in got.tender.publication.classifications] == [("CPV", "90620000")]


def test_other_currency_is_not_taken_as_pounds() -> None:
    got = imported(release(value={"amount": 5000, "currency": "EUR"}))
    assert got.value is None and got.tender.annual_value is None
    assert any("EUR" in w for w in got.warnings)


def test_package_with_tender_then_award_is_merged() -> None:
    tender = release(contractPeriod={"startDate": "2026-04-01T00:00:00Z", "endDate": "2028-03-31T00:00:00Z"})
    award = {"ocid": "ocds-b5fd17-test-1", "id": "r2", "date": "2026-03-01T00:00:00Z", "tag": ["award"],
             "initiationType": "tender",
             "parties": [{"id": "s1", "name": "Gritters Ltd", "roles": ["supplier"], "details": {"scale": "sme"}}],
             "awards": [{"id": 1, "status": "active", "date": "2026-03-01T00:00:00Z",
                         "value": {"amount": 95000.5, "currency": "GBP"}, "suppliers": [{"id": "s1"}]},
                        {"id": 2, "status": "cancelled", "suppliers": [{"name": "Gone Ltd"}]}]}
    other = dict(release(), ocid="ocds-b5fd17-other")
    package = {"uri": "x", "version": "1.1", "publishedDate": "2026-03-02T00:00:00Z", "publisher": {"name": "CF"},
               "releases": [award, tender, other]}
    got = imported(json.loads(json.dumps(package), parse_float=D))
    t = got.tender
    assert t.title == "Roads" and t.buyer == "Ashbourne District Council"     # parties merged by id
    assert [(b.supplier, b.price, b.sme) for b in t.bids] == [("Gritters Ltd", D("95000.50"), True)]
    assert t.term_years == 2 and t.annual_value == D("50000.00")
    assert t.key_dates["award_decision"] == date(2026, 3, 1) and t.key_dates["published"] == date(2026, 1, 5)
    assert any("2 contracting processes" in w for w in got.warnings)


def test_every_award_merged_into_another_bid_is_a_warning() -> None:
    """One bid per supplier (ignoring case): a second award to the same supplier is merged, and says so."""
    doc = release()
    doc["awards"] = [
        {"id": "A1", "status": "active", "value": {"amount": 50000, "currency": "GBP"},
         "suppliers": [{"name": "Gritters Ltd"}]},
        {"id": "A2", "status": "active", "value": {"amount": 20000, "currency": "GBP"},
         "suppliers": [{"name": "Gritters Ltd"}]},
        {"id": "A3", "status": "active", "value": {"amount": 7000, "currency": "GBP"},
         "suppliers": [{"name": "GRITTERS LTD"}]},
        {"id": "A4", "status": "active", "suppliers": [{"name": "Salt Co"}]},
    ]
    got = imported(doc)
    assert [(b.supplier, b.price) for b in got.tender.bids] == [("Gritters Ltd", D("50000.00")), ("Salt Co", None)]
    merged = [w for w in got.warnings if "merged" in w]
    assert len(merged) == 2
    assert "award A2 is to “Gritters Ltd”" in merged[0] and "£20,000.00 was not used" in merged[0]
    assert "award A3 is to “GRITTERS LTD”, the same supplier as “Gritters Ltd”" in merged[1]
    assert "£7,000.00 was not used" in merged[1]


def test_load_json_is_the_shared_reader() -> None:
    """Duplicate keys and nesting deep enough to exhaust Python's recursion limit are clear errors, as for a
    tender file (svdesk/io/jsonfile.py)."""
    with pytest.raises(FileFormatError, match="appears twice"):
        load_json(b'{"ocid": "a", "ocid": "b"}', "n.json")
    with pytest.raises(FileFormatError, match="nested too deeply"):
        load_json(b"[" * 100_000 + b"]" * 100_000, "n.json")


def test_reading_an_ocds_file_uses_the_shared_reader(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"ocid": "x", "releases": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(FileFormatError, match="nested too deeply") as e:
        read_ocds_file(path)
    assert str(path) in str(e.value)
    with pytest.raises(FileFormatError, match="no such file"):
        read_ocds_file(tmp_path / "missing.json")


def test_records_record_packages_and_versioned_releases() -> None:
    rel = release()
    assert imported({"records": [{"ocid": rel["ocid"], "releases": [rel]}]}).kind == "record package"
    versioned = {"ocid": rel["ocid"], "versionedRelease": {
        "ocid": rel["ocid"],
        "tender": {"title": [{"releaseID": "r1", "releaseDate": "2026-01-01", "value": "Old"},
                             {"releaseID": "r2", "releaseDate": "2026-02-01", "value": "New title"}]},
        "buyer": {"name": [{"releaseID": "r1", "releaseDate": "2026-01-01", "value": "Council"}]}}}
    got = imported(versioned)
    assert (got.kind, got.tender.title, got.tender.buyer) == ("record", "New title", "Council")
    with pytest.raises(FileFormatError, match="only links"):
        imported({"ocid": "x", "releases": [{"url": "http://x", "date": "2026-01-01", "tag": ["tender"]}]})


@pytest.mark.parametrize(("doc", "where"), [
    ({"hello": 1}, "$"), ([], "$"), ("text", "$"), ({"releases": []}, "$.releases"),
    ({"ocid": "", "tender": {}}, "$.ocid"), ({"records": []}, "$.records"),
])
def test_not_ocds_is_refused_clearly(doc: Any, where: str) -> None:
    with pytest.raises(FileFormatError) as e:
        imported(doc)
    assert e.value.where == where


def test_no_title_or_buyer_becomes_a_warning() -> None:
    doc = release(title="   ")
    doc["buyer"] = {}
    doc["parties"] = []
    got = imported(doc)
    assert got.tender.title == "Notice ocds-b5fd17-test-1" and got.tender.buyer == ""
    assert any("no title" in w for w in got.warnings) and any("no buyer" in w for w in got.warnings)


def test_bad_json_names_the_line() -> None:
    with pytest.raises(FileFormatError) as e:
        load_json(b'{\n "ocid": "x",\n oops\n}', "n.json")
    assert e.value.where.startswith("line 3")
    with pytest.raises(FileFormatError, match="NaN"):
        load_json(b'{"amount": NaN}', "n.json")
    with pytest.raises(FileFormatError, match="UTF-8"):
        load_json(b'{"t": "\xa3"}', "n.json")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.decimals(allow_nan=False, places=3),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
_paths = st.sampled_from([
    ("tender",), ("tender", "title"), ("tender", "value"), ("tender", "value", "amount"), ("tender", "items"),
    ("tender", "tenderPeriod"), ("tender", "tenderPeriod", "endDate"), ("parties",), ("buyer",), ("awards",),
    ("tender", "milestones"), ("tender", "lots"), ("ocid",), ("date",), ("tender", "description"),
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_paths, _json), max_size=4))
def test_mangled_notices_import_or_are_refused_never_crash(edits: list[tuple[tuple[str, ...], Any]]) -> None:
    doc = copy.deepcopy(release(items=[{"id": 1}], milestones=[{"title": "Contract start", "dueDate": "x"}]))
    doc["awards"] = [{"id": 1, "suppliers": [{"name": "A"}], "value": {"amount": 1}}]
    for path, value in edits:
        node: Any = doc
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node[path[-1]] = value
    try:
        got = imported(doc)
    except FileFormatError:
        return
    assert got.tender.title and got.tender.status is TenderStatus.DRAFT
