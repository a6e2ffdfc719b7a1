"""Small tenders and files shared by the files-in-and-out tests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender, TenderStatus
from svdesk.domain.values import Commitment, Locality, Theme
from tests.conftest import ROOT

D = Decimal
DEMO = ROOT / "resources" / "demo" / "network-tender.json"


def small_tender() -> Tender:
    """Price 50, quality 30 (0–5, threshold 2), social value 10 (0–10), commitments 10; two bids."""
    return Tender(
        reference="ICT-2026-07",
        title="Library Wi-Fi",
        buyer="Ashbourne District Council",
        status=TenderStatus.EVALUATION,
        annual_value=D("45000.00"),
        term_years=2,
        criteria=(
            Criterion("price", "Price", CriterionKind.PRICE, D(50), method="lowest_price"),
            Criterion("q1", "Service delivery", CriterionKind.QUALITY, D(30), scale_max=D(5), threshold=D(2)),
            Criterion("sv1", "Social value approach", CriterionKind.SOCIAL_VALUE, D(10), scale_max=D(10)),
            Criterion("sv2", "Commitments", CriterionKind.COMMITMENTS, D(10), method="highest_value"),
        ),
        bids=(
            Bid("Acme Networks Ltd", price=D("90000.00"), scores={"q1": D(4), "sv1": D(6)},
                explanations={"q1": "Clear plan", "sv1": "Some local partners"},
                evaluator_scores={"q1": {"AB": D(4), "CD": D(3)}},
                commitments=(Commitment("apprentices", D(2), D("25000"), "Two apprentices", Theme.SKILLS,
                                        Locality.LOCAL),)),
            Bid("Dales Digital CIC", price=D("95000.00"), sme=True, vcse=True, locality=Locality.LOCAL,
                scores={"q1": D(3), "sv1": D(9)}, explanations={"q1": "Adequate", "sv1": "Strong"},
                commitments=(Commitment("skills-sessions", D(40), D("120"), "=HYPERLINK(\"http://x\")",
                                        Theme.SKILLS, Locality.LOCAL),)),
        ),
    )


def awarded(t: Tender) -> Tender:
    """The same tender, awarded."""
    return replace(t, status=TenderStatus.AWARDED)
