"""User-written HTML is untrusted: keep basic formatting and links, drop everything else."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}


IMAGE_TAGS = {"img", "figure", "figcaption"}
IMAGE_ATTRIBUTES = {"img": {"src", "alt", "width", "height"}}


# An <img> left without a src (its address was not allowed) shows nothing: it is dropped.
IMAGE_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# One without alt text is marked decorative (alt=""), so screen readers skip it rather than
# read its address; a figure's caption, when written, says what it shows.
IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")


def sanitise(html: str, *, images: re.Pattern[str] | None = None) -> str:
    """`images`, when given, lets pictures through whose src matches it (the caller's own
    access-checked file URLs); any other <img> is removed."""

    def only_own_images(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if images is not None and images.match(value) else None
        return value

    def clean(markup: str) -> str:
        return nh3.clean(
            markup,
            tags=ALLOWED_TAGS | (IMAGE_TAGS if images else set()),
            attributes=ALLOWED_ATTRIBUTES | (IMAGE_ATTRIBUTES if images else {}),
            attribute_filter=only_own_images,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )

    cleaned = clean(html)
    if images is None:
        return cleaned
    # Cleaned again after the cut: nh3 writes "<" and ">" inside attribute values as they
    # are, so cutting an <img> short could turn the rest of its alt text into markup.
    return clean(IMAGE_WITHOUT_ALT.sub('<img alt=""', IMAGE_WITHOUT_SRC.sub("", cleaned)))


def sanitise_or_paragraphs(text: str, *, images: re.Pattern[str] | None = None) -> str:
    """What an author typed: kept HTML is sanitised; plain text becomes paragraphs and line
    breaks, so a textarea without any markup still reads as they wrote it."""
    from django.utils.html import escape, linebreaks

    if "<" in text:
        return sanitise(text, images=images)
    return linebreaks(escape(text.strip())) if text.strip() else ""


def as_text(markup: str) -> str:
    """The words of stored HTML as plain text, for text emails and the search index: tags
    dropped and character references read ("&amp;" is "&"), which strip_tags alone leaves."""
    return html.unescape(strip_tags(markup)).strip()
