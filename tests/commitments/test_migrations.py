"""Data migrations, run for real from the state before them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.builders import make_decision


@pytest.fixture
def migrate(transactional_db):
    """Migrate to `targets` and return the historical apps; back to the newest after."""

    def _migrate(*targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(list(targets))
        return executor.loader.project_state(list(targets)).apps

    yield _migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_evaluations_made_before_review_existed_stay_published(migrate):
    old = migrate(("commitments", "0002_search"))
    Agreement = old.get_model("commitments", "Agreement")
    Chapter = old.get_model("commitments", "Chapter")
    Section = old.get_model("commitments", "Section")
    Evaluation = old.get_model("commitments", "Evaluation")
    agreement = Agreement.objects.create(title="A", slug="a")
    chapter = Chapter.objects.create(agreement=agreement, title="H", slug="h")
    section = Section.objects.create(chapter=chapter, number="1", title="S", sort_key="0001")
    created = timezone.now()
    Evaluation.objects.create(section=section, status="achieved", created=created)

    new = migrate(("commitments", "0003_evaluation_workflow"))

    evaluation = new.get_model("commitments", "Evaluation").objects.get()
    assert (evaluation.state, evaluation.published_at) == ("published", created)


def test_sections_imported_before_baselines_get_their_current_values_as_baseline(migrate):
    old = migrate(("commitments", "0003_evaluation_workflow"))
    Agreement = old.get_model("commitments", "Agreement")
    Chapter = old.get_model("commitments", "Chapter")
    Section = old.get_model("commitments", "Section")
    Summary = old.get_model("commitments", "Summary")
    Citation = old.get_model("commitments", "Citation")
    chapter = Chapter.objects.create(
        agreement=Agreement.objects.create(title="A", slug="a"), title="H", slug="h"
    )
    imported = Section.objects.create(
        chapter=chapter, number="1.2", title="Titel", text="Tekst", sort_key="0001.0002"
    )
    Summary.objects.create(
        section=imported, body="Samenvatting", conclusion="Slot", source_sha256="ab" * 32
    )
    day = datetime.date(2022, 1, 21)
    # The decisions app is not migrated back: its current model fits its table.
    decision = make_decision(title="B", date=day)
    Citation.objects.create(
        section=imported, number=1, raw_date=day, raw_title="B", raw_url="https://b.be",
        decision_id=decision.pk,
    )  # fmt: skip
    # An incomplete citation an editor resolved: the baseline records it as imported.
    Citation.objects.create(section=imported, number=0, raw_date=day, decision_id=decision.pk)
    written = Section.objects.create(chapter=chapter, number="2", title="Redactie", sort_key="2")
    Summary.objects.create(section=written, body="Door een redacteur geschreven")

    new = migrate(("commitments", "0006_import_baseline"))

    Summary = new.get_model("commitments", "Summary")
    assert Summary.objects.get(section_id=imported.pk).import_baseline == {
        "number": "1.2",
        "title": "Titel",
        "text": "Tekst",
        "body": "Samenvatting",
        "conclusion": "Slot",
        "citations": [
            {"number": 0, "date": "2022-01-21", "title": "", "url": ""},
            {"number": 1, "date": "2022-01-21", "title": "B", "url": "https://b.be"},
        ],
    }
    assert Summary.objects.get(section_id=written.pk).import_baseline == {}


def test_roles_migration_creates_the_groups_and_removes_them_when_reversed(migrate):
    old = migrate(("commitments", "0006_import_baseline"))
    assert not old.get_model("auth", "Group").objects.filter(name="Redacteur").exists()
    new = migrate(("commitments", "0007_roles"))
    Group = new.get_model("auth", "Group")
    redacteur = Group.objects.get(name="Redacteur")
    eindredacteur = Group.objects.get(name="Eindredacteur")
    assert redacteur.permissions.filter(codename="add_evaluation").exists()
    assert not redacteur.permissions.filter(codename="review_evaluation").exists()
    assert eindredacteur.permissions.filter(codename="review_evaluation").exists()
    assert not eindredacteur.permissions.filter(codename__startswith="delete_").exists()


def test_search_documents_are_filled_for_existing_sections_and_decisions(migrate):
    old = migrate(
        ("commitments", "0006_import_baseline"), ("decisions", "0002_decision_alternative_title")
    )
    Chapter = old.get_model("commitments", "Chapter")
    Section = old.get_model("commitments", "Section")
    Summary = old.get_model("commitments", "Summary")
    Citation = old.get_model("commitments", "Citation")
    Decision = old.get_model("decisions", "Decision")
    chapter = Chapter.objects.create(
        agreement=old.get_model("commitments", "Agreement").objects.create(title="A", slug="a"),
        title="H",
        slug="h",
    )
    section = Section.objects.create(
        chapter=chapter, number="1", title="Wonen", text="Sociaal afgele-verd.", sort_key="0001"
    )
    Summary.objects.create(section=section, body="**Huurpremie** \\[0\\]")
    decision = Decision.objects.create(
        title="Besluit woonbonus",
        normalized_title="besluit woonbonus",
        date=datetime.date(2022, 1, 1),
    )
    Citation.objects.create(section=section, number=0, decision=decision)

    new = migrate(("commitments", "0008_search_documents"))

    document = new.get_model("commitments", "SectionSearchDocument").objects.get()
    assert document.body == "Sociaal afgeleverd."
    assert document.context == "Huurpremie"
    decision_document = new.get_model("decisions", "DecisionSearchDocument").objects.get()
    assert decision_document.title == "Besluit woonbonus"
    if connection.vendor == "postgresql":
        assert document.vector and decision_document.vector
    else:
        assert " afgeleverd " in document.tokens


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info["index"]}


def test_scale_indexes_migrate_back_and_forth(migrate):
    scale = {"decision_list_order_idx", "decision_created_idx", "decision_kind_date_idx"}
    if connection.vendor == "postgresql":
        scale |= {"decision_title_trgm", "decision_text_trgm"}
    assert scale <= _indexes("decisions_decision")
    assert "citation_section_decision_idx" in _indexes("commitments_citation")

    migrate(
        ("decisions", "0002_decision_alternative_title"), ("commitments", "0006_import_baseline")
    )
    assert not scale & _indexes("decisions_decision")
    assert "citation_section_decision_idx" not in _indexes("commitments_citation")

    migrate(("decisions", "0004_scale_indexes"), ("commitments", "0009_scale_indexes"))
    assert scale <= _indexes("decisions_decision")
    assert "citation_decision_section_idx" in _indexes("commitments_citation")
