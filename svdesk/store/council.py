"""The council-wide settings in the database (table ``council_setting``, revision 0009), every change audited.

One part of :class:`~svdesk.store.api.Database` (which keeps its methods as a thin face). The keys and their
checks are the domain's (:mod:`svdesk.domain.council`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from svdesk.domain.council import KEYS, CouncilSettings, check_setting
from svdesk.store import audit
from svdesk.store.models import CouncilSettingRow
from svdesk.store.tenders import checked_who

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore


class CouncilRecords:
    """The council's settings in one database."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db

    def council_settings(self) -> CouncilSettings:
        """Every council setting (``""`` for those not set)."""
        with self._db._session("read the council settings", write=False) as s:
            rows = s.execute(select(CouncilSettingRow.key, CouncilSettingRow.value)).all()
        return CouncilSettings.from_stored({r.key: r.value for r in rows})

    def set_council_setting(self, key: str, value: str, *, who: str) -> str:
        """Change one setting (``""`` clears it) in one transaction, audited with the old and new value.

        Returns:
            The value as stored (checked and tidied). Setting the value it already has writes nothing.

        Raises:
            ValidationError: an unknown key or a value the key does not take (nothing written).
            ReadOnlyError: the database is open read-only.
        """
        stored = check_setting(key, value)
        who = checked_who(who)
        label = KEYS[key].label
        with self._db._session(f"change the {label.lower()}", write=True) as s:
            row = s.get(CouncilSettingRow, key)
            before = row.value if row is not None else ""
            if before == stored:
                return stored
            if not stored:
                s.execute(delete(CouncilSettingRow).where(CouncilSettingRow.key == key))
            elif row is None:
                s.add(CouncilSettingRow(key=key, value=stored))
            else:
                row.value = stored
            s.flush()
            action = f"Council setting {key} cleared" if not stored else f"Council setting {key} set"
            audit.append(s, who=who, action=action, tender=None,
                         details={"changes": [{"what": key, "before": before, "after": stored}]})
        return stored

