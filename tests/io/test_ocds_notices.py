"""Issue 15: Procurement Act 2023 notices (UK6, UK7) in UK OCDS, the defects of the OCDS round trip, and validation
against the 1.1.5 schema with the UK extension and its dependencies (offline, from ../shared/data/ocds)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from svdesk.domain.calendar import Nation, standstill_end
from svdesk.domain.publication import Address, Classification, Publication
from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender, TenderStatus, set_key_date
from svdesk.errors import FileFormatError, ValidationError
from svdesk.io.ocds import (
    NoticeIncompleteError,
    assign_identities,
    award_release_package,
    dumps_ocds,
    make_ocid,
    ocds_to_tender,
    read_ocds_file,
    release_package,
)
from svdesk.io.tender_file import dumps, read_tender_file, read_tender_text, tender_to_document
from tests.io.ocds_check import schema_errors, uk_release_schema, undeclared_fields
from tests.io.samples import DEMO, awarded, small_tender

D = Decimal
WHEN = datetime(2026, 12, 11, 9, 30, tzinfo=UTC)
LATER = datetime(2027, 5, 3, 14, 0, tzinfo=UTC)


OTHER_EXTENSION_FIELDS = {"/parties/details/scale", "/tender/lots", "/awards/relatedLots"}


def unidentified(t: Tender) -> Tender:
    """The tender with no supplier identifiers or email addresses (the demo carries them for the papers)."""
    return replace(t, bids=tuple(replace(b, email="", cdp_id="", companies_house="", charity_number="")
                                 for b in t.bids))


def ready(t: Tender | None = None) -> Tender:
    """The demo network tender, awarded, with everything the notices need (and only the identifiers set here)."""
    t = awarded(unidentified(t or read_tender_file(DEMO)))
    bids = tuple(replace(b, cdp_id="PABC-1234-DEFG", companies_house="01234567", email="bids@acme.example")
                 if b.supplier == "Acme Networks Ltd" else
                 replace(b, charity_number="SC012345") if b.supplier == "Dales Digital CIC" else b
                 for b in t.bids)
    pub = Publication(
        buyer_scheme="GB-PPON", buyer_id="PXYZ-9876-ABCD",
        buyer_address=Address("Town Hall, Market Place", "Ashbourne", "Derbyshire", "DE6 1ES"),
        buyer_contact_name="Priya Shah", buyer_email="procurement@ashbourne.example",
        supplier_addresses={"Acme Networks Ltd": Address("1 Fibre Way", "Reading", "Berkshire", "RG1 1AA")},
        classifications=(Classification("CPV", "72400000", "Internet services"),
                         Classification("CPV", "32412110", "Internet network")),
        method="open", main_category="services", above_threshold=True,
    )
    t = replace(t, bids=bids, publication=pub)
    for k, v in {"assessment_summaries_sent": date(2026, 12, 10), "award_notice": date(2026, 12, 10),
                 "contract_signed": date(2026, 12, 23), "contract_end": date(2030, 3, 31)}.items():
        t = set_key_date(t, k, v)
    return t


@pytest.fixture
def ocds(shared_data: Path) -> Path:
    return shared_data / "ocds"


def _valid(doc: dict[str, Any], ocds: Path) -> dict[str, Any]:
    """The package as a reader sees it, checked against the extended schema; no undeclared field except those of
    the two extensions the package declares beyond the UK set and that are not in ../shared/data (partyScale:
    ``details.scale``, Find a Tender's SME flag; lots: ``tender.lots``, ``awards.relatedLots``)."""
    parsed = json.loads(dumps_ocds(doc))
    assert schema_errors(parsed, ocds) == []
    schema = uk_release_schema(ocds)
    for rel in parsed["releases"]:
        extra = [f for f in undeclared_fields(rel, schema) if f not in OTHER_EXTENSION_FIELDS]
        assert extra == []
        if any(f.startswith("/tender/lots") for f in undeclared_fields(rel, schema)):
            assert any("ocds_lots_extension" in e for e in parsed.get("extensions", []))
    return parsed


# --- the notices -----------------------------------------------------------------------------------------------


def test_contract_award_notice_uk6(ocds: Path) -> None:
    doc = _valid(release_package(ready(), notice="UK6", published=WHEN), ocds)
    assert doc["license"].startswith("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3")
    assert doc["publicationPolicy"].startswith("https://")
    assert doc["publisher"] == {"name": "Ashbourne District Council", "scheme": "GB-PPON", "uid": "PXYZ-9876-ABCD"}
    assert any("ocds_uk_extension" in e for e in doc["extensions"]) and len(doc["extensions"]) == 11
    (rel,) = doc["releases"]
    assert rel["tag"] == ["award"]
    (award,) = rel["awards"]
    assert award["standstillPeriod"] == {"startDate": "2026-12-10T00:00:00+00:00",
                                         "endDate": "2026-12-21T23:59:59+00:00"}
    assert standstill_end(date(2026, 12, 10)) == date(2026, 12, 21)       # Thursday + 8 working days
    assert award["assessmentSummariesDateSent"] == "2026-12-10T00:00:00+00:00"
    assert award["documents"][0]["noticeType"] == "UK6" and award["documents"][0]["documentType"] == "awardNotice"
    tender = rel["tender"]
    assert tender["aboveThreshold"] is True and tender["procurementMethod"] == "open"
    assert "Procurement Act 2023" in tender["procurementMethodDetails"]
    assert tender["mainProcurementCategory"] == "services"
    assert [i["classification"]["id"] for i in tender["items"]] == ["72400000", "32412110"]
    parties = {p["name"]: p for p in rel["parties"]}
    buyer = parties["Ashbourne District Council"]
    assert buyer["identifier"] == {"scheme": "GB-PPON", "id": "PXYZ-9876-ABCD",
                                   "legalName": "Ashbourne District Council"}
    assert buyer["address"] == {"streetAddress": "Town Hall, Market Place", "locality": "Ashbourne",
                                "region": "Derbyshire", "postalCode": "DE6 1ES", "countryName": "United Kingdom"}
    assert buyer["contactPoint"] == {"name": "Priya Shah", "email": "procurement@ashbourne.example"}
    acme = parties["Acme Networks Ltd"]
    assert acme["identifier"]["scheme"] == "GB-PPON" and acme["id"] == "GB-PPON-PABC-1234-DEFG"
    assert acme["additionalIdentifiers"] == [{"scheme": "GB-COH", "id": "01234567"}]
    assert acme["address"]["postalCode"] == "RG1 1AA" and acme["details"] == {"scale": "large", "vcse": False}
    dales = parties["Dales Digital CIC"]
    assert dales["identifier"]["scheme"] == "GB-SC" and dales["details"] == {"scale": "sme", "vcse": True}
    assert "address" not in dales


def test_contract_details_notice_uk7(ocds: Path) -> None:
    doc = _valid(release_package(ready(), notice="UK7", published=LATER), ocds)
    (rel,) = doc["releases"]
    assert rel["tag"] == ["contract"]
    (contract,) = rel["contracts"]
    assert contract["awardID"] == rel["awards"][0]["id"] and contract["status"] == "active"
    assert contract["dateSigned"] == "2026-12-23T00:00:00+00:00"
    assert contract["value"] == {"amount": 540000.00, "currency": "GBP"}
    assert contract["period"]["startDate"] == "2027-04-01T00:00:00+01:00"        # British Summer Time
    assert contract["period"]["endDate"] == "2030-03-31T23:59:59+01:00"
    assert contract["period"]["maxExtentDate"] == "2032-03-31T23:59:59+01:00"   # 2 years' extension
    assert contract["period"]["durationInMonths"] == 36
    assert contract["documents"][0]["noticeType"] == "UK7"


def test_a_notice_the_tender_cannot_fill_lists_everything_missing() -> None:
    t = awarded(unidentified(read_tender_file(DEMO)))
    with pytest.raises(NoticeIncompleteError) as e:
        release_package(t, notice="UK6", published=WHEN)
    missing = e.value.missing
    for needed in ("the council's identifier", "at least one CPV code", "the main procurement category",
                   "the procurement method", "whether the contract is above the threshold",
                   "assessment summaries sent", "an identifier of Acme Networks Ltd"):
        assert any(needed in m for m in missing), needed
    assert e.value.message.startswith("UK6 for NET-2026-01 cannot be published yet; missing: ")
    with pytest.raises(NoticeIncompleteError, match="contract entered into"):
        release_package(replace(ready(), key_dates={k: v for k, v in ready().key_dates.items()
                                                    if k != "contract_signed"}), notice="UK7")
    early = set_key_date(ready(), "contract_signed", date(2026, 12, 18))      # inside the standstill
    with pytest.raises(NoticeIncompleteError, match="after the standstill"):
        release_package(early, notice="UK7")
    with pytest.raises(NoticeIncompleteError, match="not awarded yet"):
        release_package(replace(ready(), status=TenderStatus.EVALUATION), notice="UK6")
    with pytest.raises(ValidationError, match="UK6 or UK7"):
        release_package(ready(), notice="UK9")


def test_below_threshold_gets_the_contract_details_notice_without_an_award_notice(ocds: Path) -> None:
    t = ready()
    t = replace(t, publication=replace(t.publication, above_threshold=False),
                key_dates={k: v for k, v in t.key_dates.items()
                           if k not in ("award_notice", "assessment_summaries_sent")})
    doc = _valid(release_package(t, notice="UK7", published=LATER), ocds)
    assert doc["releases"][0]["contracts"][0]["aboveThreshold"] is False
    with pytest.raises(NoticeIncompleteError, match="below-threshold contract needs no contract award notice"):
        release_package(t, notice="UK6")


def test_scottish_council_standstill_uses_scottish_bank_holidays() -> None:
    t = ready()
    t = set_key_date(replace(t, publication=replace(t.publication, nation=Nation.SCOTLAND)), "award_notice",
                     date(2026, 11, 27))
    (award,) = release_package(t, notice="UK6", published=WHEN)["releases"][0]["awards"]
    assert award["standstillPeriod"]["endDate"] == "2026-12-09T23:59:59+00:00"   # St Andrew's Day skipped


# --- defects 1–13 -----------------------------------------------------------------------------------------------


def test_defect_1_an_imported_ocid_is_not_prefixed_again() -> None:
    t = replace(small_tender(), reference="ocds-abc123-WIFI-2027-03-AWD")
    assert make_ocid(t, "ocds-abc123") == "ocds-abc123-WIFI-2027-03-AWD"
    got = ocds_to_tender({"ocid": "ocds-b5fd17-raw-1", "tender": {"title": "X"}}, "n.json", reference="MY-REF")
    assert make_ocid(got.tender, "ocds-zzz999") == "ocds-b5fd17-raw-1"


def test_defect_2_references_differing_only_in_punctuation_get_different_ocids() -> None:
    a, b = replace(small_tender(), reference="NET-2026-01"), replace(small_tender(), reference="NET/2026/01")
    assert make_ocid(a) != make_ocid(b)
    assert make_ocid(a) == "ocds-local-unregistered-NET-2026-01"
    award = award_release_package(awarded(b), published=WHEN)["releases"][0]["awards"][0]["id"]
    assert award != award_release_package(awarded(a), published=WHEN)["releases"][0]["awards"][0]["id"]
    # Once published, renaming the reference does not move the ocid.
    kept = assign_identities(a, "ocds-abc123")
    assert make_ocid(replace(kept, reference="NET-2026-01-RENAMED")) == "ocds-abc123-NET-2026-01"
    # A placeholder ocid is never kept: the registered prefix applies once it is set.
    assert assign_identities(a).publication.ocid == ""


def test_defect_3_party_ids_survive_removing_a_bid(ocds: Path, tmp_path: Path) -> None:
    t = assign_identities(ready())
    first = release_package(t, published=WHEN)
    t2 = replace(t, bids=tuple(b for b in t.bids if b.supplier != "Northern Telecom plc"))
    second = release_package(t2, published=LATER)
    ids1 = {p["name"]: p["id"] for p in first["releases"][0]["parties"]}
    ids2 = {p["name"]: p["id"] for p in second["releases"][0]["parties"]}
    assert all(ids1[n] == i for n, i in ids2.items())
    assert len(set(ids1.values())) == len(ids1)
    # ocdskit compile of the two exports: one record, each party once, tenderers agreeing with the count.
    record = _compile(tmp_path, ocds, first, second)
    compiled = record["compiledRelease"]
    names = [p["name"] for p in compiled["parties"]]
    assert sorted(names) == sorted(set(names))
    assert compiled["tender"]["numberOfTenderers"] == 3
    # OCDS merges arrays of objects by id, so a tenderer removed after an export stays in the compiled list
    # (the standard has no way to delete it); with stable ids it is the right supplier, listed once.
    tenderers = [x["name"] for x in compiled["tender"]["tenderers"]]
    assert sorted(tenderers) == sorted(b.supplier for b in t.bids)


def test_defect_4_price_only() -> None:
    t = replace(small_tender(), criteria=(Criterion("price", "Price", CriterionKind.PRICE, D(100),
                                                    method="lowest_price"),),
                bids=tuple(replace(b, scores={}, commitments=()) for b in small_tender().bids))
    assert award_release_package(t, published=WHEN)["releases"][0]["tender"]["awardCriteria"] == "priceOnly"
    assert award_release_package(small_tender(), published=WHEN)["releases"][0]["tender"]["awardCriteria"] == \
        "ratedCriteria"


def _framework_notice() -> dict[str, Any]:
    return {
        "ocid": "ocds-b5fd17-fw-1", "id": "r1", "date": "2026-03-01T10:00:00Z", "tag": ["award"],
        "initiationType": "tender",
        "parties": [
            {"id": "b1", "name": "Ashbourne District Council", "roles": ["buyer"],
             "identifier": {"scheme": "GB-PPON", "id": "PXYZ-9876-ABCD"}},
            {"id": "s1", "name": "Gritters Ltd", "roles": ["supplier"], "details": {"sme": True, "vco": False},
             "identifier": {"scheme": "GB-COH", "id": "01234567"}},
            {"id": "s2", "name": "Salt Co-operative", "roles": ["supplier"], "details": {"sme": False, "vco": True},
             "identifier": {"scheme": "GB-CHC", "id": "1123456"},
             "additionalIdentifiers": [{"scheme": "GB-PPON", "id": "PSAL-0001-TTTT"}]},
        ],
        "buyer": {"id": "b1"},
        "tender": {"id": "T1", "title": "Winter roads framework", "value": {"amount": 0, "currency": "GBP"},
                   "minValue": {"amount": 100000, "currency": "GBP"},
                   "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "90620000",
                                                           "description": "Snow-clearing services"}}],
                   "lots": [{"id": "L1", "title": "North"}, {"id": "L2", "title": "South"}],
                   "contractPeriod": {"startDate": "2026-04-01T00:00:00Z", "endDate": "2029-03-31T23:59:59Z"}},
        "awards": [{"id": "A1", "status": "active", "date": "2026-03-01T00:00:00Z", "relatedLots": ["L1"],
                    "value": {"amount": 5800000, "currency": "GBP"},
                    "suppliers": [{"id": "s1", "name": "Gritters Ltd"}, {"id": "s2", "name": "Salt Co-operative"}]},
                   {"id": "A2", "status": "active", "relatedLots": ["L2"], "value": {"amount": 70000,
                                                                                    "currency": "GBP"},
                    "suppliers": [{"id": "s2", "name": "Salt Co-operative"}]}],
    }


