"""What the officer writes for a tender's committee report: purpose, background, options, implications …

svdesk fills in what it knows (the recommendation, the evaluation, the results, social value, the procedure);
these are the sections only the officer can write. A section nobody has written is printed as a visible
"[to be completed: …]" and listed by the readiness check (:func:`unwritten`). They are per tender, in the tender
file's ``report`` section and in the database (table ``report_text``), and not frozen by an award: a committee
report is often redrafted after the evaluation is final.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from svdesk.domain.values import check_text

#: Each section: (field, its title in the report, what the officer should write).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("committee", "Committee", "the committee or decision-maker, e.g. Policy and Resources Committee"),
    ("meeting_date", "Date of meeting", "the date of the meeting, e.g. 14 January 2027"),
    ("purpose", "Purpose of the report", "why the report comes to the committee, in a sentence or two"),
    ("delegation", "Delegation", "who is authorised to conclude the contract, e.g. the Director of Resources"),
    ("background", "Background", "the service, the current contract and why it is being bought now"),
    ("options", "Options considered and rejected", "the other options (extend, in-house, framework) and why not"),
    ("financial", "Financial implications", "the budget, how the contract is funded, savings or pressures"),
    ("legal", "Legal implications", "anything beyond the procedure set out by svdesk"),
    ("equalities", "Equalities implications", "the equality impact assessment and its findings"),
    ("risk", "Risk implications", "the main risks of the award and how they are managed"),
    ("climate", "Climate and environmental implications", "the carbon and environmental effects"),
    ("data_protection", "Data protection implications", "personal data the contract handles, DPIA"),
    ("wards", "Wards affected", "the wards affected, or All wards"),
    ("key_decision", "Key decision", "whether this is a key decision, and its Forward Plan reference"),
    ("contact_officer", "Contact officer", "name, job title, telephone and email of the contact officer"),
    ("background_papers", "Background papers", "the papers relied on, or None"),
)
SECTION_TITLES = {name: title for name, title, _ in SECTIONS}
_LIMIT = 10_000


@dataclass(frozen=True)
class ReportTexts:
    """The officer's own sections of a tender's committee report (empty: not written yet).

    Attributes:
        publish_bidder_details: the officer chose, explicitly, to print the named unsuccessful bidders' prices
            and scores in the public report; by default they go into the exempt appendix (Schedule 12A,
            paragraph 3).
    """

    committee: str = ""
    meeting_date: str = ""
    purpose: str = ""
    delegation: str = ""
    background: str = ""
    options: str = ""
    financial: str = ""
    legal: str = ""
    equalities: str = ""
    risk: str = ""
    climate: str = ""
    data_protection: str = ""
    wards: str = ""
    key_decision: str = ""
    contact_officer: str = ""
    background_papers: str = ""
    publish_bidder_details: bool = False

    def text_of(self, name: str) -> str:
        """One section's text (``""`` when not written)."""
        value = getattr(self, name)
        assert isinstance(value, str)
        return value

    @property
    def is_empty(self) -> bool:
        """Nothing written and nothing chosen."""
        return self == ReportTexts()


def check_report_texts(r: ReportTexts, where: str = "report") -> ReportTexts:
    """The texts stripped and checked (no hidden control characters, at most 10,000 characters each).

    Raises:
        ValidationError: names ``where.<section>`` and what is wrong.
    """
    changes = {f.name: check_text(getattr(r, f.name), f"{where}.{f.name}", limit=_LIMIT)
               for f in fields(r) if f.name in SECTION_TITLES}
    return replace(r, **changes)  # type: ignore[arg-type]  # every key is a text section


def unwritten(r: ReportTexts) -> tuple[str, ...]:
    """The titles of the sections nobody has written yet, in report order."""
    return tuple(title for name, title, _ in SECTIONS if not r.text_of(name).strip())

