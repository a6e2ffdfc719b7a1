"""The one text rule's fast check (svdesk/domain/text.py) refuses exactly the characters its definition names."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from svdesk.domain.text import HIDDEN_CATEGORIES, hidden_character, is_noncharacter, problem


def refused_by_definition(ch: str, *, lines: bool, tab: bool) -> bool:
    if (ch == "\n" and lines) or (ch == "\t" and tab):
        return False
    return unicodedata.category(ch) in HIDDEN_CATEGORIES or is_noncharacter(ord(ch))


def test_every_code_point_is_judged_as_the_definition_says() -> None:
    """All 1,114,112 code points: each refused one alone (and after ASCII and non-ASCII text, where the fast
    paths split) is named; all the others together pass in one string."""
    refused = [chr(cp) for cp in range(sys.maxunicode + 1) if refused_by_definition(chr(cp), lines=True, tab=True)]
    assert 2_000 < len(refused) < 3_000                     # surrogates, controls, format characters …
    assert [ch for ch in refused if hidden_character(ch) != ch] == []
    assert [ch for ch in refused if hidden_character(f"Café £5 {ch} end") != ch] == []
    assert [ch for ch in refused if hidden_character(f"plain ascii {ch}") != ch] == []
    no = set(refused)
    assert hidden_character("".join(chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp) not in no)) is None


@pytest.mark.parametrize(("lines", "tab"), [(True, True), (False, True), (True, False), (False, False)])
def test_newline_and_tab_are_refused_only_where_the_field_says(lines: bool, tab: bool) -> None:
    for cp in range(0x100):
        ch = chr(cp)
        want = ch if refused_by_definition(ch, lines=lines, tab=tab) else None
        assert hidden_character(f"Zoë {ch}", lines=lines, tab=tab) == want, f"U+{cp:04X}"
        assert hidden_character(f"Zoe {ch}", lines=lines, tab=tab) == want, f"U+{cp:04X}"


def test_the_first_refused_character_is_named_whichever_kind_comes_first() -> None:
    assert hidden_character("a\u202eb\x01c") == "\u202e"         # the non-ASCII one is first
    assert hidden_character("a\x01b\u202ec") == "\x01"           # the ASCII control is first
    assert hidden_character("Zoë O'Brien — £1,200\nsecond line\tcolumn") is None
    assert hidden_character("two\nlines", lines=False) == "\n"
    assert problem("a\tb", one_line=True) == "must be on one line (it holds a tab)"
    assert problem("x\u2028y") == "contains a hidden or control character (U+2028 LINE SEPARATOR): retype the text"
