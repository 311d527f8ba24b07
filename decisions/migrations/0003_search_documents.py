"""Stored search documents of decisions (decisions/searchindex.py), filled for
the existing decisions in batches; on PostgreSQL a GIN index on the stored
vector (the `akk_dutch` configuration comes from commitments 0002)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    from decisions.searchindex import fill_decision_documents

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX decision_search_document_gin "
            "ON decisions_decisionsearchdocument USING gin (vector)"
        )
    fill_decision_documents(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0002_decision_alternative_title'),
        # The text search configuration akk_dutch.
        ('commitments', '0002_search'),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionSearchDocument',
            fields=[
                ('decision', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='decisions.decision', verbose_name='beslissing')),
                ('date', models.DateField(null=True, verbose_name='datum zitting')),
                ('title', models.TextField(blank=True, verbose_name='titel')),
                ('body', models.TextField(blank=True, verbose_name='tekst')),
                ('context', models.TextField(blank=True, verbose_name='context')),
                ('tokens', models.TextField(blank=True, verbose_name='woorden')),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='zoekvector')),
            ],
            options={
                'verbose_name': 'zoekdocument van een beslissing',
                'verbose_name_plural': 'zoekdocumenten van beslissingen',
                'indexes': [models.Index(fields=['-date'], name='decision_search_date_idx')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
