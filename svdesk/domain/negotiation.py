"""The negotiation checklist: citizen-benefit asks put to suppliers and what they offered and agreed.

Placeholder shape, fleshed out by the negotiation work (issue 4).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Checklist:
    """A tender's negotiation checklist (asks and per-supplier outcomes)."""

    items: tuple[object, ...] = ()
