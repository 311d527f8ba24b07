"""The editorial workflow in real Chromium, as the issue's "done when" asks:
a redacteur and an eindredacteur (made with `grant_role`) in two browser
contexts propose, reject, propose again and approve; the public page shows the
result; a reviewer cannot approve their own proposal; a superuser cannot
delete a judgement. The workspace passes axe."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from commitments.models import Evaluation, Section
from tests.browser.conftest import assert_no_axe_violations
from tests.builders import make_seed_section, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-wachtwoord-2024"


def _session(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(reverse("admin:login"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")
    return context, page


def _queue_row(page, label: str):
    return page.locator(
        "#wachtrijen tbody tr", has=page.get_by_role("link", name=label, exact=True)
    )


def _propose(page, status: str, rationale: str, evidence: str) -> None:
    page.get_by_label("Status:", exact=True).select_option(label=status)
    page.get_by_label("Motivering:", exact=True).fill(rationale)
    page.get_by_label("Bewijs (referentienummers):", exact=True).fill(evidence)
    page.get_by_role("button", name="Opslaan", exact=True).click()


def test_editor_and_reviewer_take_a_judgement_from_proposal_to_public(browser, live_server):
    section = make_seed_section()
    make_user(username="an", first_name="An", last_name="Peeters", password=PASSWORD)
    make_user(username="bart", first_name="Bart", last_name="Claes", password=PASSWORD)
    call_command("grant_role", "an", "redacteur")
    call_command("grant_role", "bart", "eindredacteur")
    editor_context, editor = _session(browser, live_server, "an")
    reviewer_context, reviewer = _session(browser, live_server, "bart")
    try:
        # The editor starts the "not yet assessed" queue from the start page.
        assert_no_axe_violations(editor)
        row = _queue_row(editor, "Nog niet beoordeeld")
        assert row.locator("td.count").inner_text() == "1"
        row.get_by_role("link", name="Beoordelen").click()
        editor.wait_for_url("**/beoordelen/?queue=not_assessed")
        assert_no_axe_violations(editor)
        # A long source URL never widens the page.
        width = editor.evaluate("document.documentElement.clientWidth")
        assert editor.evaluate("document.documentElement.scrollWidth") <= width
        # A rationale is required; what was typed comes back with the error.
        editor.get_by_label("Status:", exact=True).select_option(label="In uitvoering")
        editor.get_by_label("Bewijs (referentienummers):", exact=True).fill("3")
        editor.get_by_role("button", name="Opslaan", exact=True).click()
        assert (
            editor.locator(".errorlist")
            .first.inner_text()
            .startswith("Een motivering is verplicht")
        )
        assert editor.get_by_label("Bewijs (referentienummers):", exact=True).input_value() == "3"
        assert_no_axe_violations(editor)
        _propose(editor, "In uitvoering", "Besluit genomen [3].", "3")
        assert "Voorstel opgeslagen" in editor.locator(".messagelist").inner_text()

        # The reviewer finds it in "awaiting my review" and rejects it with a reason.
        reviewer.goto(reverse("admin:index"))
        row = _queue_row(reviewer, "Wacht op mijn beoordeling")
        assert row.locator("td.count").inner_text() == "1"
        row.get_by_role("link", name="Beoordelen").click()
        reviewer.wait_for_url("**/beoordelen/?queue=awaiting_review")
        reviewer.get_by_role("button", name="Afwijzen").click()
        assert "Zeg bij een afwijzing waarom" in reviewer.locator(".errorlist").inner_text()
        reviewer.get_by_label("Opmerking voor de redacteur").fill("Noem ook referentie [8].")
        reviewer.get_by_role("button", name="Afwijzen").click()
        assert "Voorstel afgewezen." in reviewer.locator(".messagelist").inner_text()

        # The editor sees the rejection in their own queue and proposes again.
        editor.goto(reverse("admin:index"))
        row = _queue_row(editor, "Mijn afgewezen voorstellen")
        assert row.locator("td.count").inner_text() == "1"
        row.get_by_role("link", name="Beoordelen").click()
        assert "Noem ook referentie [8]." in editor.locator(".workspace__history").inner_text()
        _propose(
            editor, "Niet te beoordelen", "Beslissingen [3] [8], geen meetbare resultaten.", "3, 8"
        )
        assert "Voorstel opgeslagen" in editor.locator(".messagelist").inner_text()

        # Four eyes: the reviewer's own proposal cannot be approved by them.
        workspace = reverse("admin:commitments_section_assess", args=[section.pk])
        reviewer.goto(workspace)
        _propose(reviewer, "Gerealiseerd", "Volgens mij klaar.", "")
        own = reviewer.locator(".workspace__proposal", has_text="Bart Claes")
        own.get_by_role("button", name="Goedkeuren").click()
        assert "Vier ogen" in reviewer.locator(".errorlist").first.inner_text()
        assert Evaluation.objects.filter(author__username="bart", state="proposed").exists()

        # The reviewer approves the editor's second proposal.
        theirs = reviewer.locator(".workspace__proposal", has_text="An Peeters")
        theirs.get_by_label("Opmerking voor de redacteur").fill("Akkoord.")
        theirs.get_by_role("button", name="Goedkeuren").click()
        assert "goedgekeurd en gepubliceerd" in reviewer.locator(".messagelist").inner_text()
        assert_no_axe_violations(reviewer)

        # Public: the status, its rationale and the sign-off.
        public = browser.new_context(base_url=live_server.url, locale="nl-BE").new_page()
        public.goto(section.get_absolute_url())
        box = public.locator(".status-box")
        assert "Niet te beoordelen" in box.locator(".badge").inner_text()
        assert "goedgekeurd door Bart Claes" in box.locator(".sign-off").inner_text()
        public.context.close()
        assert Section.objects.with_status().get(pk=section.pk).current_status == "not_assessable"
        assert editor.js_errors == [] and reviewer.js_errors == []
    finally:
        editor_context.close()
        reviewer_context.close()


def test_a_superuser_cannot_delete_a_judgement(browser, live_server):
    section = make_seed_section()
    author = make_user()
    from commitments.services import evaluation_create

    evaluation = evaluation_create(
        section=section, status="in_progress", rationale="Bezig.", author=author
    )
    make_user(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    context, page = _session(browser, live_server, "root")
    try:
        page.goto(reverse("admin:commitments_evaluation_change", args=[evaluation.pk]))
        assert page.get_by_role("link", name="Verwijderen").count() == 0
        response = page.goto(reverse("admin:commitments_evaluation_delete", args=[evaluation.pk]))
        assert response.status == 403
        page.goto(reverse("admin:commitments_section_change", args=[section.pk]))
        assert page.get_by_role("link", name="Verwijderen").count() == 0
        response = page.goto(reverse("admin:commitments_section_delete", args=[section.pk]))
        assert response.status == 403
        assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    finally:
        context.close()


def test_an_editor_proposes_without_javascript_on_a_phone(browser, live_server):
    section = make_seed_section()
    make_user(username="an", password=PASSWORD)
    call_command("grant_role", "an", "redacteur")
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        java_script_enabled=False,
        viewport={"width": 390, "height": 800},
    )
    page = context.new_page()
    try:
        page.goto(reverse("admin:login"))
        page.get_by_label("Gebruikersnaam").fill("an")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Aanmelden").click()
        page.goto(section.get_absolute_url())
        page.get_by_role("link", name="Beoordelen").click()
        page.wait_for_url("**/beoordelen/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _propose(page, "Niet opgestart", "Nog geen beslissing.", "")
        assert "Voorstel opgeslagen" in page.locator(".messagelist").inner_text()
        assert Evaluation.objects.get().author.username == "an"
    finally:
        context.close()
