"""Certification tracking for the people a manager looks after: the matrix of people by
certifications, credentials about to expire, certified headcounts per partner, the team's
open enrolments, and the matrix as CSV.

Every function here costs a fixed number of queries, however many people or certifications
a page shows: states are computed in SQL (`state_case`, the same rule as `Credential.state()`),
counts are SQL aggregates, and a page of the matrix reads its credentials in one query. The
viewer's partners are read once (`Scope`) and passed on as a list of ids; bench/README.md has
the measurements behind that and the other choices marked "measured" below.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar, overload

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.courses.models import Enrolment, EnrolmentStatus, Status
from touchpoint.credentials.access import can_track_learning
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
    state_case,
    state_q,
)
from touchpoint.kernel.exports import csv_lines
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
# How each state reads as a badge, here and on home.
STATE_TONES = {
    CredentialState.ACTIVE: "ok",
    CredentialState.EXPIRING: "warn",
    CredentialState.EXPIRED: "error",
    CredentialState.REVOKED: "muted",
    CredentialState.IN_PROGRESS: "info",
}
# The states whose expiry date means something to a reader.
STATES_WITH_EXPIRY = (CredentialState.ACTIVE, CredentialState.EXPIRING, CredentialState.EXPIRED)
# More columns than this stop being readable on a page (and in a spreadsheet row).
MAX_COLUMNS = 15
EXPIRING_DAYS = 90
RECENTLY_EXPIRED_DAYS = 30
DUE_SOON_DAYS = 14
COMPLETED_DAYS = 30


# --- states as the pages show them (the rule itself: credentials.models.STATE_RULES) ---------
def certified_q(now: datetime) -> Q:
    """Holding the certification now: active or expiring soon (still valid)."""
    return state_q(CredentialState.ACTIVE, now) | state_q(CredentialState.EXPIRING, now)


def state_label(state: str) -> Any:
    return NONE_LABEL if state == NONE else CredentialState(state).label


def state_tone(state: str) -> str:
    return "muted" if state == NONE else STATE_TONES[CredentialState(state)]


def state_choices() -> list[tuple[str, Any]]:
    return [(str(state), CredentialState(state).label) for state in STATES] + [(NONE, NONE_LABEL)]


# --- who and what ---------------------------------------------------------------------------
# Beyond this many partners a drop-down stops helping; the per-partner page links instead.
PARTNER_CHOICES_LIMIT = 100


@dataclass(frozen=True)
class Scope:
    """The active partners whose people a viewer tracks, read once per request.

    Later queries take their ids as a literal list rather than the access rule's subquery:
    PostgreSQL cannot estimate the rule's OR-ed subqueries (it guessed ~950 of 1,000
    partners for a channel manager with 211) and then scanned all 100,000 people; with
    the list it reads just their people through the (partner, is_active) index."""

    partners: tuple[tuple[int, str], ...]  # (pk, name), by name

    @classmethod
    def of(cls, user: User) -> Scope:
        """The partners whose people this person tracks: those whose people they may see,
        when their role tracks learning at all."""
        if not can_track_learning(user):
            return cls(())
        rows = Partner.objects.visible_to(user).filter(is_active=True).order_by("name", "pk")
        return cls(tuple(rows.values_list("pk", "name")))

    def within(self, partner: Partner | None) -> Scope:
        """Narrowed to one partner and the locations under it (the partner must already be
        known to be in scope: this only intersects)."""
        if partner is None:
            return self
        subtree = set(
            Partner.objects.with_descendants_of([partner.pk]).values_list("pk", flat=True)
        )
        return Scope(tuple(row for row in self.partners if row[0] in subtree))

    @property
    def partner_ids(self) -> list[int]:
        return [pk for pk, _name in self.partners]

    def people_q(self, job_role: JobRole | None = None, prefix: str = "") -> Q:
        """Active people at these partners (invited people included: they are on the team
        and need their certifications too), as a filter on User or, with a prefix such as
        "user__", on a model pointing at User (one join, no subquery)."""
        q = Q(**{f"{prefix}is_active": True, f"{prefix}partner__in": self.partner_ids})
        if job_role is not None:
            q &= Q(**{f"{prefix}job_role": job_role})
        return q

    def people(self, job_role: JobRole | None = None) -> QuerySet[User]:
        return User.objects.filter(self.people_q(job_role))

    def partner_choices(self) -> tuple[list[tuple[int, str]], bool]:
        """The partners (and locations) to offer in a filter, and whether there were too
        many to list."""
        if len(self.partners) <= PARTNER_CHOICES_LIMIT:
            return list(self.partners), False
        return [], True


def published_certifications() -> list[Certification]:
    return list(Certification.objects.filter(status=Status.PUBLISHED).order_by("name", "pk"))


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


@dataclass(frozen=True)
class Filters:
    """What a manager narrowed the list to, besides the partner (see `Scope.within`).
    `state` is a CredentialState value, NONE or empty."""

    job_role: JobRole | None = None
    certification: Certification | None = None
    state: str = ""


def matrix_people(
    scope: Scope, filters: Filters, columns: Sequence[Certification], now: datetime
) -> QuerySet[User]:
    """The matrix's rows, filtered and ordered by partner then name.

    With a certification, the state filter applies to it; without one, to any of the
    columns ("expired" = someone with at least one expired column; "not held" = someone
    missing at least one). A certification alone keeps the people who have a credential
    for it in any state."""
    people = scope.people(filters.job_role)
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
        people = people.filter(Exists(current.in_state(filters.state, now)))
    elif filters.certification is not None:
        people = people.filter(Exists(current))
    return people.select_related("partner", "job_role").order_by(
        "partner__name", "partner_id", "name", "pk"
    )


T = TypeVar("T")


class _Pages(Generic[T]):
    """What a Paginator needs of its object list (a length and slices), for lists that
    read each page with queries of their own."""

    def __len__(self) -> int:
        raise NotImplementedError

    def rows(self, start: int, stop: int) -> list[T]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, int):
            return self.rows(index, index + 1)[0]
        start = index.start or 0
        return self.rows(start, len(self) if index.stop is None else index.stop)

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows(0, len(self)))


class PartnerOrderedPeople(_Pages[User]):
    """The matrix's rows in partner order, for a Paginator, without sorting everyone.

    Ordering all the people in scope by partner and name for every page is a sort of the
    whole scope (measured ~300 ms for a channel's 98,000 people, ~50 ms for a channel
    manager's 19,000). Instead the rows are counted per partner (one grouped query, which
    is also the paginator's count) and a page reads only the partners it spans, already in
    name order from the scope."""

    def __init__(self, people: QuerySet[User], scope: Scope) -> None:
        self.people = people
        self.scope = scope
        self._sizes: list[tuple[int, int]] | None = None

    def sizes(self) -> list[tuple[int, int]]:
        """(partner id, rows) for each partner with rows, in the scope's order."""
        if self._sizes is None:
            counts = {
                row["partner"]: row["n"]
                for row in self.people.order_by().values("partner").annotate(n=Count("pk"))
            }
            self._sizes = [(pk, counts[pk]) for pk in self.scope.partner_ids if counts.get(pk)]
        return self._sizes

    def __len__(self) -> int:
        return sum(n for _pk, n in self.sizes())

    def rows(self, start: int, stop: int) -> list[User]:
        spanned: list[int] = []
        offset = seen = 0
        for pk, n in self.sizes():
            if seen + n > start and seen < stop:
                if not spanned:
                    offset = start - seen
                spanned.append(pk)
            seen += n
        if not spanned:
            return []
        people = self.people.filter(partner__in=spanned).order_by(
            "partner__name", "partner_id", "name", "pk"
        )
        return list(people[offset : offset + stop - start])


class NarrowPages(_Pages[T]):
    """A queryset made ready for a Paginator: a page's ids are found first, sorting just
    the ordering columns, then those rows are read with everything they join.

    Sorting the full rows (person, partner, job role, course joined in) of a channel's
    98,000 open enrolments to show 50 took ~160 ms; sorting (due date, id) pairs ~30 ms."""

    def __init__(self, queryset: QuerySet[Any], count: int | None = None) -> None:
        self.queryset = queryset
        self._count = count  # when the caller has counted already (e.g. team_summary)

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def rows(self, start: int, stop: int) -> list[T]:
        ids = list(self.queryset.values_list("pk", flat=True)[start:stop])
        found = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class Cell:
    """What one matrix cell shows, ready to print: a page has up to 750 of them, and each
    template lookup, translation or date format per cell adds up (tens of ms a page)."""

    state: str
    label: str
    tone: str
    note: str = ""  # "until <date>" / "expired <date>"
    expires_at: datetime | None = None
    url: str = ""

    @property
    def is_held(self) -> bool:
        return self.state != NONE


@dataclass
class Row:
    person: User
    cells: list[tuple[Certification, Cell]]  # (column, its cell), so a phone can label it


def current_credentials(
    user_ids: Sequence[int], cert_ids: Sequence[int], now: datetime
) -> dict[tuple[int, int], tuple[str, datetime | None, int]]:
    """(state, expires at, credential id) of each (person, certification)'s current
    credential, in one query."""
    rows = (
        Credential.objects.filter(
            is_current=True, user_id__in=list(user_ids), certification_id__in=list(cert_ids)
        )
        .annotate(sql_state=state_case(now))
        .values_list("user_id", "certification_id", "sql_state", "expires_at", "pk")
        .order_by()
    )
    return {
        (user_id, cert_id): (state, expires, pk) for user_id, cert_id, state, expires, pk in rows
    }


def matrix_rows(
    people: Sequence[User], columns: Sequence[Certification], now: datetime
) -> list[Row]:
    """One page of the matrix: these people, one cell per column."""
    found = current_credentials([p.pk for p in people], [c.pk for c in columns], now)
    labels = {state: str(state_label(state)) for state in (*STATES, NONE)}
    empty = Cell(NONE, labels[NONE], state_tone(NONE))
    # reverse() and the translations once per page, not once per cell.
    url = reverse("credentials:credential_detail", args=[999_999_999]).replace("999999999", "{}")
    until, lapsed = _("until %(date)s"), _("expired %(date)s")
    dates: dict[Any, str] = {}

    def note(state: str, expires_at: datetime | None) -> str:
        if expires_at is None or state not in STATES_WITH_EXPIRY:
            return ""
        day = timezone.localdate(expires_at)
        if day not in dates:
            dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        return (lapsed if state == CredentialState.EXPIRED else until) % {"date": dates[day]}

    def cell(key: tuple[int, int]) -> Cell:
        if key not in found:
            return empty
        state, expires_at, pk = found[key]
        return Cell(
            state, labels[state], state_tone(state), note(state, expires_at), expires_at,
            url.format(pk),
        )  # fmt: skip

    return [Row(p, [(c, cell((p.pk, c.pk))) for c in columns]) for p in people]


# --- expiring credentials -------------------------------------------------------------------
def _credentials_of(scope: Scope, filters: Filters) -> QuerySet[Credential]:
    credentials = Credential.objects.filter(
        scope.people_q(filters.job_role, prefix="user__"),
        is_current=True,
        status=CredentialStatus.ACTIVE,
        certification__status=Status.PUBLISHED,
    )
    if filters.certification is not None:
        credentials = credentials.filter(certification=filters.certification)
    return credentials.select_related("user__partner", "certification")


def expiring_credentials(scope: Scope, filters: Filters, now: datetime) -> QuerySet[Credential]:
    """Still valid, but gone within EXPIRING_DAYS: soonest first."""
    return (
        _credentials_of(scope, filters)
        .filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=EXPIRING_DAYS))
        .order_by("expires_at", "pk")
    )


