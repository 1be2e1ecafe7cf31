"""Two members saving the same cell of the local arenas' matrix: the second is refused and sees the first's change,
as with a sub-activity's status (optimistic locking on LocalAdoption.version)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from plan.models import Forum, Organisation
from strategies.bulk import COLUMNS
from strategies.models import LocalActivity, LocalAdoption
from strategies.services import StaleAdoption, local_adoption_update
from tests.factories import UserFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this cell while you were editing"


@pytest.fixture
def ostersund(plan):
    return Forum.objects.get(slug="lokal-ostersund")


@pytest.fixture
def cell(plan):
    return LocalActivity.objects.get(strategy__revision=plan, text__startswith="Öka medskapande")


def member(username, first_name):
    return UserFactory(
        username=username,
        first_name=first_name,
        last_name="Lokal",
        role="Lokal samverkansarena",
        organisation=Organisation.objects.get(slug="ostersund"),
    )


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lars():
    return client_of(member("lars", "Lars"))


@pytest.fixture
def karin():
    return client_of(member("karin", "Karin"))


def url(arena, activity):
    return f"/lokala-arenor/{arena.pk}/{activity.pk}/"


def opened_version(client, arena, activity):
    """The version the cell's form holds when the member opens it."""
    return client.get(url(arena, activity)).context["form"]["version"].value()


def in_swedish(message):
    """A message as the page gives it: in Swedish once translated, in English until then."""
    with translation.override("sv"):
        return translation.gettext(message)


def adoption(arena, activity):
    return LocalAdoption.objects.get(arena=arena, local_activity=activity)


def test_of_two_saves_from_the_same_version_the_second_is_refused_and_sees_the_first(lars, karin, ostersund, cell):
    local_adoption_update(
        arena=ostersund, local_activity=cell, user=None, state="pagar", text="Vi har börjat", contact=""
    )
    lars_version, karin_version = opened_version(lars, ostersund, cell), opened_version(karin, ostersund, cell)
    assert lars_version == karin_version == 1

    saved = lars.post(
        url(ostersund, cell),
        {"state": "antagen", "text": "I lokal plan 2025", "contact": "Eva Ek", "version": lars_version},
    )
    assert saved.status_code == 302
    first = adoption(ostersund, cell)
    assert (first.version, first.history.count()) == (2, 2)

    refused = karin.post(
        url(ostersund, cell),
        {"state": "klar", "text": "Klart sedan i våras", "contact": "", "version": karin_version},
    )

    assert refused.status_code == 409
    text = page_text(refused)
    assert in_swedish(CONFLICT) in text
    conflict = text.split(in_swedish(CONFLICT), 1)[1]
    # The first member's change: state, text, who and when, and field by field in the history of changes.
    assert "Antagen i lokal plan" in conflict and "I lokal plan 2025" in conflict and "Eva Ek" in conflict
    assert f"Lars Lokal, {timezone.localtime(first.updated_at):%Y-%m-%d %H:%M}" in conflict
    assert "Läge: Pågår → Antagen i lokal plan" in conflict
    # Nothing saved, and the member's own input kept, now building on the version stored.
    now = adoption(ostersund, cell)
    assert (now.state, now.text, now.version, now.updated_by.username, now.history.count()) == (
        "antagen",
        "I lokal plan 2025",
        2,
        "lars",
        2,
    )
    form = refused.context["form"]
    assert (form["state"].value(), form["text"].value(), form["version"].value()) == ("klar", "Klart sedan i våras", 2)

    again = karin.post(
        url(ostersund, cell), {"state": "klar", "text": "Klart sedan i våras", "contact": "", "version": 2}
    )
    assert again.status_code == 302
    assert (adoption(ostersund, cell).state, adoption(ostersund, cell).version) == ("klar", 3)


def test_two_members_creating_the_same_cell_the_second_is_refused(lars, karin, ostersund, cell):
    assert opened_version(lars, ostersund, cell) == opened_version(karin, ostersund, cell) == 0  # no row yet

    lars.post(url(ostersund, cell), {"state": "pagar", "text": "Lars började", "contact": "", "version": 0})
    refused = karin.post(url(ostersund, cell), {"state": "klar", "text": "Karin är klar", "contact": "", "version": 0})

    assert refused.status_code == 409
    conflict = page_text(refused).split(in_swedish(CONFLICT), 1)[1]
    assert "Pågår" in conflict and "Lars började" in conflict and "Lars Lokal" in conflict
    [created] = LocalAdoption.objects.filter(arena=ostersund, local_activity=cell)
    assert (created.state, created.text, created.version, created.history.count()) == ("pagar", "Lars började", 1, 1)
    assert refused.context["form"]["version"].value() == 1


def test_the_service_refuses_a_first_save_when_the_cell_was_created_meanwhile(ostersund, cell):
    local_adoption_update(arena=ostersund, local_activity=cell, user=None, state="pagar", text="", contact="")
    with pytest.raises(StaleAdoption) as refused:
        local_adoption_update(
            arena=ostersund, local_activity=cell, user=None, state="klar", text="", contact="", expected_version=0
        )
    assert (refused.value.current.state, refused.value.current.version) == ("pagar", 1)
    assert adoption(ostersund, cell).history.count() == 1


def test_an_altered_version_is_refused_and_saves_nothing(lars, ostersund, cell):
    response = lars.post(url(ostersund, cell), {"state": "klar", "text": "", "contact": "", "version": "-1"})
    assert response.status_code == 200
    assert in_swedish("The page was out of date or altered. Open the cell again from the matrix.") in page_text(
        response
    )
    assert not LocalAdoption.objects.exists()


def upload_sheet(client, arena, activity, **values):
    """Exports the arena's sheet, edits the activity's row, and uploads it back: preview, then apply."""
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/lokala-arenor/{arena.pk}/?_export=xlsx").content))
    sheet, keys = book.active, [column.key for column in COLUMNS]
    [row] = [
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, keys.index("activity_id") + 1).value == activity.pk
    ]
    for key, value in values.items():
        sheet.cell(row, keys.index(key) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    preview = client.post("/lokala-arenor/ladda-upp/", {"sheet": SimpleUploadedFile("ostersund.xlsx", out.getvalue())})
    context = preview.context
    applied = client.post(
        "/lokala-arenor/ladda-upp/",
        {"apply": "1", "upload": context["upload"].pk, "fingerprint": context["fingerprint"]},
    )
    assert applied.status_code == 302


def test_a_sheet_upload_raises_the_version_so_a_form_opened_before_it_is_refused(lars, karin, ostersund, cell):
    local_adoption_update(arena=ostersund, local_activity=cell, user=None, state="pagar", text="", contact="")
    opened = opened_version(lars, ostersund, cell)

    upload_sheet(karin, ostersund, cell, state="Klar", text="Klart enligt arket")

    uploaded = adoption(ostersund, cell)
    assert (uploaded.state, uploaded.version, uploaded.history.latest().version) == ("klar", opened + 1, opened + 1)
    refused = lars.post(url(ostersund, cell), {"state": "antagen", "text": "", "contact": "", "version": opened})
    assert refused.status_code == 409
    conflict = page_text(refused).split(in_swedish(CONFLICT), 1)[1]
    assert "Klart enligt arket" in conflict and "ostersund.xlsx" in conflict
    assert adoption(ostersund, cell).state == "klar"
