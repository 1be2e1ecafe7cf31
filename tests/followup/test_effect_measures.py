from decimal import Decimal

import pytest

from followup.measures import judge
from followup.models import EffectMeasureValue
from strategies.models import EffectMeasure
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def measure(prefix):
    return EffectMeasure.objects.get(name__startswith=prefix)


def value(m, year, number=None, *, half=0, breakdown="", yes_no=None, example=False):
    return EffectMeasureValue.objects.create(
        measure=m,
        year=year,
        half=half,
        breakdown=breakdown,
        value=number,
        yes_no=yes_no,
        source="Kolada",
        is_example=example,
    )


def test_a_measure_without_values_says_so(reviewer_client):
    text = page_text(reviewer_client.get("/effektmatt/"))
    assert text.count("Inget värde ännu") == 9  # eight measures, the SIP measure with two breakdowns


@pytest.mark.parametrize(
    "direction, previous, latest, met",
    [("increase", 10, 12, True), ("increase", 10, 10, False), ("decrease", 10, 8, True), ("decrease", 8, 9, False)],
)
def test_the_target_direction_decides(direction, previous, latest, met):
    m = EffectMeasure(direction=direction)
    before = EffectMeasureValue(measure=m, year=2024, value=Decimal(previous))
    after = EffectMeasureValue(measure=m, year=2025, value=Decimal(latest))
    assert judge(direction, after, before).met is met
    assert judge(direction, after, None).met is None  # one period cannot be judged


def test_values_per_breakdown_and_half_year_with_verdicts(reviewer_client):
    sip = measure("Antal SIP")
    value(sip, 2024, 120, half=1, breakdown="barn och unga")
    value(sip, 2024, 131, half=2, breakdown="barn och unga")
    value(sip, 2024, 300, half=1, breakdown="vuxna")
    value(sip, 2024, 290, half=2, breakdown="vuxna")
    slutenvard = measure("Påverkbar slutenvård")
    value(slutenvard, 2024, 5.4)
    value(slutenvard, 2025, 4.9)
    arenor = measure("Finns fungerande samverkansarenor")
    value(arenor, 2025, yes_no=True)

    response = reviewer_client.get("/effektmatt/")
    text = page_text(response)
    assert "barn och unga: ✓ Uppfyllt: högre än föregående period" in text
    assert "vuxna: ✗ Ej uppfyllt: inte högre än föregående period" in text
    assert "✓ Uppfyllt: lägre än föregående period" in text
    assert "✓ Uppfyllt: ja" in text
    assert "Period barn och unga vuxna 2024 H1 120 300 2024 H2 131 290" in text
    html = response.content.decode()
    assert html.count('class="chart-trend" role="img"') == 3


def test_example_figures_are_marked(reviewer_client):
    value(measure("Läkarbesök i hemmet"), 2024, 1000, example=True)
    assert "Exempelsiffror, inte verkliga data" in page_text(reviewer_client.get("/effektmatt/"))


def test_a_plan_administrator_enters_a_value(client, plan_admin):
    client.force_login(plan_admin)
    m = measure("Antal SIP")
    response = client.post(
        f"/effektmatt/{m.pk}/varden/ny/",
        {"year": "2025", "half": "1", "breakdown": "vuxna", "value": "312", "source": "Cosmic LINK", "note": ""},
        follow=True,
    )
    assert "Sparat: Antal SIP upprättade i Cosmic LINK" in page_text(response)
    saved = m.values.get()
    assert (saved.year, saved.half, saved.breakdown, saved.value, saved.entered_by) == (
        2025,
        1,
        "vuxna",
        312,
        plan_admin,
    )
    assert saved.history.get().history_user == plan_admin


def test_a_duplicate_period_is_refused_with_a_clear_message(client, plan_admin):
    client.force_login(plan_admin)
    m = measure("Läkarbesök i hemmet")
    value(m, 2025, 10)
    response = client.post(f"/effektmatt/{m.pk}/varden/ny/", {"year": "2025", "half": "0", "value": "11"})
    assert response.status_code == 200
    assert "Det finns redan ett värde för perioden och uppdelningen." in page_text(response)
    assert m.values.get().value == 10


def test_bad_input_is_explained(client, plan_admin):
    client.force_login(plan_admin)
    m = measure("Läkarbesök i hemmet")
    response = client.post(f"/effektmatt/{m.pk}/varden/ny/", {"year": "tjugo", "half": "2", "value": ""})
    form = response.context["form"]
    assert set(form.errors) == {"year", "half", "value"}  # a yearly measure has no half-years
    assert not m.values.exists()


