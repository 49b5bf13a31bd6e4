"""Who may ask for, see, discuss and triage L&D requests: the role predicates.

- Anyone signed in may ask: vendor staff for one of the vendor's departments, partner people
  for their own company (every partner person, not only admins: the seed's Broker example is a
  technician asking). The partner recorded is the requester's own organisation.
- The learning team (portal admins, trainers, content owners) sees and triages every request;
  analysts see every request (they report on them) but do not triage.
- A channel manager sees the requests of the partners they look after, and their own.
- A partner admin or manager sees every request of their company (and its locations); any
  other partner person sees the requests they made themselves.
- Whoever may see a request may comment on it.

Which requests someone may see or triage is on the QuerySet (alignment.models):
    LearningRequest.objects.visible_to(user)  .manageable_by(user)  .get_for(user, pk=…)
A missing request and one outside someone's reach give the same 404.
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
LEARNING_TEAM = (R.PORTAL_ADMIN, R.TRAINER, R.CONTENT_OWNER)
READ_ALL = (*LEARNING_TEAM, R.ANALYST)


def is_learning_team(user: User) -> bool:
    """Triages requests: classifies, assigns, links deliverables."""
    return active(user) and user.has_staff_role(*LEARNING_TEAM)


def reads_every_request(user: User) -> bool:
    """The learning team and analysts (who report on requests)."""
    return active(user) and user.has_staff_role(*READ_ALL)


def can_request(user: User) -> bool:
    return active(user)


def can_export_requests(user: User) -> bool:
    """Whether someone's request list holds other people's requests (so it gets filters,
    counts and the CSV export), rather than only their own."""
    if not active(user):
        return False
    if user.is_vendor:
        return user.has_staff_role(*READ_ALL, R.CHANNEL_MANAGER)
    return user.is_partner_manager
