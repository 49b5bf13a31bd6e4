"""Pictures for the demo's courses, drawn with Pillow when the demo loads (nothing is
downloaded): a cover per course and a picture for a lesson's text, each a small flat
illustration of what the course is about, in the Ridgeline colours."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

GREEN, DARK, AMBER, SKY, GRASS, INK, WHITE = (
    (20, 83, 45), (12, 52, 29), (245, 158, 11), (219, 234, 254), (134, 194, 112),
    (17, 24, 39), (255, 255, 255),
)  # fmt: skip
Draw = ImageDraw.ImageDraw


def _mower(d: Draw, x: int, y: int, s: float) -> None:
    """A zero-turn mower seen from the side, its front wheel at (x, y)."""

    def r(v: float) -> int:
        return round(v * s)

    d.rounded_rectangle((x - r(40), y - r(150), x + r(330), y - r(60)), r(24), fill=AMBER)
    d.rectangle((x + r(150), y - r(230), x + r(190), y - r(150)), fill=INK)  # seat back
    d.rounded_rectangle((x + r(110), y - r(170), x + r(250), y - r(145)), r(8), fill=INK)
    d.line((x + r(40), y - r(150), x + r(70), y - r(250)), fill=INK, width=r(14))  # lap bar
    d.rectangle((x - r(20), y - r(60), x + r(310), y - r(35)), fill=DARK)  # the deck
    for cx, radius in ((x, 38), (x + r(280), 62)):
        d.ellipse((cx - r(radius), y - r(radius), cx + r(radius), y + r(radius)), fill=INK)
        d.ellipse((cx - r(radius / 2.6), y - r(radius / 2.6), cx + r(radius / 2.6),
                   y + r(radius / 2.6)), fill=(156, 163, 175))  # fmt: skip


def _shield(d: Draw, x: int, y: int, s: float) -> None:
    w, h = 220 * s, 260 * s
    d.polygon([(x, y), (x + w, y), (x + w, y + h * 0.55), (x + w / 2, y + h), (x, y + h * 0.55)],
              fill=WHITE, outline=DARK, width=round(10 * s))  # fmt: skip
    d.line([(x + w * 0.28, y + h * 0.45), (x + w * 0.45, y + h * 0.62), (x + w * 0.75, y + h * 0.3)],
           fill=GREEN, width=round(22 * s), joint="curve")  # fmt: skip


def _speech(d: Draw, x: int, y: int, s: float) -> None:
    for dx, dy, fill in ((0, 0, WHITE), (150, 90, AMBER)):
        box = (x + dx * s, y + dy * s, x + (dx + 230) * s, y + (dy + 130) * s)
        d.rounded_rectangle(box, round(30 * s), fill=fill, outline=DARK, width=round(6 * s))
        for i in range(3):
            cx = box[0] + (60 + 55 * i) * s
            d.ellipse((cx - 12 * s, box[1] + 53 * s, cx + 12 * s, box[1] + 77 * s), fill=DARK)


def _gear(d: Draw, x: int, y: int, s: float) -> None:
    import math

    cx, cy, outer, inner = x + 130 * s, y + 130 * s, 130 * s, 100 * s
    points = []
    for i in range(32):
        angle = math.pi * 2 * i / 32
        radius = outer if i % 4 in (0, 1) else inner
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    d.polygon(points, fill=DARK)
    d.ellipse((cx - 45 * s, cy - 45 * s, cx + 45 * s, cy + 45 * s), fill=SKY)


def _boxes(d: Draw, x: int, y: int, s: float) -> None:
    for dx, dy, w in ((0, 120, 160), (170, 120, 160), (85, 0, 160)):
        box = (x + dx * s, y + dy * s, x + (dx + w) * s, y + (dy + 115) * s)
        d.rectangle(box, fill=(217, 169, 99), outline=DARK, width=round(6 * s))
        d.line((box[0] + w * s / 2, box[1], box[0] + w * s / 2, box[1] + 40 * s), fill=DARK,
               width=round(6 * s))  # fmt: skip


# The first word found in a course's title picks its motif (so "Warranty claims for parts"
# is about parts); the X200 mower otherwise.
MOTIFS: dict[str, Callable[[Draw, int, int, float], None]] = {
    "parts": _boxes, "warranty": _shield, "objection": _speech, "service": _gear,
    "generator": _gear, "workshop": _gear,
}  # fmt: skip


def _motif(title: str) -> Callable[[Draw, int, int, float], None]:
    lowered = title.lower()
    return next((draw for word, draw in MOTIFS.items() if word in lowered), _mower)


def _scene(width: int, height: int) -> tuple[Image.Image, Draw]:
    """Sky, sun and two green hills."""
    image = Image.new("RGB", (width, height), SKY)
    d = ImageDraw.Draw(image)
    d.ellipse((width * 0.72, height * 0.1, width * 0.86, height * 0.1 + width * 0.14), fill=AMBER)
    d.ellipse((-width * 0.3, height * 0.62, width * 0.7, height * 1.6), fill=GRASS)
    d.ellipse((width * 0.35, height * 0.7, width * 1.4, height * 1.7), fill=(101, 163, 83))
    return image, d


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def course_cover(title: str) -> bytes:
    """A 3:2 cover: the course's motif in the landscape."""
    image, d = _scene(960, 640)
    draw = _motif(title)
    if draw is _mower:
        draw(d, 300, 520, 1.2)
    else:
        draw(d, 330, 200, 1.2)
    return _png(image)


def lesson_picture(course_title: str, caption: str) -> bytes:
    """A picture for a lesson's text: the motif with a labelled band, as a trainer's slide."""
    image, d = _scene(1200, 675)
    draw = _motif(course_title)
    if draw is _mower:
        draw(d, 380, 520, 1.3)
    else:
        draw(d, 420, 150, 1.4)
    d.rectangle((0, 0, 1200, 96), fill=GREEN)
    font = ImageFont.load_default(size=44)
    d.text((40, 24), caption, fill=WHITE, font=font)
    return _png(image)
