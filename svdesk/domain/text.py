"""The one text rule: what svdesk accepts as text, from every way in (tender file, OCDS, CSV/XLSX, the app).

A piece of text is NFC-normalised and stripped, and refused if it holds a character that hides, disguises or
breaks what is printed and exported:

* control characters (Unicode Cc): C0 but tab and newline (allowed only where a field takes lines), DEL, and
  the C1 range (U+0080–U+009F, e.g. U+0085 NEXT LINE, U+009B CSI);
* format characters (Cf): bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source"), the
  byte-order mark U+FEFF, zero-width spaces and joiners, the soft hyphen;
* the line and paragraph separators U+2028 and U+2029;
* lone surrogates (U+D800–U+DFFF, which no file can encode) and the non-characters (U+FDD0–U+FDEF and
  U+xxFFFE/U+xxFFFF: U+FFFE and U+FFFF make an XLSX workbook ill-formed XML).

Names (a supplier, a reference, a title, a criterion, an evaluator) are on one line: no tab or newline either.
Two suppliers whose names are the same once compatibility forms are folded (NFKC: fullwidth letters,
ligatures), case is ignored and invisible characters are removed are look-alikes (:func:`lookalike_key`).
Error messages quote at most a short excerpt of a value, with hidden characters written as ``U+XXXX``
(:func:`excerpt`), so a refused value can neither flood nor break the one-line message.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Unicode general categories never accepted (tab and newline are let through separately).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Characters removed before comparing names: default-ignorable code points that print as nothing.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]")
EXCERPT_CHARS = 40


def is_noncharacter(cp: int) -> bool:
    """U+FDD0–U+FDEF, and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE …)."""
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


#: The refused characters below U+0080 (C0 controls but tab and newline, DEL), by (lines, tab) allowed.
_ASCII_REFUSED = {(lines, tab): re.compile("[\x00-\x08\x0b-\x1f\x7f" + ("" if lines else "\n") + ("" if tab else "\t")
                                           + "]")
                  for lines in (False, True) for tab in (False, True)}
_NON_ASCII = re.compile("[^\x00-\x7f]")


@functools.lru_cache(maxsize=8192)
def _refused(ch: str) -> bool:
    return unicodedata.category(ch) in HIDDEN_CATEGORIES or is_noncharacter(ord(ch))


def hidden_character(text: str, *, lines: bool = True, tab: bool = True) -> str | None:
    """The first character of ``text`` the rule refuses (``None`` when it is acceptable).

    Fast on long text (a return's 30,000 reasons are checked in one call): the ASCII controls are found by one
    regular expression, and only the characters beyond ASCII are looked up, each distinct one once.
    """
    found = _ASCII_REFUSED[lines, tab].search(text)
    if not text.isascii():
        end = found.start() if found is not None else len(text)
        for m in _NON_ASCII.finditer(text, 0, end):
            if _refused(m.group()):
                return m.group()
    return found.group() if found is not None else None


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character named so the officer can find it."""
    name = unicodedata.name(ch, "")
    if not name:
        cat = unicodedata.category(ch)
        name = {"Cs": "a lone surrogate", "Cc": "a control character"}.get(
            cat, "a non-character" if is_noncharacter(ord(ch)) else "an unassigned character")
    return f"U+{ord(ch):04X} {name}"


def normalise(text: str) -> str:
    """NFC, CRLF and CR as LF, stripped. Lone surrogates pass through (the check names them)."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return text.replace("\r\n", "\n").strip()   # NFC of a lone surrogate is itself; keep it to name it
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def problem(text: str, *, one_line: bool = False, lines: bool = True) -> str | None:
    """What is wrong with ``text`` under the rule, in words (``None`` when nothing is)."""
    bad = hidden_character(text, lines=lines and not one_line, tab=not one_line)
    if bad is None:
        return None
    if bad in "\n\t":
        return f"must be on one line (it holds a {'newline' if bad == chr(10) else 'tab'})"
    return f"contains a hidden or control character ({describe(bad)}): retype the text"


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A value quoted for a one-line message: at most ``limit`` characters, hidden ones as ``U+XXXX``."""
    text = value if isinstance(value, str) else str(value)
    out: list[str] = []
    for ch in text[: limit + 1]:
        if unicodedata.category(ch) in HIDDEN_CATEGORIES or is_noncharacter(ord(ch)) or ch in "\n\t":
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    shown = "".join(out)
    if len(text) > limit:
        shown = "".join(out[:limit]) + f"… ({len(text):,} characters)"
    return f"'{shown}'"


def lookalike_key(name: str) -> str:
    """The form in which two supplier names that print alike are equal (NFKC, casefold, invisibles gone)."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name.replace("\u2028", " ").replace("\u2029", " ")))
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return " ".join(_INVISIBLE.sub("", folded).split())
