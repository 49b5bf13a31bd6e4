"""CSV import of partners and people: read, check every row (a dry run), then apply all rows
or none.

Checking is set-based: the rows' partner numbers, emails, tiers and roles are looked up in a
handful of queries, however long the file. Row numbers match the spreadsheet (the header is
row 1), so an error message points at the line to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from django_tasks import task

from touchpoint.kernel import audit
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs import headcounts
from touchpoint.orgs.hooks import people_changed
from touchpoint.orgs.models import (
    MAX_HIERARCHY_DEPTH,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Invitation,
    JobRole,
    Partner,
    PartnerKind,
    PartnerRole,
    Region,
    Tier,
    User,
)
from touchpoint.orgs.tasks import send_invitations as send_invitations_task

MAX_ROWS = 20_000

PARTNER_COLUMNS = [
    "partner_number", "name", "type", "tier", "region", "country", "city",
    "parent_partner_number", "website", "phone", "email_domain",
]  # fmt: skip
PARTNER_REQUIRED = ["partner_number", "name", "type", "country"]
PEOPLE_COLUMNS = ["email", "name", "partner_number", "access", "job_role", "title", "language"]
PEOPLE_REQUIRED = ["email", "name", "partner_number"]

COLUMNS: dict[str, list[str]] = {
    ImportKind.PARTNERS: PARTNER_COLUMNS,
    ImportKind.PEOPLE: PEOPLE_COLUMNS,
}
REQUIRED: dict[str, list[str]] = {
    ImportKind.PARTNERS: PARTNER_REQUIRED,
    ImportKind.PEOPLE: PEOPLE_REQUIRED,
}
# Headers people actually type, mapped to ours.
ALIASES = {
    "partner_no": "partner_number", "partner_id": "partner_number", "account_number": "partner_number",
    "parent": "parent_partner_number", "parent_number": "parent_partner_number",
    "partner_type": "type", "kind": "type", "full_name": "name", "e-mail": "email",
    "role": "access", "partner_role": "access", "job": "job_role",
}  # fmt: skip


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    action: str = "create"  # create | update
    errors: list[str] = field(default_factory=list)


@dataclass
class Checked:
    rows: list[RowResult]

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def counts(self) -> dict[str, int]:
        ok = [r for r in self.rows if not r.errors]
        return {
            "create": sum(1 for r in ok if r.action == "create"),
            "update": sum(1 for r in ok if r.action == "update"),
            "errors": self.error_count,
        }


# --- reading the file ------------------------------------------------------------------------
def read_upload(upload: UploadedFile) -> tuple[str, str]:
    """Return (text, delimiter) or raise ImportFileError with a message for the person."""
    limit = settings.MAX_CSV_IMPORT_BYTES
    if upload.size is not None and upload.size > limit:
        raise ImportFileError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    raw = upload.read(limit + 1)
    return decode(raw)


def decode(raw: bytes) -> tuple[str, str]:
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is a spreadsheet workbook, not a CSV file. In Excel choose File → Save As → "
              "“CSV UTF-8 (comma delimited)”.")
        )  # fmt: skip
    if b"\x00" in raw:
        raise ImportFileError(_("This file is not text (it contains binary data)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 text (unreadable byte at position %(pos)d). Save it as "
              "“CSV UTF-8” and upload it again.") % {"pos": exc.start}
        ) from exc  # fmt: skip
    first_line = text.splitlines()[0] if text.splitlines() else ""
    # Spreadsheets in many European locales write semicolons; tabs come from copy-paste.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    return text, delimiter


def _normalise_header(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return ALIASES.get(key, key)


def parse(text: str, delimiter: str, kind: str) -> list[RowResult]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: %(e)s") % {"e": exc}) from exc
    columns = [_normalise_header(h) for h in header]
    expected = COLUMNS[kind]
    missing = [c for c in REQUIRED[kind] if c not in columns]
    unknown = [h for h, c in zip(header, columns, strict=True) if c not in expected and h.strip()]
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(_("Missing columns: %(c)s.") % {"c": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(c)s.") % {"c": ", ".join(unknown)})
    if dupes:
        problems.append(_("Columns named twice: %(c)s.") % {"c": ", ".join(dupes)})
    if problems:
        problems.append(_("The columns are: %(c)s.") % {"c": ", ".join(expected)})
        raise ImportFileError(" ".join(problems))

    rows: list[RowResult] = []
    try:
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # blank lines are common at the end of exported files
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(n)d rows; split it into smaller files.")
                    % {"n": MAX_ROWS}
                )
            values = dict.fromkeys(expected, "")
            for column, cell in zip(columns, record, strict=False):
                if column in values:
                    values[column] = cell.strip()
            result = RowResult(line=line, values=values)
            if len(record) > len(columns):
                result.errors.append(
                    _("This row has %(n)d cells but the header has %(h)d columns.")
                    % {"n": len(record), "h": len(columns)}
                )
            rows.append(result)
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: %(e)s") % {"e": exc}) from exc
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return rows


# --- checking rows -----------------------------------------------------------------------------
def _by_name(objects: Iterable[Any], *attrs: str) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for obj in objects:
        for attr in attrs:
            value = getattr(obj, attr, "")
            if value:
                index[str(value).strip().lower()] = obj
        index[str(obj).strip().lower()] = obj
    return index


# Names people type that differ from ISO's official ones.
COUNTRY_ALIASES = {
    "usa": "US",
    "united states": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
}


def _country_code(value: str) -> str | None:
    value = value.strip()
    if value.upper() in dict(countries):
        return value.upper()
    return COUNTRY_ALIASES.get(value.lower()) or countries.by_name(value, insensitive=True) or None


def _plain(value: str, label: str, errors: list[str], max_length: int) -> None:
    if len(value) > max_length:
        errors.append(
            _("%(label)s is longer than %(n)d characters.") % {"label": label, "n": max_length}
        )
    try:
        validate_plain_text(value)
    except ValidationError:
        errors.append(_("%(label)s cannot contain < or >.") % {"label": label})


def check_partner_rows(rows: list[RowResult]) -> Checked:
    numbers = [r.values["partner_number"] for r in rows if r.values["partner_number"]]
    parents = [r.values["parent_partner_number"] for r in rows if r.values["parent_partner_number"]]
    existing = {
        p.external_id: p
        for p in Partner.objects.filter(external_id__in=set(numbers) | set(parents)).select_related(
            "parent"
        )
    }
    tiers = _by_name(Tier.objects.all())
    regions = _by_name(Region.objects.all())
    kinds = {k.lower(): k for k in PartnerKind.values} | {
        str(label).lower(): k for k, label in PartnerKind.choices
    }
    in_file = {}
    for row in rows:
        number = row.values["partner_number"]
        if number and number not in in_file:
            in_file[number] = row

    def depth(number: str, visiting: set[str]) -> int:
        """How deep a partner will sit once the file is applied (in the file or already known)."""
        if number in in_file and number not in visiting:
            parent_number = in_file[number].values["parent_partner_number"]
            return 0 if not parent_number else 1 + depth(parent_number, visiting | {number})
        return existing[number].depth if number in existing else 0

    seen: dict[str, int] = {}
    url = URLValidator()
    for row in rows:
        v, errors = row.values, row.errors
        number = v["partner_number"]
        if not number:
            errors.append(_("partner_number is empty."))
        elif number in seen:
            errors.append(
                _("Partner number %(n)s is also on row %(r)d.") % {"n": number, "r": seen[number]}
            )
        else:
            seen[number] = row.line
        if len(number) > 64:
            errors.append(_("partner_number is longer than 64 characters."))
        if number in existing:
            row.action = "update"
        if not v["name"]:
            errors.append(_("name is empty."))
        _plain(v["name"], "name", errors, 200)
        _plain(v["city"], "city", errors, 120)
        kind = kinds.get(v["type"].lower())
        if not kind:
            errors.append(
                _("Unknown type “%(t)s”; use one of: %(k)s.")
                % {"t": v["type"], "k": ", ".join(PartnerKind.values)}
            )
        if v["tier"]:
            if kind == PartnerKind.LOCATION:
                errors.append(_("A location takes its parent's tier; leave tier empty."))
            elif v["tier"].lower() not in tiers:
                errors.append(
                    _("Unknown tier “%(t)s”; known tiers: %(k)s.")
                    % {"t": v["tier"], "k": ", ".join(str(t) for t in Tier.objects.all())}
                )
        if v["region"] and v["region"].lower() not in regions:
            errors.append(_("Unknown region “%(r)s”.") % {"r": v["region"]})
        if not v["country"]:
            errors.append(_("country is empty."))
        elif not _country_code(v["country"]):
            errors.append(
                _("Unknown country “%(c)s”; use a two-letter code such as US or DE.")
                % {"c": v["country"]}
            )
        if v["website"]:
            try:
                url(v["website"])
            except ValidationError:
                errors.append(_("website is not a valid address (include https://)."))
        parent_number = v["parent_partner_number"]
        if parent_number:
            if parent_number == number:
                errors.append(_("A partner cannot be its own parent."))
            elif parent_number in in_file:
                parent_kind = kinds.get(in_file[parent_number].values["type"].lower())
                _check_parent(kind, parent_kind, depth(parent_number, set()), errors)
            elif parent_number in existing:
                parent = existing[parent_number]
                _check_parent(kind, parent.kind, parent.depth, errors)
            else:
                errors.append(_("Unknown parent partner number “%(n)s”.") % {"n": parent_number})
        elif kind == PartnerKind.LOCATION:
            errors.append(_("A location needs a parent_partner_number."))
    return Checked(rows)


def _check_parent(
    kind: str | None, parent_kind: str | None, parent_depth: int, errors: list[str]
) -> None:
    if kind == PartnerKind.DISTRIBUTOR:
        errors.append(_("A distributor is a top-level partner; leave parent_partner_number empty."))
    if parent_kind == PartnerKind.LOCATION:
        errors.append(_("The parent is a location; locations cannot have partners under them."))
    elif parent_depth + 1 >= MAX_HIERARCHY_DEPTH:
        errors.append(_("Hierarchies are at most three levels: distributor, dealer, location."))


def check_people_rows(rows: list[RowResult]) -> Checked:
    emails = {r.values["email"].lower() for r in rows if r.values["email"]}
    numbers = {r.values["partner_number"] for r in rows if r.values["partner_number"]}
    partners = {p.external_id: p for p in Partner.objects.filter(external_id__in=numbers)}
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    job_roles = _by_name(JobRole.objects.all(), "code")
    access = {r.lower(): r for r in PartnerRole.values} | {
        str(label).lower(): r for r, label in PartnerRole.choices
    }
    languages = {code for code, _name in settings.LANGUAGES}
    seen: dict[str, int] = {}
    for row in rows:
        v, errors = row.values, row.errors
        email = v["email"].lower()
        v["email"] = email
        if not email:
            errors.append(_("email is empty."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("“%(e)s” is not a valid email address.") % {"e": email})
            if email in seen:
                errors.append(_("%(e)s is also on row %(r)d.") % {"e": email, "r": seen[email]})
            else:
                seen[email] = row.line
        if not v["name"]:
            errors.append(_("name is empty."))
        _plain(v["name"], "name", errors, 150)
        _plain(v["title"], "title", errors, 120)
        partner = partners.get(v["partner_number"])
        if not v["partner_number"]:
            errors.append(_("partner_number is empty."))
        elif partner is None:
            errors.append(
                _("Unknown partner number “%(n)s”; import partners first.")
                % {"n": v["partner_number"]}
            )
        if email in existing:
            person = existing[email]
            if person.partner_id is None:
                errors.append(_("%(e)s is a vendor staff account.") % {"e": email})
            elif partner is not None and person.partner_id != partner.pk:
                errors.append(_("%(e)s already belongs to another company.") % {"e": email})
            else:
                row.action = "update"
        if v["access"] and v["access"].lower() not in access:
            errors.append(
                _("Unknown access “%(a)s”; use admin, manager or member.") % {"a": v["access"]}
            )
        if v["job_role"] and v["job_role"].lower() not in job_roles:
            errors.append(
                _("Unknown job role “%(j)s”; known: %(k)s.")
                % {
                    "j": v["job_role"],
                    "k": ", ".join(sorted(str(j) for j in JobRole.objects.all())),
                }
            )
        if v["language"] and v["language"].lower() not in languages:
            errors.append(
                _("Unknown language “%(l)s”; use %(k)s.")
                % {"l": v["language"], "k": ", ".join(sorted(languages))}
            )
    return Checked(rows)


def check(batch: ImportBatch) -> Checked:
    rows = parse(batch.content, batch.delimiter, batch.kind)
    return (
        check_partner_rows(rows) if batch.kind == ImportKind.PARTNERS else check_people_rows(rows)
    )


# --- creating the batch and applying it ------------------------------------------------------------
@transaction.atomic
def create_batch(
    actor: User, kind: str, upload: UploadedFile, *, send_invitations: bool
) -> tuple[ImportBatch, Checked]:
    text, delimiter = read_upload(upload)
    checked = (check_partner_rows if kind == ImportKind.PARTNERS else check_people_rows)(
        parse(text, delimiter, kind)
    )
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=(upload.name or "upload.csv")[:255],
        content=text,
        delimiter=delimiter,
        send_invitations=send_invitations,
        row_count=len(checked.rows),
        error_count=checked.error_count,
        summary=checked.counts(),
        created_by=actor,
    )
    audit.record(actor, "import.checked", batch, after=checked.counts())
    return batch, checked


@transaction.atomic
def confirm_batch(actor: User, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import was already confirmed."))
    if batch.error_count:
        raise ValidationError(_("Fix the rows with errors and upload the file again."))
    batch.status = ImportStatus.QUEUED
    batch.save(update_fields=["status"])
    transaction.on_commit(lambda: apply_import.enqueue(batch.pk))
    return batch


@task()
def apply_import(batch_id: int) -> str:
    """The worker's side of `confirm`: apply the batch and say how it ended."""
    return apply_batch(batch_id).status


