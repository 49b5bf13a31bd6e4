"""User-written HTML is untrusted: keep basic formatting and links, drop everything else."""

from __future__ import annotations

import html

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def sanitise_or_paragraphs(text: str) -> str:
    """What an author typed: kept HTML is sanitised; plain text becomes paragraphs and line
    breaks, so a textarea without any markup still reads as they wrote it."""
    from django.utils.html import escape, linebreaks

    if "<" in text:
        return sanitise(text)
    return linebreaks(escape(text.strip())) if text.strip() else ""


def as_text(markup: str) -> str:
    """The words of stored HTML as plain text, for text emails and the search index: tags
    dropped and character references read ("&amp;" is "&"), which strip_tags alone leaves."""
    return html.unescape(strip_tags(markup)).strip()