def test_defect_5_several_suppliers_in_one_award_round_trip(ocds: Path) -> None:
    got = ocds_to_tender(_framework_notice(), "fw.json")
    t = got.tender
    assert t.publication.framework
    lots = {lot.id: lot for lot in t.publication.lots}
    assert lots["L1"].value == D("5800000.00") and lots["L1"].suppliers == ("Gritters Ltd", "Salt Co-operative")
    assert got.awarded_value == D("5870000.00")
    out = award_release_package(replace(t, status=TenderStatus.AWARDED), published=WHEN)
    awards = {a["relatedLots"][0]: a for a in out["releases"][0]["awards"]}
    assert [s["name"] for s in awards["L1"]["suppliers"]] == ["Gritters Ltd", "Salt Co-operative"]
    assert awards["L1"]["value"]["amount"] == D("5800000.00")
    _valid(out, ocds)


def test_defect_6_values_kept_exactly() -> None:
    got = ocds_to_tender(_framework_notice(), "fw.json")
    assert any("£0.00" in w and "not recorded" in w for w in got.warnings)         # tender.value 0
    assert got.value == D("100000.00") and any("minimum value" in w for w in got.warnings)
    doc = {"ocid": "ocds-b5fd17-v", "tender": {"title": "Big", "value": {"amount": 5800000, "currency": "GBP"},
                                                "contractPeriod": {"startDate": "2026-01-01", "endDate": "2028-12-31"}}}
    t = ocds_to_tender(doc, "v.json").tender
    assert t.term_years == 3
    out = award_release_package
    assert t.publication.contract_value == D("5800000.00")
    from svdesk.domain.tender import update_details

    assert update_details(t, title="Renamed").publication.contract_value == D("5800000.00")
    assert update_details(t, term_years=4).publication.contract_value is None    # the officer's value now
    t = replace(t, buyer="Council", status=TenderStatus.AWARDED, bids=(Bid("A", price=D(1)),),
                criteria=(Criterion("price", "Price", CriterionKind.PRICE, D(100), method="lowest_price"),))
    assert out(t, published=WHEN)["releases"][0]["tender"]["value"]["amount"] == D("5800000.00")


