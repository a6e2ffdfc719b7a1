"""Bids and scores from a spreadsheet: the template, a preview of what will change, and the import itself.

The officer downloads a template for a tender (:func:`template_table`, :func:`write_template`): one row per
supplier with the columns Supplier, SME, VCSE, Locality, Price (£), then a score and a reason column for every
assessed criterion (quality and qualitative social value), and optionally ``<criterion> score by <evaluator>``
columns for individual marks. Filled in and read back (:func:`preview_bids_file` or
:func:`preview_bids_import` on a :class:`~svdesk.io.spreadsheet.Sheet`), the import is checked completely
before anything changes:

* headers are matched forgivingly: case, spaces and punctuation do not matter, a unit or scale in brackets is
  ignored (``PRICE (£)``, ``price``, ``Price £`` all work), and a criterion may be named by its name or id;
* every cell is parsed strictly (see :mod:`svdesk.io.spreadsheet`) and checked against the domain rules
  (a score on the criterion's scale, a price exact to the penny, no hidden characters);
* every problem is collected, each naming the file, the row, the column and the reason; if there is any
  problem the whole import is refused (:class:`ImportRejectedError`) and nothing is applied.

A blank cell means "leave as it is": an import adds bids and changes values, it never deletes a bid or clears
a score. The preview (:class:`BidsImport`) lists new bids and, for changed bids, each value before → after;
:func:`apply_bids_import` is a pure function returning the new :class:`~svdesk.domain.tender.Tender`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from svdesk.domain.tender import (
    Bid,
    Criterion,
    Tender,
    TenderStatus,
    add_bid,
    check_raw_score,
    normalise_identity,
    set_consensus_score,
    set_evaluator_score,
    set_price,
    update_bid,
)
from svdesk.domain.values import Locality
from svdesk.errors import FileFormatError, SvdeskError, ValidationError
from svdesk.io.spreadsheet import (
    CellError,
    CellValue,
    Sheet,
    Table,
    clean_text,
    column_letter,
    column_name,
    is_blank,
    money_text,
    parse_money,
    parse_score,
    parse_yes_no,
    read_table,
    write_csv,
    write_xlsx,
)

#: Stop collecting problems after this many (the officer fixes the first ones and tries again).
MAX_PROBLEMS = 100
SUPPLIER_MAX = 300
EVALUATOR_MAX = 100

_SUPPLIER = "supplier"
_SME = "sme"
_VCSE = "vcse"
_LOCALITY = "locality"
_PRICE = "price"
_EMAIL = "email"
_CDP_ID = "cdp_id"
_COMPANY = "companies_house"
_CHARITY = "charity_number"
#: Who the supplier is: optional columns, in the template after Price.
_IDENTITY = (_EMAIL, _CDP_ID, _COMPANY, _CHARITY)
_SCORE = "score"
_REASON = "reason"
_EV_SCORE = "evaluator_score"
_EV_REASON = "evaluator_reason"

_ALIASES: Mapping[str, tuple[str, ...]] = {
    _SUPPLIER: ("supplier", "suppliername", "bidder", "biddername", "tenderer", "company", "organisation",
                "organization"),
    _SME: ("sme", "issme", "smallormediumenterprise"),
    _VCSE: ("vcse", "isvcse", "charity", "voluntaryorcommunityorganisation"),
    _LOCALITY: ("locality", "location", "based"),
    _PRICE: ("price", "bidprice", "tenderprice", "totalprice"),
    _EMAIL: ("email", "emailaddress", "contactemail", "supplieremail"),
    _CDP_ID: ("cdpidentifier", "cdpid", "ppon", "centraldigitalplatformidentifier", "uniqueidentifier",
              "cdpuniqueidentifier"),
    _COMPANY: ("companieshousenumber", "companieshouse", "companynumber", "companyregistrationnumber", "crn"),
    _CHARITY: ("charitynumber", "charityno", "registeredcharitynumber"),
}
_HEADERS = {_SUPPLIER: "Supplier", _SME: "SME (Yes/No)", _VCSE: "VCSE (Yes/No)",
            _LOCALITY: "Locality (local/regional/national)", _PRICE: "Price (£)", _EMAIL: "Email",
            _CDP_ID: "CDP identifier", _COMPANY: "Companies House number", _CHARITY: "Charity number"}
_LABELS = {_SUPPLIER: "Supplier", _SME: "SME", _VCSE: "VCSE", _LOCALITY: "Locality", _PRICE: "Price",
           _EMAIL: "Email", _CDP_ID: "CDP identifier", _COMPANY: "Companies House number",
           _CHARITY: "Charity number"}
_SCORE_WORDS = ("score", "mark", "consensusscore", "moderatedscore")
_REASON_WORDS = ("reason", "reasons", "explanation", "comment", "comments", "justification", "consensusreason",
                 "moderatedreason")
#: Words allowed inside brackets that are ignored when matching headers: units, scales, hints.
_IGNORABLE_BRACKET_WORDS = frozenset({
    "out", "of", "gbp", "yes", "no", "y", "n", "optional", "local", "regional", "national", "or", "ex", "inc",
    "vat", "pounds", "max", "scale", "to", "required", "blank", "keeps", "leave", "unchanged",
})
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------------
# Columns and headers
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """What a spreadsheet column holds: a bid field, or a criterion's score/reason (optionally one evaluator's)."""

    field: str
    criterion: str | None = None
    evaluator: str | None = None


def header_key(text: str) -> str:
    """A header reduced to what matters: NFKC, case-folded, letters and digits only, hints in brackets dropped.

    ``"Price (£)"``, ``"PRICE"`` and ``" price "`` all give ``"price"``; ``"Quality score (0–5)"`` gives
    ``"qualityscore"``. Brackets holding anything else are kept (``"Quality score (AB)"`` stays distinct),
    so an evaluator's column is never mistaken for the consensus score.
    """
    t = unicodedata.normalize("NFKC", text).casefold()

    def drop(m: re.Match[str]) -> str:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        words = re.findall(r"[^\W\d_]+", inner)
        return " " if all(w in _IGNORABLE_BRACKET_WORDS for w in words) else f" {inner} "

    t = _BRACKETS.sub(drop, t).replace("&", " and ")
    return "".join(ch for ch in t if ch.isalnum())


def _scale_text(c: Criterion) -> str:
    return f"0–{_num(c.scale_max)}"


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def column_header(t: Tender, col: Column) -> str:
    """The template's header text for a column."""
    if col.field in _HEADERS:
        return _HEADERS[col.field]
    c = t.criterion(col.criterion or "")
    name = _heading_name(t, c)
    if col.field == _SCORE:
        return f"{name} score ({_scale_text(c)})"
    if col.field == _REASON:
        return f"{name} reason"
    if col.field == _EV_SCORE:
        return f"{name} score by {col.evaluator}"
    return f"{name} reason by {col.evaluator}"


