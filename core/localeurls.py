"""The language in the address: /nl/… and /en/….

A page's language comes from its URL, not from a cookie or the
Accept-Language header, so one URL is one page: a shared cache may keep it,
and no visitor needs a cookie (the old language form needed a CSRF cookie on
every page). The prefix is the language without its region: the site speaks
nl-BE, its addresses say /nl/.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import URLResolver, reverse, translate_url
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language, override


def url_prefix(language_code: str) -> str:
    return language_code.split("-", 1)[0]


class ShortLocalePrefixPattern(LocalePrefixPattern):
    """Django's i18n_patterns prefix ("nl-be/"), shortened to "nl/". Resolving
    /nl/… still activates nl-be: LocaleMiddleware maps "nl" to the one
    supported variant."""

    @property
    def language_prefix(self) -> str:
        return f"{url_prefix(get_language() or settings.LANGUAGE_CODE)}/"


def language_patterns(*urls) -> list[URLResolver]:
    """Like django.conf.urls.i18n.i18n_patterns(prefix_default_language=True)."""
    return [URLResolver(ShortLocalePrefixPattern(prefix_default_language=True), list(urls))]


def legacy_redirect(request):
    """The addresses before the language prefix (/secties/…, /beslissingen/…,
    /zoeken/, /feeds/…, /) moved for good to the Dutch site; bookmarks, links
    from elsewhere and feed readers follow, query string and all."""
    with override(settings.LANGUAGE_CODE):
        home = reverse("commitments:home")
    return HttpResponsePermanentRedirect(home.rstrip("/") + request.get_full_path())


def translated_url(request, language_code: str) -> str:
    """The current page in another language, query string kept; its overview
    when the page has no version in that language (an error page)."""
    with override(language_code):
        home = reverse("commitments:home")
    if request is None:
        return home
    path = request.get_full_path()
    url = translate_url(path, language_code)
    if url == path and language_code != get_language():
        return home
    return url