def test_defect_7_and_8_sme_vcse_and_identifiers_come_in_and_go_out(ocds: Path) -> None:
    t = ocds_to_tender(_framework_notice(), "fw.json").tender
    bids = {b.supplier: b for b in t.bids}
    assert (bids["Gritters Ltd"].sme, bids["Gritters Ltd"].vcse) == (True, False)
    assert (bids["Salt Co-operative"].sme, bids["Salt Co-operative"].vcse) == (False, True)
    assert bids["Gritters Ltd"].companies_house == "01234567"
    assert (bids["Salt Co-operative"].charity_number, bids["Salt Co-operative"].cdp_id) == ("1123456",
                                                                                           "PSAL-0001-TTTT")
    assert (t.publication.buyer_scheme, t.publication.buyer_id) == ("GB-PPON", "PXYZ-9876-ABCD")
    out = award_release_package(replace(t, status=TenderStatus.AWARDED), published=WHEN)
    parties = {p["name"]: p for p in out["releases"][0]["parties"]}
    assert parties["Salt Co-operative"]["details"] == {"scale": "large", "vcse": True}
    assert parties["Salt Co-operative"]["identifier"] == {"scheme": "GB-PPON", "id": "PSAL-0001-TTTT",
                                                          "legalName": "Salt Co-operative"}
    assert parties["Salt Co-operative"]["additionalIdentifiers"] == [{"scheme": "GB-CHC", "id": "1123456"}]
    assert parties["Ashbourne District Council"]["identifier"]["id"] == "PXYZ-9876-ABCD"


