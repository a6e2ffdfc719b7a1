"""Every writer against the whole Big List of Naughty Strings, and every reader against JSONTestSuite.

Each of the 515 strings of BLNS (``../shared/data/hostile/blns``) goes through the one text rule
(svdesk/domain/text.py): it is either refused with a sentence, or accepted in its normal form. All the accepted
ones are batched into ONE tender (as supplier names where they fit on a line, and as reasons, addresses, notes
and the description) so the test stays fast; that tender is then written by every writer — tender file, CSV
and XLSX (results, scores, template), OCDS, the PDF papers — and each output is read back: the tender file and
the templates give back exactly what went in, the workbook and the OCDS package parse, the PDF parses.
JSONTestSuite's ``test_parsing`` files (``y_`` must parse, ``n_`` must be refused, ``i_`` either) go through the
tender-file reader: always a result or one :class:`FileFormatError`, never another exception.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.domain import text as text_rule
from svdesk.domain.tender import Bid, Tender, check_tender
from svdesk.errors import FileFormatError, SvdeskError
from svdesk.io.tender_file import read_tender_file, read_tender_text

D = Decimal


def _blns(shared_data: Path) -> list[str]:
    strings = json.loads((shared_data / "hostile" / "blns" / "blns.json").read_text(encoding="utf-8"))
    assert len(strings) > 500
    return [s for s in strings if isinstance(s, str)]


@pytest.fixture(scope="module")
def naughty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tender, dict[str, int]]:
    """The demo tender carrying every BLNS string the rule accepts; and how many were accepted/refused."""
    from tests.conftest import SHARED_DATA
    from tests.store.helpers import demo

    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    strings = _blns(SHARED_DATA)
    counts = {"names": 0, "texts": 0, "refused": 0}
    names: list[str] = []
    texts: list[str] = []
    for s in strings:
        n = text_rule.normalise(s)
        if text_rule.problem(n) is not None:
            counts["refused"] += 1
            continue
        texts.append(n)
        if n and text_rule.problem(n, one_line=True) is None and len(n) < 250:
            names.append(n)
    base = demo()
    template = base.bids[0]
    bids = []
    keys: set[str] = set()
    for i, name in enumerate(names):
        supplier = f"S{i:03d} {name}"
        if text_rule.lookalike_key(supplier) in keys:
            continue
        keys.add(text_rule.lookalike_key(supplier))
        reason = texts[i % len(texts)] or "x"
        bids.append(replace(template, supplier=supplier, address=reason, notes=texts[-1 - i % len(texts)],
                            explanations={k: reason for k in template.scores},
                            price=D(100000 + i)))
    counts["names"] = len(bids)
    counts["texts"] = len(texts)
    description = "\n".join(t for t in texts if t)[:9000].strip()
    tender = check_tender(replace(base, reference="BLNS-1", description=description, bids=tuple(bids),
                                  checklist=type(base.checklist)()))
    return tender, counts


def test_the_rule_accepts_most_of_the_list_and_refuses_the_hidden(naughty: tuple[Tender, dict[str, int]]) -> None:
    tender, counts = naughty
    print("BLNS:", counts)
    assert counts["texts"] > 400 and counts["names"] > 350 and counts["refused"] > 10
    for b in tender.bids:
        assert text_rule.problem(b.supplier, one_line=True) is None


def test_tender_file_round_trip(naughty: tuple[Tender, dict[str, int]], tmp_path: Path) -> None:
    from svdesk.io.tender_file import write_tender_file

    tender, _ = naughty
    path = write_tender_file(tender, tmp_path / "blns.json")
    assert read_tender_file(path) == tender


def test_csv_and_xlsx_exports_and_templates(naughty: tuple[Tender, dict[str, int]], tmp_path: Path) -> None:
    import openpyxl

    from svdesk.io.bids_import import preview_bids_file, write_template
    from svdesk.io.export import export_csv, export_xlsx

    tender, _ = naughty
    for table in ("results", "scores"):
        export_csv(tender, tmp_path / f"{table}.csv", table)
    export_xlsx(tender, tmp_path / "all.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    written = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    wb.close()
    assert {b.supplier for b in tender.bids} <= written          # every name, intact, no formula
    for kind in ("csv", "xlsx"):
        path = write_template(tender, tmp_path / f"template.{kind}")
        preview = preview_bids_file(tender, path)
        assert not preview.changes and len(preview.unchanged) == len(tender.bids), kind


def test_ocds_export(naughty: tuple[Tender, dict[str, int]], tmp_path: Path) -> None:
    from svdesk.io.ocds import award_release_package, dumps_ocds

    tender, _ = naughty
    doc = json.loads(dumps_ocds(award_release_package(tender)))
    names = {p["name"] for r in doc["releases"] for p in r["parties"]}
    assert {b.supplier for b in tender.bids} <= names


def test_pdf_papers(naughty: tuple[Tender, dict[str, int]]) -> None:
    from pypdf import PdfReader

    from svdesk.domain.scoring import score_tender
    from svdesk.reports.assessment import AssessmentSummary
    from svdesk.reports.award import AwardReport
    from svdesk.reports.negotiation import NegotiationChecklist
    from svdesk.reports.options import ReportOptions

    tender, _ = naughty
    small = replace(tender, bids=tender.bids[:60])       # the award paper of 60 bids: every name on a page
    results = score_tender(small)
    options = ReportOptions(authority="Ashbourne District Council", deterministic=True)
    for data in (AwardReport(small, results, options).render(),
                 AssessmentSummary(small, results, small.bids[7].supplier, options).render(),
                 NegotiationChecklist(small, options).render()):
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 1 and reader.pages[0].extract_text()


def _suite(shared_data: Path) -> list[Path]:
    files = sorted((shared_data / "hostile" / "jsontestsuite" / "test_parsing").glob("*.json"))
    assert len(files) > 300
    return files


def test_json_test_suite_through_the_tender_reader(shared_data: Path) -> None:
    """``y_`` files are JSON: refused only as not a tender; ``n_`` files are not JSON: refused as such."""
    outcome = {"y": 0, "n": 0, "i": 0}
    for path in _suite(shared_data):
        kind = path.name[0]
        try:
            read_tender_file(path)
        except FileFormatError as e:
            message = str(e)
            assert "\n" not in message and len(message) < 400, (path.name, message)
            if kind == "n":
                assert any(w in message for w in ("not valid JSON", "not UTF-8", "nested too deeply")), (
                    path.name, message)
            if kind == "y":   # JSON, but a key twice is refused on purpose (which value would count?)
                assert "not valid JSON" not in message or "appears twice" in message, (path.name, message)
        outcome[kind] += 1
    assert outcome["y"] > 90 and outcome["n"] > 180


def test_json_test_suite_values_as_a_tender_field(shared_data: Path) -> None:
    """Every ``y_``/``i_`` document placed as the value of a tender's fields: a tender or one clear error."""
    doc = json.loads(json.dumps({"format": "svdesk-tender/1", "tender": {"reference": "X", "title": "T"}}))
    base = json.dumps(doc)
    for path in _suite(shared_data):
        if path.name[0] == "n":
            continue
        raw = path.read_bytes()
        try:
            value = raw.decode("utf-8")
            json.loads(value)
        except (UnicodeDecodeError, ValueError, RecursionError):
            continue
        for field in ("title", "annual_value", "term_years"):
            text = base.replace(f'"{field}": "T"' if field == "title" else '"title": "T"',
                                f'"{field}": {value}' if field == "title" else f'"title": "T", "{field}": {value}')
            try:
                read_tender_text(text, "t.json")
            except SvdeskError as e:
                assert "\n" not in str(e) and len(str(e)) < 400, (path.name, field, str(e))


def test_a_bid_of_naughty_strings_cannot_break_the_one_line_messages() -> None:
    """Refusals quote an excerpt with hidden characters spelled out, so a message is always one line."""
    for bad in ("a\nb", "a\u2028b", "\x1b[31mred", "a" * 5000, "\ud800"):
        shown = text_rule.excerpt(bad)
        assert "\n" not in shown and "\u2028" not in shown and "\x1b" not in shown and len(shown) < 80
        shown.encode("utf-8")
    with pytest.raises(SvdeskError) as e:
        check_tender(Tender("X", "T", bids=(Bid("Acme Ltd"), Bid("ACME\u00a0LTD"))))
    assert "bids[0]" in str(e.value) and "\n" not in str(e.value)
