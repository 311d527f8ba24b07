"""Stored search documents of sections (commitments/searchindex.py), filled for
the existing sections in batches; on PostgreSQL a GIN index on the stored
vector. The expression indexes of 0002 served the old search, which computed
vectors per row at query time; nothing queries them any more, so they go (they
cost every write to sections, summaries, decisions and documents). The
`akk_dutch` configuration of 0002 stays: the stored vectors use it."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

OLD_INDEXES = [
    ("commitments", "Section", "section_search_gin"),
    ("commitments", "Summary", "summary_search_gin"),
    ("decisions", "Decision", "decision_search_gin"),
    ("decisions", "DecisionDocument", "document_search_gin"),
]


def forwards(apps, schema_editor):
    from commitments.searchindex import fill_section_documents

    if schema_editor.connection.vendor == "postgresql":
        for _app, _model, name in OLD_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            "CREATE INDEX section_search_document_gin "
            "ON commitments_sectionsearchdocument USING gin (vector)"
        )
    fill_section_documents(apps)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    fields = {
        "section_search_gin": ("title", "text"),
        "summary_search_gin": ("body", "conclusion"),
        "decision_search_gin": ("title", "text"),
        "document_search_gin": ("subject", "body"),
    }
    for app_label, model_name, name in OLD_INDEXES:
        vector = SearchVector(*fields[name], config="akk_dutch")
        schema_editor.add_index(apps.get_model(app_label, model_name), GinIndex(vector, name=name))


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0007_roles'),
        # The cited decisions' titles are part of a section's document.
        ('decisions', '0003_search_documents'),
    ]

    operations = [
        migrations.CreateModel(
            name='SectionSearchDocument',
            fields=[
                ('section', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='commitments.section', verbose_name='sectie')),
                ('title', models.TextField(blank=True, verbose_name='titel')),
                ('body', models.TextField(blank=True, verbose_name='tekst')),
                ('context', models.TextField(blank=True, verbose_name='context')),
                ('tokens', models.TextField(blank=True, verbose_name='woorden')),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='zoekvector')),
            ],
            options={
                'verbose_name': 'zoekdocument van een sectie',
                'verbose_name_plural': 'zoekdocumenten van secties',
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
