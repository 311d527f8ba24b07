"""Dutch full-text search on PostgreSQL: a text search configuration that folds
accents and stems Dutch, and GIN indexes on exactly the vectors that
commitments.search queries. Nothing happens on other databases (SQLite uses
the fallback search)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Frozen copies of the vectors in commitments/search.py (section_vector, ...):
# index and query must be the same expression or PostgreSQL will not use the
# index, and a test (test_search.py) asserts that it does. A change to a vector
# there needs a new migration here, not an edit of this one.
INDEXES = [
    # (app label, model, index name, indexed fields)
    ("commitments", "Section", "section_search_gin", ("title", "text")),
    ("commitments", "Summary", "summary_search_gin", ("body", "conclusion")),
    ("decisions", "Decision", "decision_search_gin", ("title", "text")),
    ("decisions", "DecisionDocument", "document_search_gin", ("subject", "body")),
]


def _indexes(apps):
    for app_label, model_name, name, fields in INDEXES:
        vector = SearchVector(*fields, config="akk_dutch")
        yield apps.get_model(app_label, model_name), GinIndex(vector, name=name)


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
