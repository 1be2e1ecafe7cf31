import pytest
from django.core.exceptions import ValidationError

from activities.models import SubActivity
from activities.services import StaleVersion, subactivity_restore, subactivity_update_status

pytestmark = pytest.mark.django_db


def update(subactivity, user, expected_version, status="klar", comment="Antagen i Fredagsgruppen"):
    return subactivity_update_status(
        subactivity=subactivity,
        user=user,
        status=status,
        text="Handlingsplanen antagen",
        answer="ja",
        comment=comment,
        expected_version=expected_version,
    )


def test_it_saves_the_status_raises_the_version_and_records_who_and_why(subactivity, leader):
    update(subactivity, leader, expected_version=1)

    saved = SubActivity.objects.get(pk=subactivity.pk)
    assert (saved.status, saved.status_text, saved.answer, saved.version) == (
        "klar",
        "Handlingsplanen antagen",
        "ja",
        2,
    )
    record = saved.history.latest("history_date")
    assert (record.history_user, record.history_change_reason, record.version) == (
        leader,
        "Antagen i Fredagsgruppen",
        2,
    )


def test_a_save_from_an_outdated_version_is_refused_and_changes_nothing(subactivity, leader, other_leader):
    update(subactivity, other_leader, expected_version=1, status="pagar", comment="Först")
    history_count = SubActivity.history.count()

    with pytest.raises(StaleVersion) as refused:
        update(SubActivity.objects.get(pk=subactivity.pk), leader, expected_version=1)

    assert refused.value.current.version == 2
    saved = SubActivity.objects.get(pk=subactivity.pk)
    assert (saved.status, saved.version) == ("pagar", 2)
    assert SubActivity.history.count() == history_count


def test_a_status_not_in_the_list_is_refused_before_anything_is_written(subactivity, leader):
    with pytest.raises(ValidationError):
        update(subactivity, leader, expected_version=1, status="nästan klar")
    assert SubActivity.objects.get(pk=subactivity.pk).version == 1


def test_restoring_brings_back_an_earlier_version_as_a_new_change(subactivity, leader, plan_admin):
    original = subactivity.history.earliest("history_date")
    update(subactivity, leader, expected_version=1)

    subactivity_restore(
        subactivity=SubActivity.objects.get(pk=subactivity.pk),
        user=plan_admin,
        record=original,
        comment="Fel delaktivitet",
        expected_version=2,
    )

    saved = SubActivity.objects.get(pk=subactivity.pk)
    assert (saved.status, saved.status_text, saved.answer, saved.version) == ("pagar", "Arbete pågår", "ej_bedomt", 3)
    latest = saved.history.latest("history_date")
    assert latest.history_user == plan_admin
    assert latest.history_change_reason.startswith("Återställd till versionen från ")
    assert latest.history_change_reason.endswith(": Fel delaktivitet")
    assert saved.history.count() == 3  # created, updated, restored: nothing removed
