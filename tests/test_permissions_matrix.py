"""Every URL of the app against every role: anonymous, reader, another organisation's project leader,
the responsible project leader, and the plan administrator."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, SubActivity
from followup.models import EffectMeasureValue, FollowUp
from meetings.models import Meeting
from plan.models import Forum, Organisation
from revisions.services import start_revision
from strategies.models import EffectMeasure, LocalActivity, LocalAdoption, Strategy
from tests.conftest import SUBACTIVITY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "other_leader", "leader", "admin", "arena_member"]
LOGIN = "login"  # redirected to the login page

# (name, method, url builder, expected status per role in ROLES order)
# fmt: off
MATRIX = [
    ("overview", "get", lambda o: reverse("overview"), [LOGIN, 200, 200, 200, 200]),
    ("landing", "get", lambda o: reverse("landing"), [LOGIN, 302, 302, 302, 302]),
    ("strategy", "get", lambda o: reverse("strategy_detail", args=[o["strategy"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("activity", "get", lambda o: reverse("activity_detail", args=[o["sub"].activity_id]), [LOGIN, 200, 200, 200, 200]),
    ("my activities", "get", lambda o: reverse("my_activities"), [LOGIN, 200, 200, 200, 200]),
    ("recent changes", "get", lambda o: reverse("recent_changes"), [LOGIN, 200, 200, 200, 200]),
    ("history", "get", lambda o: reverse("subactivity_history", args=[o["sub"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("update form", "get", lambda o: reverse("subactivity_update", args=[o["sub"].pk]), [LOGIN, 403, 403, 200, 200]),
    ("update", "post", lambda o: reverse("subactivity_update", args=[o["sub"].pk]), [LOGIN, 403, 403, 302, 302]),
    ("restore form", "get", lambda o: reverse("subactivity_restore", args=[o["sub"].pk, o["record"]]), [LOGIN, 403, 403, 403, 200]),
    ("restore", "post", lambda o: reverse("subactivity_restore", args=[o["sub"].pk, o["record"]]), [LOGIN, 403, 403, 403, 302]),
    ("update unknown", "get", lambda o: reverse("subactivity_update", args=[999999]), [LOGIN, 404, 404, 404, 404]),
    ("dashboard", "get", lambda o: reverse("dashboard"), [LOGIN, 200, 200, 200, 200]),
    ("table", "get", lambda o: reverse("subactivity_table"), [LOGIN, 200, 200, 200, 200]),
    ("table csv", "get", lambda o: reverse("subactivity_table") + "?_export=csv", [LOGIN, 200, 200, 200, 200]),
    ("plan json", "get", lambda o: reverse("plan_json"), [LOGIN, 200, 200, 200, 200]),
    ("effect measures", "get", lambda o: reverse("effect_measures"), [LOGIN, 200, 200, 200, 200]),
    ("value form", "get", lambda o: reverse("effect_measure_value_add", args=[o["measure"].pk]), [LOGIN, 403, 403, 403, 200]),
    ("value add", "post", lambda o: reverse("effect_measure_value_add", args=[o["measure"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("value edit", "get", lambda o: reverse("effect_measure_value_edit", args=[o["measure"].pk, o["value"].pk]), [LOGIN, 403, 403, 403, 200]),
    ("follow-ups", "get", lambda o: reverse("followup_list"), [LOGIN, 200, 200, 200, 200]),
    ("open follow-up", "post", lambda o: reverse("followup_list"), [LOGIN, 403, 403, 403, 302]),
    ("follow-up", "get", lambda o: reverse("followup_detail", args=[o["followup"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("follow-up texts", "post", lambda o: reverse("followup_texts", args=[o["followup"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("follow-up review", "post", lambda o: reverse("followup_submit", args=[o["followup"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("follow-up comment", "post", lambda o: reverse("followup_comment", args=[o["followup"].pk]), [LOGIN, 302, 302, 302, 302]),
    ("follow-up lock", "post", lambda o: reverse("followup_lock", args=[o["followup"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("follow-up unlock", "post", lambda o: reverse("followup_unlock", args=[o["locked"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("draft report", "get", lambda o: reverse("followup_report", args=[o["followup"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("locked report", "get", lambda o: reverse("followup_report", args=[o["locked"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("local matrix", "get", lambda o: reverse("local_matrix"), [LOGIN, 200, 200, 200, 200, 200]),
    ("local matrix csv", "get", lambda o: reverse("local_matrix") + "?_export=xlsx", [LOGIN, 200, 200, 200, 200, 200]),
    ("own arena cell", "get", lambda o: reverse("local_adoption", args=[o["ostersund"].pk, o["local"].pk]), [LOGIN, 200, 200, 200, 200, 200]),
    ("own arena cell save", "post", lambda o: reverse("local_adoption", args=[o["ostersund"].pk, o["local"].pk]), [LOGIN, 403, 403, 403, 302, 302]),
    ("other arena cell save", "post", lambda o: reverse("local_adoption", args=[o["berg"].pk, o["local"].pk]), [LOGIN, 403, 403, 403, 302, 403]),
    ("arena page", "get", lambda o: reverse("arena_detail", args=[o["ostersund"].pk]), [LOGIN, 200, 200, 200, 200, 200]),
    ("arena own activity add", "post", lambda o: reverse("arena_detail", args=[o["ostersund"].pk]), [LOGIN, 403, 403, 403, 302, 302]),
    ("other arena own activity add", "post", lambda o: reverse("arena_detail", args=[o["berg"].pk]), [LOGIN, 403, 403, 403, 302, 403]),
    ("revisions", "get", lambda o: reverse("revision_list"), [LOGIN, 200, 200, 200, 200, 200]),
    ("start revision", "post", lambda o: reverse("revision_start"), [LOGIN, 403, 403, 403, 302, 403]),
    ("revision in force", "get", lambda o: reverse("revision_detail", args=[o["strategy"].revision_id]), [LOGIN, 200, 200, 200, 200, 200]),
    ("draft revision", "get", lambda o: reverse("revision_detail", args=[o["draft"]().pk]), [LOGIN, 403, 403, 403, 200, 403]),
    ("draft item form", "get", lambda o: reverse("draft_item_edit", args=[o["draft"]().pk, "aktiviteter", o["draft_activity"]().pk]), [LOGIN, 403, 403, 403, 200, 403]),
    ("draft item save", "post", lambda o: reverse("draft_item_edit", args=[o["draft"]().pk, "strategier", o["draft_activity"]().strategy_id]), [LOGIN, 403, 403, 403, 302, 403]),
    ("draft item add", "post", lambda o: reverse("draft_item_add", args=[o["draft"]().pk, "delaktiviteter"]), [LOGIN, 403, 403, 403, 302, 403]),
    ("draft item remove", "post", lambda o: reverse("draft_item_delete", args=[o["draft"]().pk, "aktiviteter", o["draft_activity"]().pk]), [LOGIN, 403, 403, 403, 302, 403]),
    ("in-force item via draft url", "get", lambda o: reverse("draft_item_edit", args=[o["strategy"].revision_id, "aktiviteter", o["sub"].activity_id]), [LOGIN, 403, 403, 403, 404, 403]),
    ("draft texts form", "get", lambda o: reverse("draft_revision_edit", args=[o["draft"]().pk]), [LOGIN, 403, 403, 403, 200, 403]),
    ("in-force texts form", "get", lambda o: reverse("draft_revision_edit", args=[o["strategy"].revision_id]), [LOGIN, 403, 403, 403, 404, 403]),
    ("activation form", "get", lambda o: reverse("revision_activate", args=[o["draft"]().pk]), [LOGIN, 403, 403, 403, 200, 403]),
    ("activate", "post", lambda o: reverse("revision_activate", args=[o["draft"]().pk]), [LOGIN, 403, 403, 403, 302, 403]),
    ("password change", "get", lambda o: reverse("password_change"), [LOGIN, 200, 200, 200, 200]),
    ("my settings", "get", lambda o: reverse("notification_settings"), [LOGIN, 200, 200, 200, 200]),
    ("my settings save", "post", lambda o: reverse("notification_settings"), [LOGIN, 302, 302, 302, 302]),
    ("forums", "get", lambda o: reverse("forum_list"), [LOGIN, 200, 200, 200, 200]),
    ("forum meetings", "get", lambda o: reverse("forum_meetings", args=["fredagsgruppen"]), [LOGIN, 200, 200, 200, 200]),
    ("meeting add", "post", lambda o: reverse("meeting_add", args=["fredagsgruppen"]), [LOGIN, 403, 403, 403, 302]),
    ("series add", "post", lambda o: reverse("series_add", args=["fredagsgruppen"]), [LOGIN, 403, 403, 403, 302]),
    ("meeting", "get", lambda o: reverse("meeting_detail", args=[o["meeting"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("meeting move", "post", lambda o: reverse("meeting_move", args=[o["meeting"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("meeting cancel", "post", lambda o: reverse("meeting_cancel", args=[o["meeting"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("meeting minutes", "post", lambda o: reverse("meeting_minutes", args=[o["meeting"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("decision add", "post", lambda o: reverse("decision_add", args=[o["meeting"].pk]), [LOGIN, 403, 403, 403, 302]),
    ("meeting pack", "get", lambda o: reverse("meeting_pack", args=[o["meeting"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("meeting pack pdf", "get", lambda o: reverse("meeting_pack_pdf", args=[o["meeting"].pk]), [LOGIN, 200, 200, 200, 200]),
    ("meeting unknown", "get", lambda o: reverse("meeting_detail", args=[999999]), [LOGIN, 404, 404, 404, 404]),
    ("sheet upload", "get", lambda o: reverse("subactivity_upload"), [LOGIN, 403, 200, 200, 200, 403]),
    ("arena sheet for editing", "get", lambda o: reverse("local_matrix") + "?_export=xlsx&for=editing", [LOGIN, 200, 200, 200, 200, 200]),
    ("arena page sheet", "get", lambda o: reverse("arena_detail", args=[o["ostersund"].pk]) + "?_export=csv", [LOGIN, 200, 200, 200, 200, 200]),
    ("arena sheet upload", "get", lambda o: reverse("arena_upload"), [LOGIN, 403, 403, 403, 200, 200]),
    ("arena sheet preview", "post", lambda o: reverse("arena_upload"), [LOGIN, 403, 403, 403, 400, 400]),
    ("effect measures xlsx", "get", lambda o: reverse("effect_measures") + "?_export=xlsx", [LOGIN, 200, 200, 200, 200, 200]),
    ("effect sheet upload form", "get", lambda o: reverse("effect_value_upload"), [LOGIN, 403, 403, 403, 200, 403]),
    ("effect sheet upload", "post", lambda o: reverse("effect_value_upload"), [LOGIN, 403, 403, 403, 400, 403]),
    ("measure fetch", "post", lambda o: reverse("measure_fetch"), [LOGIN, 403, 403, 403, 200, 403]),
    ("access pending", "get", lambda o: reverse("access_pending"), [LOGIN, 302, 302, 302, 302]),
    ("admin", "get", lambda o: reverse("admin:index"), ["admin-login", "admin-login", "admin-login", "admin-login", 200]),
    # The public pages (PUBLIC_PAGES on here; tests/public shows every one 404 when it is off)
    ("public overview", "get", lambda o: reverse("public:overview"), [200, 200, 200, 200, 200, 200]),
    ("public strategy", "get", lambda o: reverse("public:strategy", args=[o["strategy"].number]), [200, 200, 200, 200, 200, 200]),
    ("public measures", "get", lambda o: reverse("public:measures"), [200, 200, 200, 200, 200, 200]),
    ("public arenas", "get", lambda o: reverse("public:local_arenas"), [200, 200, 200, 200, 200, 200]),
    ("public reports", "get", lambda o: reverse("public:reports"), [200, 200, 200, 200, 200, 200]),
    ("public locked report", "get", lambda o: reverse("public:report_pdf", args=[o["locked"].pk]), [200, 200, 200, 200, 200, 200]),
    ("public open report", "get", lambda o: reverse("public:report_pdf", args=[o["followup"].pk]), [404, 404, 404, 404, 404, 404]),
    ("public open data", "get", lambda o: reverse("public:open_data"), [200, 200, 200, 200, 200, 200]),
    ("public json", "get", lambda o: reverse("public:plan_json"), [200, 200, 200, 200, 200, 200]),
    ("public csv", "get", lambda o: reverse("public:subactivities_csv"), [200, 200, 200, 200, 200, 200]),
    ("public measures csv", "get", lambda o: reverse("public:measures_csv"), [200, 200, 200, 200, 200, 200]),
    ("public language", "get", lambda o: reverse("public:language", args=["en"]), [302, 302, 302, 302, 302, 302]),
    ("public language post", "post", lambda o: reverse("public:language", args=["en"]), [405, 405, 405, 405, 405, 405]),
]
# fmt: on


@pytest.fixture(autouse=True)
def public_pages(settings):
    settings.PUBLIC_PAGES = True


# Rows written before the arena role: an arena member may do what a reader may.
MATRIX = [(n, m, b, e if len(e) == len(ROLES) else [*e, e[1]]) for n, m, b, e in MATRIX]


@pytest.fixture
def objects(region_activity):
    sub = region_activity.subactivities.get(name=SUBACTIVITY)
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök")
    value = EffectMeasureValue.objects.create(measure=measure, year=2023, value=1)
    followup = FollowUp.objects.create(
        revision=sub.activity.strategy.revision, year=2025, cut_off=datetime.date(2025, 12, 31)
    )
    locked = FollowUp.objects.create(
        revision=sub.activity.strategy.revision,
        year=2024,
        cut_off=datetime.date(2024, 12, 31),
        state="locked",
        content={"strategies": []},
        report_pdf=b"%PDF-1.7 stored",
    )
    draft = {}

    def get_draft():
        if "revision" not in draft:
            draft["revision"] = start_revision(
                sub.activity.strategy.revision, label="2027", in_force_from=datetime.date(2026, 12, 1), user=None
            )
        return draft["revision"]

    def draft_activity():
        return Activity.objects.filter(strategy__revision=get_draft()).order_by("pk").first()

    return {
        "sub": sub,
        "strategy": Strategy.objects.get(number=2, revision__state="in_force"),
        "draft": get_draft,
        "draft_activity": draft_activity,
        "record": sub.history.first().history_id,
        "measure": measure,
        "value": value,
        "followup": followup,
        "locked": locked,
        "ostersund": Forum.objects.get(slug="lokal-ostersund"),
        "berg": Forum.objects.get(slug="lokal-berg"),
        "local": LocalActivity.objects.filter(strategy__revision__state="in_force").first(),
        "meeting": Meeting.objects.create(
            forum=Forum.objects.get(slug="fredagsgruppen"), starts_at=timezone.now() + datetime.timedelta(days=3)
        ),
    }


@pytest.fixture
def user_for(reviewer, other_leader, leader, plan_admin):
    arena_member = UserFactory(
        username="arena", role="Lokal samverkansarena", organisation=Organisation.objects.get(slug="ostersund")
    )
    return {
        "anonymous": None,
        "reader": reviewer,
        "other_leader": other_leader,
        "leader": leader,
        "admin": plan_admin,
        "arena_member": arena_member,
    }


def post_data(name, objects):
    if name in ("own arena cell save", "other arena cell save"):
        arena = objects["ostersund" if name.startswith("own") else "berg"]
        adoption = LocalAdoption.objects.filter(arena=arena, local_activity=objects["local"]).first()
        return {"state": "antagen", "text": "", "contact": "", "version": adoption.version if adoption else 0}
    if name in ("arena own activity add", "other arena own activity add"):
        return {"strategy": objects["strategy"].pk, "name": "Egen", "state": "pagar", "text": ""}
    if name == "start revision":
        return {"label": "2027", "in_force_from": (datetime.date.today() + datetime.timedelta(days=9)).isoformat()}
    if name == "draft item save":
        return {"name": "Nytt namn"}
    if name == "draft item add":
        activity = objects["draft_activity"]()
        return {"activity": activity.pk, "number": 99, "name": "Ny", "sub_points": "", "measure": "", "target": ""}
    if name == "open follow-up":
        return {"year": "2026", "half": "0", "cut_off": "2026-12-31"}
    if name in ("follow-up texts", "follow-up comment"):
        return {"summary": "Text", "text": "Kommentar"}
    if name == "follow-up unlock":
        return {"reason": "Matris"}
    if name == "my settings save":
        return {"email": "matris@example.se", "language": "", "reminder_emails": "on"}
    in_a_week = datetime.date.today() + datetime.timedelta(days=7)
    if name in ("meeting add", "meeting move"):
        return {"date": in_a_week.isoformat(), "time": "10:00", "place": "Rum 1"}
    if name == "series add":
        until = in_a_week + datetime.timedelta(days=30)
        return {"first_date": in_a_week.isoformat(), "time": "10:00", "every_weeks": "2", "until": until.isoformat()}
    if name == "meeting minutes":
        return {"notes": "Anteckningar"}
    if name == "decision add":
        return {"text": "Beslut", "subactivities": [objects["sub"].pk]}
    if name == "value add":
        return {"year": "2025", "half": "0", "value": "7"}
    if name == "update":
        return {
            "status": "klar",
            "status_text": "",
            "answer": "ja",
            "comment": "Matris",
            "version": SubActivity.objects.get(pk=objects["sub"].pk).version,
        }
    return {"comment": "Matris", "version": SubActivity.objects.get(pk=objects["sub"].pk).version}


@pytest.mark.parametrize("name, method, build, expected", MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_url_role_matrix(client, objects, user_for, name, method, build, expected, role_index):
    user = user_for[ROLES[role_index]]
    if user:
        client.force_login(user)
    url = build(objects)
    response = client.post(url, post_data(name, objects)) if method == "post" else client.get(url)

    want = expected[role_index]
    if want == LOGIN:
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), response
    elif want == "admin-login":
        assert response.status_code == 302 and response.url.startswith("/admin/login/"), response
    else:
        assert response.status_code == want, (ROLES[role_index], name, response.status_code)
    assert_hardened(response)


POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
}


def assert_hardened(response):
    """The security headers of every answer, and the flags of every cookie it sets (Secure is on in
    production: tests/plan/test_production_settings.py)."""
    assert set(response["Content-Security-Policy"].split("; ")) == POLICY
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    for cookie in response.cookies.values():
        if cookie.value:  # a deleted cookie is sent empty, with a date in the past
            assert cookie["httponly"] and cookie["samesite"] == "Lax", cookie.output()


def test_the_matrix_covers_every_url_of_the_app():
    from django.urls import get_resolver

    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "admin":
            continue
        for sub in getattr(pattern, "url_patterns", [pattern]):
            names.add(sub.name)
    covered_names = {
        "overview",
        "landing",
        "strategy_detail",
        "activity_detail",
        "my_activities",
        "recent_changes",
        "subactivity_history",
        "subactivity_update",
        "subactivity_restore",
        "password_change",
        "password_change_done",
        "notification_settings",
        "dashboard",
        "subactivity_table",
        "plan_json",
        "effect_measures",
        "effect_measure_value_add",
        "effect_measure_value_edit",
        "followup_list",
        "followup_detail",
        "followup_texts",
        "followup_submit",
        "followup_comment",
        "followup_lock",
        "followup_unlock",
        "followup_report",
        "local_matrix",
        "local_adoption",
        "arena_detail",
        "revision_list",
        "revision_start",
        "revision_detail",
        "revision_activate",
        "draft_item_add",
        "draft_item_edit",
        "draft_item_delete",
        "draft_revision_edit",
        "revision_compare",
        "revision_compare_pdf",
        "forum_list",
        "forum_meetings",
        "meeting_add",
        "series_add",
        "meeting_detail",
        "meeting_move",
        "meeting_cancel",
        "meeting_minutes",
        "decision_add",
        "meeting_pack",
        "meeting_pack_pdf",
        "access_pending",
        "subactivity_upload",
        "arena_upload",
        "effect_value_upload",
        "measure_fetch",
        # the public pages, under public:
        "strategy",
        "measures",
        "local_arenas",
        "reports",
        "report_pdf",
        "open_data",
        "subactivities_csv",
        "measures_csv",
        "language",
    }
    public = {"login", "logout", "set_language"}  # tested in tests/plan/test_login_hardening.py
    # tested in tests/plan/test_password_reset.py
    public |= {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}
    public |= {"oidc_login", "oidc_callback", "admin_login"}
    public |= {"healthz"}  # for load balancers, without login: tests/plan/test_health.py
    public |= {
        "accessibility_statement"
    }  # tests/plan/test_accessibility_statement.py  # tested in tests/sso and tests/browser/test_sso.py
    assert names == covered_names | public
