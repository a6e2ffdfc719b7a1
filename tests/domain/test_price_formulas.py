"""Every price formula is one member of PriceMethod with its scorer, name and texts; none falls through."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal as D  # noqa: N817  (the worked examples read as sums)
from pathlib import Path

import pytest

from svdesk.domain.price import FORMULAS, PriceMethod
from svdesk.domain.scoring import price_points
from tests.conftest import ROOT


@pytest.mark.parametrize("method", list(PriceMethod))
def test_every_formula_has_a_scorer_a_name_and_texts(method: PriceMethod) -> None:
    assert FORMULAS[method].score is not None
    assert method.label and method.formula and method.explained
    # the lowest price earns full marks under the lowest-price formulas and at least half under the mean one
    assert D(50) <= price_points(method, D(100), D(90), [D(90), D(100), D(110)]) <= D(100)


@pytest.mark.parametrize(("method", "prices", "expected"), [
    (PriceMethod.LOWEST_PRICE, [D(1_000_000), D(1_200_000), D(2_000_000)], [D(100), D("83.33"), D(50)]),  # Brodies
    (PriceMethod.DEVIATION_FROM_LOWEST, [D(1_000_000), D(1_200_000), D(2_000_000)], [D(100), D(80), D(0)]),
    (PriceMethod.RELATIVE_TO_MEAN, [D(90), D(100), D(110)], [D(60), D(50), D(40)]),   # procurementtemplates
])
def test_each_member_scores_with_its_own_arithmetic(method: PriceMethod, prices: list[D], expected: list[D]) -> None:
    got = [price_points(method, D(100), p, prices).quantize(D("0.01")) for p in prices]
    assert got == expected


def test_a_formula_added_without_a_scorer_stops_the_import(tmp_path: Path) -> None:
    src = (ROOT / "svdesk" / "domain" / "price.py").read_text(encoding="utf-8")
    member = '    RELATIVE_TO_MEAN = "relative_to_mean"\n'
    assert member in src
    probe = tmp_path / "price_probe.py"
    probe.write_text(src.replace(member, member + '    MEDIAN = "median"\n'), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("price_probe", probe)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["price_probe"] = module
    try:
        with pytest.raises(ImportError, match="median"):
            spec.loader.exec_module(module)
    finally:
        del sys.modules["price_probe"]
