"""The council's logo and address on the papers (issue 14 item 3): set with ``svdesk settings set`` and printed on
the first page of every paper by the real command line (and in the Word committee report); a logo that cannot
be used never stops printing: the paper prints without it and one line says why."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from svdesk.cli.main import main
from svdesk.domain.council import CouncilSettings
from svdesk.domain.scoring import score_tender
from svdesk.io.tender_file import write_tender_file
from svdesk.reports.award import AwardReport
from svdesk.reports.letterhead import KEEP_HEIGHT, MAX_HEIGHT_PT, load_logo
from svdesk.reports.options import ReportOptions, with_council
from tests.reports.fixtures import ADDRESS, make_logo, negotiated, page_texts

COUNCIL = "Ashbourne Borough Council"
ADDRESS_LINE = "Town Hall, Market Place, Ashbourne DE6 1ES"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    got = capsys.readouterr()
    return code, got.out, got.err


def _database(tmp_path: Path, capsys: pytest.CaptureFixture[str], logo: str) -> str:
    """A database holding the negotiated demo tender, with the council's name, address and logo set."""
    db = str(tmp_path / "council.sqlite3")
    src = tmp_path / "negotiated.json"
    write_tender_file(negotiated(), src)
    assert _run(capsys, "--db", db, "import", str(src))[0] == 0
    for key, value in (("council.name", COUNCIL), ("council.address", ADDRESS.replace("\n", "\\n")),
                       ("council.logo", logo)):
        code, _, err = _run(capsys, "--db", db, "settings", "set", key, value)
        assert code == 0, err
    return db