def _heading_name(t: Tender, c: Criterion) -> str:
    """The criterion as a heading names it: its name, and its id too when the name alone cannot be matched
    back (only punctuation or symbols, such as ".", "'", "﷽" or a flag, or the same as another's)."""
    key = header_key(c.name)
    if key and sum(1 for o in t.criteria if header_key(o.name) == key) == 1:
        return c.name
    return f"{c.name} ({c.id})"


def _label(t: Tender, col: Column) -> str:
    """A short name for a column in the preview."""
    if col.field in _LABELS:
        return _LABELS[col.field]
    name = t.criterion(col.criterion or "").name
    return {
        _SCORE: f"{name} score",
        _REASON: f"{name} reason",
        _EV_SCORE: f"{name} score by {col.evaluator}",
        _EV_REASON: f"{name} reason by {col.evaluator}",
    }[col.field]


def evaluators_of(t: Tender) -> tuple[str, ...]:
    """Every evaluator who has marked any bid, in order of first appearance."""
    seen: dict[str, None] = {}
    for b in t.bids:
        for marks in b.evaluator_scores.values():
            for ev in marks:
                seen.setdefault(ev, None)
    return tuple(seen)


def template_columns(t: Tender, evaluators: Sequence[str] = ()) -> tuple[Column, ...]:
    """The template's columns: bid fields, then score + reason per assessed criterion, then evaluators' columns."""
    cols = [Column(_SUPPLIER), Column(_SME), Column(_VCSE), Column(_LOCALITY), Column(_PRICE),
            *(Column(f) for f in _IDENTITY)]
    assessed = [c for c in t.criteria if c.is_assessed]
    for c in assessed:
        cols += [Column(_SCORE, c.id), Column(_REASON, c.id)]
    for ev in evaluators:
        for c in assessed:
            cols += [Column(_EV_SCORE, c.id, ev), Column(_EV_REASON, c.id, ev)]
    return tuple(cols)


