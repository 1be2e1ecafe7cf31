import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from plandata.demo import generate_demo_data
from revisions.services import start_revision

PAGES = [
    "/revisioner/",
    "/revisioner/{draft}/",
    "/revisioner/{draft}/aktiviteter/{activity}/",
    "/revisioner/{draft}/delaktiviteter/ny/?activity={activity}",
    "/revisioner/{draft}/andra/",
    "/revisioner/{draft}/aktivera/",
]


def query_counts(client, draft):
    activity = Activity.objects.filter(strategy__revision=draft).order_by("pk").first()
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.format(draft=draft.pk, activity=activity.pk))
        assert response.status_code == 200, page
        counts[page] = len(captured)
    return counts


@pytest.mark.django_db
def test_the_revision_pages_queries_do_not_grow_with_the_plan(client, plan, plan_admin):
    client.force_login(plan_admin)
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    small = query_counts(client, draft)
    draft.delete()
    generate_demo_data(10)
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    assert Activity.objects.filter(strategy__revision=draft).count() == 160

    assert query_counts(client, draft) == small
    # The draft's page: session, user, roles, the revision, strategies, their effect measures, local
    # activities, activities and sub-activities.
    assert small["/revisioner/{draft}/"] == 9
