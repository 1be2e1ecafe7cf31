import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from activities.models import Activity, SubActivity
from plan.models import User

pytestmark = pytest.mark.django_db


def test_it_creates_the_four_demo_accounts_with_their_roles(settings):
    settings.EMBEDDED_DEMO = True
    out = io.StringIO()
    call_command("load_demo_users", stdout=out)

    assert "4 created" in out.getvalue()
    roles = {u.username: sorted(u.role_names) for u in User.objects.all()}
    assert roles == {
        "admin": ["Planadministratör"],
        "projektledare": ["Projektledare"],
        "fredagsgruppen": ["Granskare"],
        "lokalarena": ["Lokal samverkansarena"],
    }
    assert User.objects.get(username="lokalarena").organisation.slug == "ostersund"
    for username in roles:
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username, password="demo") is not None
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_plan_admin
    assert not User.objects.get(username="fredagsgruppen").is_staff


def test_the_demo_project_leader_leads_several_activities_of_the_region(settings):
    settings.EMBEDDED_DEMO = True
    call_command("load_demo_users", stdout=io.StringIO())
    leader = User.objects.get(username="projektledare")

    assert leader.organisation.name == "Region Jämtland Härjedalen"
    led = Activity.objects.filter(leader=leader)
    assert led.count() == 5
    assert all(a.responsible_organisations.filter(pk=leader.organisation_id).exists() for a in led)


def test_loading_the_demo_accounts_twice_changes_nothing(settings):
    settings.EMBEDDED_DEMO = True
    call_command("load_demo_users", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_users", stdout=out)
    assert "0 created (all existed)" in out.getvalue()
    assert User.objects.count() == 4


def test_demo_accounts_are_refused_outside_the_embedded_demo(settings):
    settings.EMBEDDED_DEMO = False
    with pytest.raises(CommandError, match="only in the embedded SQLite demo"):
        call_command("load_demo_users")
    assert not User.objects.filter(username="admin").exists()


def test_generated_data_multiplies_the_plan_with_status_histories():
    out = io.StringIO()
    call_command("generate_demo_data", "--scale", "10", stdout=out)

    assert "Generated 144 activities and 315 sub-activities (scale 10)" in out.getvalue()
    assert Activity.objects.count() == 160
    assert SubActivity.objects.count() == 350
    generated = SubActivity.objects.filter(activity__name__contains="(exempel ")
    for sub in generated[:20]:
        records = list(sub.history.order_by("history_date"))
        assert len(records) == 4  # created, then three status changes
        assert records[-1].status == sub.status


def test_late_activities_are_those_whose_period_ended_unfinished():
    on = datetime.date(2026, 1, 15)
    late = set(Activity.objects.late(on=on).values_list("name", flat=True))
    assert "Utveckla rutiner och arbetssätt för fasta kontakter" in late  # 2023–2024
    assert "Samverka kring kompetensförsörjning på primärvårdsnivå" not in late  # 2025–2026

    done = Activity.objects.get(name="Utveckla rutiner och arbetssätt för fasta kontakter")
    done.subactivities.update(status=SubActivity.Status.DONE)
    assert not Activity.objects.late(on=on).filter(pk=done.pk).exists()
    assert Activity.objects.late(on=datetime.date(2024, 6, 1)).count() == 0