def _cell_for(t: Tender, b: Bid, col: Column) -> str | Decimal | bool | None:
    cid = col.criterion or ""
    if col.field == _SUPPLIER:
        return b.supplier
    if col.field == _SME:
        return b.sme
    if col.field == _VCSE:
        return b.vcse
    if col.field == _LOCALITY:
        return b.locality.value if b.locality else None
    if col.field == _PRICE:
        return b.price
    if col.field in _IDENTITY:
        return str(getattr(b, col.field)) or None
    if col.field == _SCORE:
        return b.scores.get(cid)
    if col.field == _REASON:
        return b.explanations.get(cid) or None
    ev = col.evaluator or ""
    if col.field == _EV_SCORE:
        return b.evaluator_scores.get(cid, {}).get(ev)
    return b.evaluator_reasons.get(cid, {}).get(ev) or None


def template_table(t: Tender, *, evaluators: Sequence[str] | None = None, filled: bool = True) -> Table:
    """The bids template for a tender as a :class:`Table`.

    Args:
        evaluators: evaluators to give their own columns (default: everyone who has marked a bid so far).
        filled: one row per existing bid with its current values (so the same file can be exported, edited
            and imported again); ``False`` gives an empty template.
    """
    evs = evaluators_of(t) if evaluators is None else tuple(evaluators)
    cols = template_columns(t, evs)
    rows = tuple(tuple(_cell_for(t, b, c) for c in cols) for b in t.bids) if filled else ()
    money = frozenset(i for i, c in enumerate(cols) if c.field == _PRICE)
    return Table("Bids", tuple(column_header(t, c) for c in cols), rows, money)


def _instructions(t: Tender) -> Table:
    lines = [
        f"Bids and scores for {t.reference} {t.title}".strip(),
        "One row per supplier. A blank cell leaves the value as it is; an import never deletes a bid.",
        "Price: pounds, e.g. 540000 or £540,000.00 (exact to the penny, not negative).",
        "SME, VCSE: Yes or No. Locality: local, regional or national.",
        "Scores: a number on the criterion's scale (up to 2 decimal places); give the reason beside it.",
        "Evaluators' own marks: add columns named '<criterion> score by <initials>' and "
        "'<criterion> reason by <initials>'.",
        "svdesk shows a preview of every change before anything is saved; any problem stops the whole import.",
    ]
    for c in t.criteria:
        if c.is_assessed:
            lines.append(f"{c.name}: scored {_scale_text(c)}, weight {_num(c.weight)}%")
    return Table("How to fill in", ("Notes",), tuple((line,) for line in lines))


def write_template(t: Tender, path: str | os.PathLike[str], *, kind: str | None = None,
                   evaluators: Sequence[str] | None = None, filled: bool = True) -> Path:
    """Write the bids template as CSV or XLSX (by ``kind`` or the file's extension), atomically.

    Raises:
        SvdeskError: an unknown kind, or the file cannot be written.
    """
    k = kind or ("xlsx" if str(path).lower().endswith(".xlsx") else "csv")
    table = template_table(t, evaluators=evaluators, filled=filled)
    if k == "xlsx":
        return write_xlsx(path, (table, _instructions(t)))
    if k == "csv":
        return write_csv(path, table)
    raise SvdeskError(f"unknown template format {k!r} (use csv or xlsx)")


