"""Right-to-left names on paper: Arabic joining and bidi reordering for one line of text, in pure Python.

A PDF shows glyphs left to right in the order they are written to the page, so a Hebrew or Arabic supplier
name stored in logical (typing) order comes out mirrored, and Arabic letters come out unjoined, unless someone
reorders and shapes it first. ReportLab can do that with two optional extras: ``rlbidi`` (not available from
our package index) and ``uharfbuzz`` (Apache-2.0, 2 MB of native code per platform). svdesk prints names,
short reasons and commitments, not Arabic prose, so it does the small part it needs here instead, with no new
dependency:

* **Arabic joining**: each letter takes its isolated, initial, medial or final presentation form (Unicode
  Arabic Presentation Forms-A/B, which DejaVu Sans covers), lam + alef become the mandatory ligature.
  The forms are found by Unicode character name, so no table is shipped.
* **Bidi reordering**: a simplified Unicode Bidirectional Algorithm (UAX #9) for a left-to-right paragraph:
  weak types W1–W7, neutrals N1–N2, levels I1–I2, reordering L2 and mirroring L4. No explicit embeddings:
  :func:`svdesk.domain.tender.check_text` already refuses bidi control characters.

Limits (documented in README "Award papers"): text is reordered as one line, so short right-to-left runs
(names) are kept from wrapping with no-break spaces, and an RTL paragraph long enough to wrap reads its lines in
the wrong order; Urdu/Persian forms without a presentation
form in the font stay unjoined; text copied out of the PDF comes back in visual order. Our renderers turn
ReportLab's own shaping off (``shapable=False``) so output is the same whether or not ``uharfbuzz`` happens to
be installed.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_RTL = frozenset({"R", "AL"})
_NUMBER = frozenset({"EN", "AN"})
_MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<", "«": "»", "»": "«",
           "‹": "›", "›": "‹"}
_LAM = "\u0644"
_LAM_ALEF = {"\u0627": "ALEF", "\u0622": "ALEF WITH MADDA ABOVE", "\u0623": "ALEF WITH HAMZA ABOVE",
             "\u0625": "ALEF WITH HAMZA BELOW"}
_TATWEEL = "\u0640"
#: Right-to-left runs up to this many characters are kept on one line (see :func:`_reorder`).
KEEP_RUN = 40


def has_rtl(text: str) -> bool:
    """Whether any character is written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko …)."""
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text) and any(
        unicodedata.bidirectional(ch) in _RTL for ch in text
    )


def visual(text: str) -> str:
    """``text`` in the order its glyphs must be drawn left to right, with Arabic letters joined.

    Text without right-to-left characters is returned unchanged (the fast, common case).
    """
    if not has_rtl(text):
        return text
    lines = text.split("\n")
    return "\n".join(_reorder(_shape_arabic(line)) for line in lines)


# ---------------------------------------------------------------------------------------------------------
# Arabic joining
# ---------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _forms(ch: str) -> tuple[str, str, str, str] | None:
    """(isolated, final, initial, medial) presentation forms of an Arabic letter; '' where there is none."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    if not name.startswith("ARABIC LETTER "):
        return None
    out = []
    for form in ("ISOLATED", "FINAL", "INITIAL", "MEDIAL"):
        try:
            out.append(unicodedata.lookup(f"{name} {form} FORM"))
        except KeyError:
            out.append("")
    isolated, final, initial, medial = out
    if not isolated and not final:
        return None
    return isolated or ch, final, initial, medial


def _joins_forward(ch: str) -> bool:
    """Dual-joining: connects to the letter after it (beh, lam …), unlike alef, dal, reh, waw."""
    if ch == _TATWEEL:
        return True
    f = _forms(ch)
    return f is not None and bool(f[2]) and bool(f[3])


def _joins_backward(ch: str) -> bool:
    """Connects to the letter before it (dual- and right-joining letters)."""
    if ch == _TATWEEL:
        return True
    f = _forms(ch)
    return f is not None and bool(f[1])


