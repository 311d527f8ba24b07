"""Dutch full-text search on PostgreSQL: a text search configuration that folds
accents and stems Dutch, and GIN indexes on exactly the vectors that
commitments.search queries. Nothing happens on other databases (SQLite uses
the fallback search)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEXES = [
    # (app label, model, index name, vector builder name in commitments.search)
    ("commitments", "Section", "section_search_gin", "section_vector"),
    ("commitments", "Summary", "summary_search_gin", "summary_vector"),
    ("decisions", "Decision", "decision_search_gin", "decision_vector"),
    ("decisions", "DecisionDocument", "document_search_gin", "document_vector"),
]


def _indexes(apps):
    # The vectors come from the search module so that index and query are the
    # same expression; otherwise PostgreSQL would not use the index.
    from commitments import search

    for app_label, model_name, name, builder in INDEXES:
        yield apps.get_model(app_label, model_name), GinIndex(getattr(search, builder)(), name=name)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'akk_dutch') THEN "
        "CREATE TEXT SEARCH CONFIGURATION akk_dutch (COPY = pg_catalog.dutch); "
        "ALTER TEXT SEARCH CONFIGURATION akk_dutch "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem; "
        "END IF; END $$"
    )
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS akk_dutch")


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("decisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
