"""The svdesk-tender/1 file: read, validate, write, and every error names file, JSON path and problem."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svdesk.domain import text as text_rule
from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.errors import FileFormatError
from svdesk.io.tender_file import (
    read_tender_file,
    read_tender_text,
    tender_to_document,
    write_tender_file,
)
from tests.conftest import ROOT

DEMO = ROOT / "resources" / "demo" / "network-tender.json"
DESIGN_EXAMPLE = {
    "format": "svdesk-tender/1",
    "tender": {"reference": "NET-2026-01", "title": "Corporate network and broadband",
               "category": "ict", "annual_value": "200000.00", "term_years": 3},
    "criteria": [
        {"id": "price", "name": "Price", "kind": "price", "weight": 40, "method": "lowest_price"},
        {"id": "q1", "name": "Service delivery", "kind": "quality", "weight": 40, "scale_max": 5, "threshold": 2},
        {"id": "sv1", "name": "Social value approach", "kind": "social_value", "weight": 10, "scale_max": 5},
        {"id": "sv2", "name": "Social value commitments", "kind": "commitments", "weight": 10,
         "method": "highest_value"},
    ],
    "bids": [
        {"supplier": "Acme Networks Ltd", "sme": False, "price": "540000.00",
         "scores": {"q1": 4, "sv1": 3},
         "explanations": {"q1": "Clear migration plan with named engineers (section 3.2)."},
         "evaluator_scores": {"q1": {"AB": 4, "CD": 3}},
         "commitments": [{"measure": "local-jobs", "quantity": 2, "unit_value": "25000"}]},
    ],
}


def write(tmp_path: Path, doc: object, name: str = "t.json") -> Path:
    p = tmp_path / name
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return p


def test_reads_the_design_example(tmp_path: Path) -> None:
    t = read_tender_file(write(tmp_path, DESIGN_EXAMPLE))
    assert t.reference == "NET-2026-01" and t.annual_value == Decimal("200000.00")
    assert t.criterion("q1").threshold == Decimal(2)
    b = t.bid("Acme Networks Ltd")
    assert b.price == Decimal("540000.00") and b.scores["q1"] == Decimal(4)
    assert b.evaluator_scores["q1"]["CD"] == Decimal(3)
    assert b.commitments[0].value == Decimal(50000)


def test_the_demo_file_is_valid() -> None:
    assert len(read_tender_file(DEMO).bids) == 4


@pytest.mark.parametrize(
    ("mutate", "where", "what"),
    [
        (lambda d: d.update(format="svdesk-tender/2"), "$.format", "expected 'svdesk-tender/1'"),
        (lambda d: d["bids"][0].update(price="-5"), "$.bids[0].price", "must not be negative"),
        (lambda d: d["bids"][0].update(price="NaN"), "$.bids[0].price", "finite"),
        (lambda d: d["bids"][0].update(price="Infinity"), "$.bids[0].price", "finite"),
        (lambda d: d["bids"][0].update(price=1e308), "$.bids[0].price", "too large"),
        (lambda d: d["bids"][0]["scores"].update(q1=6), "$.bids[0].scores.q1", "between 0 and 5"),
        (lambda d: d["bids"][0]["scores"].update(zz=1), "$.bids[0].scores.zz", "no criterion has this id"),
        (lambda d: d["bids"][0]["evaluator_scores"]["q1"].update(AB=-1), "$.bids[0].evaluator_scores.q1.AB",
         "between 0 and 5"),
        (lambda d: d["criteria"][0].update(method="cheapest"), "$.criteria[0].method", "unknown price method"),
        (lambda d: d["criteria"][1].update(kind="vibes"), "$.criteria[1].kind", "is not one of"),
        (lambda d: d["criteria"][1].update(id="price"), "$.criteria[1].id", "used twice"),
        (lambda d: d["criteria"][1].update(weight=101), "$.criteria[1].weight", "between 0 and 100"),
        (lambda d: d["tender"].update(reference=""), "$.tender.reference", "must not be empty"),
        (lambda d: d["tender"].update(status="done"), "$.tender.status", "is not one of"),
        (lambda d: d["tender"].update(title="Evil\u202etitle"), "$.tender.title", "control character"),
        (lambda d: d["bids"].append(dict(d["bids"][0])), "$.bids[1].supplier", "has two bids"),
        (lambda d: d["bids"][0].update(colour="red"), "$.bids[0].colour", "unknown field"),
        (lambda d: d["bids"][0]["commitments"][0].update(quantity=-2), "$.bids[0].commitments[0].quantity",
         "must not be negative"),
        (lambda d: d.pop("tender"), "$.tender", "is missing"),
    ],
)
def test_every_violation_names_file_path_and_problem(tmp_path: Path, mutate, where: str, what: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(DESIGN_EXAMPLE))
    mutate(doc)
    path = write(tmp_path, doc)
    with pytest.raises(FileFormatError) as e:
        read_tender_file(path)
    assert e.value.path == str(path)
    assert e.value.where == where
    assert what in e.value.message
    assert str(path) in str(e.value) and where in str(e.value)


def test_weights_not_totalling_100_are_readable_but_refused_by_scoring(tmp_path: Path) -> None:
    from svdesk.domain.scoring import score_tender
    from svdesk.errors import ScoringError

    doc = json.loads(json.dumps(DESIGN_EXAMPLE))
    doc["criteria"][0]["weight"] = 30
    t = read_tender_file(write(tmp_path, doc))   # a draft may be incomplete …
    with pytest.raises(ScoringError, match="weights total 90"):
        score_tender(t)                          # … but cannot be scored


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("{not json", "is not valid JSON"),
        ('{"format": "svdesk-tender/1", "format": "x"}', "appears twice"),
        ('{"format": "svdesk-tender/1", "tender": {"reference": "A", "title": "B", "annual_value": NaN}}',
         "NaN is not a number"),
        ("[]", "must be an object"),
    ],
)
def test_malformed_json_is_a_clear_error(tmp_path: Path, text: str, what: str) -> None:
    with pytest.raises(FileFormatError, match=what):
        read_tender_file(write(tmp_path, text))


def test_missing_file_binary_file_and_bom(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="no such file"):
        read_tender_file(tmp_path / "nope.json")
    bad = tmp_path / "bin.json"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_tender_file(bad)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(DESIGN_EXAMPLE).encode())
    assert read_tender_file(bom).reference == "NET-2026-01"


def test_write_is_atomic_and_keeps_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = read_tender_text(json.dumps(DESIGN_EXAMPLE))
    out = tmp_path / "out.json"
    out.write_text("OLD")

    def boom(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", boom)
    from svdesk.errors import SvdeskError

    with pytest.raises(SvdeskError, match="No space left"):
        write_tender_file(t, out)
    assert out.read_text() == "OLD"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]     # no temp file left behind


def test_private_notes_can_be_left_out() -> None:
    t = Tender("R", "T", bids=(Bid("S", notes="CANARY private"),))
    assert "CANARY" not in json.dumps(tender_to_document(t, private=False))
    assert "CANARY" in json.dumps(tender_to_document(t, private=True))


# --- lossless round trip (hypothesis) ---------------------------------------------------------------------

# Any text the one text rule accepts (svdesk/domain/text.py), already in its normal form (NFC, stripped).
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=30).map(text_rule.normalise).filter(lambda s: bool(s) and text_rule.problem(s, one_line=True)
                                                              is None)
pounds = st.decimals(min_value=0, max_value=Decimal("1000000000"), places=2)


@st.composite
def tenders(draw: st.DrawFn) -> Tender:
    crit = (
        Criterion("price", "Price", CriterionKind.PRICE, Decimal(50), method="deviation_from_lowest"),
        Criterion("q", draw(names), CriterionKind.QUALITY, Decimal("37.5"), scale_max=Decimal(10),
                  threshold=draw(st.none() | st.integers(0, 10).map(Decimal))),
        Criterion("sv", "Commitments", CriterionKind.COMMITMENTS, Decimal("12.5"), method="highest_value"),
    )
    suppliers = draw(st.lists(names, max_size=5, unique_by=text_rule.lookalike_key))
    bids = tuple(
        Bid(
            supplier=s,
            price=draw(st.none() | pounds),
            sme=draw(st.booleans()),
            locality=draw(st.none() | st.sampled_from(list(Locality))),
            scores=draw(st.dictionaries(st.just("q"), st.decimals(0, 10, places=3))),
            explanations=draw(st.dictionaries(st.just("q"), names)),
            evaluator_scores=draw(st.dictionaries(st.just("q"), st.dictionaries(st.sampled_from(["AB", "CD"]),
                                                                                st.integers(0, 10).map(Decimal)),
                                                  )).copy(),
            commitments=tuple(
                Commitment(draw(names), draw(st.decimals(0, 1000, places=2)), draw(pounds),
                           theme=draw(st.none() | st.sampled_from(list(Theme))))
                for _ in range(draw(st.integers(0, 2)))
            ),
        )
        for s in suppliers
    )
    bids = tuple(b if b.evaluator_scores.get("q") != {} else Bid(b.supplier) for b in bids)
    return Tender(draw(names)[:60], draw(names), annual_value=draw(st.none() | pounds), criteria=crit, bids=bids,
                  term_years=draw(st.integers(1, 10)))


@settings(max_examples=150, deadline=None)
@given(tenders())
def test_write_then_read_is_lossless(t: Tender) -> None:
    from svdesk.io.tender_file import dumps

    back = read_tender_text(dumps(tender_to_document(t)))
    assert back == t


def test_negotiation_notes_are_left_out_of_files_sent_outside() -> None:
    from dataclasses import replace

    t = read_tender_file(ROOT / "resources" / "demo" / "parks-wifi-tender.json")
    outcome = t.checklist.outcomes[0]
    t = replace(t, checklist=replace(t.checklist, outcomes=(replace(outcome, notes="CANARY-NEG"),
                                                            *t.checklist.outcomes[1:])))
    from svdesk.io.tender_file import dumps

    assert "CANARY-NEG" not in dumps(tender_to_document(t, private=False))
    assert "CANARY-NEG" in dumps(tender_to_document(t, private=True))


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["tender"].update(buyer="Ashbourne \u202eCouncil"), "$.tender.buyer"),
        (lambda d: d["bids"][0]["explanations"].update(q1="Good\x00plan"), "$.bids[0].explanations.q1"),
        (lambda d: d["bids"][0].update(address="1 High St\x07"), "$.bids[0].address"),
        (lambda d: d["bids"][0].update(evaluator_reasons={"q1": {"AB": "ok\u2066"}}),
         "$.bids[0].evaluator_reasons.q1.AB"),
        (lambda d: d["bids"][0].update(evaluator_reasons={"zz": {"AB": "ok"}}), "$.bids[0].evaluator_reasons.zz"),
        (lambda d: d["bids"][0]["commitments"][0].update(description="x\x1b[31m"),
         "$.bids[0].commitments[0].description"),
        (lambda d: d["bids"][0]["commitments"][0].update(quantity="1e30"), "$.bids[0].commitments[0].quantity"),
    ],
)
def test_hidden_characters_anywhere_in_free_text_are_refused(tmp_path: Path, mutate, where: str) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(DESIGN_EXAMPLE))
    mutate(doc)
    with pytest.raises(FileFormatError) as e:
        read_tender_file(write(tmp_path, doc))
    assert e.value.where == where


def test_deeply_nested_json_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(FileFormatError, match="nested too deeply"):
        read_tender_file(deep)
    from svdesk.io.asks_library import read_library_file

    with pytest.raises(FileFormatError, match="nested too deeply"):
        read_library_file(deep)


def test_an_empty_map_of_marks_reads_as_no_marks(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(DESIGN_EXAMPLE))
    doc["bids"][0]["evaluator_scores"]["sv1"] = {}
    t = read_tender_file(write(tmp_path, doc))
    assert "sv1" not in t.bid("Acme Networks Ltd").evaluator_scores
    assert read_tender_text(json.dumps(doc)) == read_tender_text(
        __import__("svdesk.io.tender_file", fromlist=["dumps"]).dumps(tender_to_document(t)))


def test_a_tender_file_lists_the_attached_files_but_never_their_contents_and_import_invents_none(
        tmp_path: Path) -> None:
    import json
    from dataclasses import replace

    from svdesk.domain import rules
    from svdesk.domain.attachments import AttachmentKind
    from tests.io import attachment_samples as S
    from tests.io.test_packs import panel_tender

    t = panel_tender()
    a = rules.check_add_attachment(t, "Acme Ltd", "Method.pdf", S.PDF, criterion="q1", label="Method")
    p = rules.check_add_attachment(t, "Acme Ltd", "prices.csv", S.CSV, kind=AttachmentKind.PRICING)
    t = replace(t, attachments=(a, p))
    path = write_tender_file(t, tmp_path / "t.json")
    raw = path.read_bytes()
    assert S.PDF not in raw and b"PRICING" not in raw and b"content" not in raw
    listed = json.loads(raw)["bids"][0]["attachments"]
    assert listed == [
        {"name": "Method.pdf", "kind": "response", "label": "Method", "criterion": "q1", "size": len(S.PDF),
         "sha256": a.sha256, "media_type": "application/pdf"},
        {"name": "prices.csv", "kind": "pricing", "size": len(S.CSV), "sha256": p.sha256, "media_type": "text/csv"}]
    back = read_tender_file(path)
    assert back == t and back.attachments == ()                   # listed, not invented
    doc = json.loads(raw)
    doc["bids"][0]["attachments"][0]["content_base64"] = "AAAA"
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bids\[0\]\.attachments\[0\]"):
        read_tender_file(tmp_path / "bad.json")
