"""Draw svdesk's application icon: ``resources/icons/svdesk.png`` (256 px) and ``resources/icons/svdesk.ico``.

The project had no icon, so ``svdesk.exe`` showed Windows' blank program icon. This draws a plain one (a
rounded teal square with "SV" in the bundled DejaVu Sans Bold) and writes the Windows icon with every size
Explorer, the taskbar and the Start menu ask for. ``installers/svdesk.spec`` gives the ``.ico`` to the
executable and ``installers/windows/svdesk.iss`` to the installer. Both files are committed; run this again
only to change the drawing:

    .venv/bin/python installers/windows/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "DejaVuSans-Bold.ttf"
SIZES = [(16, 16), (20, 20), (24, 24), (32, 32), (40, 40), (48, 48), (64, 64), (128, 128), (256, 256)]
TEAL, WHITE, GOLD = (0, 105, 120, 255), (255, 255, 255, 255), (245, 190, 40, 255)


def draw(size: int = 1024) -> Image.Image:
    """The icon at ``size`` pixels (drawn large, then scaled down for each icon size)."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin = size // 32
    d.rounded_rectangle((margin, margin, size - margin, size - margin), radius=size // 6, fill=TEAL)
    # a tick-like bar under the letters: "social value, checked"
    d.rounded_rectangle((size * 0.2, size * 0.72, size * 0.8, size * 0.8), radius=size // 40, fill=GOLD)
    font = ImageFont.truetype(str(FONT), int(size * 0.46))
    d.text((size / 2, size * 0.43), "SV", font=font, fill=WHITE, anchor="mm")
    return img


def main() -> None:
    """Write the PNG and the ICO."""
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "svdesk.png", optimize=True)
    big.save(OUT / "svdesk.ico", sizes=SIZES)
    print(f"wrote {OUT / 'svdesk.png'} and {OUT / 'svdesk.ico'}")


if __name__ == "__main__":
    main()
