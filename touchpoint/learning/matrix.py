"""Certification tracking for the people a manager looks after: the matrix of people by
certifications, credentials about to expire, certified headcounts per partner, the team's
open enrolments, and the matrix as CSV.

Every function here costs a fixed number of queries, however many people or certifications
a page shows: states are computed in SQL (`state_case`), counts are SQL aggregates, and a
page of the matrix reads its credentials in one query.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.learning.access import matrix_partners
from touchpoint.learning.home import STATE_TONES
from touchpoint.learning.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
    Enrolment,
    EnrolmentStatus,
    Status,
)
from touchpoint.orgs.models import JobRole, Partner, User

# A cell with no current credential: not a CredentialState, since nothing is stored for it.
NONE = "none"
NONE_LABEL = gettext_lazy("Not held")
STATES: tuple[str, ...] = (
    CredentialState.IN_PROGRESS,
    CredentialState.ACTIVE,
    CredentialState.EXPIRING,
    CredentialState.EXPIRED,
    CredentialState.REVOKED,
)
# More columns than this stop being readable on a page (and in a spreadsheet row).
MAX_COLUMNS = 15
EXPIRING_DAYS = 90
RECENTLY_EXPIRED_DAYS = 30
DUE_SOON_DAYS = 14
COMPLETED_DAYS = 30


# --- states in SQL ------------------------------------------------------------------------
def state_q(state: str, now: datetime) -> Q:
    """The credentials that are in `state` at `now`, as a filter. The conditions are
    mutually exclusive and follow `Credential.state()` step by step (a test holds them to
    it), so `state_case` and the state filters can never disagree with the model."""
    if state == CredentialState.REVOKED:
        return Q(status=CredentialStatus.REVOKED)
    if state == CredentialState.IN_PROGRESS:
        return Q(status=CredentialStatus.IN_PROGRESS)
    held = Q(status=CredentialStatus.ACTIVE)
    expired = Q(expires_at__isnull=False, expires_at__lte=now)
    not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    expiring = Q(expiring_from__isnull=False, expiring_from__lte=now)
    not_expiring = Q(expiring_from__isnull=True) | Q(expiring_from__gt=now)
    if state == CredentialState.EXPIRED:
        return held & expired
    if state == CredentialState.EXPIRING:
        return held & not_expired & expiring
    if state == CredentialState.ACTIVE:
        return held & not_expired & not_expiring
    raise ValueError(f"unknown credential state {state!r}")


def certified_q(now: datetime) -> Q:
    """Holding the certification now: active or expiring soon (still valid)."""
    return Q(status=CredentialStatus.ACTIVE) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def state_case(now: datetime) -> Case:
    """A credential's state as an SQL expression, for annotating rows."""
    return Case(
        *(When(state_q(state, now), then=Value(str(state))) for state in STATES),
        default=Value(NONE),
        output_field=CharField(),
    )


def state_label(state: str) -> Any:
    return NONE_LABEL if state == NONE else CredentialState(state).label


def state_tone(state: str) -> str:
    return "muted" if state == NONE else STATE_TONES[CredentialState(state)]


def state_choices() -> list[tuple[str, Any]]:
    return [(str(state), CredentialState(state).label) for state in STATES] + [(NONE, NONE_LABEL)]


# --- who and what ---------------------------------------------------------------------------
def can_track(user: User) -> bool:
    """Whether this person may open the team and certification pages at all. The rule
    itself is `matrix_partners`: an empty ("none") scope means the role has no such page,
    which this tells without a query."""
    return user.is_authenticated and not matrix_partners(user).query.is_empty()


def people_tracked_by(user: User) -> QuerySet[User]:
    """Active partner people at the partners whose matrix this person may read (invited
    people included: they are on the team and need their certifications too)."""
    return User.objects.filter(
        is_active=True, partner__is_active=True, partner__in=matrix_partners(user)
    )


def partners_tracked_by(user: User) -> QuerySet[Partner]:
    return matrix_partners(user).filter(is_active=True)


def published_certifications() -> list[Certification]:
    return list(Certification.objects.filter(status=Status.PUBLISHED).order_by("name", "pk"))


@dataclass(frozen=True)
class Filters:
    """What a manager narrowed the list to. `partner` is already checked against their
    scope (see the views); `state` is a CredentialState value, NONE or empty."""

    partner: Partner | None = None
    job_role: JobRole | None = None
    certification: Certification | None = None
    state: str = ""


