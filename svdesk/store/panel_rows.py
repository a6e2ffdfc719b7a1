"""Rows ↔ the evaluation panel (:mod:`svdesk.domain.panel`): load, insert and write what changed.

Like :mod:`svdesk.store.repository`, every function takes the caller's session and never commits. A panel
is a handful of rows, so an edit rewrites the changed members' rows and reports each member's change for
the audit log (``panel.members[KT]``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from svdesk.domain.panel import Declaration, Member, Mitigation, Panel, Role
from svdesk.domain.tender import Tender
from svdesk.store.audit import jsonable
from svdesk.store.models import PanelMemberRow, PanelProceedRow

Change = dict[str, Any]


def load_panel(session: Session, tender_id: int) -> Panel:
    """The tender's panel (empty when it has none)."""
    rows = session.scalars(select(PanelMemberRow).where(PanelMemberRow.tender_id == tender_id)
                           .order_by(PanelMemberRow.position, PanelMemberRow.id)).all()
    reason = session.execute(select(PanelProceedRow.reason).where(PanelProceedRow.tender_id == tender_id)
                             ).scalar_one_or_none()
    return Panel(tuple(_member(r) for r in rows), reason or "")


def _member(r: PanelMemberRow) -> Member:
    declaration = None
    if r.declared_on is not None:
        declaration = Declaration(declared_on=r.declared_on, conflict=r.conflict, details=r.details,
                                  bidders=tuple(json.loads(r.bidders)), mitigation=Mitigation(r.mitigation),
                                  mitigation_text=r.mitigation_text)
    return Member(initials=r.initials, name=r.name, role=Role(r.role), declaration=declaration,
                  pack_sent=r.pack_sent, pack_sha256=r.pack_sha256, returned=r.returned,
                  return_sha256=r.return_sha256)


def _values(m: Member) -> dict[str, Any]:
    d = m.declaration
    return {
        "initials": m.initials, "initials_key": m.initials.casefold(), "name": m.name, "role": m.role.value,
        "declared_on": None if d is None else d.declared_on, "conflict": d is not None and d.conflict,
        "details": "" if d is None else d.details,
        "bidders": json.dumps(list(d.bidders) if d is not None else [], ensure_ascii=False),
        "mitigation": (Mitigation.NONE if d is None else d.mitigation).value,
        "mitigation_text": "" if d is None else d.mitigation_text,
        "pack_sent": m.pack_sent, "pack_sha256": m.pack_sha256, "returned": m.returned,
        "return_sha256": m.return_sha256,
    }


def insert_panel(session: Session, tender_id: int, p: Panel) -> None:
    """Insert a whole panel for a new tender."""
    if p.members:
        session.execute(insert(PanelMemberRow), [{"tender_id": tender_id, "position": i, **_values(m)}
                                                 for i, m in enumerate(p.members)])
    if p.proceed_reason:
        session.execute(insert(PanelProceedRow).values(tender_id=tender_id, reason=p.proceed_reason))


def write_panel(session: Session, tender_id: int, old: Tender, new: Tender, changes: list[Change]) -> None:
    """Write what differs between the old and the new panel, appending the changes for the audit log."""
    op, np = old.panel, new.panel
    if op == np:
        return
    old_by = {m.initials.casefold(): m for m in op.members}
    new_by = {m.initials.casefold(): m for m in np.members}
    for key, m in old_by.items():
        if key not in new_by:
            session.execute(delete(PanelMemberRow).where(PanelMemberRow.tender_id == tender_id,
                                                         PanelMemberRow.initials_key == key))
            changes.append({"what": f"panel.members[{m.initials}]", "before": jsonable(m), "after": None})
    for pos, m in enumerate(np.members):
        key = m.initials.casefold()
        before = old_by.get(key)
        if before is None:
            session.execute(insert(PanelMemberRow).values(tender_id=tender_id, position=pos, **_values(m)))
        elif before != m or [x.initials.casefold() for x in op.members].index(key) != pos:
            session.execute(update(PanelMemberRow).where(PanelMemberRow.tender_id == tender_id,
                                                         PanelMemberRow.initials_key == key)
                            .values(position=pos, **_values(m)))
        if before != m:
            changes.append({"what": f"panel.members[{m.initials}]", "before": jsonable(before),
                            "after": jsonable(m)})
    if op.proceed_reason != np.proceed_reason:
        session.execute(delete(PanelProceedRow).where(PanelProceedRow.tender_id == tender_id))
        if np.proceed_reason:
            session.execute(insert(PanelProceedRow).values(tender_id=tender_id, reason=np.proceed_reason))
        changes.append({"what": "panel.proceed_reason", "before": op.proceed_reason, "after": np.proceed_reason})
