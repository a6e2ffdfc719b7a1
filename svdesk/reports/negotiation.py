"""Negotiation papers: the checklist to take into a supplier meeting, and the agreed-commitments schedule.

* :class:`NegotiationChecklist` prints each ask with the question to put, why it matters, the evidence to ask
  for and what to write down to value it, with tick boxes and ruled space to write in the meeting. Printed for
  one supplier it also shows where each ask stood with *that* supplier and what they had offered; printed
  without a supplier it is a blank checklist, safe to take into any meeting. It never shows one supplier's
  offers to another, and never the officer's private notes.
* :class:`CommitmentsSchedule` is the schedule for the contract: each agreed benefit with its contract wording,
  KPI, value to residents, cost to the council and how often the supplier reports. By default it is the
  recommended supplier's schedule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Table,
)

from svdesk.domain.checklist import Ask, AskStatus, Outcome, value_per_year
from svdesk.domain.money import format_gbp
from svdesk.domain.negotiation import commitments_schedule, supplier_totals
from svdesk.domain.tender import Tender
from svdesk.domain.values import Locality
from svdesk.errors import SvdeskError
from svdesk.reports import styles
from svdesk.reports.base import MIN_FACT_PART, Renderer, plural, text
from svdesk.reports.flow import Paragraph
from svdesk.reports.options import ReportOptions

BOX = "\u2610"          # ☐ (DejaVu Sans has it)
TICKED = "\u2612"       # ☒
_STATUSES = (AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED, AskStatus.DECLINED)


def _supplier(tender: Tender, supplier: str | None) -> str | None:
    if supplier is None:
        return None
    for b in tender.bids:
        if b.supplier.casefold() == supplier.strip().casefold():
            return b.supplier
    raise SvdeskError(f"--supplier: {tender.reference} has no bid from {supplier!r}")


def _recommended(tender: Tender) -> str | None:
    """The single first-ranked supplier, or ``None`` (not scorable yet, or tied)."""
    from svdesk.domain.scoring import score_tender
    from svdesk.errors import ScoringError

    try:
        winners = score_tender(tender, compare=False).winners
    except ScoringError:
        return None
    return winners[0].supplier if len(winners) == 1 else None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def completed_clause(tender: Tender, ask_id: str, clause: str) -> str:
    """Contract wording with any placeholder still unfilled written as "[to be completed: …]"."""
    ask = next((i.ask for i in tender.checklist.items if i.ask.id == ask_id), None)
    labels = {i.name: i.label for i in ask.inputs} if ask is not None else {}

    def blank(m: re.Match[str]) -> str:
        label = labels.get(m.group(1)) or m.group(1).replace("_", " ")
        return f"[to be completed: {label.lower()}]"

    return _PLACEHOLDER.sub(blank, clause)


class NegotiationChecklist(Renderer):
    """The negotiation checklist to print and take into a supplier meeting.

    Args:
        tender: the tender with its checklist of asks.
        options: authority, officer, date, marking, deterministic flag.
        supplier: print for this supplier (their progress and offers so far); ``None`` for a blank checklist.
    """

    kind = "Negotiation checklist"
    kind_id = "checklist"

    def __init__(self, tender: Tender, options: ReportOptions, *, supplier: str | None = None) -> None:
        super().__init__(tender, options)
        self.supplier = _supplier(tender, supplier)

    def _fingerprint_extra(self) -> dict[str, Any]:
        return {"supplier": self.supplier}

    @property
    def title(self) -> str:
        """The PDF's title (naming the supplier when printed for one)."""
        who = f" — {self.supplier}" if self.supplier else ""
        return f"{self.kind}: {self.tender.reference} {self.tender.title}{who}"

    def _story(self) -> list[Flowable]:
        t, o = self.tender, self.options
        items = t.checklist.items
        out: list[Flowable] = [
            NextPageTemplate("body"),
            *self.letterhead(),
            self.p(self.kind, "DocTitle"),
            self.p(f"{text(t.title)} (reference {text(t.reference)})", "DocRef"),
        ]
        out.append(self.facts([
            ("Supplier", f"<b>{text(self.supplier)}</b>" if self.supplier else self._blank(70)),
            ("Meeting date", self._blank(40)),
            ("Council attendees", text(o.officer) + " " + self._blank(40) if o.officer else self._blank(70)),
            ("Supplier attendees", self._blank(70)),
        ], label_width=42 * mm))
        out.append(self.gap(3))
        if not items:
            out.append(self.p("This tender has no asks on its checklist yet. Add asks from the library first."))
            return out
        intro = (f"{plural(len(items), 'ask')} to put to the supplier. For each: read the question, tick where it "
                 "stands at the end of the meeting, and note the offer and the numbers needed to value it. "
                 "Enter the answers in svdesk afterwards.")
        if self.supplier:
            tot = supplier_totals(t, self.supplier)
            intro += (f" So far with this supplier: {tot.put} put, {tot.agreed} agreed, {tot.declined} declined, "
                      f"agreed benefits worth {format_gbp(tot.value_per_year)} a year to residents.")
        out.append(self.p(intro, "Small"))
        for n, item in enumerate(items, 1):
            outcome = t.checklist.outcome(item.ask.id, self.supplier) if self.supplier else None
            out.append(self._ask_block(n, item.ask, outcome))
        out += [CondPageBreak(50 * mm), self.p("Anything else offered or agreed", "H2"),
                self._lines(6), self.gap(4), self.p("Follow-up actions", "H2"), self._lines(4)]
        return out

    def _blank(self, width_chars: int) -> str:
        return "<font color='#666666'>" + "_" * (width_chars // 2) + "</font>"

    def _lines(self, n: int, height: float = 7.5 * mm) -> Table:
        t = Table([[""]] * n, colWidths=[self.frame_width], rowHeights=[height] * n)
        t.setStyle(styles.table_style([("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE)]))
        return t

    def _ask_block(self, n: int, ask: Ask, outcome: Outcome | None) -> Flowable:
        cell, small = self.style["Cell"], self.style["Small"]
        w = self.frame_width
        rows: list[list[Any]] = []
        style: list[tuple[Any, ...]] = [
            ("BOX", (0, 0), (-1, -1), 0.6, styles.RULE),
            ("BACKGROUND", (0, 0), (-1, 0), styles.STRIPE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        rows.append([Paragraph(f"<b>{n}. {text(ask.title)}</b> <font color='#5a5a5a' size=7.5>· "
                               f"{text(ask.theme.label)}</font>", self.style["Value"])])
        rows.append([Paragraph(f"<b>Ask:</b> {text(ask.question)}", cell)])
        if ask.why:
            rows.append([Paragraph(f"<font color='#5a5a5a'>Why it matters: {text(ask.why)}</font>", small)])
        if ask.evidence:
            rows.append([Paragraph(f"<font color='#5a5a5a'>Evidence to ask for: {text(ask.evidence)}</font>", small)])
        if outcome is not None and outcome.status.is_put:
            so_far = f"<b>So far:</b> {text(outcome.status.label)}"
            if outcome.offer:
                so_far += f" — offer: “{text(outcome.offer)}”"
            v = value_per_year(ask, outcome)
            if v is not None and outcome.status in (AskStatus.OFFERED, AskStatus.AGREED):
                so_far += f" (worth {format_gbp(v)} a year)"
            rows.append([Paragraph(so_far, cell)])
        current = outcome.status if outcome is not None else None
        boxes = "    ".join(f"<font size=11>{TICKED if s is current else BOX}</font> {s.label}" for s in _STATUSES)
        rows.append([Paragraph(f"<b>Where it stands:</b>  {boxes}", cell)])
        first_line = len(rows)
        rows.append([Paragraph("<font color='#5a5a5a'>Offer, in the supplier's words:</font>", small)])
        rows.append([""])
        rows.append([""])
        style += [("LINEBELOW", (0, first_line + 1), (-1, first_line + 2), 0.4, styles.RULE),
                  ("LINEABOVE", (0, first_line), (-1, first_line), 0.4, styles.RULE)]
        # Numbers to value it: one labelled blank per input, plus beneficiaries, cost and follow-up.
        fields = [f"{text(i.label)}{f' ({text(i.unit)})' if i.unit else ''}" for i in ask.inputs]
        fields += ["Residents who benefit", "Cost to the council per year (£)", "Follow up by (date)"]
        pairs = [fields[k:k + 2] for k in range(0, len(fields), 2)]
        value_rows = [[Paragraph(f"<font color='#5a5a5a'>{f}</font>", small) for f in pair] + [""] * (2 - len(pair))
                      for pair in pairs]
        inner = Table(value_rows, colWidths=[(w - 10) / 2] * 2, rowHeights=[8.5 * mm] * len(value_rows))
        inner.setStyle(styles.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
        rows.append([inner])
        heights: list[float | None] = [None] * len(rows)
        heights[first_line + 1] = heights[first_line + 2] = 7 * mm
        # A very long offer (up to 10,000 characters) may run over a page: only such a row is split.
        block = Table(rows, colWidths=[w], rowHeights=heights, splitInRow=MIN_FACT_PART)
        block.setStyle(styles.table_style(style))
        return KeepTogether([block, self.gap(3)])


class CommitmentsSchedule(Renderer):
    """The agreed-commitments schedule for the contract.

    Args:
        tender: the tender with its checklist.
        options: authority, officer, date, marking, deterministic flag.
        supplier: whose agreed asks to schedule; ``None`` means the recommended (first-ranked) supplier, or
            every supplier with agreed asks when there is no single one yet.
    """

    kind = "Agreed commitments schedule"
    kind_id = "commitments"

    def __init__(self, tender: Tender, options: ReportOptions, *, supplier: str | None = None) -> None:
        super().__init__(tender, options)
        self.supplier = _supplier(tender, supplier) if supplier else _recommended(tender)

    def _fingerprint_extra(self) -> dict[str, Any]:
        return {"supplier": self.supplier}

    @property
    def title(self) -> str:
        """The PDF's title (naming the supplier when it is one supplier's schedule)."""
        who = f" — {self.supplier}" if self.supplier else ""
        return f"{self.kind}: {self.tender.reference} {self.tender.title}{who}"

    def _story(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [
            NextPageTemplate("body"),
            *self.letterhead(),
            self.p(self.kind, "DocTitle"),
            self.p(f"{text(t.title)} (reference {text(t.reference)})", "DocRef"),
            self.p(
                "The citizen benefits the supplier agreed during negotiation, to be written into the contract. "
                f"The supplier reports against each KPI as often as shown. Values are to residents, per year and "
                f"over the contract term of {plural(t.term_years, 'year')}; the council's cost is per year.",
                "Small"),
        ]
        names = [self.supplier] if self.supplier else list(dict.fromkeys(
            r.supplier for r in commitments_schedule(t)))
        if not names:
            out.append(self.p("No asks have been agreed with any supplier yet, so there is nothing to schedule."))
            return out
        for i, name in enumerate(names):
            if i:
                out += [NextPageTemplate("body"), PageBreak()]
            out += self._supplier_schedule(name)
        return out

    def _supplier_schedule(self, name: str) -> list[Flowable]:
        t = self.tender
        rows = commitments_schedule(t, name)
        out: list[Flowable] = [self.p(f"Schedule for {text(name)}", "H1")]
        out += self._tendered(name)
        out.append(self.p("Citizen benefits agreed in negotiation", "H2"))
        if not rows:
            out.append(self.p("No asks from the council's checklist were agreed with this supplier; the commitments "
                              "in its tender above are still part of the contract."))
            out += self._signatures(name)
            return out
        body: list[list[Flowable | str]] = []
        per_year = over_term = cost = Decimal(0)
        unvalued = 0
        for n, r in enumerate(rows, 1):
            who = r.delivered_by.label.lower() + (f" ({r.partner})" if r.partner else "")
            what = f"<b>{text(r.commitment)}</b>"
            if r.offer:
                what += f"<br/>{text(r.offer)}"
            if r.clause:
                clause = text(completed_clause(t, r.ask_id, r.clause))
                what += f"<br/><font color='#5a5a5a' size=7.5>Contract wording: {clause}</font>"
            what += f"<br/><font color='#5a5a5a' size=7.5>{text(r.theme.label)} · delivered by {text(who)}</font>"
            if r.value_per_year is None:
                value = "Not valued yet"
                unvalued += 1
            else:
                value = (f"{format_gbp(r.value_per_year)}\u00a0a\u00a0year<br/>"
                         f"{format_gbp(r.value_over_term)} over the term")
                per_year += r.value_per_year
                over_term += r.value_over_term or Decimal(0)
            if r.beneficiaries:
                value += f"<br/>{r.beneficiaries:,} residents"
            cost += r.cost_to_council
            body.append([
                Paragraph(str(n), self.style["CellCentre"]),
                Paragraph(what, self.style["Cell"]),
                text(r.kpi or "To be agreed"),
                Paragraph(value, self.style["CellRight"]),
                Paragraph(format_gbp(r.cost_to_council), self.style["CellRight"]),
                text(r.reporting.label),
            ])
        body.append([
            "", Paragraph(f"<b>Total: {plural(len(rows), 'commitment')}</b>"
                          + (f" ({unvalued} not valued yet)" if unvalued else ""), self.style["Cell"]), "",
            Paragraph(f"<b>{format_gbp(per_year)}\u00a0a\u00a0year<br/>{format_gbp(over_term)} over the term</b>",
                      self.style["CellRight"]),
            Paragraph(f"<b>{format_gbp(cost)}</b>", self.style["CellRight"]), "",
        ])
        out += self.table(["No.", "Commitment", "KPI (what the supplier reports)", ("Value to residents", "right"),
                           ("Cost to council a year", "right"), "Reporting"], body, [8, 60, 40, 32, 18, 18])
        out += self._signatures(name)
        return out

    def _signatures(self, name: str) -> list[Flowable]:
        return [self.gap(6), self.p("Agreed on behalf of", "H2"),
                self.sign_off_table([(f"The supplier: {name}", ""), (f"The council: {self.options.authority}",
                                                                     self.options.officer)])]

    def _tendered(self, name: str) -> list[Flowable]:
        """The supplier's own social-value commitments from its tender (what it was scored on)."""
        bid = self.tender.bid(name)
        out: list[Flowable] = [self.p("Social value commitments made in the tender", "H2")]
        if not bid.commitments:
            return [*out, self.p("The tender made no £-valued social value commitments.", "Small")]
        body: list[list[Flowable | str]] = []
        for c in bid.commitments:
            body.append([
                text(c.description or c.measure),
                text(c.theme.label if c.theme else "Not themed"),
                "Local" if c.locality is Locality.LOCAL else "Wider",
                Paragraph(f"{c.quantity.normalize():,f}", self.style["CellRight"]),
                Paragraph(format_gbp(c.unit_value), self.style["CellRight"]),
                Paragraph(format_gbp(c.value), self.style["CellRight"]),
            ])
        body.append([Paragraph("<b>Total</b>", self.style["Cell"]), "", "", "", "",
                     Paragraph(f"<b>{format_gbp(bid.commitments_value())}</b>", self.style["CellRight"])])
        return [*out, *self.table(["Commitment", "Theme", "Where", ("Quantity", "right"), ("Unit value", "right"),
                                   ("Value", "right")], body, [60, 40, 14, 16, 22, 24])]


__all__: Sequence[str] = ["CommitmentsSchedule", "NegotiationChecklist"]