def narrow_people(people: QuerySet[User], filters: Filters) -> QuerySet[User]:
    """Where (partner and the locations under it) and what they do (job role)."""
    if filters.partner is not None:
        people = people.filter(
            partner__in=Partner.objects.with_descendants_of([filters.partner.pk])
        )
    if filters.job_role is not None:
        people = people.filter(job_role=filters.job_role)
    return people


def matrix_people(
    people: QuerySet[User], filters: Filters, columns: Sequence[Certification], now: datetime
) -> QuerySet[User]:
    """The matrix's rows, filtered and ordered by partner then name.

    With a certification, the state filter applies to it; without one, to any of the
    columns ("expired" = someone with at least one expired column; "not held" = someone
    missing at least one). A certification alone keeps the people who have a credential
    for it in any state."""
    people = narrow_people(people, filters)
    cert_ids = [filters.certification.pk] if filters.certification else [c.pk for c in columns]
    current = Credential.objects.filter(
        user=OuterRef("pk"), is_current=True, certification__in=cert_ids
    )
    if filters.state == NONE:
        held = (
            current.order_by().values("user").annotate(n=Count("pk")).values("n")
        )  # one current credential per certification, so this counts certifications
        people = people.annotate(
            held=Coalesce(Subquery(held, output_field=IntegerField()), 0)
        ).filter(held__lt=len(cert_ids))
    elif filters.state:
        people = people.filter(Exists(current.filter(state_q(filters.state, now))))
    elif filters.certification is not None:
        people = people.filter(Exists(current))
    return people.select_related("partner", "job_role").order_by("partner__name", "name", "pk")


@dataclass(frozen=True)
class Cell:
    state: str
    expires_at: datetime | None = None
    url: str = ""

    @property
    def label(self) -> Any:
        return state_label(self.state)

    @property
    def tone(self) -> str:
        return state_tone(self.state)

    @property
    def is_held(self) -> bool:
        return self.state != NONE


EMPTY = Cell(NONE)


@dataclass
class Row:
    person: User
    cells: list[tuple[Certification, Cell]]  # (column, its cell), so a phone can label it


def _credential_url() -> str:
    # reverse() once per page rather than once per cell (a page has up to 750 cells).
    return reverse("learning:credential_detail", args=[999_999_999]).replace("999999999", "{}")


def current_cells(
    user_ids: Sequence[int], cert_ids: Sequence[int], now: datetime
) -> dict[tuple[int, int], Cell]:
    """The current credential of each (person, certification), in one query."""
    url = _credential_url()
    rows = (
        Credential.objects.filter(
            is_current=True, user_id__in=list(user_ids), certification_id__in=list(cert_ids)
        )
        .annotate(sql_state=state_case(now))
        .values_list("user_id", "certification_id", "sql_state", "expires_at", "pk")
        .order_by()
    )
    return {
        (user_id, cert_id): Cell(state, expires_at, url.format(pk))
        for user_id, cert_id, state, expires_at, pk in rows
    }


def matrix_rows(
    people: Sequence[User], columns: Sequence[Certification], now: datetime
) -> list[Row]:
    """One page of the matrix: these people, one cell per column."""
    cells = current_cells([p.pk for p in people], [c.pk for c in columns], now)
    return [Row(p, [(c, cells.get((p.pk, c.pk), EMPTY)) for c in columns]) for p in people]


# --- expiring credentials -------------------------------------------------------------------
def _credentials_of(people: QuerySet[User], filters: Filters) -> QuerySet[Credential]:
    credentials = Credential.objects.filter(
        is_current=True,
        status=CredentialStatus.ACTIVE,
        certification__status=Status.PUBLISHED,
        user__in=narrow_people(people, filters).values("pk"),
    )
    if filters.certification is not None:
        credentials = credentials.filter(certification=filters.certification)
    return credentials.select_related("user__partner", "certification")


def expiring_credentials(
    people: QuerySet[User], filters: Filters, now: datetime
) -> QuerySet[Credential]:
    """Still valid, but gone within EXPIRING_DAYS: soonest first."""
    return (
        _credentials_of(people, filters)
        .filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=EXPIRING_DAYS))
        .annotate(sql_state=state_case(now))
        .order_by("expires_at", "pk")
    )


def recently_expired_credentials(
    people: QuerySet[User], filters: Filters, now: datetime
) -> QuerySet[Credential]:
    """Lapsed in the last RECENTLY_EXPIRED_DAYS and not renewed: the latest first. Older
    lapses are in the matrix (state "expired"); this list is the one to act on."""
    return (
        _credentials_of(people, filters)
        .filter(expires_at__gt=now - timedelta(days=RECENTLY_EXPIRED_DAYS), expires_at__lte=now)
        .order_by("-expires_at", "pk")
    )


