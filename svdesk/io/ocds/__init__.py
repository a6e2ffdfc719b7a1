"""Open Contracting Data Standard 1.1.5 with the UK extension: a tender out as a release package (its award, or
a Find a Tender notice), notices in as draft tenders. ``writing`` (out) and ``reading`` (in) hold the code;
everything is imported from here.

**Out** (:func:`release_package`, :func:`write_release_package`): one release with the buyer and every bidder in
``parties`` (stable party ids, identifiers, ``details`` scale and VCSE; the address and contact point of the
buyer and of awarded suppliers only: a sole trader's address is personal data), the tender (value exactly as
published, ``priceOnly`` or ``ratedCriteria`` with the weights in words, method, category, threshold, CPV items,
lots, periods in Europe/London) and the awards. ``notice="UK6"`` (tag ``award``: standstill, assessment summaries'
date, ``noticeType``) or ``"UK7"`` (tag ``contract``: the contract signed, its value, period and extensions)
writes a Find a Tender notice, or raises :class:`NoticeIncompleteError` listing everything missing. Per-bidder
scores are not part of OCDS and are not published. Amounts are exact JSON numbers (never through a float).

The ``ocid`` is the tender's published one (:func:`assign_identities` records it and the party ids at the first
export), an imported notice's own, or ``<prefix>-<reference>`` (with a digest when the reference has other
characters than letters, digits and hyphens, so that two references never share one). Real prefixes are
registered with the Open Contracting Partnership (Contracts Finder ``ocds-b5fd17``, Find a Tender
``ocds-h6vhtk``); :data:`DEFAULT_OCID_PREFIX` is a clearly local placeholder, never recorded. Set the council's
prefix with ``SVDESK_OCID_PREFIX`` or ``--ocid-prefix``.

**In** (:func:`read_ocds_file`, :func:`ocds_to_tender`): a release, a release package, a record or a record
package becomes a new draft :class:`~svdesk.domain.tender.Tender`: title, description, buyer, value, key dates,
suppliers and tenderers as bids (SME, VCSE, identifiers), and in its
:class:`~svdesk.domain.publication.Publication` the ocid, CPV codes, lots, awards as published and the buyer's
identifier and address. Real notices are messy: HTML entities and tags, stray spaces, blank identifiers, empty or
malformed dates, integer ids and extra fields are tolerated and reported as warnings, and what svdesk cannot keep
is named in a warning; a file that is not OCDS, has no usable tender, or declares an extension svdesk does not
know is refused with a :class:`~svdesk.errors.FileFormatError` naming the JSON path.
"""

from __future__ import annotations

from svdesk.io.ocds.reading import (
    KNOWN_EXTENSIONS,
    OcdsImport,
    OcdsItem,
    OcdsLot,
    check_extensions,
    load_json,
    ocds_kind,
    ocds_to_tender,
    read_ocds_file,
)
from svdesk.io.ocds.writing import (
    DEFAULT_OCID_PREFIX,
    LICENSE,
    MAX_OCDS_BYTES,
    NOTICES,
    UK_EXTENSIONS,
    NoticeIncompleteError,
    assign_identities,
    award_criteria,
    award_release_package,
    bid_identifiers,
    charity_scheme,
    contract_value,
    dumps_ocds,
    make_ocid,
    ocid_prefix,
    party_id,
    published_form,
    recorded_identities,
    release_package,
    write_release_package,
)

__all__ = [
    "DEFAULT_OCID_PREFIX",
    "KNOWN_EXTENSIONS",
    "LICENSE",
    "MAX_OCDS_BYTES",
    "NOTICES",
    "UK_EXTENSIONS",
    "NoticeIncompleteError",
    "OcdsImport",
    "OcdsItem",
    "OcdsLot",
    "assign_identities",
    "award_criteria",
    "award_release_package",
    "bid_identifiers",
    "charity_scheme",
    "check_extensions",
    "contract_value",
    "dumps_ocds",
    "load_json",
    "make_ocid",
    "ocds_kind",
    "ocds_to_tender",
    "ocid_prefix",
    "party_id",
    "published_form",
    "read_ocds_file",
    "recorded_identities",
    "release_package",
    "write_release_package",
]
