"""A credential's state is one rule (credentials.models.STATE_RULES), read three ways: in
Python (`Credential.state()`), as a filter (`state_q`, `in_state`) and as an SQL expression
(`state_case`). Here they agree for every state, at the edges where one becomes the next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.courses import make_certification
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
    state_case,
    state_q,
)

S, ST = CredentialState, CredentialStatus
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)


def cases(now):  # type: ignore[no-untyped-def]
    """(what it should be, the credential's status and dates), edges included."""
    return [
        (S.IN_PROGRESS, {"status": ST.IN_PROGRESS}),
        # In progress stays in progress, whatever dates are left on it.
        (S.IN_PROGRESS, {"status": ST.IN_PROGRESS, "expires_at": now - DAY, "expiring_from": now - 2 * DAY}),
        (S.REVOKED, {"status": ST.REVOKED, "issued_at": now}),
        # Revoked wins over expired.
        (S.REVOKED, {"status": ST.REVOKED, "issued_at": now - 90 * DAY, "expires_at": now - DAY}),
        (S.ACTIVE, {"status": ST.ACTIVE, "issued_at": now}),  # never expires
        (S.ACTIVE, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now + 90 * DAY, "expiring_from": now + 30 * DAY}),
        (S.ACTIVE, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now + 60 * DAY, "expiring_from": now + TICK}),
        (S.EXPIRING, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now + 60 * DAY, "expiring_from": now}),
        (S.EXPIRING, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now + TICK, "expiring_from": now - DAY}),
        (S.EXPIRED, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now, "expiring_from": now - 60 * DAY}),
        (S.EXPIRED, {"status": ST.ACTIVE, "issued_at": now, "expires_at": now - DAY}),  # no window
    ]  # fmt: skip


@pytest.fixture
def certification(personas) -> Certification:
    return make_certification("Shop safety")


def test_it_reads_the_same_state_in_python_and_in_sql_for_every_state(personas, certification):
    now = timezone.now()
    expected = {}
    for state, fields in cases(now):
        # Not current, so one person may hold them all (one current credential per person).
        credential = Credential.objects.create(
            user=personas.bob, certification=certification, is_current=False, **fields
        )
        expected[credential.pk] = state
    assert set(expected.values()) == set(CredentialState)  # every state is tried

    rows = Credential.objects.annotate(sql_state=state_case(now))
    for credential in rows:
        python = credential.state(now)
        assert python == expected[credential.pk], credential.__dict__
        assert credential.sql_state == python, credential.__dict__
        # Each credential is in exactly one state's filter: its own.
        matching = [s for s in CredentialState if Credential.objects.in_state(s, now).filter(pk=credential.pk).exists()]  # fmt: skip
        assert matching == [python], credential.__dict__

    counts = {c.state: c.count for c in Credential.objects.state_counts(now)}
    assert counts == {s.value: list(expected.values()).count(s) for s in CredentialState}


def test_it_counts_the_same_states_through_a_relation(personas, certification):
    """The rule reached from a certification (`credentials__…`) gives the holders the
    management list shows."""
    now = timezone.now()
    people = [personas.bob, personas.hannah, personas.carol, personas.ingrid, personas.alice]
    one_of_each = dict(cases(now))  # the last case of each state
    for person, fields in zip(people, one_of_each.values(), strict=True):
        Credential.objects.create(user=person, certification=certification, **fields)
    by_python = [c.state(now) for c in Credential.objects.filter(is_current=True)]
    assert set(by_python) == set(CredentialState)
    listed = Certification.objects.with_holder_counts(now).get(pk=certification.pk)
    assert listed.holders == sum(s in (S.ACTIVE, S.EXPIRING) for s in by_python)
    assert listed.on_the_way == by_python.count(S.IN_PROGRESS)
    assert listed.expired == by_python.count(S.EXPIRED)
    for state in CredentialState:
        prefixed = Certification.objects.filter(pk=certification.pk).filter(
            state_q(state, now, prefix="credentials__")
        )
        assert prefixed.exists() == (state in by_python), state


def test_it_refuses_a_state_it_does_not_know():
    with pytest.raises(ValueError):
        state_q("lapsed", timezone.now())