# ---------------------------------------------------------------------------------------------------------
# The preview
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One value that the import changes: the column, and the value before and after (as shown to the officer)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class BidChange:
    """What the import does to one supplier's bid (``new`` for a bid that does not exist yet)."""

    supplier: str
    row: int
    new: bool
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class BidsImport:
    """The preview of an import: what will change, computed without writing anything.

    Attributes:
        source: the file.
        before: the tender as it was when previewed.
        after: the tender with the import applied (what :func:`apply_bids_import` returns).
        changes: one entry per bid that is new or changed, in file order.
        unchanged: suppliers in the file whose values are all as they were.
        warnings: things to check that do not stop the import (a score without a reason, a £0 price…).
    """

    source: str
    before: Tender
    after: Tender
    changes: tuple[BidChange, ...]
    unchanged: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def new_bids(self) -> tuple[BidChange, ...]:
        """Bids the import adds."""
        return tuple(c for c in self.changes if c.new)

    @property
    def changed_bids(self) -> tuple[BidChange, ...]:
        """Existing bids whose values change."""
        return tuple(c for c in self.changes if not c.new)

    @property
    def has_changes(self) -> bool:
        """Whether applying the import changes anything."""
        return bool(self.changes)

    def summary(self) -> list[str]:
        """The preview as lines of text (what the command line prints)."""
        out = [f"{self.source}: {len(self.new_bids)} new bid(s), {len(self.changed_bids)} changed, "
               f"{len(self.unchanged)} unchanged"]
        for bc in self.changes:
            out.append(f"  {'+ new bid' if bc.new else '~ changed'}: {bc.supplier} (row {bc.row})")
            for fc in bc.changes:
                out.append(f"      {fc.field}: {fc.before} → {fc.after}" if not bc.new else
                           f"      {fc.field}: {fc.after}")
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


class ImportRejectedError(FileFormatError):
    """An import refused as a whole: ``problems`` holds every problem found (each with its row and column).

    The error itself reads as the first problem plus how many more there are.
    """

    def __init__(self, path: str, problems: Sequence[FileFormatError], more: int = 0) -> None:
        first = problems[0]
        total = len(problems) + more
        message = first.message
        if total > 1:
            message = f"{message} (and {total - 1} more problem{'s' if total > 2 else ''}; nothing was imported)"
        else:
            message = f"{message} (nothing was imported)"
        super().__init__(path, first.where, message)
        self.problems = tuple(problems)
        self.more = more


def _show(v: object) -> str:
    if v is None or v == "":
        return "blank"
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, Decimal):
        return _num(v)
    text = str(v).replace("\n", " ")
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _supplier_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


