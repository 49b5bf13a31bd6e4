"""Who may do what with courses: the role predicates, and the people someone may enrol.

Which courses and enrolments someone may see or change is on the QuerySets
(courses.models):
    Course.objects.visible_to(user)   .manageable_by(user)   .get_for(user, pk=…)
    Enrolment.objects.visible_to(user)
The predicates here are functions of the person alone; views gate on them with
kernel.access.require, and the menu offers a page on the same predicate. Quizzes, sessions,
certifications and paths are built and assigned by the same people, so they use these too.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touchpoint.kernel.access import active
from touchpoint.library.models import Section
from touchpoint.orgs.models import Department, StaffRoleKind, User

R = StaffRoleKind
# Staff who build courses (and their question banks, sessions and paths).
AUTHORS = (R.PORTAL_ADMIN, R.TRAINER, R.CONTENT_OWNER)
# Authors of every course; a content owner authors those of their department and their own.
AUTHORS_OF_EVERY_COURSE = (R.PORTAL_ADMIN, R.TRAINER)
# Staff who assign courses and paths to anyone, or (channel managers) to their partners' people.
ASSIGNERS = (R.PORTAL_ADMIN, R.TRAINER, R.CHANNEL_MANAGER)


def can_author_courses(user: User) -> bool:
    """The authors' pages: courses, their content, question banks, sessions and paths."""
    return active(user) and user.has_staff_role(*AUTHORS)


def can_author_every_course(user: User) -> bool:
    return active(user) and user.has_staff_role(*AUTHORS_OF_EVERY_COURSE)


def can_assign_courses(user: User) -> bool:
    """Assigning courses and paths: trainers, portal admins and channel managers, and partner
    admins (to their own company's people)."""
    return active(user) and (user.has_staff_role(*ASSIGNERS) or user.is_partner_admin)


def people_assignable_by(user: User) -> QuerySet[User]:
    """Partner people this person may enrol in courses: trainers and portal admins anyone,
    a channel manager their partners' people, a partner admin their own company's."""
    if not can_assign_courses(user):
        return User.objects.none()
    people = User.objects.filter(is_active=True, partner__isnull=False)
    if user.has_staff_role(R.PORTAL_ADMIN, R.TRAINER):
        return people
    return people.filter(pk__in=User.objects.visible_to(user).values("pk"))


# --- what forms offer (kernel.forms.scope_choices) -------------------------------------------
def _content_owner_departments(user: User) -> QuerySet[Department]:
    ids = user.staffrole_set.filter(role=R.CONTENT_OWNER, department__isnull=False)
    return Department.objects.filter(pk__in=ids.values("department"))


def departments_for_courses(departments: QuerySet[Department], user: User) -> QuerySet[Department]:
    """The departments someone may give a course: authors of every course any, a content
    owner only their own (the course would otherwise pass to another department's owners)."""
    if not can_author_courses(user):
        return departments.none()
    if can_author_every_course(user):
        return departments
    return departments.filter(pk__in=_content_owner_departments(user).values("pk"))


def sections_for_courses(sections: QuerySet[Section], user: User) -> QuerySet[Section]:
    """The library sections someone may list a course in: authors of every course any, a
    content owner their department's sections and those they are accountable for."""
    if not can_author_courses(user):
        return sections.none()
    if can_author_every_course(user):
        return sections
    return sections.filter(Q(department__in=_content_owner_departments(user)) | Q(owner=user))


def people_assignable(people: QuerySet[User], user: User) -> QuerySet[User]:
    """`people_assignable_by` as a form's choices."""
    return people.filter(pk__in=people_assignable_by(user).values("pk"))
