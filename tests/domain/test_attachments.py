"""What svdesk accepts as a bid's attached file: types by extension AND content, safe names, the rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from svdesk.domain import limits, rules
from svdesk.domain.attachments import AttachmentKind, check_name, name_problem, sniff
from svdesk.domain.tender import TenderStatus
from svdesk.errors import FrozenError, ValidationError
from tests.io import attachment_samples as S
from tests.io.test_packs import panel_tender


@pytest.mark.parametrize(("name", "data", "media"), [
    ("Method.PDF", S.PDF, "application/pdf"),
    ("cv.docx", S.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("plan.xlsx", S.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("plan.odt", S.odt(), "application/vnd.oasis.opendocument.text"),
    ("plan.ods", S.ods(), "application/vnd.oasis.opendocument.spreadsheet"),
    ("site.png", S.PNG, "image/png"), ("site.jpg", S.JPEG, "image/jpeg"), ("site.jpeg", S.JPEG, "image/jpeg"),
    ("notes.txt", S.TXT, "text/plain"), ("rates.csv", S.CSV, "text/csv"),
])
def test_each_allowed_type_is_accepted_by_extension_and_content(name: str, data: bytes, media: str) -> None:
    assert sniff(name, data) == media


@pytest.mark.parametrize(("name", "data", "said"), [
    ("setup.exe", b"MZ\x90\x00", "a .exe file, which svdesk does not attach"),
    ("page.html", b"<html></html>", "a .html file"),
    ("run.js", b"alert(1)", "a .js file"),
    ("noextension", S.PDF, "a file without an extension"),
    ("renamed.pdf", S.plain_zip(), "named as a PDF but its content is a zip archive"),
    ("fake.docx", S.PDF, "named as a Word document but its content is a PDF"),
    ("fake.docx", S.zip_without_content_types(), "its content is a zip archive"),
    ("fake.xlsx", S.docx(), "its content is a Word document"),
    ("fake.odt", S.ods(), "its content is a OpenDocument spreadsheet"),
    ("image.png", S.JPEG, "its content is a JPEG image"),
    ("notes.txt", b"\x00\x01binary", "binary data"),
    ("notes.txt", "a bell \x07 in it".encode("cp1252"), "binary data"),
    ("notes.txt", b"\xff\xfe" + "control \x01".encode("utf-16-le"), "binary data"),
    ("notes.txt", S.PDF, "its content is a PDF"),
    ("empty.pdf", b"", "is empty (0 bytes)"),
])
def test_anything_else_is_refused_in_one_sentence_naming_the_file(name: str, data: bytes, said: str) -> None:
    with pytest.raises(ValidationError) as e:
        sniff(name, data)
    assert said in e.value.message and repr(name) in e.value.message and "\n" not in e.value.message


def test_a_file_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(ValidationError, match="too large"):
        sniff("big.txt", b"x" * 101)
    assert sniff("ok.txt", b"x" * 100) == "text/plain"


@pytest.mark.parametrize("name", ["../evil.pdf", "a/b.pdf", "a\\b.pdf", "..", "CON", "nul.txt", "com1.pdf",
                                  "x" * 252 + ".pdf", "trailing.pdf.", " lead.pdf", "a:b.pdf", "bad\u202e.pdf",
                                  "tab\there.pdf", ""])
def test_unsafe_names_are_refused(name: str) -> None:
    assert name_problem(name) is not None
    with pytest.raises(ValidationError):
        check_name(name)


def test_text_as_windows_programs_save_it_is_accepted() -> None:
    """Excel's plain "CSV" on a UK PC is Windows-1252 ("£" is one byte), its "Unicode text" UTF-16 with a BOM."""
    assert sniff("prices.csv", "item,cost\r\nengineer day,£450\r\n".encode("cp1252")) == "text/csv"
    assert sniff("notes.txt", "Zoë’s notes — £5\r\n".encode("utf-16")) == "text/plain"
    assert sniff("notes.txt", "Zoë’s notes — £5\n".encode()) == "text/plain"


