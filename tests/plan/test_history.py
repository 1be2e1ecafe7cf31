import pytest

from activities.models import Activity
from plan.history import history_entries
from plan.models import Organisation

pytestmark = pytest.mark.django_db


def test_it_lists_field_changes_with_readable_values(plan_admin):
    activity = Activity.objects.get(name="Utveckla rutiner och arbetssätt för fasta kontakter")
    activity.leader = plan_admin
    activity.priority_end_year = 2025
    activity._change_reason = "Förlängd prioritet"
    activity.save()

    entries = history_entries(activity.history.all(), Activity, exclude=["strategy"], label=lambda r: r.name)

    newest, first = entries
    assert newest.kind == "~" and newest.reason == "Förlängd prioritet"
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes == {"prioritet till (år)": ("2024", "2025"), "ansvarig ledare": ("–", str(plan_admin))}
    assert first.kind == "+" and first.changes == []


def test_it_lists_changes_of_the_responsible_organisations():
    activity = Activity.objects.get(name="Utveckla rutiner och arbetssätt för fasta kontakter")
    activity.responsible_organisations.add(Organisation.objects.get(slug="berg"))
    activity.responsible_organisations.add(Organisation.objects.get(slug="region-jh"))

    newest = history_entries(activity.history.all(), Activity)[0]

    assert [(c.field, c.old, c.new) for c in newest.changes] == [
        ("ansvariga organisationer", "Bergs kommun", "Bergs kommun, Region Jämtland Härjedalen")
    ]


def test_a_save_without_visible_changes_is_listed_without_field_changes():
    activity = Activity.objects.first()
    activity.save()
    newest, first = history_entries(activity.history.all(), Activity)
    assert (newest.kind, newest.changes) == ("~", [])
