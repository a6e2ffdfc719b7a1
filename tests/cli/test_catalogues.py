"""One catalogue per choice: the CLI's choices, the app's lists and the README tables all come from it."""

from __future__ import annotations

import argparse
import re

import pytest

from svdesk.cli.main import build_parser
from svdesk.domain.price import FORMULAS, PriceMethod
from svdesk.io.formats import EXPORT_FORMATS, IMPORT_KINDS, export_format
from svdesk.reports.papers import PAPERS, paper
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _choices(command: str, option: str) -> tuple[str, ...]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    action = next(a for a in sub.choices[command]._actions if option in a.option_strings)
    assert action.choices is not None
    return tuple(action.choices)


def _readme_table(heading: str) -> list[list[str]]:
    """The rows (cells, stripped of backticks) of the README table under ``heading``."""
    section = README.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if not set("".join(cells)) <= set("-: "):
            rows.append(cells)
    return rows[1:]   # without the header row


def test_export_formats_are_the_clis_choices_and_the_readmes_table() -> None:
    keys = tuple(f.key for f in EXPORT_FORMATS)
    assert _choices("export", "--format") == keys
    assert [(r[0], r[1]) for r in _readme_table("### Export formats")] == [(f.key, f.label) for f in EXPORT_FORMATS]
    assert len(set(keys)) == len(keys) and all(f.extension and f.purpose and callable(f.write)
                                               for f in EXPORT_FORMATS)
    with pytest.raises(KeyError):
        export_format("docx")


def test_papers_are_the_clis_kinds_and_the_readmes_table() -> None:
    assert _choices("report", "--kind") == (*(p.key for p in PAPERS), *(a for p in PAPERS for a in p.aliases))
    assert [(r[0], r[1]) for r in _readme_table("### Papers")] == [(p.key, p.name) for p in PAPERS]
    assert paper("schedule") is paper("commitments")     # the app's old key stays accepted
    keys = [p.key for p in PAPERS] + [a for p in PAPERS for a in p.aliases]
    assert len(set(keys)) == len(keys)


def test_price_formulas_are_the_readmes_table_and_each_has_a_scorer() -> None:
    assert [(r[0], r[1]) for r in _readme_table("### Price formulas")] == [(m.value, m.label) for m in PriceMethod]
    assert set(FORMULAS) == set(PriceMethod)


def test_import_kinds_are_the_readmes_table() -> None:
    assert [(r[0], r[1]) for r in _readme_table("### Import kinds")] == [(k.key, k.label) for k in IMPORT_KINDS]


def test_the_help_texts_name_every_choice() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    text = re.sub(r"\s+", " ", parser.format_help() + sub.choices["export"].format_help()
                  + sub.choices["report"].format_help())
    for f in EXPORT_FORMATS:
        assert f.label in text
    for p in PAPERS:
        assert p.name in text
