"""The shared cast, after healthchecks' test base: the same people in every access test.

- the hub (children's social care) with a practitioner (Hana), a manager (Harriet)
  and a data protection officer (Dara);
- police with a practitioner (Priya) and a manager (Paul);
- health with a practitioner (Hugo);
- education with a practitioner (Eve), who is never asked in these tests: the outsider.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("SECURE_COOKIES", "false")

PASSWORD = "correct horse battery staple"

# ``MASH_TESTS`` narrows a run, for CI's two suites side by side on two cores (.ci/run):
# ``database`` keeps only the tests that use the database (a pure test, of the policy
# say, gives the same answer on any database, so one suite runs it); ``no-browser``
# leaves out the browser tests (tests/e2e), which the other suite runs. Unset, every
# test runs: ``make test`` is the whole suite.
_DATABASE_FIXTURES = {"_django_db_helper", "django_db_setup", "live_server"}


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & _DATABASE_FIXTURES) or item.get_closest_marker("django_db") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = {w.strip() for w in os.environ.get("MASH_TESTS", "").split(",") if w.strip()}
    unknown = wanted - {"database", "no-browser"}
    if unknown:
        raise pytest.UsageError(f"MASH_TESTS: unknown selection {sorted(unknown)}")
    if not wanted:
        return
    browser = os.path.join("tests", "e2e", "")
    kept, dropped = [], []
    for item in items:
        is_browser = browser in str(item.path)
        drop = ("no-browser" in wanted and is_browser) or (
            "database" in wanted and not is_browser and not _uses_database(item)
        )
        (dropped if drop else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _record_triggers_let_the_test_flush() -> None:
    """The record's tables refuse DELETE and TRUNCATE (mash.records.triggers); Django
    empties every table after a transactional test, so the triggers step aside then."""
    from mash.records.triggers import let_test_flush_empty_the_record

    let_test_flush_empty_the_record()


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_once() -> Any:
    """Every test client builds the hub's middleware anew, and WhiteNoise's (finding the
    files through Django's finders, as a run with nothing collected does) lists, stats
    and reads the headers of every static file each time: about 40 ms a client, a sixth
    of the suite's time. The files do not change during a run, so each configuration's
    are found once and every later middleware takes the same ones. Production serves
    collected files (``STATIC_COLLECTED``), which this does not touch."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    found: dict[str, dict[str, Any]] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = repr(
            (
                self.static_prefix,
                self.max_age,
                self.allow_all_origins,
                self.charset,
                self.index_file,
                [
                    getattr(settings, name, None)
                    for name in (
                        "STATICFILES_DIRS",
                        "STATICFILES_FINDERS",
                        "INSTALLED_APPS",
                        "WHITENOISE_IMMUTABLE_FILE_TEST",
                        "WHITENOISE_ADD_HEADERS_FUNCTION",
                        "WHITENOISE_MIMETYPES",
                    )
                ],
            )
        )
        if key not in found:
            kept, self.files = self.files, {}  # the finders' files alone, to keep
            original(self)
            found[key], self.files = self.files, kept
        self.files.update(found[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _record_witness_for_the_session(tmp_path_factory: Any) -> None:
    """The record's witness never writes to the data directory from a test (a later
    ``mash records verify`` of the demo would see heads of a test database), even
    from module-scoped set-up."""
    from django.conf import settings

    settings.MASH_RECORD_WITNESS_DIR = str(tmp_path_factory.mktemp("witness-session"))


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Each test its own witness: a database emptied between tests must not meet the heads
    # an earlier test's database had.
    settings.MASH_RECORD_WITNESS_DIR = str(tmp_path / "witness")


@pytest.fixture(autouse=True)
def _force_login_completes_two_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page of the hub needs the second sign-in factor (mash.agencies.middleware).
    ``client.force_login(user)`` stands for a whole sign-in, so here it also does what the
    two-factor step does: it gives the user a real confirmed authenticator (if they have
    none) and marks the session verified with it, as ``django_otp.login`` does. Tests of
    the sign-in itself post to the real forms instead (tests/agencies)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.two_factor import confirmed_device

    force_login = Client.force_login

    def force_login_with_second_factor(self: Client, user: Any, backend: Any = None) -> None:
        force_login(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _rate_limits_per_test(settings: Any) -> None:
    """The API's rate limit counts in the cache, which outlives a test: start each test
    from zero, with a limit no ordinary test reaches (tests/agencies/test_api_rate_limits.py
    sets its own)."""
    from django.core.cache import cache

    cache.clear()
    settings.MASH_API_RATE_LIMIT = "100000/min"


def create_agencies() -> dict[str, Any]:
    """The hub and three partner agencies (the ``agencies`` fixture; tests/access makes
    them once for a whole module)."""
    from mash.agencies.models import Agency

    return {
        "hub": Agency.objects.create(
            code="hub",
            name="Children's social care MASH",
            kind="childrens_social_care",
            is_hub=True,
        ),
        "police": Agency.objects.create(code="police", name="Police", kind="police"),
        "health": Agency.objects.create(code="health", name="NHS health", kind="health"),
        "education": Agency.objects.create(code="education", name="Education", kind="education"),
    }


@pytest.fixture
def agencies(db: Any) -> dict[str, Any]:
    return create_agencies()


@pytest.fixture
def cast(agencies: dict[str, Any]) -> dict[str, Any]:
    from mash.agencies.models import User

    def make(username: str, first: str, agency: str, role: str) -> Any:
        return User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=first,
            last_name="Tester",
            agency=agencies[agency],
            role=role,
        )

    return {
        "hub_practitioner": make("hana", "Hana", "hub", "practitioner"),
        "hub_manager": make("harriet", "Harriet", "hub", "manager"),
        "dpo": make("dara", "Dara", "hub", "dpo"),
        "police_practitioner": make("priya", "Priya", "police", "practitioner"),
        "police_manager": make("paul", "Paul", "police", "manager"),
        "health_practitioner": make("hugo", "Hugo", "health", "practitioner"),
        "outsider": make("eve", "Eve", "education", "practitioner"),
    }


@pytest.fixture
def client_for(client: Any, cast: dict[str, Any]) -> Any:
    """``client_for("police_practitioner")``: a test client signed in as that person."""
    from django.test import Client

    def signed_in(who: str) -> Client:
        c = Client()
        c.force_login(cast[who])
        return c

    return signed_in
