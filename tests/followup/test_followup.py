import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from activities.models import Activity, SubActivity
from activities.services import subactivity_update_status
from followup import services
from followup.models import EffectMeasureValue, FollowUp
from plan.models import PlanRevision
from plandata.demo import generate_demo_data
from strategies.models import EffectMeasure
from tests.pages import page_text
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.django_db

CHANGED = "Handlingsplan fasta kontakter etc."  # Pågår in the plan


def norm(text):
    """White space collapsed, and none after a hyphen: a line may break after "IT-" or "hälso-"."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def pdf_text(pdf):
    return norm(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC), tick=False)


def change_status(name, status, user, comment="Ändrad"):
    sub = SubActivity.objects.get(name=name)
    return subactivity_update_status(
        subactivity=sub,
        user=user,
        status=status,
        text=f"{status} enligt {user}",
        answer="ja",
        comment=comment,
        expected_version=sub.version,
    )


def open_followup(year, admin, cut_off=None):
    return services.followup_open(
        revision=PlanRevision.objects.in_force().get(),
        year=year,
        half=0,
        cut_off=cut_off or datetime.date(year, 12, 31),
        user=admin,
    )


def row(content, name):
    return next(
        sub for s in content["strategies"] for a in s["activities"] for sub in a["subactivities"] if sub["name"] == name
    )


def test_statuses_are_taken_as_of_the_cut_off_date(plan_admin):
    with at(2025, 6, 1):
        change_status(CHANGED, "klar", plan_admin)
    with at(2026, 2, 1):
        change_status("Kartlägga behovet", "klar", plan_admin)  # after the 2025 cut-off: must not leak in
    content = services.followup_content(open_followup(2025, plan_admin))
    assert row(content, CHANGED)["status_label"] == "Klar"
    assert row(content, "Kartlägga behovet")["status_label"] == "Ej påbörjat"
    assert content["status_counts"]["klar"] == 1


def test_it_shows_what_moved_since_the_previous_follow_up(plan_admin):
    with at(2025, 1, 15):
        services.followup_lock(followup=open_followup(2024, plan_admin), user=plan_admin)
    with at(2025, 6, 1):
        change_status(CHANGED, "klar", plan_admin)
    content = services.followup_content(open_followup(2025, plan_admin))
    assert content["previous_period_label"] == "2024"
    assert content["moved"] == [
        {
            "strategy": 2,
            "activity": "Utveckla rutiner och arbetssätt för fasta kontakter",
            "name": CHANGED,
            "from": "Pågår",
            "to": "Klar",
        }
    ]
    assert row(content, CHANGED)["previous_status_label"] == "Pågår"


def test_effect_measures_show_the_period_the_previous_value_and_fulfilment(plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Påverkbar slutenvård")
    EffectMeasureValue.objects.create(measure=measure, year=2024, value=5.6, source="Kolada")
    EffectMeasureValue.objects.create(measure=measure, year=2025, value=5.1, source="Kolada")
    content = services.followup_content(open_followup(2025, plan_admin))
    series = next(m for s in content["strategies"] for m in s["measures"] if m["id"] == measure.pk)["series"][0]
    assert (series["previous"]["value"], series["current"]["value"], series["met"]) == (5.6, 5.1, True)
    assert {
        "strategy": 3,
        "name": measure.name,
        "breakdown": "",
        "met": True,
        "verdict": "Uppfyllt: lägre än föregående period",
    } in content["measure_changes"]


def test_the_pdf_holds_every_strategy_activity_and_subactivity_with_its_status_as_of_the_cut_off(plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet")
    EffectMeasureValue.objects.create(measure=measure, year=2025, value=1234, source="Cosmic")
    pupils = EffectMeasure.objects.get(name__startswith="Elever i åk 9")
    EffectMeasureValue.objects.create(measure=pupils, year=2025, value="84.1")
    with at(2025, 6, 1):
        change_status(CHANGED, "klar", plan_admin)
    followup = open_followup(2025, plan_admin)
    services.followup_save_texts(followup=followup, user=plan_admin, summary="Ett år av samverkan.", narratives={})
    with at(2026, 2, 1):
        locked = services.followup_lock(followup=followup, user=plan_admin)
    change_status("Kartlägga behovet", "klar", plan_admin)  # after the cut-off and after locking

    text = pdf_text(bytes(locked.report_pdf))

    assert "Uppföljning av Gemensam plan för primärvårdsnivå i Jämtland Härjedalen 2025" in text
    assert "Ett år av samverkan." in text
    page_count = len(PdfReader(io.BytesIO(bytes(locked.report_pdf))).pages)
    assert f"Sida 2 av {page_count}" in text
    for activity in Activity.objects.all():
        assert norm(activity.name) in text, activity.name
    for sub in SubActivity.objects.all():
        assert norm(sub.name) in text, sub.name
    assert f"{CHANGED} Klar" in text
    assert "Kartlägga behovet Ej påbörjat" in text  # the old value: changed after the cut-off
    assert "1 234 (2025)" in text  # a count: no decimals, thousands grouped
    assert "84,1 % (2025)" in text  # a share: its one decimal and its unit
    for number, name in [(1, "Ökad delaktighet"), (5, "Ökad samordning och samverkan")]:
        assert f"Strategi {number}: {name}" in text
    reader = PdfReader(io.BytesIO(bytes(locked.report_pdf)))
    assert reader.metadata.title == "Uppföljning av Gemensam plan för primärvårdsnivå i Jämtland Härjedalen 2025"
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert_accessible_pdf(bytes(locked.report_pdf))


def test_a_locked_follow_up_does_not_change_when_the_plan_does(client, plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet")
    EffectMeasureValue.objects.create(measure=measure, year=2025, value=100)
    with at(2026, 1, 10):
        followup = services.followup_lock(followup=open_followup(2025, plan_admin), user=plan_admin)
    stored_pdf, stored_content = bytes(followup.report_pdf), followup.content
    client.force_login(plan_admin)
    before = page_text(client.get(f"/uppfoljningar/{followup.pk}/"))

    change_status(CHANGED, "avvaktar", plan_admin)
    Activity.objects.filter(name="Utveckla rutiner och arbetssätt för fasta kontakter").update(name="Nytt namn")
    EffectMeasureValue.objects.filter(measure=measure).update(value=999)

    followup.refresh_from_db()
    assert followup.content == stored_content and bytes(followup.report_pdf) == stored_pdf
    assert page_text(client.get(f"/uppfoljningar/{followup.pk}/")) == before
    download = client.get(f"/uppfoljningar/{followup.pk}/rapport.pdf")
    assert download.content == stored_pdf
    assert "100 (2025)" in pdf_text(download.content) and "999" not in pdf_text(download.content)


def test_edits_of_a_locked_follow_up_are_refused_with_a_clear_message(client, plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet")
    value = EffectMeasureValue.objects.create(measure=measure, year=2025, value=100)
    followup = services.followup_lock(followup=open_followup(2025, plan_admin), user=plan_admin)
    client.force_login(plan_admin)
    for url, data in [
        (f"/uppfoljningar/{followup.pk}/texter/", {"summary": "Ändrad"}),
        (f"/uppfoljningar/{followup.pk}/granskning/", {}),
        (f"/uppfoljningar/{followup.pk}/las/", {}),
        (f"/effektmatt/{measure.pk}/varden/{value.pk}/", {"year": "2025", "half": "0", "value": "5"}),
        (f"/effektmatt/{measure.pk}/varden/ny/", {"year": "2025", "half": "0", "value": "5"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert "är godkänd och låst: inget i den kan ändras, och inget sparades" in page_text(response)
    followup.refresh_from_db()
    assert followup.summary == "" and EffectMeasureValue.objects.get(pk=value.pk).value == 100


def test_values_can_be_entered_after_the_cut_off_until_locking(client, plan_admin):
    followup = open_followup(2025, plan_admin)
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet")
    client.force_login(plan_admin)
    with at(2026, 2, 20):
        response = client.post(f"/effektmatt/{measure.pk}/varden/ny/", {"year": "2025", "half": "0", "value": "77"})
    assert response.status_code == 302
    content = services.followup_content(followup)
    assert (
        next(m for s in content["strategies"] for m in s["measures"] if m["id"] == measure.pk)["series"][0]["current"][
            "value"
        ]
        == 77
    )


def test_unlocking_needs_a_reason_and_is_recorded(client, plan_admin):
    followup = services.followup_lock(followup=open_followup(2025, plan_admin), user=plan_admin)
    client.force_login(plan_admin)
    client.post(f"/uppfoljningar/{followup.pk}/las-upp/", {"reason": ""})
    followup.refresh_from_db()
    assert followup.is_locked
    client.post(f"/uppfoljningar/{followup.pk}/las-upp/", {"reason": "Fel siffra för SIP"})
    followup.refresh_from_db()
    assert followup.state == "open" and followup.report_pdf is None
    latest = followup.history.latest("history_date")
    assert (latest.history_change_reason, latest.history_user) == ("Upplåst: Fel siffra för SIP", plan_admin)


def test_the_workflow_goes_open_review_locked_and_reviewers_comment(client, plan_admin, reviewer):
    followup = open_followup(2025, plan_admin)
    client.force_login(reviewer)
    client.post(f"/uppfoljningar/{followup.pk}/kommentar/", {"text": "För tidigt"})
    assert not followup.comments.exists()  # not under review yet
    client.force_login(plan_admin)
    client.post(f"/uppfoljningar/{followup.pk}/granskning/")
    client.force_login(reviewer)
    client.post(f"/uppfoljningar/{followup.pk}/kommentar/", {"text": "Strategi 3 behöver en rad om jourtid."})
    assert followup.comments.get().author == reviewer
    client.force_login(plan_admin)
    client.post(f"/uppfoljningar/{followup.pk}/las/")
    followup.refresh_from_db()
    assert followup.state == "locked"
    assert "Strategi 3 behöver en rad om jourtid." in page_text(client.get(f"/uppfoljningar/{followup.pk}/"))


def test_an_open_follow_up_previews_as_a_draft(reviewer_client, plan_admin):
    followup = open_followup(2025, plan_admin)
    response = reviewer_client.get(f"/uppfoljningar/{followup.pk}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "UTKAST: uppföljningen är inte godkänd." in pdf_text(response.content)
    assert_accessible_pdf(response.content)


def test_a_second_follow_up_for_the_same_period_is_refused(client, plan_admin):
    open_followup(2025, plan_admin)
    client.force_login(plan_admin)
    response = client.post("/uppfoljningar/", {"year": "2025", "half": "0", "cut_off": "2025-12-31"})
    assert response.status_code == 200
    assert FollowUp.objects.count() == 1
    assert response.context["form"].non_field_errors()


def test_the_demo_follow_up_is_locked_with_example_figures(settings):
    settings.EMBEDDED_DEMO = True
    call_command("load_demo_users", stdout=io.StringIO())
    call_command("load_demo_followup", stdout=io.StringIO())
    followup = FollowUp.objects.get(year=2024)
    assert followup.is_locked
    text = pdf_text(bytes(followup.report_pdf))
    assert "Rapporten innehåller exempelsiffror för effektmåtten, inte verkliga data." in text
    assert EffectMeasureValue.objects.filter(is_example=False).count() == 0


def test_the_follow_up_page_queries_do_not_grow_with_the_plan(client, plan_admin, django_assert_num_queries):
    followup = open_followup(2025, plan_admin)
    client.force_login(plan_admin)
    # session, user, follow-up, roles, statuses as of the cut-off, previous follow-up, narratives, values,
    # measures, their forums, activities, local adoptions as of the cut-off, arenas, local activities, arena
    # narratives, strategies (content), strategies, narratives, arenas and arena narratives (form), comments,
    # organisations (for the measures followed per organisation), the data version of the page cache
    with django_assert_num_queries(23):
        client.get(f"/uppfoljningar/{followup.pk}/")
    generate_demo_data(100)
    with django_assert_num_queries(23):
        response = client.get(f"/uppfoljningar/{followup.pk}/")
    assert sum(len(a["subactivities"]) for s in response.context["c"]["strategies"] for a in s["activities"]) == 3500


def test_the_local_arena_matrix_is_in_the_follow_up_as_of_the_cut_off_with_the_arena_narratives(plan_admin):
    from plan.models import Forum
    from strategies.models import LocalActivity
    from strategies.services import local_adoption_update

    ostersund, berg = Forum.objects.get(slug="lokal-ostersund"), Forum.objects.get(slug="lokal-berg")
    first = LocalActivity.objects.get(text__startswith="Öka medskapande")
    with at(2025, 5, 1):
        local_adoption_update(
            arena=ostersund, local_activity=first, user=plan_admin, state="antagen", text="", contact=""
        )
    with at(2026, 2, 1):
        local_adoption_update(arena=berg, local_activity=first, user=plan_admin, state="klar", text="", contact="")
    followup = open_followup(2025, plan_admin)
    services.followup_save_texts(
        followup=followup,
        user=plan_admin,
        summary="",
        narratives={},
        arena_narratives={ostersund: "Östersund har antagit sin lokala plan."},
    )
    content = services.followup_content(followup)["local_arenas"]
    assert content["arenas"][0] == "Berg" and content["arenas"][-1] == "Östersund"
    assert content["rows"][0]["cells"][0] == "Ej behandlad"  # Berg's change came after the cut-off
    assert content["rows"][0]["cells"][-1] == "Antagen i lokal plan"
    assert content["taken_up"][-1] == 1
    with at(2026, 2, 2):
        text = pdf_text(bytes(services.followup_lock(followup=followup, user=plan_admin).report_pdf))
    assert "Lokala samverkansarenor" in text
    assert "Östersund har antagit sin lokala plan." in text
    assert "Antagen i lokal plan" in text, text[text.find("Lokala samverkansarenor Hur") :][:600]


def test_a_locked_year_cannot_be_reached_by_writing_the_year_differently(client, plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet")
    services.followup_lock(followup=open_followup(2025, plan_admin), user=plan_admin)
    client.force_login(plan_admin)
    response = client.post(f"/effektmatt/{measure.pk}/varden/ny/", {"year": "2025.0", "half": "0", "value": "5"})
    assert response.status_code == 409
    assert not measure.values.exists()


def test_a_locked_first_half_leaves_the_rest_of_the_year_open(client, plan_admin):
    revision = PlanRevision.objects.in_force().get()
    half = services.followup_open(
        revision=revision, year=2025, half=1, cut_off=datetime.date(2025, 6, 30), user=plan_admin
    )
    services.followup_lock(followup=half, user=plan_admin)
    sip = EffectMeasure.objects.get(name__startswith="Antal SIP")
    client.force_login(plan_admin)
    base = {"year": "2025", "breakdown": "vuxna", "value": "10"}
    assert client.post(f"/effektmatt/{sip.pk}/varden/ny/", {**base, "half": "1"}).status_code == 409
    assert client.post(f"/effektmatt/{sip.pk}/varden/ny/", {**base, "half": "2"}).status_code == 302


def test_a_first_half_follow_up_leaves_out_the_rest_of_its_year(plan_admin):
    sip = EffectMeasure.objects.get(name__startswith="Antal SIP")
    for half, value in [(1, 100), (2, 120)]:
        EffectMeasureValue.objects.create(measure=sip, year=2025, half=half, breakdown="vuxna", value=value)
    revision = PlanRevision.objects.in_force().get()
    half = services.followup_open(
        revision=revision, year=2025, half=1, cut_off=datetime.date(2025, 6, 30), user=plan_admin
    )
    series = next(m for s in services.followup_content(half)["strategies"] for m in s["measures"] if m["id"] == sip.pk)[
        "series"
    ]
    adults = next(s for s in series if s["breakdown"] == "vuxna")
    assert adults["current"]["value"] == 100 and [v["period"] for v in adults["values"]] == ["2025 H1"]


def test_activities_whose_period_ends_in_the_year_are_late_at_its_last_day(plan_admin):
    content = services.followup_content(open_followup(2025, plan_admin))
    late = {a["name"] for a in content["late_activities"]}
    assert "Säkerställa kontinuitet för personer med funktionsnedsättning" in late  # 2024–2025, unfinished
    assert "Samverka kring kompetensförsörjning på primärvårdsnivå" not in late  # 2025–2026


def test_a_follow_up_is_approved_only_after_its_cut_off(client, plan_admin):
    with at(2025, 11, 1):
        followup = open_followup(2025, plan_admin)
        client.force_login(plan_admin)
        response = client.post(f"/uppfoljningar/{followup.pk}/las/", follow=True)
    assert "kan godkännas efter sitt brytdatum" in page_text(response)
    followup.refresh_from_db()
    assert followup.state == "open"


def test_the_cut_off_lies_in_the_follow_ups_year(client, plan_admin):
    client.force_login(plan_admin)
    response = client.post("/uppfoljningar/", {"year": "2025", "half": "0", "cut_off": "2026-01-31"})
    assert response.context["form"].errors["cut_off"]
    assert not FollowUp.objects.exists()


def test_opening_without_a_revision_in_force_explains_itself(client, plan_admin):
    PlanRevision.objects.update(state="superseded")
    client.force_login(plan_admin)
    response = client.post("/uppfoljningar/", {"year": "2025", "half": "0", "cut_off": "2025-12-31"})
    assert response.status_code == 200
    assert "Ingen planversion gäller." in page_text(response)


def test_the_follow_up_list_queries_do_not_grow_with_the_follow_ups(client, plan_admin, django_assert_num_queries):
    open_followup(2025, plan_admin)
    client.force_login(plan_admin)
    # session, user, the user's roles, the revision filter, the plan in force (its words), the follow-ups
    with django_assert_num_queries(6):
        client.get("/uppfoljningar/")
    for year in (2026, 2027, 2028):
        open_followup(year, plan_admin)
    with django_assert_num_queries(6):
        response = client.get("/uppfoljningar/")
    assert "Planen följs upp årligen i länsgemensam samverkan." in page_text(response)
