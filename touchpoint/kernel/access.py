"""The access vocabulary every app speaks (docs/architecture.md, "Access"):

    Model.objects.visible_to(user)          what this person may open
    Model.objects.manageable_by(user)       what this person may change
    Model.objects.get_for(user, pk=…)       the one getter: the record, or Http404
    Model.objects.get_for(user, manage=True, pk=…)
    can_<do something>(user) -> bool        a role predicate, in the app's access.py

A QuerySet built on `AccessQuerySet` defines the first two; the getter gives the same 404
for a record that does not exist and for one outside the person's reach, so nobody can
learn that another partner's record exists. Role predicates are declared once and used by
the view gate (`require`), the API and the menu alike, so none of them can drift.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ClassVar, Generic, Self, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Callable[..., HttpResponse])

Predicate = Callable[[Any], bool]


class AccessQuerySet(models.QuerySet[M], Generic[M]):
    """A QuerySet that knows who may see and change its rows.

    Subclasses implement `visible_to` (and `manageable_by` when anyone may change rows),
    always narrowing `self`, so `Model.objects.select_related(...).visible_to(user)` keeps
    what came before. `related` names what the getter loads with the record."""

    related: ClassVar[tuple[str, ...]] = ()

    def visible_to(self, user: Any) -> Self:
        raise NotImplementedError(f"{self.model.__name__} rows say who may see them")

    def manageable_by(self, user: Any) -> Self:
        return self.none()

    def get_or_404(self, **lookup: Any) -> M:
        """The one row matching `lookup` in this (already narrowed) set, or Http404."""
        try:
            return self.get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            # A malformed id is as missing as an unknown one.
            raise Http404("Not found") from exc

    def get_for(self, user: Any, *, manage: bool = False, **lookup: Any) -> M:
        scope = self.manageable_by(user) if manage else self.visible_to(user)
        if self.related:
            scope = scope.select_related(*self.related)
        return scope.get_or_404(**lookup)


def active(user: Any) -> bool:
    """Signed in with an account that is still active: the floor under every rule."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def refuse(url_kwargs: dict[str, Any]) -> None:
    """A page outside someone's role: 404 when the URL names a record (so it cannot be told
    from a missing one), 403 with an explanation for a plain page."""
    if url_kwargs:
        raise Http404("Not found")
    raise PermissionDenied


def require(predicate: Predicate) -> Callable[[V], V]:
    """The view is for signed-in people for whom `predicate(user)` holds; the one role gate.

    Anonymous visitors are sent to sign in; anyone else outside the rule is refused (see
    `refuse`). The same predicate feeds the menu entry for the page."""

    def decorator(view: V) -> V:
        @login_required
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (active(request.user) and predicate(request.user)):
                refuse(kwargs)
            return view(request, *args, **kwargs)

        gated.access_predicate = predicate  # type: ignore[attr-defined]
        return gated  # type: ignore[return-value]

    return decorator
