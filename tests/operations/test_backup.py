"""export_content / import_content: the whole content through one JSON file,
on whichever database the suite runs (SQLite and PostgreSQL)."""

import io
import json
import stat
from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import CommandError, call_command

from commitments.models import Section
from operations.backup import backup_models, row_counts
from tests import builders

# A real top-level transaction, as in production: rollbacks are real.
pytestmark = pytest.mark.django_db(transaction=True)


def fill_content():
    editor = builders.make_user(username="redacteur", first_name="Anneleen", is_staff=True)
    group = Group.objects.create(name="Redactie")
    group.permissions.add(Permission.objects.get(codename="change_section"))
    editor.groups.add(group)
    editor.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
    chapter = builders.make_chapter(title="Samenleven")
    parent = builders.make_section(chapter, number="1", title="Uitdagingen en visie")
    section = builders.make_section(chapter, number="1.2", title="Financiën – “gesubsi-dieerd”")
    builders.make_summary(section, body="Samenvatting \\[0\\]\\[1\\]", conclusion="Conclusie")
    minister = builders.make_minister(name="Jan Jambon")
    decision = builders.make_decision(title="Beslissing ‘één’", ministers=[minister])
    decision.themes.add(builders.make_theme(label="Onderwijs"))
    builders.make_document(decision)
    builders.make_citation(section, decision=decision)
    builders.make_citation(section, decision=None)
    builders.make_evaluation(section, author=editor, rationale="Goed bezig")
    # Under a millisecond apart: Django's own fixtures would make these equal.
    builders.make_evaluation(parent, created=datetime(2024, 5, 1, 9, 0, 0, 1, tzinfo=UTC))
    builders.make_evaluation(parent, created=datetime(2024, 5, 1, 9, 0, 0, 2, tzinfo=UTC))
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Section),
        object_id=str(section.pk),
        object_repr=str(section),
        action_flag=ADDITION,
    )


def snapshot() -> dict[str, list[dict]]:
    """Every backed-up row, field by field, with exact values (microseconds too)."""
    return {
        model._meta.label: serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in backup_models()
    }


def empty_database():
    for model in reversed(backup_models()):
        model._default_manager.all().delete()
    assert not any(row_counts().values())


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_round_trip_restores_identical_rows_into_an_empty_database(tmp_path):
    fill_content()
    counts, before = row_counts(), snapshot()
    backup = tmp_path / "backup.json"
    output = run("export_content", str(backup))
    assert f"{sum(counts.values())} rijen geschreven naar {backup}." in output
    empty_database()

    output = run("import_content", str(backup))

    assert row_counts() == counts
    assert snapshot() == before
    assert f"{sum(counts.values())} rijen teruggezet uit {backup}." in output
    assert counts["commitments.Evaluation"] == 3
    assert counts["decisions.Decision.ministers"] == 1
    assert counts["auth.User.user_permissions"] == 1
    # Parents, authors and incomplete citations survive as they were.
    section = Section.objects.get(number="1.2")
    assert section.parent.number == "1"
    assert section.evaluations.get().author.username == "redacteur"
    assert section.citations.incomplete().count() == 1
    assert [e.created.microsecond for e in section.parent.evaluations.newest_first()] == [2, 1]


def test_restored_database_accepts_new_rows(tmp_path):
    """Primary-key sequences are moved past the restored rows (PostgreSQL)."""
    fill_content()
    backup = tmp_path / "backup.json"
    run("export_content", str(backup))
    highest = Section.objects.order_by("-pk").first().pk
    empty_database()
    run("import_content", str(backup))
    assert builders.make_section().pk > highest
    assert builders.make_decision().pk is not None