def _images(data: bytes) -> list[list[tuple[int, int]]]:
    """Per page, the (width, height) in pixels of every image XObject it draws."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [[(int(im.Width), int(im.Height)) for im in page.get_images().values()] for page in pdf.pages]


def _figures(data: bytes) -> list[str]:
    """The alternative text of every Figure in the structure tree, in reading order."""
    import pikepdf

    out: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                visit(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == pikepdf.Name.Figure:
                out.append(str(node.get("/Alt", "")))
            if "/K" in node:
                visit(node.K)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        visit(pdf.Root.StructTreeRoot.K)
    return out


def _flat(s: str) -> str:
    return " ".join(s.split())


def test_every_paper_printed_by_the_cli_carries_the_logo_and_address(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _database(tmp_path, capsys, str(make_logo(tmp_path / "logo.png")))
    papers: dict[str, bytes] = {}
    for kind, extra in (("award", ()), ("committee", ()), ("checklist", ("--supplier", "Acme Networks Ltd")),
                        ("commitments", ()), ("conflicts", ()), ("moderation", ())):
        out = tmp_path / f"{kind}.pdf"
        code, _, err = _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", kind, "--out", str(out), *extra)
        assert code == 0, err
        assert "logo" not in err
        papers[kind] = out.read_bytes()
    folder = tmp_path / "summaries"
    assert _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", "assessment", "--out", str(folder))[0] == 0
    for i, path in enumerate(sorted(folder.iterdir())):
        papers[f"assessment-{i}"] = path.read_bytes()
    assert len(papers) == 6 + 4
    for kind, data in papers.items():
        images = _images(data)
        assert images[0] == [(400, 160)], kind                  # the logo, as an image XObject, on page 1
        assert all(page == [] for page in images[1:]), kind     # and only there
        first = _flat(page_texts(data)[0])
        assert f"{COUNCIL} {ADDRESS_LINE}" in first, kind
        assert f"{COUNCIL} logo" in _figures(data), kind        # tagged: a Figure with alternative text
    # The Word committee report too.
    word = tmp_path / "committee.docx"
    code, _, err = _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", "committee", "--out", str(word))
    assert code == 0, err
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(word))
    shapes = [s._inline.find(qn("wp:docPr")).get("descr") for s in doc.inline_shapes]
    assert shapes[0] == f"{COUNCIL} logo"
    assert [p.text for p in doc.paragraphs[1:3]] == [COUNCIL, ADDRESS_LINE]


def test_the_logo_is_scaled_with_its_shape_kept_and_passes_the_pdfua_checker(tmp_path: Path) -> None:
    import pdfplumber
    from pdfua import validate

    t = negotiated()
    for size, fmt in (((3000, 1000), "PNG"), ((160, 400), "JPEG")):
        logo, problem = load_logo(make_logo(tmp_path / f"logo.{fmt.lower()}", size, fmt))
        assert problem == "" and logo is not None
        assert logo.height == min(size[1], KEEP_HEIGHT)
        options = ReportOptions(authority=COUNCIL, deterministic=True, logo=logo, address=ADDRESS)
        data = AwardReport(t, score_tender(t), options).render()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            (im,) = pdf.pages[0].images
        width, height = im["x1"] - im["x0"], im["bottom"] - im["top"]
        assert height == pytest.approx(MAX_HEIGHT_PT, abs=0.01)                   # 18 mm high
        assert width / height == pytest.approx(size[0] / size[1], rel=0.01)       # its shape kept
        path = tmp_path / "award.pdf"
        path.write_bytes(data)
        assert [(f.rule_id, f.message) for f in validate(str(path)).findings] == []


def test_nothing_from_the_logo_file_but_its_pixels_reaches_the_paper(tmp_path: Path) -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "CANARY-LOGO-ARTIST"            # Artist
    exif[0x010E] = "CANARY-LOGO-DESCRIPTION"       # ImageDescription
    path = make_logo(tmp_path / "logo.jpg", fmt="JPEG", exif=exif.tobytes(), comment=b"CANARY-LOGO-COMMENT")
    assert b"CANARY-LOGO-ARTIST" in path.read_bytes()
    logo, _ = load_logo(path)
    assert logo is not None and logo.png.startswith(b"\x89PNG")
    assert b"CANARY" not in logo.png and b"eXIf" not in logo.png and b"tEXt" not in logo.png
    t = negotiated()
    data = AwardReport(t, score_tender(t), ReportOptions(deterministic=True, logo=logo)).render()
    from tests.reports.fixtures import decompressed

    assert b"CANARY-LOGO" not in decompressed(data)


def _bad_logos(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(make_logo(tmp_path / "whole.png").read_bytes()[:200])
    text = tmp_path / "notes.png"
    text.write_text("this is not an image")
    gif = tmp_path / "animated.png"
    make_logo(gif, fmt="GIF")
    return {
        "missing": (tmp_path / "gone.png", "no such file"),
        "folder": (tmp_path, "not a file"),
        "damaged": (damaged, "the image is damaged or cut short"),
        "not an image": (text, "not an image svdesk can read"),
        "gif": (gif, "not a PNG or JPEG image (it is GIF)"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "damaged", "not an image", "gif"])
def test_a_bad_logo_gives_no_logo_and_one_line_why(tmp_path: Path, case: str) -> None:
    path, says = _bad_logos(tmp_path)[case]
    logo, problem = load_logo(path)
    assert logo is None
    assert problem == f"{path}: {says}" + problem[len(f"{path}: {says}"):]
    assert problem.endswith("so the paper is printed without the council's logo") and "\n" not in problem
    options = with_council(ReportOptions(), CouncilSettings.from_stored({"council.name": COUNCIL,
                                                                        "council.logo": str(path)}))
    assert options.logo is None and options.logo_problem == problem and options.authority == COUNCIL


def test_a_huge_image_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "huge.png"
    Image.new("1", (9000, 9000)).save(path)          # 81 million pixels, a small file
    logo, problem = load_logo(path)
    assert logo is None and "9,000 × 9,000 pixels" in problem


def test_the_cli_prints_without_a_logo_it_cannot_use_and_says_why_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = tmp_path / "moved" / "logo.png"
    db = _database(tmp_path, capsys, str(gone))
    out = tmp_path / "award.pdf"
    code, stdout, err = _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", "award", "--out", str(out))
    assert code == 0 and "Wrote" in stdout
    assert err.splitlines() == [f"svdesk: note: {gone}: no such file, so the paper is printed without the "
                                "council's logo"]
    data = out.read_bytes()
    assert all(page == [] for page in _images(data))          # no image at all
    assert f"{COUNCIL} {ADDRESS_LINE}" in _flat(page_texts(data)[0])
    # A damaged file the same way, for the Word committee report too.
    damaged, _ = _bad_logos(tmp_path)["damaged"]
    assert _run(capsys, "--db", db, "settings", "set", "council.logo", str(damaged))[0] == 0
    word = tmp_path / "committee.docx"
    code, _, err = _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", "committee", "--out", str(word))
    assert code == 0
    notes = [line for line in err.splitlines() if "logo" in line]
    assert len(notes) == 1 and notes[0].startswith(f"svdesk: note: {damaged}: the image is damaged or cut short")
    from docx import Document

    doc = Document(str(word))
    assert [s for s in doc.inline_shapes if "logo" in (s._inline.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr").get("descr") or "")] == []


def test_a_paper_for_another_authority_named_explicitly_gets_no_letterhead(tmp_path: Path) -> None:
    council = CouncilSettings.from_stored({"council.name": COUNCIL, "council.address": ADDRESS,
                                           "council.logo": str(make_logo(tmp_path / "logo.png"))})
    ours = with_council(ReportOptions(), council)
    assert ours.authority == COUNCIL and ours.address == ADDRESS and ours.logo is not None
    assert with_council(ReportOptions(authority=COUNCIL), council).logo is not None
    other = with_council(ReportOptions(authority="Fenwick Borough Council"), council)
    assert other == ReportOptions(authority="Fenwick Borough Council")
