"""The hub as bench_load serves it: the hub's own settings and pages, plus two hello views
that exist only here (``DJANGO_SETTINGS_MODULE=tests.bench.load_site``), and a WSGI
application (``tests.bench.load_site:application``) that answers:

- ``/bench/bare``: the hello view through a Django handler with **no middleware** (the
  bare Django view every page is compared with, served by the same gunicorn);
- everything else, ``/bench/hello`` included (the same view behind every middleware of
  the hub, signed in: the cost of being signed in), through the hub's own handler.
"""

from __future__ import annotations

from typing import Any

from mash.settings import *  # noqa: F403 (the hub's settings, as deployed)

ROOT_URLCONF = "tests.bench.load_site"


def hello(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(b"Hello", content_type="text/plain")


def _urlpatterns() -> list[Any]:
    from django.urls import path

    from mash.urls import urlpatterns as hub

    return [path("bench/bare", hello), path("bench/hello", hello), *hub]


def __getattr__(name: str) -> Any:
    # Django reads ``urlpatterns`` from this module when it resolves the first URL, by
    # which time the settings (above) are configured and mash.urls can be imported.
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        return _application()
    raise AttributeError(name)


def _application() -> Any:
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings

    hub = get_wsgi_application()
    with override_settings(MIDDLEWARE=[]):
        from django.core.handlers.wsgi import WSGIHandler

        bare = WSGIHandler()

    def application(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/bench/bare":
            return bare(environ, start_response)
        return hub(environ, start_response)

    return application
