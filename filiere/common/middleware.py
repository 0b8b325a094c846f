"""Middleware of every request: no NUL character gets in, and the interface speaks French
unless the user picked another language.

Django's LocaleMiddleware follows the browser's Accept-Language header; a
French public platform should not switch to English because a browser is set
up that way, so only the explicit choice (the language cookie) counts here.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The language is the request's: the thread's next work (another request, a task,
            # a test) starts from the default again, not from this person's choice.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NoNulCharacterMiddleware:
    """A NUL character is never meant in a web address or an API's JSON: it is refused at the
    door (PostgreSQL cannot store or compare it, a DataError then; forms refuse it on their
    own fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        carries_nul = "\x00" in request.path or "%00" in query.lower() or "\x00" in query
        if not carries_nul and request.content_type == "application/json":
            carries_nul = b"\\u0000" in request.body or b"\x00" in request.body
        if carries_nul:
            refused = _("Caractère nul refusé : ni une adresse ni des données n'en ont.")
            if request.path.startswith("/api/"):
                # The API answers JSON, as its OpenAPI says of a 400.
                return JsonResponse({"detail": str(refused)}, status=400)
            return HttpResponseBadRequest(refused, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
