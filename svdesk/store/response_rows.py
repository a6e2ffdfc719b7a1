"""Rows ↔ the bidders' answers to the quality and social-value questions (``Bid.responses``).

Like :mod:`svdesk.store.repository`, every function takes the caller's session and never commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from svdesk.domain.tender import Bid
from svdesk.errors import ValidationError
from svdesk.store.models import BidResponseRow, BidRow

Change = dict[str, Any]


def load_responses(session: Session, tender_id: int, code_of: Mapping[int, str]) -> dict[int, dict[str, str]]:
    """``{bid row id: {criterion code: text}}`` for every bid of the tender."""
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for r in session.execute(
        select(BidResponseRow.bid_id, BidResponseRow.criterion_id, BidResponseRow.text)
        .join(BidRow, BidRow.id == BidResponseRow.bid_id).where(BidRow.tender_id == tender_id)
        .order_by(BidResponseRow.bid_id, BidResponseRow.criterion_id)
    ):
        out[r.bid_id][code_of[r.criterion_id]] = r.text
    return out


def response_rows(bid_id: int, b: Bid, crit: Mapping[str, int]) -> list[dict[str, Any]]:
    """The ``bid_response`` rows of one bid."""
    rows = []
    for code, text in b.responses.items():
        if code not in crit:
            raise ValidationError(f"bids[{b.supplier}].responses.{code}", "no criterion has this id")
        rows.append({"bid_id": bid_id, "criterion_id": crit[code], "text": text})
    return rows


def write_responses(session: Session, bid_id: int, old: Bid, new: Bid, crit: Mapping[str, int],
                    changes: list[Change]) -> None:
    """Rewrite a bid's answers when they changed, recording each changed one for the audit log."""
    if old.responses == new.responses:
        return
    session.execute(delete(BidResponseRow).where(BidResponseRow.bid_id == bid_id))
    rows = response_rows(bid_id, new, crit)
    if rows:
        session.execute(insert(BidResponseRow), rows)
    for code in dict.fromkeys([*old.responses, *new.responses]):
        before, after = old.responses.get(code), new.responses.get(code)
        if before != after:
            changes.append({"what": f"bids[{new.supplier}].responses.{code}", "before": before, "after": after})
