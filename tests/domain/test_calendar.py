"""The Act's dates: working days with each nation's bank holidays, the standstill, the contract details notice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from svdesk.domain.calendar import (
    Nation,
    bank_holidays,
    contract_details_notice_due,
    earliest_contract_date,
    is_working_day,
    next_due,
    notice_dates,
    standstill_end,
)
from svdesk.domain.tender import Tender, TenderStatus, set_key_date

D = date

# The bank holidays gov.uk publishes (https://www.gov.uk/bank-holidays), 2025–2027.
PUBLISHED = {
    Nation.ENGLAND_AND_WALES: {
        2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25),
               D(2025, 12, 25), D(2025, 12, 26)],
        2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
               D(2026, 12, 25), D(2026, 12, 28)],
        2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
               D(2027, 12, 27), D(2027, 12, 28)],
    },
    Nation.SCOTLAND: {
        2025: [D(2025, 1, 1), D(2025, 1, 2), D(2025, 4, 18), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 4),
               D(2025, 12, 1), D(2025, 12, 25), D(2025, 12, 26)],
        # 15 June 2026: the one-off bank holiday proclaimed for Scotland's World Cup match.
        2026: [D(2026, 1, 1), D(2026, 1, 2), D(2026, 4, 3), D(2026, 5, 4), D(2026, 5, 25), D(2026, 6, 15),
               D(2026, 8, 3), D(2026, 11, 30), D(2026, 12, 25), D(2026, 12, 28)],
        2027: [D(2027, 1, 1), D(2027, 1, 4), D(2027, 3, 26), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 2),
               D(2027, 11, 30), D(2027, 12, 27), D(2027, 12, 28)],
    },
    Nation.NORTHERN_IRELAND: {
        2025: [D(2025, 1, 1), D(2025, 3, 17), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
               D(2025, 7, 14), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
        2026: [D(2026, 1, 1), D(2026, 3, 17), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
               D(2026, 7, 13), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
        2027: [D(2027, 1, 1), D(2027, 3, 17), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
               D(2027, 7, 12), D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
    },
}


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_bank_holidays_are_the_published_ones(nation: Nation, year: int) -> None:
    """Weekday bank holidays, as gov.uk lists them (the library also names the weekend days a substitute
    replaces; those are not working days anyway)."""
    got = [d for d in bank_holidays(year, nation) if d.weekday() < 5]
    assert got == PUBLISHED[nation][year]
    for d in got:
        assert not is_working_day(d, nation)


def test_standstill_counts_eight_working_days_beginning_with_the_notice_day() -> None:
    assert standstill_end(D(2026, 3, 2)) == D(2026, 3, 11)              # Mon → Wed of the next week
    assert earliest_contract_date(D(2026, 3, 2)) == D(2026, 3, 12)
    # Published on a Saturday: the period begins on the Monday.
    assert standstill_end(D(2026, 3, 7)) == D(2026, 3, 18)
    # Over Easter 2026 (Good Friday 3 April, Easter Monday 6 April in England; not Easter Monday in Scotland).
    assert standstill_end(D(2026, 3, 31)) == D(2026, 4, 13)
    assert standstill_end(D(2026, 3, 31), Nation.SCOTLAND) == D(2026, 4, 10)
    # Christmas 2026: 25 and 28 December are bank holidays; 1 January 2027 too.
    assert standstill_end(D(2026, 12, 21)) == D(2027, 1, 4)
    # St Andrew's Day (30 November 2026) only in Scotland; 17 March only in Northern Ireland.
    assert standstill_end(D(2026, 11, 30)) == D(2026, 12, 9)
    assert standstill_end(D(2026, 11, 30), Nation.SCOTLAND) == D(2026, 12, 10)
    assert standstill_end(D(2027, 3, 16), Nation.NORTHERN_IRELAND) == D(2027, 3, 30)
    assert standstill_end(D(2027, 3, 16)) == D(2027, 3, 25)


def test_contract_details_notice_within_30_days_beginning_with_the_contract_day() -> None:
    assert contract_details_notice_due(D(2026, 4, 1)) == D(2026, 4, 30)
    assert contract_details_notice_due(D(2026, 12, 15)) == D(2027, 1, 13)


def _tender(status: TenderStatus = TenderStatus.AWARDED, **dates: date) -> Tender:
    t = Tender("NET-2026-01", "Network", status=status)
    for k, v in dates.items():
        t = set_key_date(t, k, v)
    return t


def test_next_due_follows_the_act() -> None:
    today = D(2026, 3, 5)
    assert next_due(_tender(TenderStatus.NEGOTIATION), today) is None
    due = next_due(_tender(), today)
    assert due is not None and due.key == "assessment_summaries"
    due = next_due(_tender(assessment_summaries_sent=D(2026, 3, 2)), today)
    assert due is not None and due.key == "award_notice"
    t = _tender(assessment_summaries_sent=D(2026, 3, 2), award_notice=D(2026, 3, 2))
    due = next_due(t, today)
    assert due is not None and (due.key, due.by, due.overdue) == ("standstill", D(2026, 3, 11), False)
    due = next_due(t, D(2026, 3, 12))
    assert due is not None and (due.key, due.by) == ("enter_contract", D(2026, 3, 12))
    t = set_key_date(t, "contract_signed", D(2026, 3, 20))
    due = next_due(t, D(2026, 4, 20))
    assert due is not None and (due.key, due.by, due.overdue) == ("contract_details_notice", D(2026, 4, 18), True)
    assert notice_dates(t).standstill_end == D(2026, 3, 11)
    t = set_key_date(t, "contract_details_notice", D(2026, 4, 2))
    due = next_due(t, D(2026, 4, 20))
    assert due is not None and due.key == "done"
    assert next_due(replace(t, status=TenderStatus.CLOSED), D(2026, 4, 20)) == due
