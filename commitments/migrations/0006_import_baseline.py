"""Summary.import_baseline: what the last import read from a section's file.

Sections imported before this migration get their current values as baseline:
the values the import wrote then, unless an editor changed them since, which
nothing recorded. A citation whose source gave no title is recorded as the
import wrote it (incomplete, no decision), so an editor's resolution of it
counts as the editor's change.
"""

from django.db import migrations, models


def fill_baselines(apps, schema_editor):
    Summary = apps.get_model("commitments", "Summary")
    Citation = apps.get_model("commitments", "Citation")
    ids = list(Summary.objects.exclude(source_sha256="").order_by("pk").values_list("pk", flat=True))
    # A few queries per 500 sections, not one per section, and never all
    # summaries in memory at once.
    for start in range(0, len(ids), 500):
        chunk = list(
            Summary.objects.filter(pk__in=ids[start : start + 500]).select_related("section")
        )
        citations = {}
        for citation in Citation.objects.filter(
            section_id__in=[summary.section_id for summary in chunk]
        ).order_by("number"):
            citations.setdefault(citation.section_id, []).append(
                {
                    "number": citation.number,
                    "date": citation.raw_date.isoformat() if citation.raw_date else None,
                    "title": citation.raw_title,
                    "url": citation.raw_url,
                }
            )
        for summary in chunk:
            section = summary.section
            summary.import_baseline = {
                "number": section.number,
                "title": section.title,
                "text": section.text,
                "body": summary.body,
                "conclusion": summary.conclusion,
                "citations": citations.get(section.pk, []),
            }
        Summary.objects.bulk_update(chunk, ["import_baseline"])


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0003_evaluation_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="summary",
            name="import_baseline",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                verbose_name="laatst geïmporteerde versie",
            ),
        ),
        migrations.RunPython(fill_baselines, migrations.RunPython.noop),
    ]
