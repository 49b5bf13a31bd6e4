"""Certificates as PDFs: an A4 landscape page with the portal's name and logo, the holder,
the certification, its dates and the verification address with its QR code."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

import qrcode
import qrcode.constants
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, UnidentifiedImageError

from touchpoint.credentials.links import verification_url
from touchpoint.credentials.models import Credential
from touchpoint.kernel.models import PortalSettings
from touchpoint.kernel.uploads import IMAGE_FORMATS

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
INK = (17, 24, 39)
MUTED = (91, 100, 114)


def _rgb(colour: str, default: tuple[int, int, int] = (31, 95, 139)) -> tuple[int, int, int]:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        return default
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _logo(portal: PortalSettings) -> Image.Image | None:
    """The portal's logo as a raster image, or None (no logo, unreadable, or not raster)."""
    if not portal.logo:
        return None
    try:
        with portal.logo.open("rb") as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        logger.warning("The portal logo could not be read for a certificate.", exc_info=True)
        return None
    if image.format not in IMAGE_FORMATS:
        return None
    # fpdf2 embeds PNG and JPEG as they are; WebP and GIF (palette) are flattened first.
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")


def _qr(url: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=1)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def _date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _centred(
    pdf: FPDF,
    text: str,
    y: float,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = INK,
    smallest: float = 12,
) -> float:
    """Centred text at `y`, shrunk to fit one line when it can, else wrapped; returns the
    y below it."""
    style = "B" if bold else ""
    pdf.set_font(FONT, style, size)
    while size > smallest and pdf.get_string_width(text) > pdf.epw:
        size -= 1
        pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy(pdf.l_margin, y)
    pdf.multi_cell(pdf.epw, size * 0.45, text, align="C")
    return pdf.get_y()


def render_certificate(credential: Credential, portal: PortalSettings) -> bytes:
    """The certificate as an A4 landscape PDF: portal name and logo, holder, certification,
    dates, certificate id, and the verification address with its QR code. Text is set in
    the vendored DejaVu Sans, so any holder's name prints on a machine without fonts."""
    if not credential.has_certificate:
        raise ValueError("Only issued credentials that are not revoked have a certificate.")
    assert credential.issued_at is not None
    holder = credential.holder_name
    certification = credential.certification.name
    url = verification_url(credential)
    brand = _rgb(portal.primary_colour)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(22, 20, 22)
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"{certification} – {holder}")
    pdf.set_subject(_("Certificate"))
    pdf.set_author(portal.name)
    pdf.set_creator("Touchpoint")
    pdf.set_lang(get_language() or settings.LANGUAGE_CODE)
    pdf.add_page()

    # A double frame in the brand colour.
    pdf.set_draw_color(*brand)
    pdf.set_line_width(1.4)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13.5, 13.5, pdf.w - 27, pdf.h - 27)

    logo = _logo(portal)
    if logo is not None:
        height = 16.0
        width = min(60.0, height * logo.width / max(logo.height, 1))
        pdf.image(logo, x=22, y=20, w=width, h=width * logo.height / max(logo.width, 1))
    _centred(pdf, portal.name, 24, 14, bold=True, colour=brand)

    _centred(pdf, _("Certificate"), 44, 34, bold=True)
    _centred(pdf, _("This certifies that"), 66, 14, colour=MUTED)
    y = _centred(pdf, holder, 76, 30, bold=True, smallest=16)
    company = credential.user.partner.name if credential.user.partner else ""
    if company:
        _centred(pdf, company, y + 1, 12, colour=MUTED)
    _centred(pdf, _("has earned the certification"), 104, 14, colour=MUTED)
    _centred(pdf, certification, 114, 22, bold=True, colour=brand, smallest=14)

    # Dates and the verification details, bottom left; the QR code bottom right.
    issued = _("Issued: %(date)s") % {"date": _date(credential.issued_at)}
    expires = (
        _("Valid until: %(date)s") % {"date": _date(credential.expires_at)}
        if credential.expires_at
        else _("Does not expire")
    )
    lines = [
        (issued, True),
        (expires, True),
        (_("Certificate ID: %(id)s") % {"id": credential.verification_id}, False),
        (_("Verify at:"), False),
    ]
    pdf.set_text_color(*INK)
    y = 150.0
    for text, bold in lines:
        pdf.set_font(FONT, "B" if bold else "", 11 if bold else 9.5)
        pdf.set_xy(22, y)
        pdf.cell(190, 6, text)
        y += 6
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(29, 78, 216)
    pdf.set_xy(22, y)
    pdf.cell(pdf.get_string_width(url) + 1, 6, url, link=url)

    qr_size = 34.0
    qr_x, qr_y = pdf.w - 22 - qr_size, pdf.h - 22 - qr_size - 5
    pdf.image(_qr(url), x=qr_x, y=qr_y, w=qr_size, h=qr_size, link=url)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(qr_x - 8, qr_y + qr_size + 0.5)
    pdf.cell(qr_size + 16, 4, _("Scan to verify"), align="C")
    return bytes(pdf.output())
