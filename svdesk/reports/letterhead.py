"""The council's letterhead on each paper's first page: its logo (``council.logo``) and address.

:func:`load_logo` reads the logo file once, when the options are made (:func:`~svdesk.reports.options.with_council`),
and never raises: a file that is missing, unreadable, too big or not a PNG/JPEG image gives no logo and one line
saying why, and the paper prints without it. A good image is decoded fully (a cut-short file is caught here,
not half-way through printing), turned upright, reduced to :data:`KEEP_HEIGHT` pixels high at most and written
again as a PNG without metadata: nothing from the file (EXIF, camera, author, GPS, comments, colour profile)
reaches a paper.

Pillow (ReportLab's own image library, so already installed) is imported only when a logo is read; ReportLab
is not imported here.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

#: The largest logo file read.
MAX_LOGO_BYTES = 10 * 1024 * 1024
#: The most pixels a logo may have (refused before it is decoded).
MAX_LOGO_PIXELS = 40_000_000
#: Pixels kept in height: the logo prints 18 mm high at most, so this is over 800 dots per inch.
KEEP_HEIGHT = 600
#: How big the logo prints (points): at most 18 mm high and 70 mm wide, its shape kept.
MAX_HEIGHT_PT = 18 * 72 / 25.4
MAX_WIDTH_PT = 70 * 72 / 25.4


@dataclass(frozen=True)
class Logo:
    """The council's logo as the papers print it: checked and re-encoded as a PNG without metadata
    (:func:`load_logo`), with its size in pixels."""

    png: bytes
    width: int
    height: int


def _without(path: Path, why: str) -> tuple[None, str]:
    return None, f"{path}: {why}, so the paper is printed without the council's logo"


def load_logo(path: str | Path) -> tuple[Logo | None, str]:
    """The logo in ``path`` ready to print, or ``None`` and one line saying why not (``""`` when all is well)."""
    p = Path(path)
    try:
        if not p.is_file():
            return _without(p, "no such file" if not p.exists() else "not a file")
        size = p.stat().st_size
        if size > MAX_LOGO_BYTES:
            return _without(p, f"the logo file is {size / 1e6:.1f} MB (at most {MAX_LOGO_BYTES // 1_000_000} MB)")
        data = p.read_bytes()
    except OSError as e:
        return _without(p, f"the logo file cannot be read ({e.strerror or type(e).__name__})")
    return _decode(p, data)


def _decode(p: Path, data: bytes) -> tuple[Logo | None, str]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # Pillow's decompression-bomb warning: the size is checked here
            with Image.open(io.BytesIO(data)) as im:
                if im.format not in ("PNG", "JPEG"):
                    return _without(p, f"not a PNG or JPEG image (it is {im.format or 'of another kind'})")
                w, h = im.size
                if w < 1 or h < 1 or w * h > MAX_LOGO_PIXELS:
                    return _without(p, f"the image is {w:,} × {h:,} pixels (at most {MAX_LOGO_PIXELS:,} pixels)")
                im.load()
                upright = ImageOps.exif_transpose(im)
                alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P"
                                                                 and "transparency" in upright.info)
                clean = upright.convert("RGBA" if alpha else "RGB")
    except UnidentifiedImageError:
        return _without(p, "not an image svdesk can read (use a .png or .jpg file)")
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as e:
        return _without(p, f"the image is damaged or cut short ({str(e)[:80] or type(e).__name__})")
    if clean.height > KEEP_HEIGHT:
        clean = clean.resize((max(1, round(clean.width * KEEP_HEIGHT / clean.height)), KEEP_HEIGHT),
                             Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    clean.save(buf, format="PNG")                    # no info, no EXIF, no ICC profile: nothing but pixels
    return Logo(buf.getvalue(), clean.width, clean.height), ""


def logo_size(logo: Logo) -> tuple[float, float]:
    """(width, height) in points to print ``logo``: 18 mm high, or narrower than 70 mm, its shape kept."""
    scale = min(MAX_HEIGHT_PT / logo.height, MAX_WIDTH_PT / logo.width)
    return logo.width * scale, logo.height * scale


def address_line(address: str) -> str:
    """The address's lines on one line, as a letterhead prints it: ``Town Hall, Market Place, Ashbourne``."""
    return ", ".join(line.strip().rstrip(",") for line in address.splitlines() if line.strip())
