"""Isolation cases for L&D requests. A partner's request is seen by whoever made it, their
company's admins and managers (a location's requests by its parent's too), the channel
manager of that partner and the learning team; a staff member's request by its maker and
the learning team. Everyone else gets the same 404 as for a missing request: another
partner's people, the other region's channel manager, and a sales rep against what his own
admin or a colleague asked for. The triage URLs are the learning team's alone (not the
requester's, nor the channel manager's who may read the request)."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.alignment import make_request
from touchpoint.alignment import actions
from touchpoint.alignment.models import Deliverable, DeliverableKind, LearningRequest
from touchpoint.orgs.models import User


def birchwood_request(p: Personas) -> LearningRequest:
    return make_request(p.carol, "Birchwood parts counter training")


def alices_request(p: Personas) -> LearningRequest:
    """Alice asks for Alder Creek; Bob, a sales rep there, sees only his own requests."""
    return make_request(p.alice, "Extended-warranty guide for the showroom")


def hannahs_request(p: Personas) -> LearningRequest:
    """Hannah asks at Rutland, Alder Creek's location: Alice, its admin, may follow it."""
    return make_request(p.hannah, "Generator won't start after winter storage")


def danas_request(p: Personas) -> LearningRequest:
    """Dana, a channel manager, asks for the Sales department."""
    return make_request(p.dana, "Co-op claims course for channel managers", department="Sales")


def linked_page(p: Personas) -> Deliverable:
    request = birchwood_request(p)
    return actions.add_deliverable(
        p.pat,
        request,
        Deliverable(kind=DeliverableKind.LINK, title="Forum answer", url="/forums/answers/1/"),
    )


carol = lambda p: p.carol  # noqa: E731 - who asked, for Birchwood
alice = lambda p: p.alice  # noqa: E731 - Alder Creek's admin
dana = lambda p: p.dana  # noqa: E731 - the channel manager, for her own request
pat = lambda p: p.pat  # noqa: E731 - the learning team


def not_birchwood(p: Personas) -> list[User]:
    """Alder Creek's admin and sales rep, Fjord Maskin's admin, and Evan, the channel manager
    of EMEA (Birchwood is Dana's)."""
    return [p.alice, p.bob, p.ingrid, p.evan]


def not_alices(p: Personas) -> list[User]:
    """Bob at her own company and Hannah at its location (members see only their own), Carol
    at another partner, and the other region's channel manager."""
    return [p.bob, p.hannah, p.carol, p.evan]


def not_hannahs(p: Personas) -> list[User]:
    """Bob, her colleague at Alder Creek, Carol, and the other region's channel manager."""
    return [p.bob, p.carol, p.evan]


def not_danas(p: Personas) -> list[User]:
    """The other channel manager and partner people: a department's request is the
    vendor's."""
    return [p.evan, p.alice, p.carol]


def not_the_learning_team(p: Personas) -> list[User]:
    """Carol asked, Dana may read it; neither triages. Nor do Alice, Bob or Evan."""
    return [p.alice, p.bob, p.carol, p.dana, p.evan]


def reading(method: str = "get", data: dict[str, str] | None = None) -> list[Case]:
    return [
        Case(birchwood_request, carol, method, data=data, outsiders=not_birchwood),
        Case(alices_request, alice, method, data=data, outsiders=not_alices),
        Case(hannahs_request, alice, method, data=data, outsiders=not_hannahs),
        Case(danas_request, dana, method, data=data, outsiders=not_danas),
    ]


TRIAGE = {"relationship": "vendor", "owner": "", "status": "triaged", "priority": "2",
          "decline_reason": ""}  # fmt: skip

CASES = {
    "alignment:request_detail": reading(),
    "alignment:request_comment": reading("post", {"body": "Any news?"}),
    "alignment:request_triage": Case(
        birchwood_request, pat, "post", data=TRIAGE, outsiders=not_the_learning_team
    ),
    "alignment:deliverable_add": Case(
        birchwood_request,
        pat,
        "post",
        data={"target": "asset:0"},
        outsiders=not_the_learning_team,
    ),
    "alignment:deliverable_link": Case(
        birchwood_request,
        pat,
        "post",
        data={"title": "Forum answer", "url": "/forums/1/"},
        outsiders=not_the_learning_team,
    ),
    "alignment:deliverable_remove": Case(
        linked_page,
        pat,
        "post",
        args=lambda d: [d.request_id, d.pk],
        missing=lambda d: [d.request_id, 987_654],
        outsiders=not_the_learning_team,
    ),
}
