"""The local arenas' sheet for editing (one row per arena and activity), edited and uploaded back."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from plan.models import Forum, Organisation
from strategies.bulk import COLUMNS
from strategies.models import LocalActivity, LocalAdoption
from strategies.services import local_adoption_update
from tests.factories import UserFactory

URL = "/lokala-arenor/ladda-upp/"
KEYS = [column.key for column in COLUMNS]
IN_FORCE = LocalActivity.objects.filter(strategy__revision__state="in_force")


@pytest.fixture
def ostersund(plan):
    return Forum.objects.get(slug="lokal-ostersund")


@pytest.fixture
def berg(plan):
    return Forum.objects.get(slug="lokal-berg")


@pytest.fixture
def member(plan):
    """A member of Östersund's local arena."""
    municipality = Organisation.objects.get(slug="ostersund")
    return UserFactory(username="lokal", role="Lokal samverkansarena", organisation=municipality)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def local(text_start):
    return IN_FORCE.get(text__startswith=text_start)


def adopt(arena, activity, user, state="pagar", text="", contact=""):
    return local_adoption_update(
        arena=arena, local_activity=activity, user=user, state=state, text=text, contact=contact
    )


def export(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def workbook(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book, book.active


def row_of(sheet, arena, activity):
    for row in range(2, sheet.max_row + 1):
        key = (sheet.cell(row, KEYS.index("arena_id") + 1).value, sheet.cell(row, KEYS.index("activity_id") + 1).value)
        if key == (arena.pk, activity.pk):
            return row
    raise AssertionError(f"no row for {arena}, {activity}")


def cell(sheet, arena, activity, key):
    return sheet.cell(row_of(sheet, arena, activity), KEYS.index(key) + 1)


def edit(sheet, arena, activity, **values):
    for key, value in values.items():
        cell(sheet, arena, activity, key).value = value


def as_upload(book, name="ostersund.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(client, upload):
    response = client.post(URL, {"sheet": upload})
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response


def apply(client, response):
    context = response.context
    return client.post(URL, {"apply": "1", "upload": context["upload"].pk, "fingerprint": context["fingerprint"]})


def outcomes(response):
    return {r.number: (r.outcome, r.reason) for r in response.context["results"]}


def in_swedish(message, **params):
    """A message as the page gives it: in Swedish once translated, in English until then."""
    with translation.override("sv"):
        text = gettext(message)
    return text % params if params else text


def test_an_edited_export_previews_and_applies_with_one_history_record_per_row(member_client, ostersund, member):
    started, fresh = local("Öka medskapande"), local("Utveckla samarbete med mobila team")
    adoption = adopt(ostersund, started, member, state="pagar", text="Vi har börjat")
    book, sheet = workbook(export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=xlsx"))
    assert sheet.max_row == 1 + IN_FORCE.count()  # the arena's rows only
    assert cell(sheet, ostersund, started, "version").value == adoption.updated_at.isoformat()
    assert cell(sheet, ostersund, fresh, "version").value in (None, "")
    assert cell(sheet, ostersund, started, "state").value == "Pågår"
    assert cell(sheet, ostersund, fresh, "state").value == "Ej behandlad"
    edit(sheet, ostersund, started, state="klar ", text="Klart i lokal plan 2025", contact="Eva Ek")
    edit(sheet, ostersund, fresh, state="Antagen i lokal plan")

    response = preview(member_client, as_upload(book))
    assert response.context["counts"] == {"change": 2, "unchanged": sheet.max_row - 3, "refused": 0}
    html = response.content.decode()
    assert "Kommer att ändras" in html and "Pågår" in html and "Klar" in html
    assert LocalAdoption.objects.get().state == "pagar"  # nothing saved yet

    applied = apply(member_client, response)
    assert applied.status_code == 302 and applied.url == reverse("local_matrix")
    updated = LocalAdoption.objects.get(arena=ostersund, local_activity=started)
    assert (updated.state, updated.text, updated.contact, updated.updated_by) == (
        "klar",
        "Klart i lokal plan 2025",
        "Eva Ek",
        member,
    )
    assert updated.updated_at > adoption.updated_at
    created = LocalAdoption.objects.get(arena=ostersund, local_activity=fresh)
    assert (created.state, created.text, created.contact, created.updated_by) == ("antagen", "", "", member)
    assert LocalAdoption.objects.count() == 2

    records = list(updated.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[-1].history_user == member and "ostersund.xlsx" in records[-1].history_change_reason
    assert (records[-1].state, records[-1].updated_at) == ("klar", updated.updated_at)
    [record] = created.history.all()
    assert (record.history_type, record.history_user, record.state) == ("+", member, "antagen")
    assert "ostersund.xlsx" in record.history_change_reason
    assert record.history_change_reason == records[-1].history_change_reason


def test_an_untouched_export_changes_nothing(member_client, ostersund, member):
    adopt(ostersund, local("Öka medskapande"), member, text="Rad ett\r\nRad två", contact="=Eva Ek")
    adopt(ostersund, local("Utveckla samarbete med mobila team"), member, state="ej_antagen", text="-Ingår redan")
    book, sheet = workbook(export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=xlsx"))
    response = preview(member_client, as_upload(book))
    assert response.context["counts"] == {"change": 0, "unchanged": sheet.max_row - 1, "refused": 0}


def test_another_arenas_changed_row_is_refused_and_its_unchanged_rows_are_just_unchanged(
    member_client, ostersund, berg, plan_admin
):
    activity = local("Öka medskapande")
    adopt(berg, activity, plan_admin, state="antagen")
    book, sheet = workbook(export(member_client, "/lokala-arenor/?_export=xlsx&for=editing"))
    arenas = Forum.objects.filter(kind="local").count()
    assert sheet.max_row == 1 + arenas * IN_FORCE.count()
    edit(sheet, berg, activity, state="Klar")
    edit(sheet, ostersund, activity, state="Pågår")
    response = preview(member_client, as_upload(book))
    assert response.context["counts"] == {"change": 1, "unchanged": sheet.max_row - 3, "refused": 1}
    refused = row_of(sheet, berg, activity)
    assert outcomes(response)[refused] == ("refused", in_swedish("You may not change this arena's column."))
    apply(member_client, response)
    assert LocalAdoption.objects.get(arena=berg).state == "antagen"
    assert LocalAdoption.objects.get(arena=ostersund).state == "pagar"


def test_a_plan_administrator_may_change_every_arena(client, plan_admin, ostersund, berg):
    client.force_login(plan_admin)
    activity = local("Öka medskapande")
    book, sheet = workbook(export(client, "/lokala-arenor/?_export=xlsx&for=editing"))
    edit(sheet, berg, activity, state="Klar")
    edit(sheet, ostersund, activity, state="Pågår")
    response = preview(client, as_upload(book))
    assert response.context["counts"]["change"] == 2 and response.context["counts"]["refused"] == 0


def test_a_row_changed_since_the_export_is_refused(member_client, ostersund, plan_admin):
    changed, created = local("Öka medskapande"), local("Utveckla samarbete med mobila team")
    adopt(ostersund, changed, plan_admin, state="pagar")
    book, sheet = workbook(export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=xlsx"))
    edit(sheet, ostersund, changed, state="Klar")
    edit(sheet, ostersund, created, state="Klar")
    later = [
        adopt(ostersund, changed, plan_admin, state="antagen"),  # after the export
        adopt(ostersund, created, plan_admin, state="antagen"),  # a row that did not exist at the export
    ]
    response = preview(member_client, as_upload(book))
    assert response.context["counts"] == {"change": 0, "unchanged": sheet.max_row - 3, "refused": 2}
    results = outcomes(response)
    for adoption in later:
        when = timezone.localtime(adoption.updated_at).strftime("%Y-%m-%d %H:%M")
        assert results[row_of(sheet, ostersund, adoption.local_activity)] == (
            "refused",
            in_swedish("Changed by someone else since the export (last updated %(when)s). Export again.", when=when),
        )
    assert set(LocalAdoption.objects.values_list("state", flat=True)) == {"antagen"}


def test_a_change_between_preview_and_apply_saves_nothing(member_client, ostersund, plan_admin):
    activity = local("Öka medskapande")
    book, sheet = workbook(export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=xlsx"))
    edit(sheet, ostersund, activity, state="Klar")
    response = preview(member_client, as_upload(book))
    adopt(ostersund, activity, plan_admin, state="antagen")
    again = apply(member_client, response)
    assert again.status_code == 409
    assert again.context["counts"]["refused"] == 1
    assert LocalAdoption.objects.get().state == "antagen"


def test_not_adopted_needs_a_reason_and_an_unknown_state_is_refused(member_client, ostersund):
    without, with_reason, unknown = (
        local("Öka medskapande"),
        local("Utveckla samarbete med mobila team"),
        local("Implementera arbetssätt för fasta kontakter"),
    )
    book, sheet = workbook(export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=xlsx"))
    edit(sheet, ostersund, without, state="Ej antagen")
    edit(sheet, ostersund, with_reason, state="ej antagen", text="Ingår i en annan plan")
    edit(sheet, ostersund, unknown, state="Kanske")
    response = preview(member_client, as_upload(book))
    assert response.context["counts"] == {"change": 1, "unchanged": sheet.max_row - 4, "refused": 2}
    results = outcomes(response)
    assert results[row_of(sheet, ostersund, without)] == ("refused", "Ange varför aktiviteten inte antas.")
    assert results[row_of(sheet, ostersund, unknown)] == (
        "refused",
        in_swedish("Unknown state “%(value)s”.", value="Kanske"),
    )
    assert apply(member_client, response).status_code == 302
    adoption = LocalAdoption.objects.get()
    assert (adoption.local_activity, adoption.state, adoption.text) == (
        with_reason,
        "ej_antagen",
        "Ingår i en annan plan",
    )


def test_too_long_texts_and_control_characters_are_refused(member_client, ostersund):
    edits = {
        local("Öka medskapande").pk: ("contact", "x" * 201),
        local("Utveckla samarbete med mobila team").pk: ("text", "x" * 3001),
        local("Implementera arbetssätt för fasta kontakter").pk: ("text", "Bra\x07"),  # a CSV may carry it
    }
    text = export(member_client, f"/lokala-arenor/{ostersund.pk}/?_export=csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        key, value = edits.get(int(row[KEYS.index("activity_id")]), (None, None))
        if key:
            row[KEYS.index(key)] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = preview(member_client, SimpleUploadedFile("arenor.csv", out.getvalue().encode()))
    assert response.context["counts"] == {"change": 0, "unchanged": len(rows) - 4, "refused": 3}
    reasons = {r.reason for r in response.context["results"] if r.outcome == "refused"}
    assert reasons == {
        "En text är längre än 200 tecken.",
        "En text är längre än 3000 tecken.",
        in_swedish(
            "The text contains invisible control characters. Remove them, for example by typing the text again."
        ),
    }


def test_the_sheet_for_editing_as_swedish_excels_csv(member_client, ostersund):
    activity = local("Öka medskapande")
    text = export(member_client, "/lokala-arenor/?_export=csv&for=editing").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        if row[KEYS.index("arena_id")] == str(ostersund.pk) and row[KEYS.index("activity_id")] == str(activity.pk):
            row[KEYS.index("state")] = "KLAR"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    upload = SimpleUploadedFile("arenor.csv", out.getvalue().encode("cp1252", errors="replace"))
    response = preview(member_client, upload)
    assert response.context["counts"]["change"] == 1 and response.context["counts"]["refused"] == 0


def test_the_preview_queries_do_not_grow_with_the_rows(client, plan_admin, ostersund, berg):
    for activity in IN_FORCE[:10]:
        adopt(ostersund, activity, plan_admin, state="antagen")
        adopt(berg, activity, plan_admin, state="klar")
    client.force_login(plan_admin)
    content = export(client, "/lokala-arenor/?_export=xlsx&for=editing")

    def queries(keep):
        book, sheet = workbook(content)
        if keep < sheet.max_row - 1:
            sheet.delete_rows(keep + 2, sheet.max_row)
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, KEYS.index("state") + 1).value = "Pågår"
        with CaptureQueriesContext(connection) as captured:
            response = preview(client, as_upload(book))
        assert response.context["counts"]["change"] == sheet.max_row - 1
        return len(captured)

    assert queries(5) == queries(10000)


def test_only_those_who_may_edit_an_arena_may_upload(client, member, plan_admin, reviewer, leader):
    for user, status in [(reviewer, 403), (leader, 403), (member, 200), (plan_admin, 200)]:
        client.force_login(user)
        assert client.get(URL).status_code == status, user
        matrix = client.get("/lokala-arenor/").content.decode()
        assert (f'href="{URL}"' in matrix) is (status == 200), user


def test_the_upload_link_is_on_the_members_own_arena_page_only(member_client, ostersund, berg):
    assert f'href="{URL}"' in member_client.get(f"/lokala-arenor/{ostersund.pk}/").content.decode()
    assert f'href="{URL}"' not in member_client.get(f"/lokala-arenor/{berg.pk}/").content.decode()