def recently_expired_credentials(
    scope: Scope, filters: Filters, now: datetime
) -> QuerySet[Credential]:
    """Lapsed in the last RECENTLY_EXPIRED_DAYS and not renewed: the latest first. Older
    lapses are in the matrix (state "expired"); this list is the one to act on."""
    return (
        _credentials_of(scope, filters)
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
    is_role: bool = False

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        """(column name, certified people, percent of headcount) per column."""
        return [
            (column.name, n, round(100 * n / self.headcount) if self.headcount else 0)
            for column, n in zip(self.columns, self.certified, strict=True)
        ]


@dataclass
class PartnerCounts:
    partner_id: int | None  # None for the totals over the whole scope
    total: CountRow
    roles: list[CountRow]

    @property
    def rows(self) -> list[CountRow]:
        return [self.total, *self.roles]


NO_ROLE = 0  # people without a job role are grouped under this key


def _counts(
    scope: Scope, columns: Sequence[Certification], now: datetime, *, by_partner: bool
) -> tuple[dict[tuple[Any, int], int], dict[tuple[Any, int, int], int]]:
    """Headcount per (partner, job role) and certified people per (partner, job role,
    column), or the same over the whole scope: two grouped queries."""
    group = ["partner"] if by_partner else []
    heads: dict[tuple[Any, int], int] = {}
    for row in scope.people().order_by().values(*group, "job_role").annotate(n=Count("pk")):
        heads[(row.get("partner"), row["job_role"] or NO_ROLE)] = row["n"]
    certified: dict[tuple[Any, int, int], int] = {}
    rows = (
        Credential.objects.filter(
            certified_q(now),
            scope.people_q(prefix="user__"),
            is_current=True,
            certification__in=[c.pk for c in columns],
        )
        .order_by()
        .values(*[f"user__{name}" for name in group], "user__job_role", "certification")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = (row.get("user__partner"), row["user__job_role"] or NO_ROLE, row["certification"])
        certified[key] = row["n"]
    return heads, certified


def _assemble(
    partner: tuple[int, str] | None,
    heads: dict[tuple[Any, int], int],
    certified: dict[tuple[Any, int, int], int],
    roles: Sequence[JobRole],
    columns: Sequence[Certification],
) -> PartnerCounts:
    owner = partner[0] if partner else None
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
                is_role=True,
            )
        )
    total = CountRow(
        label=partner[1] if partner else _("Total"),
        columns=columns,
        headcount=sum(r.headcount for r in role_rows),
        certified=[sum(r.certified[i] for r in role_rows) for i in range(len(columns))],
    )
    return PartnerCounts(owner, total, role_rows)


