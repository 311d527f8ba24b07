"""Re-imports keep editors' work: the adversarial scenario, end to end through
the admin, and what an import writes to the section's history."""

import datetime
import shutil
from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.importers import import_analyses
from commitments.importers.history import IMPORT_ACCOUNT
from commitments.models import Citation, Section
from tests import builders

pytestmark = pytest.mark.django_db

SEED_NAME = "Uitsluiting voorkomen, samenleven bevorderen.md"
TITLE = "Uitsluiting voorkomen, samenleven bevorderen"


@pytest.fixture
def corpus(tmp_path):
    """A corpus of one file: the seed, in its chapter folder."""
    (tmp_path / "Samenleven").mkdir()
    shutil.copy(builders.SEED_ANALYSIS, tmp_path / "Samenleven" / SEED_NAME)
    return tmp_path


def _value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def change_form_data(response) -> dict:
    """What a browser sends back for an admin change page, untouched: every
    field's current value, textareas with CRLF line ends as browsers send them."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = _value(form[name].value())
            if isinstance(value, str) and "Textarea" in type(field.widget).__name__:
                value = value.replace("\n", "\r\n")
            if value != "":
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_reimporting_an_unchanged_corpus_keeps_an_editors_title_summary_and_citation(
    corpus, admin_user_client
):
    run("import_analyses", str(corpus))
    section = Section.objects.get()
    decision = builders.make_decision(title="Door de redactie gekozen")
    url = reverse("admin:commitments_section_change", args=[section.pk])
    data = change_form_data(admin_user_client.get(url))
    data["title"] = "Uitsluiting voorkomen en samenleven bevorderen"
    data["summary-0-body"] += "\r\n\r\nAangevuld door de redactie."
    response = admin_user_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # Citations are added in their own admin, not inline on the section.
    response = admin_user_client.post(
        reverse("admin:commitments_citation_add"),
        {
            "section": section.pk,
            "number": 99,
            "raw_title": "Door de redactie gekozen",
            "raw_date": "2022-01-21",
            "raw_url": "",
            "decision": decision.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    counts = builders.model_counts()

    output = run("import_analyses", str(corpus))

    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in output
    assert "Conflicten: 0" in output
    assert builders.model_counts() == counts  # no row added or removed, no history entry
    section.refresh_from_db()
    assert section.title == "Uitsluiting voorkomen en samenleven bevorderen"
    assert section.summary.body.endswith("Aangevuld door de redactie.")
    assert Citation.objects.get(section=section, number=99).decision == decision
    assert section.citations.count() == 22


def test_a_changed_file_updates_what_editors_left_alone_and_reports_what_they_changed(
    corpus, admin_user_client
):
    path = corpus / "Samenleven" / SEED_NAME
    run("import_analyses", str(corpus))
    section = Section.objects.get()
    url = reverse("admin:commitments_section_change", args=[section.pk])
    data = change_form_data(admin_user_client.get(url))
    data["title"] = "Titel van de redactie"
    admin_user_client.post(url, data)
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace(
            f"<p>1.2 {TITLE}", "<p>1.2 Uitsluiting voorkomen, samen leven bevorderen"
        ).replace("Samenvatting van regeringsbesluiten", "Samenvatting van de besluiten"),
        encoding="utf-8",
    )

    output = run("import_analyses", str(corpus))

    section.refresh_from_db()
    assert "Secties: 0 nieuw, 1 bijgewerkt, 0 ongewijzigd" in output
    assert section.title == "Titel van de redactie"
    assert section.summary.body.startswith("Samenvatting van de besluiten")
    assert "Conflicten: 1" in output
    assert (
        "  Samenleven 1.2, titel: de wijziging van een redacteur is behouden; het bestand zegt "
        "'Uitsluiting voorkomen, samen leven bevorderen'"
    ) in output.splitlines()
    entry = LogEntry.objects.filter(object_id=str(section.pk)).latest("action_time")
    assert entry.action_flag == CHANGE
    assert entry.user.get_username() == IMPORT_ACCOUNT
    assert entry.change_message.startswith(f"Import uit Samenleven/{SEED_NAME}: samenvatting.")
    assert "het bestand zegt «Uitsluiting voorkomen, samen leven bevorderen»" in (
        entry.change_message
    )


def test_overwrite_editor_changes_lets_the_file_win_and_reports_what_it_undid(corpus):
    import_analyses([corpus])
    section = Section.objects.get()
    Section.objects.filter(pk=section.pk).update(title="Titel van de redactie")
    builders.make_citation(section, number=99, decision=builders.make_decision())

    output = run("import_analyses", str(corpus), "--overwrite-editor-changes")

    section.refresh_from_db()
    assert section.title == TITLE
    assert not section.citations.filter(number=99).exists()
    lines = output.splitlines()
    assert "Overschreven wijzigingen van redacteurs: 2" in lines
    assert (
        "  Samenleven 1.2, titel: overschreven met het bestand; de redacteur had "
        "'Titel van de redactie'"
    ) in lines
    again = run("import_analyses", str(corpus), "--overwrite-editor-changes")
    assert "Secties: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in again


def test_every_import_change_is_in_the_section_history_under_the_importing_user(corpus):
    editor = builders.make_user(is_staff=True)
    path = corpus / "Samenleven" / SEED_NAME
    import_analyses([corpus], user=editor)
    section = Section.objects.get()
    added = LogEntry.objects.get(object_id=str(section.pk))
    assert (added.user, added.action_flag) == (editor, ADDITION)
    assert added.change_message == (
        f"Geïmporteerd uit Samenleven/{SEED_NAME}: 21 referenties, waarvan 1 onvolledig."
    )
    # Reference [19] disappears, [20] changes its title and [21] is new.
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("**[\\[19\\]]"))
    assert lines[at + 2].startswith("**[\\[20\\]]")
    lines[at : at + 3] = [
        lines[at + 2].rstrip() + " (gewijzigd)",
        "",
        "**[\\[21\\]]** : **(2023-03-03)**",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")

    import_analyses([corpus], user=editor)

    change = LogEntry.objects.filter(object_id=str(section.pk)).latest("action_time")
    assert (change.user, change.action_flag) == (editor, CHANGE)
    assert change.change_message == (
        f"Import uit Samenleven/{SEED_NAME}: nieuwe referenties [21], "
        "bijgewerkte referenties [20], verwijderde referenties [19]."
    )
    assert get_user_model().objects.filter(username=IMPORT_ACCOUNT).count() == 0


def test_the_command_records_its_changes_under_an_account_that_cannot_log_in(corpus):
    run("import_analyses", str(corpus))
    entry = LogEntry.objects.get()
    account = entry.user
    assert account.get_username() == IMPORT_ACCOUNT
    assert not account.is_active
    assert not account.has_usable_password()


def test_a_dry_run_writes_no_history_and_creates_no_account(corpus):
    import_analyses([corpus], dry_run=True)
    assert not LogEntry.objects.exists()
    assert not get_user_model().objects.exists()


def _changed_files(directory, count: int, version: str):
    for index in range(count):
        builders.write_analysis(
            directory, f"A/{index}.md", number=f"1.{index}", heading=f"Sectie {index}",
            body=f"Versie {version} \\[0\\]\\[1\\]",
            references=[builders.reference_line(0, f"Beslissing {index} {version}"),
                        builders.reference_line(1, "Gedeeld")],
        )  # fmt: skip


def _reimport_queries(tmp_path, count: int, user) -> int:
    directory = tmp_path / str(count)
    _changed_files(directory, count, "een")
    import_analyses([directory], agreement_title=f"Akkoord {count}", user=user)
    _changed_files(directory, count, "twee")
    with CaptureQueriesContext(connection) as queries:
        report = import_analyses([directory], agreement_title=f"Akkoord {count}", user=user)
    assert report.sections_updated == count
    return len(queries)


def test_reimporting_changed_files_takes_as_many_queries_for_2_files_as_for_12(tmp_path):
    user = builders.make_user()
    ContentType.objects.get_for_model(Section)  # cached from then on, as in a running site
    assert _reimport_queries(tmp_path, 2, user) == _reimport_queries(tmp_path, 12, user)


def test_the_history_page_of_the_section_shows_what_the_import_did(corpus, admin_user_client):
    run("import_analyses", str(corpus))
    section = Section.objects.get()
    response = admin_user_client.get(
        reverse("admin:commitments_section_history", args=[section.pk])
    )
    assert f"Geïmporteerd uit Samenleven/{SEED_NAME}: 21 referenties" in response.text
    assert IMPORT_ACCOUNT in response.text
