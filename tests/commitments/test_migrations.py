"""Data migrations, run for real from the state before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


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