def test_a_yes_no_measure_takes_ja_or_nej(client, plan_admin):
    client.force_login(plan_admin)
    m = measure("Finns fungerande samverkansarenor")
    client.post(f"/effektmatt/{m.pk}/varden/ny/", {"year": "2025", "half": "0", "yes_no": "False"})
    assert m.values.get().yes_no is False


def test_a_value_is_changed_and_the_change_kept(client, plan_admin):
    client.force_login(plan_admin)
    m = measure("Läkarbesök i hemmet")
    existing = value(m, 2025, 10)
    client.post(f"/effektmatt/{m.pk}/varden/{existing.pk}/", {"year": "2025", "half": "0", "value": "12"})
    existing.refresh_from_db()
    assert existing.value == 12
    assert existing.history.count() == 2


def test_only_plan_administrators_enter_values(leader_client, reviewer_client):
    m = measure("Läkarbesök i hemmet")
    for client in (leader_client, reviewer_client):
        assert client.get(f"/effektmatt/{m.pk}/varden/ny/").status_code == 403
        assert (
            client.post(f"/effektmatt/{m.pk}/varden/ny/", {"year": "2025", "half": "0", "value": "1"}).status_code
            == 403
        )
    assert not m.values.exists()
    assert "Mata in ett värde" not in page_text(reviewer_client.get("/effektmatt/"))


def test_a_value_of_another_measure_is_404_here(client, plan_admin):
    client.force_login(plan_admin)
    other = value(measure("Läkarbesök i hemmet"), 2025, 10)
    assert client.get(f"/effektmatt/{measure('Påverkbar').pk}/varden/{other.pk}/").status_code == 404


def test_the_page_queries_do_not_grow_with_the_values(reviewer_client, django_assert_num_queries):
    # session, user, roles, revision, measures with strategies, forums, values, organisations
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(9):
        reviewer_client.get("/effektmatt/")
    for m in EffectMeasure.objects.exclude(direction="yes_no"):
        for year in range(2010, 2026):
            for breakdown in m.breakdowns or [""]:
                value(m, year, year - 2000, breakdown=breakdown)
    with django_assert_num_queries(9):
        reviewer_client.get("/effektmatt/")


def test_values_show_with_their_measures_unit_and_decimals(reviewer_client, plan):
    from followup.models import EffectMeasureValue
    from strategies.models import EffectMeasure

    pupils = EffectMeasure.objects.get(strategy__revision=plan, name__startswith="Elever i åk 9")
    visits = EffectMeasure.objects.get(strategy__revision=plan, name__startswith="Läkarbesök i hemmet")
    EffectMeasureValue.objects.create(measure=pupils, year=2025, value="84.1")
    EffectMeasureValue.objects.create(measure=visits, year=2025, value=1960)
    page = " ".join(reviewer_client.get("/effektmatt/").content.decode().split())
    assert "84,1 %" in page and "Enhet: Andel (%)" in page
    assert "1\xa0960" in page or "1 960" in page
    sheet = reviewer_client.get("/effektmatt/?_export=csv").content.decode("utf-8-sig")
    assert "Andel (%)" in sheet.splitlines()[1] or any("Andel (%)" in line for line in sheet.splitlines())
    data = reviewer_client.get("/api/plan.json").json()
    measures = [m for s in data["strategies"] for m in s["effect_measures"]]
    pupils_json = next(m for m in measures if m["name"].startswith("Elever i åk 9"))
    assert (pupils_json["unit"], pupils_json["decimals"]) == ("andel", 1)
    assert pupils_json["series"][0]["values"][0]["text"] == "84,1 %"


def test_a_value_of_one_organisation_is_entered_in_the_form(client, plan_admin, plan):
    from followup.models import EffectMeasureValue
    from plan.models import Organisation
    from strategies.models import EffectMeasure

    client.force_login(plan_admin)
    arenas = EffectMeasure.objects.get(strategy__revision=plan, per_organisation=True, direction="yes_no")
    berg = Organisation.objects.get(slug="berg")
    form = client.get(f"/effektmatt/{arenas.pk}/varden/ny/").content.decode()
    assert "Länet som helhet" in form
    data = {"year": "2025", "half": "0", "organisation": berg.pk, "yes_no": "True"}
    assert client.post(f"/effektmatt/{arenas.pk}/varden/ny/", data).status_code == 302
    assert client.post(f"/effektmatt/{arenas.pk}/varden/ny/", {**data, "organisation": ""}).status_code == 302
    assert EffectMeasureValue.objects.filter(measure=arenas, year=2025).count() == 2
    again = client.post(f"/effektmatt/{arenas.pk}/varden/ny/", data)
    assert "Det finns redan ett värde för perioden och uppdelningen." in again.content.decode()
