"""Dutch (nl-BE) by default, English on request: the English catalogue is
complete and compiled, and a visitor gets the language they ask for."""

import ast
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from tests.builders import make_evaluation, make_section

BASE_DIR = Path(settings.BASE_DIR)
PO_FILE = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# What makemessages reads (it also skips .venv, tests and staticfiles).
SOURCE_DIRS = ["commitments", "decisions", "operations", "config", "templates"]
GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _unquote(lines: list[str]) -> str:
    """The text of a PO string spread over '"…"' lines, C escapes resolved."""
    text = "".join(line[line.index('"') + 1 : line.rindex('"')] for line in lines)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a PO file: msgid, msgid_plural, msgstr (list of forms), fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        fields: dict[str, list[str]] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
            if match:
                key = match[1]
                fields[key] = []
            fields[key].append(line)
        if "msgid" not in fields:  # only obsolete (#~) lines
            continue
        forms = sorted(k for k in fields if k.startswith("msgstr"))
        entries.append(
            {
                "msgid": _unquote(fields["msgid"]),
                "msgid_plural": _unquote(fields["msgid_plural"])
                if "msgid_plural" in fields
                else None,
                "msgstr": [_unquote(fields[k]) for k in forms],
                "fuzzy": any(line.startswith("#,") and "fuzzy" in line for line in lines),
            }
        )
    header, *messages = entries
    assert header["msgid"] == ""
    return messages


def _python_messages(path: Path) -> set:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in GETTEXT_FUNCTIONS:
            continue
        strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id.startswith("n"):
            found.add(tuple(strings[:2]))
        elif strings:
            found.add(strings[0])
    return found


_LITERAL = r"""(u?'(?:[^'\\\n]|\\.)*'|u?"(?:[^"\\\n]|\\.)*")"""
_TEMPLATE_CALL = re.compile(rf"\b(n?gettext|_)\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})?")


def _template_messages(path: Path) -> set:
    # templatize() is what makemessages feeds to xgettext for a template.
    found = set()
    for function, singular, plural in _TEMPLATE_CALL.findall(
        templatize(path.read_text(encoding="utf-8"), origin=str(path))
    ):
        singular = ast.literal_eval(singular)
        if function == "ngettext":
            found.add((singular, ast.literal_eval(plural)))
        else:
            found.add(singular)
    return found


def messages_in_code() -> set:
    found = set()
    for directory in SOURCE_DIRS:
        for path in sorted((BASE_DIR / directory).rglob("*")):
            if path.suffix == ".py":
                found |= _python_messages(path)
            elif path.suffix in {".html", ".txt"}:
                found |= _template_messages(path)
    return found


def _key(entry: dict):
    return (entry["msgid"], entry["msgid_plural"]) if entry["msgid_plural"] else entry["msgid"]


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = read_po(PO_FILE)
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []
    untranslated = [e["msgid"] for e in entries if not all(form.strip() for form in e["msgstr"])]
    assert untranslated == []
    plural_entries = [e for e in entries if e["msgid_plural"]]
    assert plural_entries
    assert all(len(e["msgstr"]) == 2 for e in plural_entries)


def test_every_string_marked_in_the_code_is_in_the_english_catalogue():
    # Fails when a new or changed string was marked without running makemessages.
    in_catalogue = {_key(entry) for entry in read_po(PO_FILE)}
    in_code = messages_in_code()
    assert "Nog niet beoordeeld" in in_code
    assert ("%(counter)s sectie", "%(counter)s secties") in in_code
    assert sorted(map(str, in_code - in_catalogue)) == []


def test_translations_keep_every_placeholder_of_the_dutch_text():
    for entry in read_po(PO_FILE):
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        if entry["msgid_plural"]:
            assert sorted(PLACEHOLDER.findall(entry["msgid_plural"])) == expected
        for form in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(form)) == expected, entry["msgid"]


def test_compiled_catalogue_holds_exactly_the_translations_of_the_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = GNUTranslations(handle)._catalog
    expected = {"": compiled[""]}  # the header
    for entry in read_po(PO_FILE):
        if entry["msgid_plural"]:
            for index, form in enumerate(entry["msgstr"]):
                expected[(entry["msgid"], index)] = form
        else:
            expected[entry["msgid"]] = entry["msgstr"][0]
    assert compiled == expected


@pytest.fixture
def _restore_language():
    """The client's requests activate a language in this thread; later tests
    (importer messages, say) must see the default again."""
    yield
    translation.deactivate()


@pytest.fixture
def overview(db, _restore_language):
    section = make_section()
    make_evaluation(section, status="in_progress")
    return reverse("commitments:home")


def test_a_visitor_without_preference_gets_dutch(client, overview):
    html = client.get(overview).content.decode()
    assert '<html lang="nl-be">' in html
    assert ">Overzicht</a>" in html
    assert "In uitvoering" in html
    assert '<span lang="nl-be" aria-current="page">Nederlands</span>' in html


def test_the_english_link_shows_the_same_page_in_english(client, overview):
    page = client.get(overview).content.decode()
    with translation.override("en"):
        english = reverse("commitments:home")
    assert english == "/en/"
    assert f'<a href="{english}" lang="en" hreflang="en">English</a>' in page

    response = client.get(english)
    assert not response.cookies  # the choice is the address, not a cookie
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Overview</a>" in html
    assert ">Sections</a>" in html
    assert ">Decisions</a>" in html
    assert "In progress" in html
    assert "In uitvoering" not in html
    assert '<span lang="en" aria-current="page">English</span>' in html
    assert f'<a href="{overview}" lang="nl-be" hreflang="nl-be">Nederlands</a>' in html


def test_the_language_link_keeps_the_page_and_its_query(client, overview):
    sections = reverse("commitments:section-list")
    html = client.get(sections + "?status=in_progress&sort=-nummer").content.decode()
    with translation.override("en"):
        english = reverse("commitments:section-list")
    assert f'href="{english}?status=in_progress&amp;sort=-nummer" lang="en"' in html


def test_language_form_without_csrf_token_changes_nothing(overview):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en", "next": overview})
    assert response.status_code == 403
    assert '<html lang="nl-be">' in client.get(overview).content.decode()


def test_the_address_decides_the_language_not_the_browser(client, overview):
    """One address, one page: what a shared cache keeps is right for everyone."""
    response = client.get(overview, headers={"accept-language": "en"})
    assert '<html lang="nl-be">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")
    with translation.override("en"):
        english = reverse("commitments:home")
    html = client.get(english, headers={"accept-language": "nl"}).content.decode()
    assert '<html lang="en">' in html
    assert ">Overview</a>" in html
    assert "In progress" in html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/", "/nl/"),
        ("/secties/?status=achieved&page=2", "/nl/secties/?status=achieved&page=2"),
        ("/beslissingen/12/", "/nl/beslissingen/12/"),
        ("/zoeken/?q=school", "/nl/zoeken/?q=school"),
        ("/akkoorden/ra/samenleven/1.2/", "/nl/akkoorden/ra/samenleven/1.2/"),
        ("/feeds/statussen/", "/nl/feeds/statussen/"),
    ],
)
def test_old_addresses_move_for_good_to_the_dutch_site(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_status_labels_filters_and_sort_orders_are_translated(client, overview):
    with translation.override("en"):
        sections = reverse("commitments:section-list")
    html = client.get(sections).content.decode()
    labels = ["Not yet assessed", "Not started", "In progress", "Partially achieved",
              "Achieved", "Abandoned", "Cannot be assessed", "All chapters", "Apply",
              "number", "number (descending)", "latest decision (descending)"]  # fmt: skip
    for label in labels:
        assert f">{label}<" in html