def _is_transparent(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


def _shape_arabic(text: str) -> str:
    if not any("\u0600" <= ch <= "\u06ff" for ch in text):
        return text
    chars = list(text)
    n = len(chars)

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < n and _is_transparent(chars[j]):
            j += step
        return chars[j] if 0 <= j < n else ""

    out: list[str] = []
    i = 0
    while i < n:
        ch = chars[i]
        forms = _forms(ch)
        if forms is None:
            out.append(ch)
            i += 1
            continue
        prev = neighbour(i, -1)
        joined_before = bool(prev) and _joins_forward(prev)
        nxt_index = i + 1
        while nxt_index < n and _is_transparent(chars[nxt_index]):
            nxt_index += 1
        nxt = chars[nxt_index] if nxt_index < n else ""
        if ch == _LAM and nxt in _LAM_ALEF and nxt_index == i + 1:
            lig = _lam_alef(nxt, joined_before)
            if lig:
                out.append(lig)
                i += 2
                continue
        joined_after = bool(nxt) and _joins_forward(ch) and _joins_backward(nxt)
        isolated, final, initial, medial = forms
        if joined_before and joined_after and medial:
            out.append(medial)
        elif joined_before and final:
            out.append(final)
        elif joined_after and initial:
            out.append(initial)
        else:
            out.append(isolated)
        i += 1
    return "".join(out)


def _lam_alef(alef: str, joined_before: bool) -> str:
    name = f"ARABIC LIGATURE LAM WITH {_LAM_ALEF[alef]} {'FINAL' if joined_before else 'ISOLATED'} FORM"
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return ""


# ---------------------------------------------------------------------------------------------------------
# Reordering (simplified UAX #9, left-to-right paragraph, no explicit embeddings)
# ---------------------------------------------------------------------------------------------------------


def _bidi_class(ch: str) -> str:
    cls = unicodedata.bidirectional(ch)
    if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc":
        return "AL"           # presentation forms produced by _shape_arabic keep their letters' class
    return cls or "L"


_OPENING = {"(": ")", "[": "]", "{": "}"}


def _bracket_pairs(text: str) -> list[tuple[int, int]]:
    """Matched bracket pairs (BD16, simplified), in order of their opening bracket."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPENING:
            stack.append((_OPENING[ch], i))
        elif ch in _OPENING.values():
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _reorder(text: str) -> str:
    types = [_bidi_class(ch) for ch in text]
    n = len(types)
    # W1: a non-spacing mark takes the type of the character before it.
    for i in range(n):
        if types[i] == "NSM":
            types[i] = types[i - 1] if i > 0 else "L"
    # W2: European digits after Arabic letters are Arabic numbers. W3: AL becomes R.
    last_strong = "L"
    for i in range(n):
        t = types[i]
        if t in ("L", "R", "AL"):
            last_strong = t
        elif t == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in _NUMBER:
            types[i] = types[i - 1]
    # W5: terminators (%, £ …) next to European numbers become European numbers.
    for i in range(n):
        if types[i] == "EN":
            j = i - 1
            while j >= 0 and types[j] == "ET":
                types[j] = "EN"
                j -= 1
            j = i + 1
            while j < n and types[j] == "ET":
                types[j] = "EN"
                j += 1
    # W6: remaining separators and terminators are neutral.
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]
    # W7: European numbers after left-to-right text are left to right.
    last_strong = "L"
    for i in range(n):
        if types[i] in ("L", "R"):
            last_strong = types[i]
        elif types[i] == "EN" and last_strong == "L":
            types[i] = "L"
    # N0: a bracket pair takes the paragraph direction if it holds left-to-right text, else the direction
    # of what it holds when the text before the pair agrees ("Ltd (مكتب) 2024" keeps its brackets in place).
    for open_i, close_i in _bracket_pairs(text):
        inside = {("R" if t in _NUMBER else t) for t in types[open_i + 1:close_i]}
        if "L" in inside:
            fill = "L"
        elif "R" in inside:
            before = "L"
            for t in reversed(types[:open_i]):
                if t in ("L", "R", "EN", "AN"):
                    before = "L" if t == "L" else "R"
                    break
            fill = "R" if before == "R" else "L"
        else:
            continue
        types[open_i] = types[close_i] = fill
    # N1/N2: a run of neutrals between two strong types of the same direction takes it; else the paragraph's.
    i = 0
    while i < n:
        if types[i] in ("L", "R", "EN", "AN"):
            i += 1
            continue
        j = i
        while j < n and types[j] not in ("L", "R", "EN", "AN"):
            j += 1
        before = "L" if i == 0 else ("R" if types[i - 1] in ("R", "EN", "AN") else "L")
        after = "L" if j == n else ("R" if types[j] in ("R", "EN", "AN") else "L")
        fill = before if before == after else "L"
        for k in range(i, j):
            types[k] = fill
        i = j
    # I1: levels for a left-to-right paragraph (level 0).
    levels = [0 if t == "L" else 1 if t == "R" else 2 for t in types]
    # L1: trailing whitespace goes back to the paragraph level.
    k = n - 1
    while k >= 0 and text[k].isspace():
        levels[k] = 0
        k -= 1
    # L4: mirrored characters in right-to-left runs.
    chars = [(_MIRROR.get(ch, ch) if levels[i] % 2 else ch) for i, ch in enumerate(text)]
    # Reordering is per line, but ReportLab wraps after us: a short right-to-left run (a name) is glued with
    # no-break spaces so it never wraps, which would put its second half on the first line.
    i = 0
    while i < n:
        if levels[i] >= 1:
            j = i
            while j < n and levels[j] >= 1:
                j += 1
            if j - i <= KEEP_RUN:
                chars[i:j] = ["\u00a0" if ch == " " else ch for ch in chars[i:j]]
            i = j
        else:
            i += 1
    # L2: from the highest level down to 1, reverse every run at that level or higher.
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < n:
            if levels[i] >= level:
                j = i
                while j < n and levels[j] >= level:
                    j += 1
                chars[i:j] = chars[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1
    return "".join(chars)
