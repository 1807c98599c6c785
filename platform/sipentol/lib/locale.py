"""Bahasa Indonesia first: the language is Indonesian unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to
English would get English pages without asking. Here only the explicit choice (the language
cookie set by /i18n/setlang/, the ID/EN buttons) switches.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# The ID/EN buttons on every page (`/i18n/setlang/`, both sites' URLconfs). Without a CSRF token:
# the form is on every page, and a per-visitor token in it would keep the pages a visitor without
# a session sees from being served from the cache (lib/pagecache.py). What a forged request
# could do is choose a visitor's language; `next` is still checked to stay on the same host.
language_switch = csrf_exempt(set_language)


def chosen_language(request) -> str:
    """The visitor's explicit choice (the language cookie), else Bahasa Indonesia.

    Also read by the error pages, which may answer before this middleware has run.
    """
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        # override() restores the default afterwards: work done outside a request (tasks,
        # services called by the next job on this thread) never inherits a visitor's choice.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
