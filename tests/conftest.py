import os
from pathlib import Path

import pytest
from django.db import connection

from plandata.loader import load_plan_file
from tests.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import UserFactory

# Tests only: Playwright's sync API runs an event loop in the test thread (docs/STACK-NOTES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PLAN_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plan_jamtland_harjedalen.yaml"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgresql_only"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.fail("runs only on PostgreSQL: deselect it with -m 'not postgresql_only' on SQLite")


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """SQLite tests use a database file, not memory: the live server's request threads then open connections
    of their own instead of sharing the test's, which races with the test's end."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real plan loaded."""
    with django_db_blocker.unblock():
        load_plan_file(PLAN_FIXTURE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's history ids, and so its data versions
    (plan/caching.py), come again in the next test on SQLite."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def plan(db):
    """The real plan, loaded again if a transactional test has emptied the database (loading is idempotent)."""
    load_plan_file(PLAN_FIXTURE)
    from plan.models import PlanRevision

    return PlanRevision.objects.in_force().get()


@pytest.fixture
def reviewer(db):
    return UserFactory(username="granskare", role="Granskare")


@pytest.fixture
def plan_admin(db):
    return UserFactory(username="planadmin", role="Planadministratör", is_staff=True)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture
def db_vendor(db):
    return connection.vendor


@pytest.fixture(scope="session", autouse=True)
def every_pdf_passes_the_pdf_ua_checkers():
    """Every PDF the tests render (plan/pdf.py, through WeasyPrint) passes both PDF/UA checkers
    (tests/pdfs.py, assert_accessible_pdf), so a new kind of PDF is checked without a test of its own. Each
    distinct PDF is checked once: pdfua takes most of a second on a report."""
    import hashlib

    from weasyprint import HTML

    from tests.pdfs import assert_accessible_pdf

    write_pdf, checked = HTML.write_pdf, set()

    def checked_write_pdf(self, *args, **kwargs):
        pdf = write_pdf(self, *args, **kwargs)
        digest = hashlib.sha256(pdf).digest() if isinstance(pdf, bytes) else None
        if digest and digest not in checked:
            assert_accessible_pdf(pdf, keep_failing=True)
            checked.add(digest)
        return pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTML, "write_pdf", checked_write_pdf)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users' passwords need no protection; the real hasher costs a fifth of a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


ACTIVITY = "Utveckla rutiner och arbetssätt för fasta kontakter"  # strategi 2, 2023–2024, one delaktivitet
SUBACTIVITY = "Handlingsplan fasta kontakter etc."


@pytest.fixture
def region_activity(db):
    """An activity Region Jämtland Härjedalen is responsible for."""
    from activities.models import Activity
    from plan.models import Organisation

    activity = Activity.objects.in_force().get(name=ACTIVITY)
    activity.responsible_organisations.add(Organisation.objects.get(slug="region-jh"))
    return activity


@pytest.fixture
def subactivity(region_activity):
    return region_activity.subactivities.get(name=SUBACTIVITY)


@pytest.fixture
def leader(db):
    """A project leader of the responsible organisation."""
    from plan.models import Organisation

    return UserFactory(
        username="ledare",
        first_name="Lena",
        last_name="Ledare",
        role="Projektledare",
        organisation=Organisation.objects.get(slug="region-jh"),
    )


@pytest.fixture
def other_leader(db):
    """A project leader of an organisation that is not responsible."""
    from plan.models import Organisation

    return UserFactory(username="annan", role="Projektledare", organisation=Organisation.objects.get(slug="berg"))


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def time_in_2026():
    """A fixed day in 2026: the 2023–2024 and 2024–2025 activities are late, the 2025–2026 ones due."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def no_open_data_from_the_internet(settings):
    """Nothing is fetched from the internet in the tests: the sources point at a closed port on loopback unless a
    test starts its own replay server (tests/sources)."""
    settings.KOLADA_BASE_URL = "http://127.0.0.1:9/v3"
    settings.FOLKHALSODATA_BASE_URL = "http://127.0.0.1:9/Folkhalsodata/api/v1/sv"