def test_defect_9_two_names_in_one_award_are_not_an_earlier_award() -> None:
    doc = _framework_notice()
    doc["awards"] = [{"id": "A1", "status": "active", "suppliers": [{"name": "Gritters Ltd"},
                                                                    {"name": "GRITTERS LTD"}]}]
    got = ocds_to_tender(doc, "fw.json")
    assert not any("earlier award" in w for w in got.warnings)
    assert any("award A1 names" in w and "twice" in w for w in got.warnings)


def test_defect_10_own_export_survives_own_import(tmp_path: Path) -> None:
    t = ready()
    path = tmp_path / "award.json"
    path.write_text(dumps_ocds(award_release_package(t, published=WHEN)), "utf-8")
    got = read_ocds_file(path, reference="NET-COPY")
    assert not any("no contract period" in w for w in got.warnings)
    back = got.tender
    assert back.term_years == t.term_years
    assert back.key_dates["published"] == date(2026, 9, 1)                  # the tender's start, not the export day
    assert back.key_dates["contract_start"] == date(2027, 4, 1)
    assert sorted(b.supplier for b in back.bids) == sorted(b.supplier for b in t.bids)
    assert {b.supplier: b.sme for b in back.bids} == {b.supplier: b.sme for b in t.bids}
    assert back.bid("Acme Networks Ltd").cdp_id == "PABC-1234-DEFG"
    assert back.publication.classifications == t.publication.classifications