def test_backup_file_is_readable_by_its_owner_only(tmp_path):
    fill_content()
    backup = tmp_path / "backup.json"
    run("export_content", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_never_overwrites_an_existing_file(tmp_path):
    backup = tmp_path / "backup.json"
    backup.write_text("vorige back-up")
    with pytest.raises(CommandError, match="bestaat al"):
        run("export_content", str(backup))
    assert backup.read_text() == "vorige back-up"


def test_import_refuses_a_database_that_is_not_empty(tmp_path):
    fill_content()
    backup = tmp_path / "backup.json"
    run("export_content", str(backup))
    counts = row_counts()
    with pytest.raises(CommandError, match=r"De database is niet leeg \(auth.Group: 1, "):
        run("import_content", str(backup))
    assert row_counts() == counts


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    fill_content()
    backup = tmp_path / "backup.json"
    run("export_content", str(backup))
    counts = row_counts()
    empty_database()
    output = run("import_content", str(backup), "--dry-run")
    assert f"{sum(counts.values())} rijen gecontroleerd" in output
    assert not any(row_counts().values())


def _broken_records(real: list[dict]) -> list[dict]:
    """A real backup whose last record points at a section that does not exist."""
    citation = next(record for record in real if record["model"] == "commitments.citation")
    return [*real, {**citation, "pk": 999, "fields": {**citation["fields"], "section": 999}}]


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda real: "[{niet json", "regel 1: geen geldige JSON"),
        (lambda real: json.dumps({"model": "auth.user"}), "een JSON-lijst van records"),
        (
            lambda real: json.dumps([*real, {"model": "auth.permission", "pk": 1, "fields": {}}]),
            "record {n}: geen record van een model uit de back-up",
        ),
        (lambda real: json.dumps(real)[: len(json.dumps(real)) // 2], "geen geldige JSON"),
        (lambda real: json.dumps(_broken_records(real)), "kon niet worden ingelezen"),
        (
            lambda real: json.dumps(
                [
                    {**r, "fields": {**r["fields"], "date": "2022-13-45"}}
                    if r["model"] == "decisions.decision"
                    else r
                    for r in real
                ]
            ),
            "kon niet worden ingelezen",
        ),
    ],
    ids=["not-json", "not-a-list", "foreign-model", "truncated", "dangling-reference", "bad-date"],
)
def test_bad_backup_file_gets_a_clear_error_and_writes_nothing(tmp_path, make_file, message):
    fill_content()
    good = tmp_path / "goed.json"
    run("export_content", str(good))
    real = json.loads(good.read_text())
    empty_database()
    bad = tmp_path / "kapot.json"
    bad.write_text(make_file(real))
    with pytest.raises(CommandError) as error:
        run("import_content", str(bad))
    assert str(error.value).startswith(str(bad))
    assert message.format(n=len(real) + 1) in str(error.value)
    assert not any(row_counts().values())


def test_import_names_a_missing_or_wrongly_named_file(tmp_path):
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        run("import_content", str(tmp_path / "weg.json"))
    with pytest.raises(CommandError, match=r"een back-up is een \.json-bestand"):
        run("import_content", str(tmp_path / "backup.sql"))


def _with_changed_field(real: list[dict], model: str, field: str, value) -> list[dict]:
    """The real backup with one field of the first record of `model` changed."""
    index = next(i for i, record in enumerate(real) if record["model"] == model)
    changed = {**real[index], "fields": {**real[index]["fields"], field: value}}
    return [*real[:index], changed, *real[index + 1 :]]


@pytest.mark.parametrize(
    ("model", "field", "value", "problem"),
    [
        ("commitments.evaluation", "status", "nonexistent_status", "status: "),
        ("commitments.evaluation", "rationale", "", "rationale: Een motivering is verplicht"),
        ("commitments.section", "number", "een.twee", "number: Een sectienummer"),
        ("decisions.decision", "kind", "besluit", "kind: "),
        ("decisions.decision", "source_url", "javascript:alert(1)", "source_url: "),
    ],
    ids=["unknown-status", "no-rationale", "bad-section-number", "unknown-kind", "bad-url"],
)
def test_backup_row_the_admin_would_refuse_names_its_record_and_writes_nothing(
    tmp_path, model, field, value, problem
):
    fill_content()
    good = tmp_path / "goed.json"
    run("export_content", str(good))
    real = json.loads(good.read_text())
    empty_database()
    bad = tmp_path / "kapot.json"
    records = _with_changed_field(real, model, field, value)
    bad.write_text(json.dumps(records))
    number, record = next((n, r) for n, r in enumerate(records, 1) if r["model"] == model)

    with pytest.raises(CommandError) as error:
        run("import_content", str(bad))

    message = str(error.value)
    assert message.startswith(f"{bad}, record {number} ({model}, pk {record['pk']}): ")
    assert problem in message
    assert message.endswith("niets bewaard.")
    assert not any(row_counts().values())


def test_backup_of_the_seed_data_passes_the_row_checks(tmp_path):
    """The checks refuse bad rows, not what our own importers write."""
    run("load_seed")
    counts = row_counts()
    backup = tmp_path / "seed.json"
    run("export_content", str(backup))
    empty_database()
    run("import_content", str(backup))
    assert row_counts() == counts


def test_backup_of_the_corpus_sample_passes_the_row_checks(tmp_path):
    run("import_analyses", str(builders.require_corpus_sample()))
    counts = row_counts()
    backup = tmp_path / "corpus.json"
    run("export_content", str(backup))
    empty_database()
    run("import_content", str(backup))
    assert row_counts() == counts


def test_export_into_a_missing_folder_names_it(tmp_path):
    target = tmp_path / "bestaat-niet" / "x.json"
    with pytest.raises(CommandError) as error:
        run("export_content", str(target))
    assert str(error.value) == (
        f"{target}: de map {target.parent} bestaat niet; maak ze eerst aan."
    )
    assert not target.parent.exists()
