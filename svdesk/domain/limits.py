"""How much svdesk reads: every reader refuses more than this, early and in bounded memory (README, "Limits").

A council's tender has a few dozen bids and a dozen criteria; these limits are far above that and far below
what would make svdesk slow (the award paper of the largest allowed tender is a ``./run-bench`` figure) or let
one file take the computer's memory. A refusal names the limit.
"""

from __future__ import annotations

#: Bids in one tender (tender file, OCDS notice, the bids sheet, the app).
MAX_BIDS = 500
#: Criteria in one tender.
MAX_CRITERIA = 60
#: Bytes of a tender file: the largest allowed tender (500 bids × 60 criteria, five evaluators' marks with
#: reasons) is about 15 MB; a bigger file is refused by its size, before it is read.
MAX_TENDER_FILE_BYTES = 20 * 1024 * 1024
#: Values (numbers, texts, lists, objects) in one JSON file, counted before it is parsed.
MAX_JSON_VALUES = 2_000_000
#: How deeply lists and objects may nest in a JSON file (a tender file needs 5, an OCDS notice about 10).
MAX_JSON_DEPTH = 64

#: Bytes of one file attached to a bid (a long method statement or a scanned CV runs to a few MB).
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
#: Files attached to one bid.
MAX_ATTACHMENTS_PER_BID = 20
#: Bytes of the response attachments of one tender, which is what one evaluator pack may carry. They travel
#: as members of the pack's zip archive (``svdesk-pack/2``, stored as they are, no base64), so they do not
#: share the 64 MB of its ``pack.json`` (``svdesk.io.packs.MAX_PACK_BYTES``); 500 MB plus that is well under
#: the 1 GiB an archive may be (``svdesk.io.packs.MAX_PACK_ARCHIVE_BYTES``): six bidders with two 25 MB files
#: each fit many times over. Pricing documents never travel, so they do not count.
MAX_PACK_ATTACHMENT_BYTES = 500 * 1024 * 1024
#: Characters of an attached file's name (the most Windows, macOS and Linux file systems allow).
MAX_ATTACHMENT_NAME = 255
