"""Evaluations in bulk: CSV import of proposals (service and admin page) and CSV export."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from commitments.evaluation_csv import (
    evaluations_import_csv,
    parse_section_reference,
    section_reference,
)
from commitments.models import Evaluation, Status
from commitments.services import evaluation_approve, evaluation_create
from tests.builders import (
    make_chapter,
    make_citation,
    make_evaluation,
    make_section,
    make_user,
    model_counts,
)

pytestmark = pytest.mark.django_db

HEADER = "section,status,rationale\n"


@pytest.fixture
def sections():
    """1.1 exists in two chapters: the reference must tell them apart."""
    samenleven = make_chapter(title="Samenleven", slug="samenleven")
    omgeving = make_chapter(title="Omgeving", slug="omgeving")
    return {
        "samenleven/1.1": make_section(samenleven, number="1.1", title="Uitdagingen"),
        "samenleven/1.2": make_section(samenleven, number="1.2", title="Uitsluiting voorkomen"),
        "omgeving/1.1": make_section(omgeving, number="1.1", title="Uitdagingen"),
    }


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _import(text: str, user, dry_run: bool = False):
    return evaluations_import_csv(file=_csv(text), user=user, dry_run=dry_run)


# --- the reference -------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "regeerakkoord-2019-2024/samenleven/1.2",
        "/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/",
        "/nl/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/",
        "https://akkoordmonitor.example.be/nl/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/",
        "https://akkoordmonitor.example.be/akkoorden/regeerakkoord-2019-2024/samenleven/1.2/#ref-3",
    ],
)
def test_a_reference_or_the_public_address_names_the_section(value):
    assert parse_section_reference(value) == ("regeerakkoord-2019-2024", "samenleven", "1.2")


@pytest.mark.parametrize("value", ["1.2", "samenleven/1.2", "a/b/Uitsluiting voorkomen"])
def test_a_number_alone_or_a_title_is_not_a_reference(value):
    assert parse_section_reference(value) is None


def test_the_section_reference_of_a_section_reads_back(sections):
    section = sections["omgeving/1.1"]
    assert section_reference(section) == "regeerakkoord-2019-2024/omgeving/1.1"
    assert parse_section_reference(section.get_absolute_url()) == tuple(
        section_reference(section).split("/")
    )


# --- the service ---------------------------------------------------------------


def test_rows_become_proposals_of_the_importing_user(sections):
    editor = make_user()
    report = _import(
        HEADER
        + "regeerakkoord-2019-2024/samenleven/1.1,in_progress,Decreet goedgekeurd [0].\n"
        + "regeerakkoord-2019-2024/omgeving/1.1,Gerealiseerd,Alles uitgevoerd.\n"
        + "regeerakkoord-2019-2024/samenleven/1.2,nog niet beoordeeld,\n",
        editor,
    )
    assert report.ok, report.errors
    evaluations = {
        (e.section_id, e.status, e.rationale, e.author_id, e.state)
        for e in Evaluation.objects.all()
    }
    proposed = (editor.pk, "proposed")
    assert evaluations == {
        (sections["samenleven/1.1"].pk, "in_progress", "Decreet goedgekeurd [0].", *proposed),
        (sections["omgeving/1.1"].pk, "achieved", "Alles uitgevoerd.", *proposed),
        (sections["samenleven/1.2"].pk, "not_assessed", "", *proposed),
    }
    assert len(report.created) == 3


def test_a_dry_run_shows_the_rows_and_writes_nothing(sections):
    editor = make_user()
    before = model_counts()
    report = _import(
        HEADER + "regeerakkoord-2019-2024/samenleven/1.1,In uitvoering,Gestart.\n",
        editor,
        dry_run=True,
    )
    assert report.ok
    assert [(row.line, row.section, row.status) for row in report.rows] == [
        (2, sections["samenleven/1.1"], "in_progress")
    ]
    assert report.summary().startswith("Proefdraaien: 1 evaluatie zou")
    assert model_counts() == before


def test_every_row_is_checked_and_errors_name_line_and_field(sections):
    editor = make_user()
    before = model_counts()
    report = _import(
        HEADER
        + "regeerakkoord-2019-2024/samenleven/1.1,in_progress,Goed.\n"  # line 2: fine
        + "1.1,in_progress,Welke 1.1?\n"  # line 3: ambiguous reference
        + "regeerakkoord-2019-2024/samenleven/9.9,achieved,Onbestaand.\n"  # line 4
        + "regeerakkoord-2019-2024/samenleven/1.2,bijna klaar,Status?\n"  # line 5
        + "regeerakkoord-2019-2024/omgeving/1.1,achieved,\n"  # line 6: no rationale
        + '"regeerakkoord-2019-2024/samenleven/1.1",abandoned,"Twee\nregels"\n'  # line 7: again
        + ",,\n"  # line 9: an empty row, as spreadsheets write them: skipped
        + ",bezig,\n",  # line 10: nothing usable
        editor,
    )
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "section"),
        (4, "section"),
        (5, "status"),
        (6, "rationale"),
        (7, "section"),
        (10, "section"),
        (10, "status"),
    ]
    messages = [str(e) for e in report.errors]
    assert messages[0].startswith("regel 3, sectie: “1.1” is geen sectieverwijzing")
    assert messages[1] == "regel 4, sectie: geen sectie “regeerakkoord-2019-2024/samenleven/9.9”"
    assert "bijna klaar" in messages[2] and "in_progress" in messages[2]
    assert messages[3].startswith("regel 6, motivering: verplicht")
    assert messages[4] == "regel 7, sectie: deze sectie staat al op regel 2"
    assert report.created == []
    assert model_counts() == before


def test_the_evidence_column_names_citations_of_the_section(sections):
    section = sections["samenleven/1.2"]
    cited = [make_citation(section, number=n) for n in range(4)]
    make_citation(sections["omgeving/1.1"], number=7)
    report = _import(
        "section,status,rationale,evidence\n"
        "regeerakkoord-2019-2024/samenleven/1.2,in_progress,Bezig [1].,[1][3]\n",
        make_user(),
    )
    assert report.ok, report.errors
    assert list(Evaluation.objects.get().evidence.order_by("number")) == [cited[1], cited[3]]


def test_evidence_that_is_not_the_sections_or_not_numbers_is_an_error(sections):
    make_citation(sections["samenleven/1.2"], number=0)
    make_citation(sections["omgeving/1.1"], number=7)
    report = _import(
        "section,status,rationale,bewijs\n"
        'regeerakkoord-2019-2024/samenleven/1.2,in_progress,Bezig.,"0, 7"\n'
        "regeerakkoord-2019-2024/samenleven/1.1,in_progress,Bezig.,referentie twee\n"
        "regeerakkoord-2019-2024/omgeving/1.1,in_progress,Bezig.,\n",
        make_user(),
    )
    assert [str(e) for e in report.errors] == [
        "regel 2, bewijs: de sectie heeft geen referentie [7]",
        "regel 3, bewijs: verwacht referentienummers van de sectie, bv. [2][3] of 2, 3",
    ]
    assert not Evaluation.objects.exists()


def test_a_semicolon_file_from_a_spreadsheet_with_bom_and_public_addresses_imports(sections):
    url = sections["samenleven/1.2"].get_absolute_url()
    text = f"\ufeffSectie;Status;Motivering;Opmerking\n{url};Losgelaten;Niet meer gepland.;x\n"
    report = _import(text, make_user())
    assert report.ok, report.errors
    assert Evaluation.objects.get().status == Status.ABANDONED


def test_an_export_neutralised_rationale_imports_as_written(sections):
    report = _import(
        HEADER + "regeerakkoord-2019-2024/samenleven/1.1,in_progress,'- eerste punt\n",
        make_user(),
    )
    assert report.ok
    assert Evaluation.objects.get().rationale == "- eerste punt"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "het bestand is leeg"),
        (b"section,status\nx,y\n", "rationale"),
        (HEADER.encode(), "er staan geen rijen onder de kopregel"),
        ("sectie,status,rationale\né,b,c\n".encode("latin-1"), "geen UTF-8"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(sections, content, message):
    report = evaluations_import_csv(file=io.BytesIO(content), user=make_user(), dry_run=False)
    assert not report.ok
    assert message in str(report.errors[0])
    assert not Evaluation.objects.exists()


@override_settings(EVALUATION_REVIEW=False)
def test_without_review_the_imported_rows_are_published_at_once(sections):
    report = _import(HEADER + "regeerakkoord-2019-2024/omgeving/1.1,achieved,Klaar.\n", make_user())
    assert report.ok
    assert Evaluation.objects.get().state == Evaluation.State.PUBLISHED


def test_the_import_checks_hundreds_of_rows_in_a_constant_number_of_queries(
    django_assert_num_queries,
):
    chapter = make_chapter(title="Groot", slug="groot")
    rows = []
    for index in range(1, 201):
        make_section(chapter, number=f"{index}.1")
        rows.append(f"regeerakkoord-2019-2024/groot/{index}.1,in_progress,Bezig.")
    editor = make_user()
    # 1 savepoint, 2 the referenced sections with chapter and agreement, 3 release.
    with django_assert_num_queries(3):
        report = _import(HEADER + "\n".join(rows) + "\n", editor, dry_run=True)
    assert report.ok and len(report.rows) == 200


# --- the admin page ------------------------------------------------------------


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("evaluaties.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_admin_import_is_a_dry_run_first_then_the_same_file(admin_user_client, sections):
    url = reverse("admin:commitments_evaluation_import_csv")
    text = HEADER + "regeerakkoord-2019-2024/samenleven/1.1,in_progress,Bezig.\n"
    page = admin_user_client.get(url)
    assert page.status_code == 200
    assert 'name="dry_run"' in page.text and "checked" in page.text

    # Without a dry run of this file first, nothing is written.
    refused = admin_user_client.post(url, {"file": _upload(text)})
    assert "Proefdraai dit bestand eerst" in refused.text
    assert not Evaluation.objects.exists()

    dry = admin_user_client.post(url, {"file": _upload(text), "dry_run": "on"})
    assert dry.status_code == 200
    assert "Uitdagingen" in dry.text and "In uitvoering" in dry.text
    assert "hetzelfde bestand opnieuw" in dry.text
    assert not Evaluation.objects.exists()

    done = admin_user_client.post(url, {"file": _upload(text)}, follow=True)
    evaluation = Evaluation.objects.get()
    assert evaluation.author == admin_user_client.user
    assert evaluation.state == Evaluation.State.PROPOSED
    assert "1 evaluatie aangemaakt." in [str(m) for m in done.context["messages"]]


def test_the_admin_import_shows_errors_by_line(admin_user_client, sections):
    response = admin_user_client.post(
        reverse("admin:commitments_evaluation_import_csv"),
        {"file": _upload(HEADER + "x/y/1.1,in_progress,Bezig.\n"), "dry_run": "on"},
    )
    assert "regel 2, sectie: geen sectie “x/y/1.1”" in response.text
    assert "er is niets opgeslagen" in response.text


def test_the_admin_import_needs_the_add_evaluation_permission(client, sections):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_evaluation"))
    client.force_login(user)
    url = reverse("admin:commitments_evaluation_import_csv")
    assert client.get(url).status_code == 403
    text = HEADER + "regeerakkoord-2019-2024/samenleven/1.1,in_progress,Bezig.\n"
    assert client.post(url, {"file": _upload(text), "dry_run": "on"}).status_code == 403
    # Allowed to view: the changelist offers the export but not the import.
    changelist = client.get(reverse("admin:commitments_evaluation_changelist"))
    assert reverse("admin:commitments_evaluation_export_csv") in changelist.text
    assert url not in changelist.text
    user.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
    assert client.get(url).status_code == 200


# --- the export ----------------------------------------------------------------


def _rows(response) -> list[dict]:
    assert response.streaming, "exports are streamed"
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_the_export_has_status_rationale_people_and_dates(admin_user_client, sections):
    author = make_user(username="an")
    reviewer = make_user(username="bert")
    cited = [make_citation(sections["omgeving/1.1"], number=n) for n in range(3)]
    proposal = evaluation_create(
        section=sections["omgeving/1.1"],
        status="achieved",
        rationale="Klaar.",
        evidence=[cited[2], cited[0]],
        author=author,
    )
    evaluation_approve(evaluation=proposal, reviewer=reviewer, comment="Akkoord.")
    response = admin_user_client.get(reverse("admin:commitments_evaluation_export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="evaluaties-' in response["Content-Disposition"]
    (row,) = _rows(response)
    assert row["section"] == "regeerakkoord-2019-2024/omgeving/1.1"
    assert (row["status"], row["status_label"], row["rationale"]) == (
        "achieved",
        "Gerealiseerd",
        "Klaar.",
    )
    assert (row["state"], row["author"], row["reviewer"]) == ("published", "an", "bert")
    assert row["evidence"] == "[0] [2]"
    assert row["review_comment"] == "Akkoord."
    assert row["created"] and row["reviewed_at"] and row["published_at"]


def test_the_export_honours_the_changelist_filters(admin_user_client, sections):
    make_evaluation(sections["samenleven/1.1"], status="achieved", rationale="A")
    make_evaluation(sections["samenleven/1.2"], status="in_progress", rationale="B")
    response = admin_user_client.get(
        reverse("admin:commitments_evaluation_export_csv"), {"status__exact": "achieved"}
    )
    assert [row["rationale"] for row in _rows(response)] == ["A"]


def test_the_export_action_exports_the_selected_evaluations(admin_user_client, sections):
    chosen = make_evaluation(sections["samenleven/1.1"], rationale="Gekozen")
    make_evaluation(sections["samenleven/1.2"], rationale="Niet gekozen")
    response = admin_user_client.post(
        reverse("admin:commitments_evaluation_changelist"),
        {"action": "export_selected_csv", "_selected_action": [chosen.pk]},
    )
    assert [row["rationale"] for row in _rows(response)] == ["Gekozen"]


def test_an_export_imports_again_as_new_proposals(admin_user_client, sections):
    make_evaluation(sections["samenleven/1.1"], status="achieved", rationale="=SUM(A1) klaar")
    response = admin_user_client.get(reverse("admin:commitments_evaluation_export_csv"))
    body = b"".join(response.streaming_content)
    assert b"'=SUM(A1) klaar" in body
    report = evaluations_import_csv(file=io.BytesIO(body), user=make_user(), dry_run=False)
    assert report.ok, report.errors
    assert Evaluation.objects.proposed().get().rationale == "=SUM(A1) klaar"


def test_the_export_query_count_does_not_grow_with_data(
    admin_user_client, sections, django_assert_num_queries
):
    people = [make_user(), make_user(), make_user()]
    for section in sections.values():
        for index in range(5):
            make_evaluation(section, author=people[index % 3], reviewer=people[(index + 1) % 3])
    # The changelist's own filters and counts, then two queries for the rows:
    # 1 session, 2 user, 3 chapters for the "chapter" filter, 4 filtered count,
    # 5 full count, 6 the chapters again (the changelist builds its filters
    # twice), 7 the evaluations with section, chapter, agreement, author and
    # reviewer (one chunk of CHUNK_SIZE), 8 their evidence (prefetch per chunk).
    with django_assert_num_queries(8):
        rows = _rows(admin_user_client.get(reverse("admin:commitments_evaluation_export_csv")))
    assert len(rows) == 15


# --- the command ---------------------------------------------------------------


def test_the_command_imports_as_the_named_user_after_its_dry_run(tmp_path, sections):
    from django.core.management import call_command

    editor = make_user(username="an")
    path = tmp_path / "evaluaties.csv"
    path.write_text(HEADER + "regeerakkoord-2019-2024/omgeving/1.1,achieved,Klaar.\n")
    out = io.StringIO()
    call_command("import_evaluations", str(path), "--user", "an", "--dry-run", stdout=out)
    assert "Omgeving 1.1 Uitdagingen → Gerealiseerd" in out.getvalue()
    assert not Evaluation.objects.exists()
    call_command("import_evaluations", str(path), "--user", "an", stdout=io.StringIO())
    assert Evaluation.objects.get().author == editor


def test_the_command_stops_with_the_errors_by_line(tmp_path, sections):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    make_user(username="an")
    path = tmp_path / "evaluaties.csv"
    path.write_text(HEADER + "x/y/1.1,achieved,Klaar.\n")
    with pytest.raises(CommandError, match="regel 2, sectie: geen sectie"):
        call_command("import_evaluations", str(path), "--user", "an")
    assert not Evaluation.objects.exists()


def test_the_import_follows_the_propose_permission_even_without_the_admin_add_form(
    client, sections, monkeypatch
):
    # The workflow proposes evaluations in its own workspace and may switch
    # the admin's add form off; proposing by CSV stays with add_evaluation.
    from commitments.admin import EvaluationAdmin

    monkeypatch.setattr(EvaluationAdmin, "has_add_permission", lambda self, request: False)
    user = make_user(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_evaluation", "view_evaluation"])
    )
    client.force_login(user)
    url = reverse("admin:commitments_evaluation_import_csv")
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("admin:commitments_evaluation_changelist")).text
