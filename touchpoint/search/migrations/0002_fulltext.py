"""The engine's full-text side of the index: FTS5 tables and triggers on SQLite, a tsvector
trigger with GIN and trigram indexes on PostgreSQL (see search/fulltext.py)."""

from django.db import migrations

from touchpoint.search import fulltext


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(fulltext.install, fulltext.uninstall)]