def test_defect_11_import_notes_are_not_published() -> None:
    got = ocds_to_tender(_framework_notice(), "fw.json")
    assert "Imported from" not in got.tender.description and "Imported from" in got.notes
    assert [c.id for c in got.tender.publication.classifications] == ["90620000"]
    out = award_release_package(replace(got.tender, status=TenderStatus.AWARDED), published=WHEN)
    assert "description" not in out["releases"][0]["tender"]
    assert out["releases"][0]["tender"]["items"][0]["classification"]["id"] == "90620000"


def test_defect_12_a_record_of_two_exports_is_valid(ocds: Path, tmp_path: Path) -> None:
    t = assign_identities(ready())
    a, b = (award_release_package(t, published=w) for w in (WHEN, LATER))
    assert a["releases"][0]["id"] != b["releases"][0]["id"]
    record = _compile(tmp_path, ocds, a, b)
    package = {"uri": "urn:test", "version": "1.1", "publishedDate": "2027-05-03T14:00:00Z",
               "publisher": {"name": "Ashbourne District Council"},
               "packages": [a["uri"], b["uri"]], "records": [record]}
    assert schema_errors(json.loads(dumps_ocds(package)), ocds, record=True) == []


def test_defect_13_times_in_europe_london_and_no_award_from_the_future() -> None:
    t = ready()
    rel = award_release_package(t, published=WHEN)["releases"][0]
    assert rel["tender"]["tenderPeriod"] == {"startDate": "2026-09-01T00:00:00+01:00",
                                             "endDate": "2026-10-15T23:59:59+01:00"}
    assert rel["awards"][0]["date"] == "2026-12-10T00:00:00+00:00"
    early = award_release_package(replace(t, status=TenderStatus.EVALUATION),
                                  published=datetime(2026, 11, 1, tzinfo=UTC))["releases"][0]
    assert "date" not in early["awards"][0] and early["awards"][0]["status"] == "pending"


