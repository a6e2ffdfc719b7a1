"""The dates the Procurement Act 2023 sets, computed from the tender's own dates, never typed.

* **Working days** skip Saturdays, Sundays and the bank holidays of the council's nation (England and Wales,
  Scotland, Northern Ireland), taken from the maintained ``holidays`` library (PyPI), which follows the
  dates gov.uk publishes, substitute days included.
* **Standstill** (s.51): the mandatory standstill period is *eight working days beginning with the day on
  which the contract award notice is published*. The assessment summaries go to every bidder, at the same
  time, before the notice (s.50(3)). :func:`standstill_end` is the last of those eight days; the contract may
  be entered into from :func:`earliest_contract_date`.
* **Contract details notice** (s.53(3), and s.87 for a regulated below-threshold contract): to be published
  within 30 days beginning with the day the contract is entered into; :func:`contract_details_notice_due` is
  the last of those 30 calendar days.
* :func:`next_due` says what the officer must do next, and by when, from the tender's key dates.

The committee report and the assessment summaries use these functions, so every paper shows the same dates.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol


class Dated(Protocol):
    """What the calendar reads of a tender (a :class:`~svdesk.domain.tender.Tender` is one): its status and key
    dates. A protocol, so that the tender module can use the calendar without an import circle."""

    @property
    def status(self) -> str: ...

    @property
    def key_dates(self) -> Mapping[str, date]: ...

#: Working days in the mandatory standstill period (s.51(2)).
STANDSTILL_WORKING_DAYS = 8
#: Days, beginning with the day the contract is entered into, to publish the contract details notice.
CONTRACT_DETAILS_DAYS = 30


class Nation(StrEnum):
    """The part of the United Kingdom whose bank holidays the council keeps."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        """The nation as an officer reads it."""
        return {"england-and-wales": "England and Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland"}[self.value]


_SUBDIVISION = {Nation.ENGLAND_AND_WALES: "ENG", Nation.SCOTLAND: "SCT", Nation.NORTHERN_IRELAND: "NIR"}


@functools.lru_cache(maxsize=64)
def _holidays(nation: Nation, year: int) -> dict[date, str]:
    import holidays  # imported when first needed: `svdesk --version` and the window's first paint never pay for it

    return dict(holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year))


def bank_holidays(year: int, nation: Nation = Nation.ENGLAND_AND_WALES) -> dict[date, str]:
    """The bank holidays of ``nation`` in ``year``, by date, with their names (substitute days included)."""
    return dict(sorted(_holidays(Nation(nation), year).items()))


def is_working_day(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> bool:
    """Not a Saturday, a Sunday or a bank holiday of ``nation``."""
    return day.weekday() < 5 and day not in _holidays(Nation(nation), day.year)


def working_day_on_or_after(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """``day`` itself when it is a working day, else the next working day."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day


def nth_working_day(first: date, n: int, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """The ``n``-th working day of a period *beginning with* ``first`` (``first`` counts when it is one).

    Raises:
        ValueError: ``n`` below 1.
    """
    if n < 1:
        raise ValueError(f"a period of {n} working days")
    day = working_day_on_or_after(first, nation)
    for _ in range(n - 1):
        day = working_day_on_or_after(day + timedelta(days=1), nation)
    return day


def standstill_end(award_notice_date: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """The last day of the mandatory standstill: the 8th working day beginning with the day the contract award
    notice (UK6) is published. Example: a notice published on Monday 2 March 2026 → Wednesday 11 March 2026."""
    return nth_working_day(award_notice_date, STANDSTILL_WORKING_DAYS, nation)


def earliest_contract_date(award_notice_date: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """The first day the contract may be entered into: the day after the standstill ends."""
    return standstill_end(award_notice_date, nation) + timedelta(days=1)


def contract_details_notice_due(contract_date: date) -> date:
    """The last day to publish the contract details notice (UK7): the 30th day beginning with the day the contract
    was entered into (calendar days; the same for a regulated below-threshold contract)."""
    return contract_date + timedelta(days=CONTRACT_DETAILS_DAYS - 1)


@dataclass(frozen=True)
class Due:
    """The next thing the Act asks of the officer.

    Attributes:
        what: what to do, in the officer's words.
        by: the date it is due (or, for the standstill, the date it ends); None when there is no deadline.
        overdue: ``by`` has passed and it is not done.
        key: a stable identifier (``assessment_summaries``, ``award_notice``, ``standstill``,
            ``enter_contract``, ``contract_details_notice``, ``done``).
    """

    key: str
    what: str
    by: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class NoticeDates:
    """Every date the Act sets for one tender, computed from its key dates (None where not yet known)."""

    standstill_end: date | None
    earliest_contract: date | None
    contract_details_due: date | None


def notice_dates(t: Dated, nation: Nation = Nation.ENGLAND_AND_WALES) -> NoticeDates:
    """The standstill end, the first day to enter into the contract and the contract details notice's deadline."""
    notice = t.key_dates.get("award_notice")
    signed = t.key_dates.get("contract_signed")
    return NoticeDates(
        standstill_end=None if notice is None else standstill_end(notice, nation),
        earliest_contract=None if notice is None else earliest_contract_date(notice, nation),
        contract_details_due=None if signed is None else contract_details_notice_due(signed),
    )


def next_due(t: Dated, today: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> Due | None:
    """What is due next for an awarded (or about to be awarded) tender, or None before the award stage.

    The order follows the Act: assessment summaries to every bidder → contract award notice (UK6) → standstill
    → enter into the contract → contract details notice (UK7) within 30 days.
    """
    status = str(t.status)                 # a TenderStatus is a StrEnum
    if status not in ("evaluation", "awarded", "closed"):
        return None
    k = t.key_dates
    dates = notice_dates(t, nation)
    if "contract_signed" in k:
        due = dates.contract_details_due
        assert due is not None
        if "contract_details_notice" in k:
            return Due("done", "All notices published", None)
        return Due("contract_details_notice", "Publish the contract details notice (UK7)", due, today > due)
    if "award_notice" in k:
        end = dates.standstill_end
        assert end is not None
        if today <= end:
            return Due("standstill", "Standstill: the contract cannot be entered into until it ends", end)
        return Due("enter_contract", "Enter into the contract, then record the date", dates.earliest_contract)
    if status == "evaluation" and "award_decision" not in k:
        return None
    if "assessment_summaries_sent" not in k:
        return Due("assessment_summaries", "Send the assessment summaries to every bidder, at the same time", None)
    return Due("award_notice", "Publish the contract award notice (UK6): the standstill begins that day", None)


__all__ = [
    "CONTRACT_DETAILS_DAYS",
    "STANDSTILL_WORKING_DAYS",
    "Dated",
    "Due",
    "Nation",
    "NoticeDates",
    "bank_holidays",
    "contract_details_notice_due",
    "earliest_contract_date",
    "is_working_day",
    "next_due",
    "notice_dates",
    "nth_working_day",
    "standstill_end",
    "working_day_on_or_after",
]
