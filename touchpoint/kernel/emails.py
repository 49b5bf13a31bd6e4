"""Sending email: templates rendered in the recipient's language, text plus HTML parts, from
the portal's own name. `send_templated` sends one; `send_many` sends the same message to
many people over one connection, rendered once per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from touchpoint.kernel.models import PortalSettings

BATCH_SIZE = 500


def _portal(portal: PortalSettings | None) -> PortalSettings:
    from touchpoint.kernel.models import PortalSettings

    return portal or PortalSettings.load()


def from_address(portal: PortalSettings) -> str:
    """The configured sender, shown under the portal's own name."""
    from_email = settings.DEFAULT_FROM_EMAIL
    if portal.name and "<" in from_email:
        return f"{portal.name} <{from_email.split('<', 1)[1]}"
    return from_email


def render_email(
    template: str, language: str, context: dict[str, Any], portal: PortalSettings
) -> tuple[str, str, str]:
    """(subject, text, html) from `emails/<template>_subject.txt`, `.txt` and `.html`."""
    ctx = {"portal": portal, "site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _render_plain(f"emails/{template}_subject.txt", ctx)
        text = _render_plain(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """A subject or text part is not HTML: rendered without autoescaping, so "L&D" and
    "Jamal Reed's" arrive as written (only the HTML part escapes what people typed)."""
    return str(get_template(name).template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def _message(
    rendered: tuple[str, str, str], to: str, portal: PortalSettings, headers: dict[str, str]
) -> EmailMultiAlternatives:
    subject, text, html = rendered
    message = EmailMultiAlternatives(subject, text, from_address(portal), [to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def build_templated(
    template: str,
    to: str,
    language: str,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    portal: PortalSettings | None = None,
) -> EmailMultiAlternatives:
    """One message, ready to send. Pass `portal` when building many, to load it once."""
    portal = _portal(portal)
    return _message(render_email(template, language, context, portal), to, portal, headers or {})


def send_templated(
    template: str,
    to: str,
    language: str,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
) -> None:
    build_templated(template, to, language, context, headers=headers).send()


def send_many(
    people: Iterable[tuple[int, str, str]],
    template: str,
    context: dict[str, Any],
    mark_sent: Callable[[list[int]], None],
    context_in: Callable[[str], dict[str, Any]] | None = None,
) -> int:
    """The same message to many people over one connection, rendered once per language.
    `people` gives (row id, email, language); `mark_sent` records each batch as it goes, so
    a run that stops half-way resumes without emailing anyone twice. `context_in(language)`
    adds what differs by language (an item's translated words)."""
    portal = _portal(None)
    rendered: dict[str, tuple[str, str, str]] = {}
    sent = 0
    batch: list[EmailMultiAlternatives] = []
    ids: list[int] = []
    with get_connection() as connection:
        for row_id, email, language in people:
            if language not in rendered:
                words = context_in(language) if context_in else {}
                rendered[language] = render_email(template, language, context | words, portal)
            batch.append(_message(rendered[language], email, portal, {}))
            ids.append(row_id)
            if len(batch) >= BATCH_SIZE:
                sent += connection.send_messages(batch) or 0
                mark_sent(ids)
                batch, ids = [], []
        if batch:
            sent += connection.send_messages(batch) or 0
            mark_sent(ids)
    return sent