# --- bad input ----------------------------------------------------------------------------------------------------


def test_unknown_extension_and_broken_package_are_refused_with_the_path() -> None:
    doc = {"uri": "x", "version": "1.1", "extensions": ["https://example.org/ocds_eforms_extension/extension.json"],
           "releases": [{"ocid": "ocds-b5fd17-1", "tender": {"title": "T"}}]}
    with pytest.raises(FileFormatError) as e:
        ocds_to_tender(doc, "n.json")
    assert e.value.where == "$.extensions[0]" and "does not know" in e.value.message
    doc["extensions"] = "nope"
    with pytest.raises(FileFormatError) as e:
        ocds_to_tender(doc, "n.json")
    assert e.value.where == "$.extensions"
    ok = dict(doc, extensions=["https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"])
    assert ocds_to_tender(ok, "n.json").tender.title == "T"


def test_the_publication_travels_in_the_tender_file() -> None:
    t = assign_identities(ready())
    back = read_tender_text(dumps(tender_to_document(t)), "t.json")
    assert back.publication == t.publication


# --- ocdskit -----------------------------------------------------------------------------------------------------


def _compile(tmp_path: Path, ocds: Path, *packages: dict[str, Any]) -> dict[str, Any]:
    """``ocdskit compile`` (its Python API, with the offline schema) of the packages' releases → one record."""
    from ocdskit.combine import merge

    parsed = [json.loads(dumps_ocds(p)) for p in packages]
    out = list(merge(parsed, return_package=True, use_linked_releases=False, schema=uk_release_schema(ocds)))
    (package,) = out
    (record,) = package["records"]
    assert record["ocid"] == parsed[0]["releases"][0]["ocid"]
    return record


def test_compiled_record_validates(ocds: Path, tmp_path: Path) -> None:
    t = assign_identities(ready())
    record = _compile(tmp_path, ocds, release_package(t, notice="UK6", published=WHEN),
                      release_package(t, notice="UK7", published=LATER))
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    names = [p["name"] for p in compiled["parties"]]
    assert sorted(names) == sorted(set(names)) and len(names) == len(t.bids) + 1
    assert compiled["contracts"][0]["documents"][0]["noticeType"] == "UK7"
    package = {"uri": "urn:test", "version": "1.1", "publishedDate": "2027-05-03T14:00:00Z",
               "publisher": {"name": "Ashbourne District Council"}, "records": [record]}
    assert schema_errors(json.loads(dumps_ocds(package)), ocds, record=True) == []


# --- the round trip of every real notice -----------------------------------------------------------------------


def _cf_files(ocds: Path) -> list[Path]:
    folder = ocds / "contracts-finder-2016"
    files = sorted(folder.glob("releases/*.json")) + sorted(folder.glob("records/*.json"))
    assert len(files) == 32
    return files


def _essentials(t: Tender) -> dict[str, Any]:
    return {"buyer": t.buyer, "title": t.title, "value": t.whole_life_value if t.publication.contract_value is None
            else t.publication.contract_value, "dates": dict(t.key_dates),
            "suppliers": sorted((b.supplier, b.sme, b.vcse, b.cdp_id, b.companies_house, b.charity_number)
                                for b in t.bids),
            "cpv": t.publication.classifications, "lots": t.publication.lots, "awards": t.publication.awards,
            "buyer_id": (t.publication.buyer_scheme, t.publication.buyer_id), "term": t.term_years}


def test_every_real_notice_survives_import_export_import(ocds: Path, tmp_path: Path) -> None:
    for path in [*_cf_files(ocds)]:
        first = read_ocds_file(path)
        t = first.tender
        out = tmp_path / "again.json"
        stage = "award" if t.publication.awards else "tender"
        doc = release_package(t, published=WHEN, stage=stage)
        assert schema_errors(json.loads(dumps_ocds(doc)), ocds) == [], path.name
        out.write_text(dumps_ocds(doc), "utf-8")
        second = read_ocds_file(out)
        assert second.ocid == first.ocid, path.name
        assert _essentials(second.tender) == _essentials(t), path.name
        assert t.publication.classifications, path.name                  # every real notice has CPV codes


