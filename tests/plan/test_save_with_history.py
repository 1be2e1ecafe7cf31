"""Every write is saved with its user and reason, the reason in the plan's language, whatever language the
user reads the pages in; writes that must not race with activating a revision are refused once it is done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from followup.models import EffectMeasureValue
from followup.services import effect_measure_value_save
from plan.history import save_with_history
from plan.language import in_plan_language
from plan.models import Forum
from revisions.services import activate_revision, draft_item_save, start_revision
from strategies.models import ArenaLocalActivity, EffectMeasure, Strategy
from strategies.services import arena_own_activity_add
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_a_reason_is_stored_in_the_plan_language_while_the_user_reads_english(plan, plan_admin):
    strategy = Strategy.objects.get(revision=plan, number=1)
    strategy.name = "Nytt namn"
    with translation.override("en"):
        save_with_history(strategy, user=plan_admin, reason=translation.gettext_lazy("Summary saved"))
        reason = in_plan_language(translation.gettext_lazy("Copied from revision %(label)s"), label="2023")
    record = strategy.history.first()
    assert (record.history_user, record.history_change_reason) == (plan_admin, "Sammanfattning sparad")
    assert reason == "Kopierad från revision 2023"


def test_an_administrator_reading_english_stores_swedish_reasons(client, plan_admin):
    measure = EffectMeasure.objects.get(name__startswith="Läkarbesök i hemmet", strategy__revision__state="in_force")
    client.force_login(plan_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Effect measures" in page_text(client.get("/effektmatt/"))
    response = client.post(f"/effektmatt/{measure.pk}/varden/ny/", {"year": "2025", "half": "0", "value": "7"})
    assert response.status_code == 302
    record = EffectMeasureValue.history.get(measure=measure, year=2025)
    assert (record.history_user, record.history_change_reason) == (plan_admin, "Inmatat i applikationen")


def test_writes_to_a_superseded_revision_are_refused(plan, plan_admin):
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    measure = EffectMeasure.objects.filter(strategy__revision=plan).first()
    strategy = Strategy.objects.get(revision=plan, number=1)
    activate_revision(draft, user=plan_admin)
    with pytest.raises(PermissionDenied):
        effect_measure_value_save(value=EffectMeasureValue(measure=measure, year=2026, value=1), user=plan_admin)
    with pytest.raises(PermissionDenied):
        arena_own_activity_add(
            arena=Forum.objects.get(slug="lokal-ostersund"), strategy=strategy, user=plan_admin,
            name="Eget", state="pagar", text="",
        )  # fmt: skip
    assert not EffectMeasureValue.objects.filter(measure=measure, year=2026).exists()
    assert not ArenaLocalActivity.objects.filter(name="Eget").exists()


def test_a_change_to_a_draft_is_refused_once_it_is_in_force(plan, plan_admin):
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    strategy = Strategy.objects.get(revision=draft, number=1)
    draft_item_save(draft=draft, item=strategy, user=plan_admin)
    assert strategy.history.first().history_change_reason == "Ändrad i utkastet till revision 2027"
    activate_revision(draft, user=plan_admin)
    strategy.name = "För sent"
    with pytest.raises(PermissionDenied):
        draft_item_save(draft=draft, item=strategy, user=plan_admin)
    assert Strategy.objects.get(pk=strategy.pk).name != "För sent"