# --- certified headcounts per partner ------------------------------------------------------------
@dataclass
class CountRow:
    """People and certified people (per column) of one partner, or of one job role there."""

    label: Any
    columns: Sequence[Certification]
    headcount: int = 0
    certified: list[int] = field(default_factory=list)
    job_role: JobRole | None = None
    is_role: bool = False

    @property
    def cells(self) -> list[tuple[Certification, int, int]]:
        """(column, certified people, percent of headcount) per column."""
        return [
            (column, n, round(100 * n / self.headcount) if self.headcount else 0)
            for column, n in zip(self.columns, self.certified, strict=True)
        ]


@dataclass
class PartnerCounts:
    partner: Partner | None  # None for the totals over the whole scope
    total: CountRow
    roles: list[CountRow]

    @property
    def rows(self) -> list[CountRow]:
        return [self.total, *self.roles]


NO_ROLE = 0  # people without a job role are grouped under this key


def _counts(
    key: str,
    people: QuerySet[User],
    columns: Sequence[Certification],
    now: datetime,
) -> tuple[dict[tuple[Any, int], int], dict[tuple[Any, int, int], int]]:
    """Headcount per (key, job role) and certified people per (key, job role, column): two
    grouped queries. `key` is a User field to group by ("partner") or "" for one group."""
    group = [key] if key else []
    heads: dict[tuple[Any, int], int] = {}
    for row in people.order_by().values(*group, "job_role").annotate(n=Count("pk")):
        heads[(row[key] if key else None, row["job_role"] or NO_ROLE)] = row["n"]
    certified: dict[tuple[Any, int, int], int] = {}
    rows = (
        Credential.objects.filter(
            certified_q(now),
            is_current=True,
            certification__in=[c.pk for c in columns],
            user__in=people.values("pk"),
        )
        .order_by()
        .values(*[f"user__{name}" for name in group], "user__job_role", "certification")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        owner = row[f"user__{key}"] if key else None
        certified[(owner, row["user__job_role"] or NO_ROLE, row["certification"])] = row["n"]
    return heads, certified


def _assemble(
    partner: Partner | None,
    owner: Any,
    heads: dict[tuple[Any, int], int],
    certified: dict[tuple[Any, int, int], int],
    roles: Sequence[JobRole],
    columns: Sequence[Certification],
) -> PartnerCounts:
    role_rows = []
    for role in [*roles, None]:
        role_key = role.pk if role else NO_ROLE
        headcount = heads.get((owner, role_key), 0)
        if not headcount:
            continue
        role_rows.append(
            CountRow(
                label=str(role) if role else _("No job role"),
                columns=columns,
                headcount=headcount,
                certified=[certified.get((owner, role_key, c.pk), 0) for c in columns],
                job_role=role,
                is_role=True,
            )
        )
    total = CountRow(
        label=partner.name if partner else _("All partners"),
        columns=columns,
        headcount=sum(r.headcount for r in role_rows),
        certified=[sum(r.certified[i] for r in role_rows) for i in range(len(columns))],
    )
    return PartnerCounts(partner, total, role_rows)


def partner_counts(
    partners: Sequence[Partner],
    people: QuerySet[User],
    columns: Sequence[Certification],
    roles: Sequence[JobRole],
    now: datetime,
) -> list[PartnerCounts]:
    """Certified headcount by job role for each column, for each of these partners (their
    own people; a location has its own row)."""
    scoped = people.filter(partner__in=[p.pk for p in partners])
    heads, certified = _counts("partner", scoped, columns, now)
    return [_assemble(p, p.pk, heads, certified, roles, columns) for p in partners]


def total_counts(
    people: QuerySet[User],
    columns: Sequence[Certification],
    roles: Sequence[JobRole],
    now: datetime,
) -> PartnerCounts:
    """The same figures over every partner in scope: the totals row."""
    heads, certified = _counts("", people, columns, now)
    return _assemble(None, None, heads, certified, roles, columns)


# --- the team's open enrolments -----------------------------------------------------------------
def open_enrolments(people: QuerySet[User], now: datetime) -> QuerySet[Enrolment]:
    """Current, unfinished enrolments: overdue first (longest overdue first), then due within
    DUE_SOON_DAYS, then due later, then those without a due date."""
    soon = now + timedelta(days=DUE_SOON_DAYS)
    return (
        Enrolment.objects.filter(
            is_current=True, completed_at__isnull=True, user__in=people.values("pk")
        )
        .exclude(status=EnrolmentStatus.COMPLETED)
        .annotate(
            urgency=Case(
                When(due_at__lt=now, then=Value(0)),
                When(due_at__lt=soon, then=Value(1)),
                When(due_at__isnull=False, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .select_related("user__partner", "user__job_role", "course")
        .order_by("urgency", "due_at", "user__name", "pk")
    )


def team_summary(people: QuerySet[User], now: datetime) -> dict[str, int]:
    """Overdue, due soon, open and recently completed enrolments, in one aggregate query.
    Completions count past enrolments too (someone who retook a course completed it)."""
    open_ = Q(is_current=True, completed_at__isnull=True) & ~Q(status=EnrolmentStatus.COMPLETED)
    soon = now + timedelta(days=DUE_SOON_DAYS)
    return Enrolment.objects.filter(user__in=people.values("pk")).aggregate(
        overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
        due_soon=Count("pk", filter=open_ & Q(due_at__gte=now, due_at__lt=soon)),
        open=Count("pk", filter=open_),
        completed=Count("pk", filter=Q(completed_at__gte=now - timedelta(days=COMPLETED_DAYS))),
    )


# --- CSV ------------------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK = 2000


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets an apostrophe
    (OWASP's advice for CSV injection); the apostrophe is shown, the formula is not run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """csv.writer wants a file; this one hands each written line back."""

    def write(self, value: str) -> str:
        return value


def matrix_csv(
    people: QuerySet[User], columns: Sequence[Certification], now: datetime
) -> Iterator[str]:
    """The matrix as CSV lines: a byte-order mark (so Excel reads UTF-8), a header, then one
    row per person with "state, expires date" per certification.

    Labels, job role names and the time zone are read here, in the request, because the
    lines are produced later, while the response streams. People are read in chunks and
    each chunk's credentials in one query, so memory stays flat for any scope."""
    tz = timezone.get_current_timezone()
    labels = {state: str(state_label(state)) for state in (*STATES, NONE)}
    roles = {role.pk: str(role) for role in JobRole.objects.all()}
    header = [_("Name"), _("Email"), _("Partner"), _("Job role"), *(c.name for c in columns)]
    expires = _("%(state)s, expires %(date)s")
    cert_ids = [c.pk for c in columns]
    rows = people.values_list("pk", "name", "email", "partner__name", "job_role_id")
    writer = csv.writer(_Echo())

    def cell(found: Cell | None) -> str:
        if found is None:
            return ""
        if found.expires_at is None:
            return labels[found.state]
        date = found.expires_at.astimezone(tz).date().isoformat()
        return expires % {"state": labels[found.state], "date": date}

    def lines(chunk: list[tuple[Any, ...]]) -> Iterator[str]:
        cells = current_cells([row[0] for row in chunk], cert_ids, now)
        for pk, name, email, partner, role_id in chunk:
            values = [name, email, partner, roles.get(role_id, "")]
            values += [cell(cells.get((pk, cert_id))) for cert_id in cert_ids]
            yield writer.writerow([csv_safe(v) for v in values])

    def generate() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([csv_safe(h) for h in header])
        chunk: list[tuple[Any, ...]] = []
        for row in rows.iterator(chunk_size=CSV_CHUNK):
            chunk.append(row)
            if len(chunk) == CSV_CHUNK:
                yield from lines(chunk)
                chunk = []
        if chunk:
            yield from lines(chunk)

    return generate()


# --- filter choices --------------------------------------------------------------------------
# Beyond this many partners a drop-down stops helping; the per-partner page links instead.
PARTNER_CHOICES_LIMIT = 100


def partner_choices(user: User, selected: Partner | None) -> tuple[list[tuple[int, str]], bool]:
    """The partners (and locations) to offer in a filter, and whether there were too many
    to list (then only the one already chosen is offered)."""
    rows = list(
        partners_tracked_by(user)
        .order_by("name", "pk")
        .values_list("pk", "name")[: PARTNER_CHOICES_LIMIT + 1]
    )
    if len(rows) <= PARTNER_CHOICES_LIMIT:
        return rows, False
    return ([(selected.pk, selected.name)] if selected else []), True


def pick_columns(
    published: Sequence[Certification],
    picked: Sequence[int],
    certification: Certification | None = None,
) -> list[Certification]:
    """The certifications shown as columns: those picked, or the first MAX_COLUMNS published
    ones; a certification being filtered on is always among them."""
    chosen = set(picked)
    columns = [c for c in published if c.pk in chosen] if chosen else list(published[:MAX_COLUMNS])
    if certification is not None and certification.pk not in {c.pk for c in columns}:
        columns.append(certification)
    return columns