class _RowError(Exception):
    """A problem found while applying a row, in a known column."""

    def __init__(self, column: Column, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[FileFormatError] = []
        self.more = 0

    def add(self, where: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(FileFormatError(self.source, where, message))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRejectedError(self.source, self.items, self.more)


def _where(row: int, header: str, index: int) -> str:
    return f"row {row}, column {column_name(header, index)}"


def match_columns(t: Tender, sheet: Sheet, problems: _Problems | None = None) -> dict[int, Column]:
    """Which column of the sheet holds what (by index); unknown, ambiguous or duplicate headers are problems.

    Raises:
        ImportRejectedError: when called without ``problems`` and any header is wrong.
    """
    own = problems is None
    probs = problems if problems is not None else _Problems(sheet.source)
    table: dict[str, Column | None] = {}     # None: ambiguous

    def put(key: str, col: Column) -> None:
        if not key:
            return
        if key in table and table[key] != col:
            table[key] = None
        else:
            table[key] = col

    for fld, names in _ALIASES.items():
        for n in names:
            put(n, Column(fld))
    no_marks: dict[str, Criterion] = {}
    for c in t.criteria:
        for lab in dict.fromkeys((header_key(c.name), header_key(c.id))):
            if not lab:
                continue
            if c.is_assessed:
                for w in _SCORE_WORDS:
                    put(lab + w, Column(_SCORE, c.id))
                for w in _REASON_WORDS:
                    put(lab + w, Column(_REASON, c.id))
            else:
                for w in (*_SCORE_WORDS, "points"):
                    no_marks[lab + w] = c

    found: dict[int, Column] = {}
    first_at: dict[Column, int] = {}
    for i, raw in enumerate(sheet.header):
        text = raw.strip()
        if not text:
            continue
        where = _where(sheet.header_row, text, i)
        try:
            clean_text(text, limit=500)
        except CellError as e:
            probs.add(where, f"the heading {e}")
            continue
        key = header_key(text)
        col = table.get(key, False)
        if col is False:
            col = _evaluator_column(text, table, probs, where)
            if col is None:
                if key in no_marks:
                    c = no_marks[key]
                    probs.add(where, f"{c.name} is a {c.kind.label} criterion and takes no marks "
                                     "(svdesk scores it from the bids' prices or commitments)")
                else:
                    probs.add(where, "is not a column svdesk knows: use the template's headings (Supplier, SME, "
                                     "VCSE, Locality, Price, '<criterion> score', '<criterion> reason', "
                                     "'<criterion> score by <evaluator>')")
                continue
        elif col is None:
            probs.add(where, "matches more than one criterion: use the criterion's id instead of its name")
            continue
        assert isinstance(col, Column)
        if col in first_at:
            earlier = first_at[col]
            name = column_name(sheet.header[earlier], earlier)
            also = f"column {column_letter(earlier + 1)}" + (f" ({name})" if name.startswith('"') else "")
            probs.add(where, f"holds the same thing as {also}")
            continue
        first_at[col] = i
        found[i] = col
    if Column(_SUPPLIER) not in first_at:
        probs.add(f"row {sheet.header_row}", "there is no Supplier column (the first heading should be Supplier)")
    if own:
        probs.raise_if_any()
    return found


def _evaluator_column(
    text: str, table: Mapping[str, Column | None], probs: _Problems, where: str
) -> Column | None:
    """``<criterion> score by <evaluator>`` / ``<criterion> reason by <evaluator>``, or None."""
    parts = _BY.split(text)
    if len(parts) < 2:
        return None
    left = " by ".join(parts[:-1])
    who = parts[-1].strip()
    base = table.get(header_key(left))
    if base is None or base.field not in (_SCORE, _REASON):
        return None
    try:
        ev = clean_text(who, limit=EVALUATOR_MAX)
    except CellError as e:
        probs.add(where, f"the evaluator's name {e}")
        return Column(_EV_SCORE if base.field == _SCORE else _EV_REASON, base.criterion, "?")
    if not ev:
        return None
    return Column(_EV_SCORE if base.field == _SCORE else _EV_REASON, base.criterion, ev)


def _parse_cell(t: Tender, col: Column, v: CellValue) -> object:
    """One cell's value for its column (raises CellError)."""
    if col.field == _SUPPLIER:
        return clean_text(v, limit=SUPPLIER_MAX)
    if col.field in (_SME, _VCSE):
        return parse_yes_no(v)
    if col.field == _LOCALITY:
        text = clean_text(v, limit=40).casefold()
        try:
            return Locality(text)
        except ValueError:
            raise CellError(f"{text!r} is not local, regional or national") from None
    if col.field == _PRICE:
        return parse_money(v)
    if col.field in _IDENTITY:
        try:
            return normalise_identity(col.field, clean_text(v, limit=254), col.field)
        except ValidationError as e:
            raise CellError(e.message) from None
    if col.field in (_SCORE, _EV_SCORE):
        c = t.criterion(col.criterion or "")
        d = parse_score(v)
        try:
            check_raw_score(c, d)
        except ValidationError as e:
            raise CellError(e.message) from None
        return d
    return clean_text(v, multiline=True)


def preview_bids_import(t: Tender, sheet: Sheet) -> BidsImport:
    """Work out what importing ``sheet`` into ``t`` would change, without changing anything.

    Raises:
        ImportRejectedError: any problem in the file (all problems are listed; nothing is applied).
        ValidationError: the tender no longer takes new scores (awarded, closed or cancelled).
    """
    if t.status in (TenderStatus.AWARDED, TenderStatus.CLOSED, TenderStatus.CANCELLED):
        raise ValidationError("status", f"{t.reference} is {t.status.value}: its bids and scores can no longer "
                                        "change, so nothing can be imported into it")
    probs = _Problems(sheet.source)
    columns = match_columns(t, sheet, probs)
    probs.raise_if_any()
    existing = {_supplier_key(b.supplier): b for b in t.bids}
    seen_rows: dict[str, int] = {}
    supplier_index = next(i for i, c in columns.items() if c.field == _SUPPLIER)
    # Each row is applied with the domain's own edits to a tender holding only that bid (same criteria), so a
    # 10,000-row sheet costs 10,000 small edits, not 10,000 copies of a 10,000-bid tender.
    alone = replace(t, bids=())
    updated: dict[str, Bid] = {}
    added: list[Bid] = []
    changes: list[BidChange] = []
    unchanged: list[str] = []
    warnings = list(sheet.warnings)
    for r, cells in sheet.rows:
        values: dict[Column, object] = {}
        row_ok = True
        for i, v in enumerate(cells):
            col = columns.get(i)
            if col is None:   # header problems were raised above, so this column has no heading
                if not is_blank(v):
                    probs.add(_where(r, "", i), "has a value but its column has no heading")
                    row_ok = False
                continue
            if is_blank(v):
                continue
            try:
                values[col] = _parse_cell(t, col, v)
            except CellError as e:
                probs.add(_where(r, sheet.header[i], i), str(e))
                row_ok = False
        sup_where = _where(r, sheet.header[supplier_index], supplier_index)
        supplier = values.get(Column(_SUPPLIER))
        if not isinstance(supplier, str) or not supplier:
            if row_ok:
                probs.add(sup_where, "is empty: every row needs the supplier's name")
            continue
        key = _supplier_key(supplier)
        if key in seen_rows:
            probs.add(sup_where, f"{supplier!r} is also on row {seen_rows[key]}: one row per supplier")
            continue
        seen_rows[key] = r
        if not row_ok:
            continue
        old = existing.get(key)
        name = old.supplier if old is not None else supplier
        try:
            one, change, row_warnings = _apply_row(replace(alone, bids=(old,) if old else ()), name, old is None, r,
                                                   values)
        except _RowError as e:
            i = next((i for i, c in columns.items() if c == e.column), supplier_index)
            probs.add(_where(r, sheet.header[i], i), e.message)
            continue
        except ValidationError as e:   # a domain rule the cell checks did not foresee: still located
            probs.add(sup_where, e.message)
            continue
        warnings.extend(row_warnings)
        if change.new:
            added.append(one.bids[0])
            changes.append(change)
        elif change.changes:
            updated[name] = one.bids[0]
            changes.append(change)
        else:
            unchanged.append(name)
    probs.raise_if_any()
    after = replace(t, bids=(*(updated.get(b.supplier, b) for b in t.bids), *added))
    return BidsImport(sheet.source, t, after, tuple(changes), tuple(unchanged), tuple(warnings))


def _apply_row(
    t: Tender, supplier: str, new: bool, row: int, values: Mapping[Column, object]
) -> tuple[Tender, BidChange, list[str]]:
    changes: list[FieldChange] = []
    warnings: list[str] = []
    if new:
        t = add_bid(t, Bid(supplier=supplier))
    b = t.bid(supplier)
    # Bid details.
    details: dict[str, object] = {}
    for fld in (_SME, _VCSE, _LOCALITY, *_IDENTITY):
        col = Column(fld)
        if col in values and values[col] != getattr(b, fld):
            details[fld] = values[col]
            changes.append(FieldChange(_label(t, col), _show(getattr(b, fld)), _show(values[col])))
    if details:
        t = update_bid(t, supplier, **details)
    price = values.get(Column(_PRICE))
    if isinstance(price, Decimal):
        if price != b.price:
            changes.append(FieldChange("Price", money_text(b.price), money_text(price)))
            t = set_price(t, supplier, price)
        if price == 0:
            warnings.append(f"row {row}: {supplier} has a £0 price; it will be flagged and left unranked until "
                            "you resolve it")
    # Consensus scores and reasons.
    for c in t.criteria:
        if not c.is_assessed:
            continue
        t, ch, w = _apply_score(t, supplier, c, row, values.get(Column(_SCORE, c.id)),
                                values.get(Column(_REASON, c.id)), None)
        changes += ch
        warnings += w
    # Evaluators' marks.
    evaluators = dict.fromkeys(col.evaluator for col in values if col.evaluator)
    for ev in evaluators:
        for c in t.criteria:
            if not c.is_assessed:
                continue
            s = values.get(Column(_EV_SCORE, c.id, ev))
            rs = values.get(Column(_EV_REASON, c.id, ev))
            if s is None and rs is None:
                continue
            t, ch, w = _apply_score(t, supplier, c, row, s, rs, ev)
            changes += ch
            warnings += w
    return t, BidChange(supplier, row, new, tuple(changes)), warnings


def _apply_score(
    t: Tender, supplier: str, c: Criterion, row: int, score: object, reason: object, evaluator: str | None
) -> tuple[Tender, list[FieldChange], list[str]]:
    b = t.bid(supplier)
    if evaluator is None:
        old_score = b.scores.get(c.id)
        old_reason = b.explanations.get(c.id, "")
        what = f"{c.name} score"
        why = f"{c.name} reason"
    else:
        old_score = b.evaluator_scores.get(c.id, {}).get(evaluator)
        old_reason = b.evaluator_reasons.get(c.id, {}).get(evaluator, "")
        what = f"{c.name} score by {evaluator}"
        why = f"{c.name} reason by {evaluator}"
    new_score = score if isinstance(score, Decimal) else old_score
    new_reason = reason if isinstance(reason, str) else old_reason
    if new_score is None:
        if isinstance(reason, str):
            col = Column(_REASON, c.id) if evaluator is None else Column(_EV_REASON, c.id, evaluator)
            raise _RowError(col, f"gives a reason but {supplier} has no {what} to go with it: fill in the score")
        return t, [], []
    changes: list[FieldChange] = []
    if new_score != old_score:
        changes.append(FieldChange(what, _show(old_score), _show(new_score)))
    if new_reason != old_reason:
        changes.append(FieldChange(why, _show(old_reason), _show(new_reason)))
    if not changes:
        return t, [], []
    warnings: list[str] = []
    if evaluator is None and not new_reason.strip():   # evaluators' own reasons are optional
        warnings.append(f"row {row}: {supplier}'s {what} has no reason (the assessment summary needs one)")
    if evaluator is None:
        t = set_consensus_score(t, supplier, c.id, new_score, new_reason)
    else:
        t = set_evaluator_score(t, supplier, c.id, evaluator, new_score, new_reason)
    return t, changes, warnings


def preview_bids_file(t: Tender, path: str | os.PathLike[str], *, kind: str | None = None) -> BidsImport:
    """Read a CSV or XLSX file and preview importing it into ``t`` (see :func:`preview_bids_import`).

    Raises:
        FileFormatError: the file cannot be read, or (as :class:`ImportRejectedError`) holds any problem.
    """
    return preview_bids_import(t, read_table(path, kind=kind))


def apply_bids_import(t: Tender, preview: BidsImport) -> Tender:
    """The tender with a previewed import applied (pure: ``t`` itself is unchanged).

    Raises:
        SvdeskError: ``t`` has changed since the preview was made (preview again).
    """
    if t != preview.before:
        raise SvdeskError(f"{t.reference} has changed since the import from {preview.source} was previewed: "
                          "preview it again")
    return preview.after
