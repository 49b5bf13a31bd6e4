"""Isolation cases for L&D requests: a request Carol made for Birchwood (she may open and
discuss it, Alice may not), and the learning team's triage URLs, which only the learning team
reaches (Alice is not in it; Pat is)."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.alignment import make_request
from touchpoint.alignment import actions
from touchpoint.alignment.models import Deliverable, DeliverableKind, LearningRequest


def birchwood_request(p: Personas) -> LearningRequest:
    return make_request(p.carol, "Birchwood parts counter training")


def linked_page(p: Personas) -> Deliverable:
    request = birchwood_request(p)
    return actions.add_deliverable(
        p.pat,
        request,
        Deliverable(kind=DeliverableKind.LINK, title="Forum answer", url="/forums/answers/1/"),
    )


carol = lambda p: p.carol  # noqa: E731 - who asked, for Birchwood
pat = lambda p: p.pat  # noqa: E731 - the learning team

TRIAGE = {"relationship": "vendor", "owner": "", "status": "triaged", "priority": "2",
          "decline_reason": ""}  # fmt: skip

CASES = {
    "alignment:request_detail": Case(birchwood_request, carol),
    "alignment:request_comment": Case(birchwood_request, carol, "post", data={"body": "Any news?"}),
    "alignment:request_triage": Case(birchwood_request, pat, "post", data=TRIAGE),
    "alignment:deliverable_add": Case(birchwood_request, pat, "post", data={"target": "asset:0"}),
    "alignment:deliverable_link": Case(
        birchwood_request, pat, "post", data={"title": "Forum answer", "url": "/forums/1/"}
    ),
    "alignment:deliverable_remove": Case(
        linked_page,
        pat,
        "post",
        args=lambda d: [d.request_id, d.pk],
        missing=lambda d: [d.request_id, 987_654],
    ),
}