def test_the_framework_notice_round_trips_through_the_database(tmp_path: Path) -> None:
    from svdesk.store import api

    got = ocds_to_tender(_framework_notice(), "fw.json")
    with api.open_database(tmp_path / "t.sqlite3") as db:
        db.create_tender(got.tender, who="test")
        back = db.load_tender(got.tender.reference)
    assert back.publication == got.tender.publication and back == got.tender
    again = ocds_to_tender(json.loads(dumps_ocds(award_release_package(replace(back, status=TenderStatus.AWARDED),
                                                                       published=WHEN))), "again.json")
    assert _essentials(again.tender) == _essentials(back)


# --- the command line: one line and exit 2, the database unchanged -------------------------------------------------


def test_cli_notice_refused_with_what_is_missing_and_recorded_when_written(tmp_path: Path) -> None:
    from tests.test_cli import run

    db = tmp_path / "t.sqlite3"
    f = tmp_path / "ready.json"
    f.write_text(dumps(tender_to_document(ready())), "utf-8")
    assert run("--db", str(db), "import", str(f), "--yes").returncode == 0
    before = _dump(db)
    p = run("--db", str(db), "export", "NET-2026-01", "--format", "ocds", "--notice", "UK6", "--out",
            str(tmp_path / "x.json"), env={"SVDESK_OCID_PREFIX": "ocds-abc123"})
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "x.json").read_text("utf-8"))
    assert doc["releases"][0]["ocid"] == "ocds-abc123-NET-2026-01"
    assert _dump(db) != before                                         # the ocid and party ids are recorded
    from svdesk.store import api

    with api.open_database(db) as d:
        kept = d.load_tender("NET-2026-01")
    assert kept.publication.ocid == "ocds-abc123-NET-2026-01" and len(kept.publication.party_ids) == 4

    bare = tmp_path / "bare.json"
    bare.write_text(dumps(tender_to_document(replace(ready(), reference="NET-2026-02",
                                                     publication=Publication()))), "utf-8")
    assert run("--db", str(db), "import", str(bare), "--yes").returncode == 0
    before = _dump(db)
    p = run("--db", str(db), "export", "NET-2026-02", "--format", "ocds", "--notice", "UK6", "--out",
            str(tmp_path / "y.json"))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "UK6 for NET-2026-02 cannot be published yet; missing:" in lines[0]
    assert "at least one CPV code" in lines[0] and "Traceback" not in p.stderr
    assert not (tmp_path / "y.json").exists() and _dump(db) == before


