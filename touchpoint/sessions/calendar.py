"""Calendar files (RFC 5545) for sessions: one event per session, updated in place when it
changes or is called off."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.sessions.models import Session, SessionKind


def _ics_text(value: str) -> str:
    """Escape a TEXT value: backslash first, then ; , and newlines (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character:
    continuation lines start with one space, which counts toward their 75."""
    if len(line.encode()) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar_file(session: Session, *, with_join_link: bool) -> str:
    """One VEVENT in a VCALENDAR. The UID is stable per session, so importing the file
    again updates the event rather than adding a second one."""
    site = settings.SITE_URL
    host = urlsplit(site).hostname or "touchpoint"
    page = site + session.get_absolute_url()
    description = [session.course.title]
    if session.instructor:
        description.append(_("Instructor: %(name)s") % {"name": session.instructor})
    if session.notes:
        description.append(session.notes)
    if with_join_link and session.join_url:
        description.append(_("Join: %(url)s") % {"url": session.join_url})
    description.append(page)
    if session.kind == SessionKind.WEBINAR:
        location = session.join_url if with_join_link else str(_("Online (webinar)"))
        url = session.join_url if with_join_link and session.join_url else page
    else:
        location, url = session.location, page
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Touchpoint//Instructor-led sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{host}",
        f"SEQUENCE:{session.sequence}",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(session.starts_at)}",
        f"DTEND:{_ics_time(session.ends_at)}",
        f"SUMMARY:{_ics_text(session.title)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{url}",
        f"DESCRIPTION:{_ics_text(chr(10).join(description))}",
        f"STATUS:{'CANCELLED' if session.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
