"""A clear refusal for databases made before the layered layout of December 2026.

The apps were re-cut then (core became kernel and portal, learning became courses, quizzes,
sessions, credentials and paths) and the migrations were started afresh, as nothing had
been released. An older database still lists the old apps' migrations; migrating it would
fail half-way with "table already exists", so `migrate` stops first and says what to do.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import DatabaseError

OLD_APPS = ("core", "learning")


@register(Tags.database)
def no_database_from_before_the_layers(
    app_configs: Any, databases: Any = None, **kwargs: Any
) -> list[Error]:
    errors: list[Error] = []
    for alias in databases or []:
        recorder = MigrationRecorder(connections[alias])
        try:
            old = recorder.has_table() and recorder.migration_qs.filter(app__in=OLD_APPS).exists()
        except DatabaseError:
            continue
        if old:
            errors.append(
                Error(
                    "This database was made before the layered layout and cannot be migrated.",
                    hint="For the demo database run `make clean` (it removes db.sqlite3), then "
                    "`make run`. See docs/architecture.md.",
                    id="touchpoint.E001",
                )
            )
    return errors