def apply_batch(batch_id: int) -> ImportBatch:
    """Apply a confirmed import inside one transaction: every row, or (on any error) none."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    try:
        with transaction.atomic():
            checked = check(batch)
            if checked.error_count:
                # The data changed since the preview (e.g. someone took an email meanwhile).
                raise ValidationError(
                    _("%(n)d rows no longer pass the checks.") % {"n": checked.error_count}
                )
            if batch.kind == ImportKind.PARTNERS:
                counts = _apply_partners(checked.rows)
            else:
                counts = _apply_people(checked.rows, batch.created_by, batch.send_invitations)
            numbers = {row.values["partner_number"] for row in checked.rows}
            partner_ids = list(
                Partner.objects.filter(external_id__in=numbers).values_list("pk", flat=True)
            )
            headcounts.refresh(partner_ids)
            # New people, or people of re-tiered partners, may match auto-enrolment rules.
            people_changed(
                User.objects.filter(
                    partner__in=Partner.objects.with_descendants_of(partner_ids)
                ).values_list("pk", flat=True)
            )
            audit.record(batch.created_by, "import.applied", batch, after=counts)
    except ValidationError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            summary={**batch.summary, "failure": " ".join(exc.messages)},
        )
    else:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE, finished_at=timezone.now(), summary=counts
        )
    batch.refresh_from_db()
    return batch


def _apply_partners(rows: list[RowResult]) -> dict[str, int]:
    tiers = _by_name(Tier.objects.all())
    regions = _by_name(Region.objects.all())
    kinds = {k.lower(): k for k in PartnerKind.values} | {
        str(label).lower(): k for k, label in PartnerKind.choices
    }
    numbers = [r.values["partner_number"] for r in rows] + [
        r.values["parent_partner_number"] for r in rows
    ]
    by_number = {p.external_id: p for p in Partner.objects.filter(external_id__in=set(numbers))}
    created = updated = 0
    # Parents first: top-level rows, then rows whose parent is already known, and so on.
    pending = list(rows)
    for _level in range(MAX_HIERARCHY_DEPTH + 1):
        later = []
        for row in pending:
            v = row.values
            parent_number = v["parent_partner_number"]
            if parent_number and parent_number not in by_number:
                later.append(row)
                continue
            kind = kinds[v["type"].lower()]
            partner = by_number.get(v["partner_number"]) or Partner(external_id=v["partner_number"])
            is_new = partner.pk is None
            partner.name = v["name"]
            partner.kind = kind
            partner.parent = by_number.get(parent_number) if parent_number else None
            partner.tier = (
                tiers.get(v["tier"].lower()) if v["tier"] and kind != PartnerKind.LOCATION else None
            )
            partner.region = (
                regions.get(v["region"].lower())
                if v["region"]
                else (partner.parent.region if partner.parent else None)
            )
            partner.country = _country_code(v["country"]) or ""
            partner.city = v["city"]
            partner.website = v["website"]
            partner.phone = v["phone"]
            partner.email_domain = v["email_domain"]
            partner.depth = partner.parent.depth + 1 if partner.parent else 0
            partner.full_clean()
            partner.save()
            by_number[v["partner_number"]] = partner
            created += is_new
            updated += not is_new
        pending = later
        if not pending:
            break
    if pending:
        raise ValidationError(_("Some parents could not be resolved (a loop between rows?)."))
    return {"created": created, "updated": updated}


def _apply_people(
    rows: list[RowResult], actor: User | None, send_invitations: bool
) -> dict[str, int]:
    numbers = {r.values["partner_number"] for r in rows}
    partners = {p.external_id: p for p in Partner.objects.filter(external_id__in=numbers)}
    existing = {
        u.email: u for u in User.objects.filter(email__in=[r.values["email"] for r in rows])
    }
    job_roles = _by_name(JobRole.objects.all(), "code")
    access = {r.lower(): r for r in PartnerRole.values} | {
        str(label).lower(): r for r, label in PartnerRole.choices
    }
    new_people: list[User] = []
    updated = 0
    for row in rows:
        v = row.values
        role = (
            access.get(v["access"].lower(), PartnerRole.MEMBER)
            if v["access"]
            else PartnerRole.MEMBER
        )
        job_role = job_roles.get(v["job_role"].lower()) if v["job_role"] else None
        person = existing.get(v["email"])
        if person is not None:
            person.name = v["name"]
            person.partner_role = role
            person.job_role = job_role or person.job_role
            person.title = v["title"] or person.title
            person.save(update_fields=["name", "partner_role", "job_role", "title"])
            updated += 1
            continue
        person = User(
            email=v["email"],
            name=v["name"],
            partner=partners[v["partner_number"]],
            partner_role=role,
            job_role=job_role,
            title=v["title"],
            language=(v["language"] or settings.LANGUAGE_CODE).lower(),
        )
        person.set_unusable_password()
        new_people.append(person)
    # SQLite 3.35+ and PostgreSQL both return the new primary keys from a bulk insert.
    User.objects.bulk_create(new_people, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=p, email=p.email, primary=True, verified=False) for p in new_people],
        batch_size=1000,
    )
    if send_invitations and new_people:
        invitations = Invitation.objects.bulk_create(
            [Invitation(user=p, invited_by=actor) for p in new_people], batch_size=1000
        )
        ids = [i.pk for i in invitations]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            transaction.on_commit(partial(send_invitations_task.enqueue, chunk))
    return {"created": len(new_people), "updated": updated}
