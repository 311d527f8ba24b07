"""Hostile text in every field that is shown: in real Chromium nothing runs and
the pages still render. Each page is checked twice: with our CSP, and with CSP
bypassed, so that the sanitising alone is shown to be enough."""

import pytest
from django.urls import reverse

from tests.builders import HOSTILE_TEXT, make_hostile_content, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Everything in the DOM that could run code, whatever the CSP would do with it.
FIND_ACTIVE_CONTENT = """() => {
  const unsafeUrl = (value) => /^(javascript|vbscript|data):/.test(
    (value || '').replace(/[\\u0000-\\u0020]/g, '').toLowerCase());
  const all = [...document.querySelectorAll('*')];
  return {
    foreignScripts: [...document.scripts]
      .filter((s) => !s.src.startsWith(location.origin + '/static/')).map((s) => s.outerHTML),
    handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
      .map((el) => el.outerHTML.slice(0, 120)),
    unsafeUrls: all.filter((el) => ['href', 'src', 'action', 'formaction', 'data']
      .some((name) => unsafeUrl(el.getAttribute(name)))).map((el) => el.outerHTML.slice(0, 120)),
    embedded: [...document.querySelectorAll('iframe, object, embed, frame, base, meta[http-equiv]')]
      .map((el) => el.outerHTML),
    inlineStyles: all.filter((el) => el.hasAttribute('style'))
      .map((el) => el.outerHTML.slice(0, 120)),
  };
}"""


@pytest.fixture(params=["with_csp", "csp_bypassed"])
def hostile_page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", bypass_csp=request.param == "csp_bypassed"
    )
    page = context.new_page()
    page.dialogs = []
    page.csp_violations = []
    page.js_errors = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text),
    )
    yield page
    context.close()


def assert_nothing_runs(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    # Hover and focus every element: handlers such as onmouseover would fire now.
    for element in page.locator("main *").all()[:200]:
        element.dispatch_event("mouseover")
    assert page.evaluate(FIND_ACTIVE_CONTENT) == {
        "foreignScripts": [],
        "handlers": [],
        "unsafeUrls": [],
        "embedded": [],
        "inlineStyles": [],
    }, url
    assert page.dialogs == [], url
    assert page.js_errors == [], url
    assert page.csp_violations == [], url
    # The page is whole: one heading, the main part and the footer after it.
    assert page.locator("h1").count() == 1, url
    assert page.get_by_role("main").count() == 1, url
    assert page.get_by_role("contentinfo").count() == 1, url


def test_hostile_section_page_runs_nothing_and_shows_the_title_as_text(hostile_page):
    section, _ = make_hostile_content()
    assert_nothing_runs(hostile_page, section.get_absolute_url())
    assert HOSTILE_TEXT in hostile_page.locator("h1").inner_text()


def test_hostile_decision_page_runs_nothing_and_shows_the_title_as_text(hostile_page):
    _, decision = make_hostile_content()
    assert_nothing_runs(hostile_page, decision.get_absolute_url())
    assert HOSTILE_TEXT in hostile_page.locator("h1").inner_text()


def test_hostile_lists_run_nothing(hostile_page):
    section, _ = make_hostile_content()
    for url in [
        reverse("commitments:home"),
        section.chapter.agreement.get_absolute_url(),
        section.chapter.get_absolute_url(),
        reverse("decisions:list"),
    ]:
        assert_nothing_runs(hostile_page, url)


def test_hostile_content_runs_nothing_in_the_admin(hostile_page):
    section, decision = make_hostile_content()
    make_user(username="redacteur", password="een-lang-wachtwoord-2024", is_staff=True,
              is_superuser=True)  # fmt: skip
    hostile_page.goto(reverse("admin:login"))
    hostile_page.get_by_label("Gebruikersnaam").fill("redacteur")
    hostile_page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-2024")
    hostile_page.get_by_role("button", name="Aanmelden").click()
    hostile_page.wait_for_url("**/admin/")
    for url in [
        reverse("admin:commitments_section_change", args=[section.pk]),
        reverse("admin:commitments_section_changelist"),
        reverse("admin:decisions_decision_change", args=[decision.pk]),
        reverse("admin:commitments_citation_changelist"),
    ]:
        hostile_page.goto(url)
        assert hostile_page.dialogs == [], url
        assert hostile_page.evaluate(FIND_ACTIVE_CONTENT)["handlers"] == [], url
