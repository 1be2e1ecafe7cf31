import csv
import inspect
import io
import json

import django_tables2
import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from activities.models import Activity, SubActivity
from followup import views
from followup.tables import SubActivityTable
from plan.models import Organisation
from plandata.demo import generate_demo_data
from strategies.models import Strategy
from tests.conftest import SUBACTIVITY
from tests.pages import page_text

pytestmark = pytest.mark.django_db

HEADER = [
    "Strategi",
    "Aktivitet",
    "Delaktivitet",
    "Prioritet",
    "Ansvariga organisationer",
    "Status",
    "Statustext",
    "Svar",
    "Försenad",
    "Senast ändrad",
]
# What uploading the edited sheet back needs (activities/bulk.py).
ROUND_TRIP = ["Id", "Version", "Kommentar"]


def csv_rows(client, **params):
    response = client.get("/tabell/", {**params, "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_table_lists_every_subactivity(reviewer_client):
    response = reviewer_client.get("/tabell/")
    assert response.context["table"].paginator.count == 35
    assert "35 delaktiviteter." in page_text(response)


def test_it_filters_by_strategy_and_late_only(reviewer_client, time_in_2026):
    strategy = Strategy.objects.get(number=5)
    response = reviewer_client.get("/tabell/", {"strategy": strategy.pk, "late": "on"})
    names = [row.record.name for row in response.context["table"].page.object_list]
    # Strategy 5's late activities in 2026 are the two of 2024–2025: 3 + 1 delaktiviteter.
    assert len(names) == 4
    assert set(names) == set(
        SubActivity.objects.filter(activity__strategy=strategy, activity__priority_end_year=2025).values_list(
            "name", flat=True
        )
    )


@pytest.mark.parametrize(
    "params, count",
    [
        ({"status": "uppdrag_behovs"}, 3),
        ({"answer": "ja"}, 0),
        ({"priority_year": "2023"}, 3),
        ({"organisation": "berg_id"}, 0),
        ({"due_this_year": "on"}, 8),
    ],
)
def test_each_filter(reviewer_client, time_in_2026, params, count):
    if params.get("organisation") == "berg_id":
        from plan.models import Organisation

        params = {"organisation": Organisation.objects.get(slug="berg").pk}
    assert reviewer_client.get("/tabell/", params).context["table"].paginator.count == count


def test_it_sorts_by_a_column(reviewer_client):
    response = reviewer_client.get("/tabell/", {"sort": "-priority"})
    first = response.context["table"].page.object_list[0].record
    assert first.activity.priority_end_year == 2026


def test_the_csv_export_has_exactly_the_filtered_rows(reviewer_client, time_in_2026):
    activity = Activity.objects.get(name="Säkerställa kontinuitet för personer med funktionsnedsättning")
    rows = csv_rows(reviewer_client, strategy=activity.strategy_id, priority_year="2024", status="ingar_i_annat")
    assert rows[0] == HEADER + ROUND_TRIP
    subs = {str(s.pk): s for s in SubActivity.objects.filter(status="ingar_i_annat")}
    assert all(row[-1] == "" and row[-2] == str(subs[row[-3]].version) for row in rows[1:])
    rows = [row[: len(HEADER)] for row in rows]
    assert rows == [
        HEADER,
        [
            "2. Ökad kontinuitet",
            "Utveckla samordning och arbetssätt för säkerställd kontinuitet vid personens övergångar mellan verksamheter",  # noqa: E501
            "Från förskoleålder till skolålder",
            "2024–2025",
            "",
            "Ingår i annat arbete",
            "Ingår till viss del i Jämtbus-överenskommelsen",
            "Ej bedömt",
            "Ja",
            "2023-12-01 00:00",
        ],
        [
            "2. Ökad kontinuitet",
            "Utveckla samordning och arbetssätt för säkerställd kontinuitet vid personens övergångar mellan verksamheter",  # noqa: E501
            "Mellan barn- och ungdomshabilitering och vuxenhabilitering",
            "2024–2025",
            "",
            "Ingår i annat arbete",
            "Ingår i överenskommelse om samverkan vuxenhab som tas fram på uppdrag av SVOM",
            "Ej bedömt",
            "Ja",
            "2023-12-01 00:00",
        ],
        [
            "2. Ökad kontinuitet",
            "Säkerställa kontinuitet för personer med funktionsnedsättning",
            "Ansvarsfördelning vid hälso- och sjukvård i hemmet för personer med personlig assistans",
            "2024–2025",
            "",
            "Ingår i annat arbete",
            "Ingår i rev. Samverkansavtal",
            "Ej bedömt",
            "Ja",
            "2023-12-01 00:00",
        ],
    ]


def test_the_csv_export_is_not_paginated(reviewer_client):
    generate_demo_data(3)
    assert len(csv_rows(reviewer_client)) == 1 + 105


def test_the_xlsx_export_opens_in_openpyxl_with_the_filtered_rows(reviewer_client):
    strategy = Strategy.objects.get(number=1)
    response = reviewer_client.get("/tabell/", {"strategy": strategy.pk, "_export": "xlsx"})
    assert response["Content-Disposition"].endswith('delaktiviteter.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER + ROUND_TRIP
    assert [row[2] for row in rows[1:]] == [
        "Ta fram gemensamma begrepp och synsätt",
        "Ta fram en mall för gemensamma dokument som säkerställer att de genomsyras av personcentrerat förhållningssätt",  # noqa: E501
        "Kartlägga behovet",
        "Pilot i samverkan",
    ]


def test_the_json_export_holds_the_whole_plan_as_the_pages_show_it(reviewer_client):
    response = reviewer_client.get("/api/plan.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["format_version"] == 1
    assert data["revision"] == {
        "label": "2023",
        "in_force_from": "2023-12-01",
        "next_revision_due": "2026-12-01",
        "vision": "Tillsammans för god hälsa hela livet",
    }
    strategies = data["strategies"]
    assert [s["name"] for s in strategies] == list(Strategy.objects.order_by("number").values_list("name", flat=True))
    subs = [sub for s in strategies for a in s["activities"] for sub in a["subactivities"]]
    assert len(subs) == 35 and sum(len(s["activities"]) for s in strategies) == 16
    assert sum(len(s["effect_measures"]) for s in strategies) == 8
    assert sum(len(s["local_activities"]) for s in strategies) == 22
    by_status = {}
    for sub in subs:
        by_status[sub["status"]] = by_status.get(sub["status"], 0) + 1
    dashboard = reviewer_client.get("/lagesbild/").context["plan_row"]
    assert by_status == {s.value: n for s, n in dashboard["counts"] if n}
    sip = strategies[0]["effect_measures"][0]
    assert sip["breakdowns"] == ["barn och unga", "vuxna"]
    assert [s["breakdown"] for s in sip["series"]] == ["barn och unga", "vuxna"]


def test_the_exports_rows_are_those_django_tables2_gives(reviewer, region_activity, leader, time_in_2026, monkeypatch):
    # SubActivityTable.as_values works out each column once rather than per cell: the same rows, empty values,
    # choices' labels, lateness and organisations included.
    region_activity.responsible_organisations.add(Organisation.objects.get(slug="berg"))
    SubActivity.objects.filter(name=SUBACTIVITY).update(status_text="", answer="ja")
    captured = {}

    def keep_table(request, template, context):
        captured["table"] = context["table"]

    request = RequestFactory().get("/tabell/")
    request.user = reviewer
    original_render, views.render = views.render, keep_table
    try:
        inspect.unwrap(views.subactivity_table)(request)  # the view itself, with its render replaced
    finally:
        views.render = original_render
    table = captured["table"]
    assert isinstance(table, SubActivityTable)
    with monkeypatch.context() as patched:  # not cell by cell, as django-tables2 does
        patched.setattr(django_tables2.rows.BoundRow, "get_cell_value", None)
        rows = list(table.as_values())
    assert rows == list(django_tables2.Table.as_values(table))
    assert len(rows) == 1 + 35 and ["Bergs kommun, Region Jämtland Härjedalen"] == [
        row[4] for row in rows if row[2] == SUBACTIVITY
    ]


def test_each_subactivity_in_the_json_export_is_as_stored(reviewer_client, region_activity, leader):
    region_activity.leader = leader
    region_activity.save()
    region_activity.responsible_organisations.add(Organisation.objects.get(slug="berg"))
    data = json.loads(reviewer_client.get("/api/plan.json").content)
    activity = next(a for s in data["strategies"] for a in s["activities"] if a["id"] == region_activity.pk)
    assert activity["leader"] == "Lena Ledare"
    assert activity["responsible_organisations"] == ["Bergs kommun", "Region Jämtland Härjedalen"]
    assert activity["priority"] == {"from": 2023, "to": 2024}
    for entry, sub in zip(
        activity["subactivities"], region_activity.subactivities.with_last_change().order_by("number"), strict=True
    ):
        assert entry == {
            "id": sub.pk,
            "name": sub.name,
            "sub_points": sub.sub_point_list,
            "status": sub.status,
            "status_label": sub.get_status_display(),
            "status_text": sub.status_text,
            "measure": sub.measure,
            "target": sub.target,
            "answer": sub.answer,
            "last_changed_at": sub.last_changed_at.isoformat(),
        }
    with_points = SubActivity.objects.exclude(sub_points="").first()
    exported = next(
        sub
        for s in data["strategies"]
        for a in s["activities"]
        for sub in a["subactivities"]
        if sub["id"] == with_points.pk
    )
    assert exported["sub_points"] == with_points.sub_point_list and len(exported["sub_points"]) > 1


def test_exports_require_login(client):
    for url in ["/tabell/?_export=csv", "/tabell/?_export=xlsx", "/api/plan.json"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_the_table_and_json_queries_do_not_grow_with_the_plan(reviewer_client, django_assert_num_queries):
    # table: session, user, roles, revision, filter choices (strategies, organisations), count, page,
    # the page's organisations
    # json (not cached: it says when it was generated): session, user, revision, strategies, quotes, measures,
    # forums, values, activities, organisations, delaktiviteter, local activities
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(10):
        reviewer_client.get("/tabell/")
    with django_assert_num_queries(12):
        reviewer_client.get("/api/plan.json")
    generate_demo_data(100)
    with django_assert_num_queries(10):
        reviewer_client.get("/tabell/")
    with django_assert_num_queries(12):
        response = reviewer_client.get("/api/plan.json")
    assert (
        sum(len(a["subactivities"]) for s in json.loads(response.content)["strategies"] for a in s["activities"])
        == 3500
    )


def test_a_status_text_that_looks_like_a_formula_is_exported_as_text(reviewer_client, plan_admin):
    from activities.services import subactivity_update_status

    sub = SubActivity.objects.get(name="Kartlägga behovet")
    subactivity_update_status(
        subactivity=sub,
        user=plan_admin,
        status="pagar",
        text='=HYPERLINK("http://x")',
        answer="ja",
        comment="Test",
        expected_version=1,
    )
    rows = csv_rows(reviewer_client, status="pagar", priority_year="2024", strategy=sub.activity.strategy_id)
    assert ['\'=HYPERLINK("http://x")'] == [r[6] for r in rows[1:] if r[2] == "Kartlägga behovet"]
