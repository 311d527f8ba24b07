import pytest
from django.urls import reverse

from tests.browser.conftest import assert_no_axe_violations
from tests.builders import make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_chromium_and_links_to_a_chapter(page):
    section = make_section(number="1.2", title="Uitsluiting voorkomen")
    page.goto(reverse("commitments:home"))
    page.get_by_role("link", name=section.chapter.title).click()
    page.get_by_role("link", name="1.2 Uitsluiting voorkomen").click()
    assert page.locator("h1").inner_text() == "1.2 Uitsluiting voorkomen"
    assert page.js_errors == []


def test_home_page_has_no_axe_violations(page):
    make_section()
    page.goto(reverse("commitments:home"))
    assert_no_axe_violations(page)
