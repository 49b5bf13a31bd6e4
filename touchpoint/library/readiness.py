"""Launch readiness: per portal section, what is ready (published items; courses and
certifications from their apps) and what is missing before a portal or program launch.

Other apps add their own facts through `contribute` without this module importing them,
as `touchpoint.kernel.home.CONTRIBUTORS` does for home: the app launcher can add its links,
communications can add scheduled announcements. A contributor receives the `Readiness`
being built and appends to `readiness.channel` (channel-wide facts) or to a section's
`facts` and `missing`:

    from touchpoint.library.readiness import Fact, Readiness, contribute

    @contribute
    def launcher_links(readiness: Readiness) -> None:
        n = LauncherLink.objects.filter(is_active=True).count()
        readiness.channel.append(Fact(_("Launcher links"), n, url="/launcher/manage/"))
        if not n:
            readiness.channel_missing.append(_("No links to partners' other systems yet."))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from touchpoint.library.models import Asset, AssetState, Section

# Fewer published items than this in a section reads as "too little content" (seed 004).
MIN_ITEMS = 5


@dataclass
class Fact:
    label: str | Promise
    value: int
    url: str = ""
    ok: bool = True


@dataclass
class SectionReadiness:
    section: Section
    facts: list[Fact] = field(default_factory=list)
    missing: list[str | Promise] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass
class Readiness:
    sections: list[SectionReadiness] = field(default_factory=list)
    channel: list[Fact] = field(default_factory=list)
    channel_missing: list[str | Promise] = field(default_factory=list)

    def section(self, pk: Any) -> SectionReadiness | None:
        return next((s for s in self.sections if s.section.pk == pk), None)


# Functions that add other apps' facts: contributor(readiness).
CONTRIBUTORS: list[Callable[[Readiness], None]] = []


def contribute(contributor: Callable[[Readiness], None]) -> Callable[[Readiness], None]:
    CONTRIBUTORS.append(contributor)
    return contributor


def build_readiness() -> Readiness:
    """A handful of grouped queries, whatever the number of sections and items."""
    today = timezone.localdate()
    sections = list(Section.objects.select_related("owner", "department"))
    assets: dict[int, Any] = {
        row["section_id"]: row
        for row in Asset.objects.order_by()
        .values("section_id")
        .annotate(
            published=Count("pk", filter=Q(state=AssetState.PUBLISHED)),
            scheduled=Count("pk", filter=Q(state=AssetState.SCHEDULED)),
            overdue=Count("pk", filter=Q(state=AssetState.PUBLISHED, review_by__lt=today)),
        )
    }
    readiness = Readiness()
    for section in sections:
        counts = assets.get(section.pk, {})
        published = counts.get("published", 0)
        row = SectionReadiness(section=section)
        url = section.get_absolute_url()
        row.facts = [
            Fact(_("Published items"), published, url, ok=published >= MIN_ITEMS),
            Fact(_("Scheduled items"), counts.get("scheduled", 0)),
        ]
        if not section.owner.is_active:
            row.missing.append(
                _("The accountable owner (%(name)s) no longer has an active account.")
                % {"name": section.owner.name or section.owner.email}
            )
        if published == 0:
            row.missing.append(_("Nothing is published yet."))
        elif published < MIN_ITEMS:
            row.missing.append(
                ngettext(
                    "Only %(n)d published item; aim for at least %(min)d.",
                    "Only %(n)d published items; aim for at least %(min)d.",
                    published,
                )
                % {"n": published, "min": MIN_ITEMS}
            )
        if counts.get("overdue"):
            row.missing.append(
                ngettext(
                    "%(n)d published item is past its review date.",
                    "%(n)d published items are past their review date.",
                    counts["overdue"],
                )
                % {"n": counts["overdue"]}
            )
        readiness.sections.append(row)
    if not sections:
        readiness.channel_missing.append(_("No portal sections yet: add them first."))
    for contributor in CONTRIBUTORS:
        contributor(readiness)
    return readiness
