"""The publication record (revision 0006): stored apart from the frozen evaluation, assignable after the award."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from svdesk.domain import tender as T
from svdesk.domain.calendar import Nation
from svdesk.domain.publication import Address, Award, Classification, Lot, Publication
from svdesk.io.ocds import assign_identities
from svdesk.store import api
from tests.store.helpers import demo

WHO = "Priya Shah"


def test_publication_is_kept_and_stays_editable_after_the_award(db: api.Database) -> None:
    t = demo()
    db.create_tender(t, who=WHO)
    assert db.load_tender(t.reference).publication == Publication()
    awarded = T.set_key_date(replace(t, status=T.TenderStatus.AWARDED), "award_notice", date(2026, 12, 11))
    db.save_tender(awarded, previous=t, who=WHO, action="Award")
    pub = Publication(
        classifications=(Classification("CPV", "72400000", "Internet services"),),
        lots=(Lot("L1", "North", Decimal("1.50"), ("Acme Networks Ltd",)),),
        awards=(Award("A1", "", Decimal("540000.00"), ("Acme Networks Ltd",), "L1"),),
        buyer_scheme="GB-PPON", buyer_id="PXYZ-9876-ABCD", buyer_address=Address("Town Hall", "Ashbourne", "",
                                                                                 "DE6 1ES"),
        method="open", main_category="services", above_threshold=True, contract_value=Decimal("5800000.00"),
        nation=Nation.SCOTLAND,
    )
    published = assign_identities(replace(awarded, publication=pub), "ocds-abc123")
    db.save_tender(published, previous=awarded, who=WHO, action="Record the published ocid")
    back = db.load_tender(t.reference)
    assert back == published
    assert back.publication.ocid == "ocds-abc123-NET-2026-01" and len(back.publication.party_ids) == len(t.bids)
    changes = db.audit_entries(t.reference)[-1].details["changes"]
    assert any(c["what"] == "publication" for c in changes)
    cleared = replace(back, publication=Publication())
    db.save_tender(cleared, previous=back, who=WHO, action="Clear")
    assert db.load_tender(t.reference).publication == Publication()
