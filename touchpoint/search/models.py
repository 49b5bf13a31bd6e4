"""The search index (one row per searchable item, kept current by the owning app's actions)
and the searches that found nothing."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User
from touchpoint.search.access import can_review_misses


class EntryQuerySet(AccessQuerySet["Entry"]):
    def visible_to(self, user: User) -> Self:
        """Everything vendor staff may open; for partner people, what their audiences reach
        (only what people may open is in the index at all)."""
        if not active(user):
            return self.none()
        if user.is_vendor:
            return self.all()
        return self.filter(for_user_q(user))


class Entry(models.Model):
    """A searchable item, denormalised: what to match, where it links, who may see it.

    Only items people may open are here (published courses, their lessons, published assets);
    drafts and archived items are removed by the action that changes them. The full-text
    side lives beside it: a tsvector column with a GIN index on PostgreSQL, an FTS5 table
    kept in step by triggers on SQLite (see the migration).
    """

    kind = models.CharField(max_length=20)
    # The item that owns this entry, e.g. "course:12" for a course and each of its lessons,
    # so one update replaces all of them.
    group = models.CharField(max_length=40, db_index=True)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    # What the reader sees of the item besides its title: its summary, then its text. Only
    # these are quoted in a result's snippet.
    summary = models.TextField(blank=True, default="")
    body = models.TextField(blank=True)
    # What finds the item but is not its text: tags, product codes, file names, the course
    # a lesson belongs to. Weighed with the summary, never quoted.
    keywords = models.TextField(blank=True, default="")
    url = models.CharField(max_length=500)
    # The portal section the item belongs to (see search.facets): a plain number, since
    # the library that owns sections is a layer above search.
    section_id = models.PositiveBigIntegerField(null=True, blank=True)
    # As on the items themselves: an item whose audience is deleted is for everyone.
    audience = models.ForeignKey(
        "orgs.Audience", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    updated_at = models.DateTimeField(default=timezone.now)
    # PostgreSQL only; always empty on SQLite, where the FTS5 table does this job.
    vector = SearchVectorField(null=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        indexes = [models.Index(fields=["kind", "section_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class MissQuerySet(AccessQuerySet["Miss"]):
    def visible_to(self, user: User) -> Self:
        return self.all() if can_review_misses(user) else self.none()

    def manageable_by(self, user: User) -> Self:
        """Whoever reviews the misses marks them handled."""
        return self.visible_to(user)


class Miss(models.Model):
    """A search that found nothing, counted per wording, for content owners to act on."""

    query = models.CharField(_("search"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The section the search was filtered to, if any (see search.facets).
    section_id = models.PositiveBigIntegerField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MissQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at"]
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")

    def __str__(self) -> str:
        return self.query
