"""Core's notification URLs with a path parameter that is not a record id."""

from __future__ import annotations

NOT_RECORDS = {
    "kernel:unsubscribe": (
        "a signed token naming its person, for use without signing in; tampered tokens are "
        "tested in touchpoint/kernel/tests/test_digests.py"
    ),
}