def _dump(db: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize(("content", "where"), [
    ('{"uri": "x", "version": "1.1", "extensions": ["https://x.org/ocds_eforms_extension/extension.json"], '
     '"releases": [{"ocid": "ocds-b5fd17-1", "tender": {"title": "T"}}]}', "$.extensions[0]"),
    ('{"uri": "x", "version": "1.1", "releases": [{"ocid": "", "tender": {"title": "T"}}]}', "$.ocid"),
    ('{"uri": "x", "version": "1.1", "releases": [{"ocid": "ocds-b5fd17-1", "tender": {"title": "T"}}', "line 1"),
])
def test_cli_bad_notice_exits_2_naming_file_and_path(tmp_path: Path, content: str, where: str) -> None:
    from tests.test_cli import run

    db = tmp_path / "t.sqlite3"
    f = tmp_path / "notice.json"
    f.write_text(content, "utf-8")
    p = run("--db", str(db), "import", str(f), "--yes")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and str(f) in lines[0] and where in lines[0], p.stderr
    assert not db.exists() or not any("INSERT INTO \"tender\"" in line for line in _dump(db))


# --- libcoveocds (the library behind the OCDS Data Review Tool) ---------------------------------------------------


def _cove(doc: dict[str, Any], ocds: Path, monkeypatch: pytest.MonkeyPatch, out: Path) -> dict[str, Any]:
    """libcoveocds' report, offline: the standard from ../shared/data (a ZIP built in memory), the extensions
    served from ../shared/data/ocds/extensions through a requests adapter; any other URL answers 404."""
    import ocdsextensionregistry.extension_version
    import ocdsextensionregistry.util
    import requests
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    from tests.io.ocds_check import offline_adapter, standard_zip

    offline = offline_adapter(ocds)
    session = requests.Session()          # not the registry's caching session: nothing is remembered
    session.mount("https://", offline)
    session.mount("http://", offline)
    for module in (ocdsextensionregistry.util, ocdsextensionregistry.extension_version):
        monkeypatch.setattr(module, "session", session)
    monkeypatch.setattr("requests.sessions.Session.get_adapter", lambda self, url: offline)
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = standard_zip(ocds)
    return ocds_json_output(str(out), json_data=json.loads(dumps_ocds(doc)), lib_cove_ocds_config=config,
                            schema_version="1.1")


def test_libcoveocds_reports_no_error_and_no_additional_field(ocds: Path, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    t = assign_identities(ready())
    for doc in (release_package(t, notice="UK6", published=WHEN), release_package(t, notice="UK7", published=LATER),
                award_release_package(t, published=WHEN)):
        report = _cove(doc, ocds, monkeypatch, tmp_path)
        assert report["validation_errors"] == []
        assert report["additional_closed_codelist_values"] == {}
        if "extensions" in doc:
            assert report["extensions"]["is_extended_schema"] is True
            # Every declared extension was read offline except partyScale, which ../shared/data does not hold.
            invalid = set(report["extensions"]["invalid_extension"])
            assert invalid == {u for u in doc["extensions"] if "partyScale" in u}
        # The only field libcoveocds cannot place is details.scale (Find a Tender's SME flag, partyScale).
        extra = {(f["path"], f["field"]) for f in report["additional_fields"]}
        assert extra <= {("/releases/parties/details", "scale")}, extra


def test_a_framework_awards_every_ranked_bid(ocds: Path) -> None:
    t = ready()
    t = replace(t, publication=replace(t.publication, framework=True))
    with pytest.raises(NoticeIncompleteError, match="an identifier of Northern Telecom plc"):
        release_package(t, notice="UK6", published=WHEN)      # every supplier of the framework is identified
    t = replace(t, bids=tuple(replace(b, companies_house="07654321") if b.supplier == "Northern Telecom plc" else b
                              for b in t.bids))
    doc = _valid(release_package(t, notice="UK6", published=WHEN), ocds)
    (award,) = doc["releases"][0]["awards"]
    names = [s["name"] for s in award["suppliers"]]
    assert names[0] == "Acme Networks Ltd" and len(names) > 1
    assert award["value"]["amount"] == 1000000.00                  # the framework's value, not one price
    roles = {p["name"]: p["roles"] for p in doc["releases"][0]["parties"]}
    assert all("supplier" in roles[n] for n in names)


def test_times_of_day_are_kept_in_uk_time_and_survive_a_round_trip(ocds: Path) -> None:
    from svdesk.domain.publication import parse_time

    t = ready()
    # 15 October 2026 is in British Summer Time, 10 December in Greenwich Mean Time.
    t = set_key_date(set_key_date(t, "bids_due", date(2026, 10, 15)), "assessment_summaries_sent", date(2026, 12, 10))
    t = set_key_date(t, "clarification_deadline", date(2026, 10, 1))
    t = replace(t, publication=replace(t.publication, times={"bids_due": parse_time("12:00"),
                                                            "assessment_summaries_sent": parse_time("930")}))
    doc = _valid(award_release_package(t, notice="UK6", published=WHEN), ocds)
    rel = doc["releases"][0]
    assert rel["tender"]["tenderPeriod"]["endDate"] == "2026-10-15T12:00:00+01:00"
    assert rel["awards"][0]["assessmentSummariesDateSent"] == "2026-12-10T09:30:00+00:00"
    # A date without a time: a deadline is open all that day, another date starts it.
    assert rel["tender"]["enquiryPeriod"]["endDate"] == "2026-10-01T23:59:59+01:00"
    back = ocds_to_tender(json.loads(dumps_ocds(doc)), "round-trip.json").tender
    assert back.publication.times == {"bids_due": "12:00", "assessment_summaries_sent": "09:30"}
    assert back.key_dates["bids_due"] == date(2026, 10, 15)
    again = _valid(award_release_package(replace(back, status=t.status, bids=t.bids, criteria=t.criteria),
                                         notice="UK6", published=WHEN), ocds)
    assert again["releases"][0]["tender"]["tenderPeriod"]["endDate"] == "2026-10-15T12:00:00+01:00"
    # The tender file keeps them too; an older file without times still reads.
    assert read_tender_text(dumps(tender_to_document(t)), "t.json").publication.times == t.publication.times
    old = tender_to_document(t)
    old["tender"]["publication"].pop("times")
    assert read_tender_text(dumps(old), "old.json").publication.times == {}


@pytest.mark.parametrize("bad", ["25:00", "12:60", "noon", "1"])
def test_a_time_that_is_not_one_is_refused_naming_it(bad: str) -> None:
    from svdesk.domain.publication import check_publication, parse_time

    with pytest.raises(ValidationError, match="is not a time of day"):
        parse_time(bad, "bids due time")
    with pytest.raises(ValidationError, match=r"is not a time of day \(HH:MM\)"):
        check_publication(Publication(times={"bids_due": bad}))