def test_a_name_is_limited_in_utf8_bytes_as_linux_and_macos_count() -> None:
    name = "Zoë's méthode — " * 12 + ".pdf"              # 196 characters, 244 bytes
    assert len(name) < 255 and name_problem(name) is None
    longer = "é" * 200 + ".pdf"                          # 204 characters, 404 bytes: Windows takes it, Linux not
    said = name_problem(longer)
    assert said is not None and "404 bytes" in said


def test_ordinary_names_pass() -> None:
    for name in ("Method statement v2 (final).pdf", "CV – Jo Mills.docx", "Ünïcode ñame.txt", "console.pdf"):
        assert name_problem(name) is None, name


def test_the_tender_rules_refuse_frozen_duplicate_too_many_and_unknown() -> None:
    t = panel_tender()
    a = rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF, criterion="q1", label="Method", added_by="PS")
    assert (a.kind, a.size, a.criterion, a.media_type) == (AttachmentKind.RESPONSE, len(S.PDF), "q1",
                                                           "application/pdf")
    t2 = replace(t, attachments=(a,))
    with pytest.raises(ValidationError, match=r"already attached to Acme Ltd's bid as 'm.pdf'.*not stored twice"):
        rules.check_add_attachment(t2, "Acme Ltd", "copy.pdf", S.PDF)
    with pytest.raises(ValidationError, match=r"a file named 'm.pdf' is already attached"):
        rules.check_add_attachment(t2, "Acme Ltd", "M.PDF", S.PDF + b" ")
    rules.check_add_attachment(t2, "Bramble CIC", "m.pdf", S.PDF)      # another bid may hold the same file
    with pytest.raises(ValidationError, match="no criterion 'zz'"):
        rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF, criterion="zz")
    with pytest.raises(ValidationError, match="answers the price criterion, so it is a pricing file"):
        rules.check_add_attachment(t, "Acme Ltd", "rates.csv", S.CSV, criterion="price")
    rules.check_add_attachment(t, "Acme Ltd", "rates.csv", S.CSV, criterion="price", kind=AttachmentKind.PRICING)
    with pytest.raises(ValidationError, match="no bid from 'Nobody'"):
        rules.check_add_attachment(t, "Nobody", "m.pdf", S.PDF)
    awarded = replace(t2, status=TenderStatus.AWARDED)
    with pytest.raises(FrozenError, match=r"is awarded: its bids' attached files are frozen.*Nothing was attached"):
        rules.check_add_attachment(awarded, "Acme Ltd", "n.pdf", S.PDF + b"2")
    with pytest.raises(FrozenError, match="Nothing was removed"):
        rules.check_remove_attachment(awarded, "Acme Ltd", "m.pdf")
    assert rules.check_remove_attachment(t2, "Acme Ltd", "M.pdf") == a
    with pytest.raises(ValidationError, match=r"no file named 'x.pdf'.*its files: m.pdf"):
        rules.check_remove_attachment(t2, "Acme Ltd", "x.pdf")


def test_a_bid_holds_at_most_the_limit_and_a_tender_what_a_pack_can_carry(monkeypatch: pytest.MonkeyPatch) -> None:
    t = panel_tender()
    monkeypatch.setattr(limits, "MAX_ATTACHMENTS_PER_BID", 2)
    for i in range(2):
        t = replace(t, attachments=(*t.attachments, rules.check_add_attachment(t, "Acme Ltd", f"{i}.txt", b"%d" % i)))
    with pytest.raises(ValidationError, match="has 2 attached files already \\(the limit is 2\\)"):
        rules.check_add_attachment(t, "Acme Ltd", "3.txt", b"three")
    monkeypatch.setattr(limits, "MAX_PACK_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="more than the 0 MB an evaluator pack can carry"):
        rules.check_add_attachment(t, "Bramble CIC", "big.txt", b"x" * 9)
    # Pricing files never travel, so they do not count towards what a pack carries.
    rules.check_add_attachment(t, "Bramble CIC", "big.txt", b"x" * 9, kind=AttachmentKind.PRICING)


def test_attachments_take_no_part_in_comparing_tenders() -> None:
    t = panel_tender()
    a = rules.check_add_attachment(t, "Acme Ltd", "m.pdf", S.PDF)
    assert replace(t, attachments=(a,)) == t
