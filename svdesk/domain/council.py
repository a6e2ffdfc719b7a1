"""The council's own settings: its name and address on the papers, its logo, the defaults for a new tender.

Council-wide settings are kept in the database (so the CLI, the papers and every officer on a shared server see
the same ones); this module knows the keys, what each may hold and how a typed value is checked and tidied.
Nothing here touches the database or the file system: :mod:`svdesk.store.council` stores them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from svdesk.domain.values import check_text
from svdesk.errors import ValidationError

#: The ocid prefix a council registers with the Open Contracting Partnership (e.g. ``ocds-b5fd17``).
_OCID_PREFIX = re.compile(r"^ocds-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
#: An evaluator's initials: letters, 1 to 4 of them (a hyphen or digit allowed after the first letter).
_INITIALS = re.compile(r"^[A-Z][A-Z0-9-]{0,3}$")


def _name(value: str) -> str:
    return check_text(value, "council.name", limit=200).replace("\n", " ")


def _address(value: str) -> str:
    # Typed on one line in the CLI: "; " or a literal "\n" separates the lines of the address.
    text = value.replace("\\n", "\n")
    lines = [line.strip() for line in check_text(text, "council.address", limit=500).splitlines()]
    return "\n".join(line for line in lines if line)


def _path(key: str, suffixes: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = check_text(value, key, limit=1000)
        if text and not text.lower().endswith(suffixes):
            raise ValidationError(key, f"must be a {' or '.join(suffixes)} file (got {text!r})")
        return text
    return check


def _weights(value: str) -> str:
    text = check_text(value, "weights.default", limit=100)
    if not text:
        return ""
    parts = [p.strip() for p in re.split(r"[,/ ]+", text) if p.strip()]
    try:
        numbers = [Decimal(p) for p in parts]
    except InvalidOperation:
        raise ValidationError("weights.default", f"must be three numbers for price, quality and social value, "
                                                 f"e.g. 40,40,20 (got {text!r})") from None
    if len(numbers) != 3 or any(not n.is_finite() or n < 0 or n > 100 for n in numbers):
        raise ValidationError("weights.default", f"must be three numbers from 0 to 100 for price, quality and "
                                                 f"social value, e.g. 40,40,20 (got {text!r})")
    total = sum(numbers, Decimal(0))
    if abs(total - 100) > Decimal("0.001"):
        raise ValidationError("weights.default", f"must total 100 (these total {total.normalize():f})")
    return ",".join(f"{n.normalize():f}" for n in numbers)


def _panel(value: str) -> str:
    text = check_text(value, "panel.default", limit=200)
    members = [m.strip().upper() for m in re.split(r"[,; ]+", text) if m.strip()]
    for m in members:
        if not _INITIALS.match(m):
            raise ValidationError("panel.default", f"{m!r} is not an evaluator's initials (1 to 4 letters, e.g. KT)")
    seen: set[str] = set()
    for m in members:
        if m in seen:
            raise ValidationError("panel.default", f"{m} is listed twice")
        seen.add(m)
    return ",".join(members)


def _prefix(value: str) -> str:
    text = check_text(value, "ocds.prefix", limit=100)
    if text and not _OCID_PREFIX.match(text):
        raise ValidationError("ocds.prefix", f"{text!r} is not an ocid prefix (it looks like ocds-b5fd17)")
    return text


@dataclass(frozen=True)
class SettingKey:
    """One council setting: its key, what the officer calls it, and how a value is checked.

    Attributes:
        key: the name used by ``svdesk settings set`` and stored in the database.
        label: the setting in the officer's words.
        hint: what may be typed, for ``svdesk settings`` and the dialog.
    """

    key: str
    label: str
    hint: str
    check: Callable[[str], str]


#: Every council setting, in the order shown.
SETTINGS: tuple[SettingKey, ...] = (
    SettingKey("council.name", "Council name", "printed on every paper, e.g. Ashbourne District Council", _name),
    SettingKey("council.address", "Council address", "printed under the name; separate lines with \\n", _address),
    SettingKey("council.logo", "Logo", "a .png or .jpg file", _path("council.logo", (".png", ".jpg", ".jpeg"))),
    SettingKey("weights.default", "Default weights", "price, quality, social value for a new tender, e.g. 40,40,20",
               _weights),
    SettingKey("panel.default", "Default evaluation panel", "evaluators' initials, e.g. KT,PS,JM", _panel),
    SettingKey("report.template", "Committee report template", "a Word (.docx) file",
               _path("report.template", (".docx", ".dotx"))),
    SettingKey("ocds.prefix", "ocid prefix", "registered with the Open Contracting Partnership, e.g. ocds-b5fd17",
               _prefix),
)
KEYS: Mapping[str, SettingKey] = {s.key: s for s in SETTINGS}


def check_setting(key: str, value: str) -> str:
    """The value as stored: checked and tidied (``""`` clears the setting).

    Raises:
        ValidationError: an unknown key (naming the known ones) or a value the key does not take.
    """
    known = KEYS.get(key)
    if known is None:
        raise ValidationError(key, f"is not a setting; the settings are {', '.join(KEYS)}")
    return known.check(value)


@dataclass(frozen=True)
class CouncilSettings:
    """The council-wide settings as stored (each ``""`` when not set).

    Attributes:
        values: key → stored text, for every key in :data:`SETTINGS`.
    """

    values: Mapping[str, str]

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> CouncilSettings:
        """From the database's rows (unknown keys, written by a newer svdesk, are kept out)."""
        return cls({s.key: str(stored.get(s.key, "")) for s in SETTINGS})

    def get(self, key: str) -> str:
        """One setting's stored text (``""`` when not set)."""
        if key not in KEYS:
            raise ValidationError(key, f"is not a setting; the settings are {', '.join(KEYS)}")
        return self.values.get(key, "")

    @property
    def name(self) -> str:
        """The council's name (``""``: not set)."""
        return self.get("council.name")

    @property
    def address(self) -> str:
        """The council's address, one line per line."""
        return self.get("council.address")

    @property
    def ocid_prefix(self) -> str:
        """The council's ocid prefix (``""``: not set)."""
        return self.get("ocds.prefix")

    @property
    def default_weights(self) -> tuple[Decimal, Decimal, Decimal] | None:
        """Price, quality and social value for a new tender, or ``None`` when not set."""
        text = self.get("weights.default")
        if not text:
            return None
        p, q, s = (Decimal(x) for x in text.split(","))
        return p, q, s

    @property
    def default_panel(self) -> tuple[str, ...]:
        """The evaluators' initials a new tender starts with."""
        text = self.get("panel.default")
        return tuple(text.split(",")) if text else ()
