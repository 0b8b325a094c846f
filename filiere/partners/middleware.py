"""The call log: every call made with an API key (key, route, method, status, duration)."""

import time

from filiere.partners import services


class ApiCallLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        key = getattr(request, "api_key", None)
        if key is not None:
            match = request.resolver_match
            services.call_record(
                key=key,
                method=request.method,
                route="/" + match.route if match else request.path,
                status=response.status_code,
                duration_ms=round((time.monotonic() - started) * 1000),
            )
        return response