def partner_counts(
    partners: Sequence[tuple[int, str]],
    columns: Sequence[Certification],
    roles: Sequence[JobRole],
    now: datetime,
) -> list[PartnerCounts]:
    """Certified headcount by job role for each column, for each of these (pk, name)
    partners: their own people (a location has its own row)."""
    heads, certified = _counts(Scope(tuple(partners)), columns, now, by_partner=True)
    return [_assemble(p, heads, certified, roles, columns) for p in partners]


def total_counts(
    scope: Scope, columns: Sequence[Certification], roles: Sequence[JobRole], now: datetime
) -> PartnerCounts:
    """The same figures over every partner in scope: the totals row."""
    heads, certified = _counts(scope, columns, now, by_partner=False)
    return _assemble(None, heads, certified, roles, columns)


# --- the team's open enrolments -----------------------------------------------------------------
def _open_q() -> Q:
    return Q(is_current=True, completed_at__isnull=True) & ~Q(status=EnrolmentStatus.COMPLETED)


def open_enrolments(scope: Scope, filters: Filters, now: datetime) -> QuerySet[Enrolment]:
    """Current, unfinished enrolments: overdue first (longest overdue first), then due within
    DUE_SOON_DAYS, then due later, then those without a due date.

    That is simply the due date, earliest first and empty last, so the rows are ordered
    by it alone (`urgency` is for the badges): a page's sort is then of (due date, id)
    pairs only (see NarrowPages)."""
    soon = now + timedelta(days=DUE_SOON_DAYS)
    return (
        Enrolment.objects.filter(_open_q(), scope.people_q(filters.job_role, prefix="user__"))
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
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def team_summary(scope: Scope, filters: Filters, now: datetime) -> dict[str, int]:
    """Overdue, due soon, open and recently completed enrolments, in one aggregate query.
    Completions count past enrolments too (someone who retook a course completed it).
    "open" counts exactly `open_enrolments`, so its pages need no count of their own."""
    open_ = _open_q()
    soon = now + timedelta(days=DUE_SOON_DAYS)
    return Enrolment.objects.filter(scope.people_q(filters.job_role, prefix="user__")).aggregate(
        overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
        due_soon=Count("pk", filter=open_ & Q(due_at__gte=now, due_at__lt=soon)),
        open=Count("pk", filter=open_),
        completed=Count("pk", filter=Q(completed_at__gte=now - timedelta(days=COMPLETED_DAYS))),
    )


# --- CSV ------------------------------------------------------------------------------------
CSV_CHUNK = 2000


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

    def cell(found: tuple[str, datetime | None, int] | None) -> str:
        if found is None:
            return ""
        state, expires_at, _pk = found
        if expires_at is None or state not in STATES_WITH_EXPIRY:
            return labels[state]
        date = expires_at.astimezone(tz).date().isoformat()
        return expires % {"state": labels[state], "date": date}

    def lines(chunk: list[tuple[Any, ...]]) -> Iterator[list[Any]]:
        cells = current_credentials([row[0] for row in chunk], cert_ids, now)
        for pk, name, email, partner, role_id in chunk:
            values = [name, email, partner, roles.get(role_id, "")]
            values += [cell(cells.get((pk, cert_id))) for cert_id in cert_ids]
            yield values

    def generate() -> Iterator[list[Any]]:
        chunk: list[tuple[Any, ...]] = []
        for row in rows.iterator(chunk_size=CSV_CHUNK):
            chunk.append(row)
            if len(chunk) == CSV_CHUNK:
                yield from lines(chunk)
                chunk = []
        if chunk:
            yield from lines(chunk)

    # Quoting and neutralising formulas are kernel.exports' job, as for every export.
    return csv_lines(header, generate())
