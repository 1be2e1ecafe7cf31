"""The admin, which plan administrators use, passes axe as the application's own pages do."""

import pytest
from django.utils import timezone

from meetings.models import Meeting
from plan.models import Forum, PlanRevision
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_pages_pass_axe(page, live_server, plan, plan_admin):
    meeting = Meeting.objects.create(forum=Forum.objects.get(slug="fredagsgruppen"), starts_at=timezone.now())
    revision = PlanRevision.objects.in_force().get()
    log_in(page, live_server, plan_admin, next_url="/admin/")
    for url in [
        "/admin/",
        "/admin/plan/user/",
        "/admin/plan/user/add/",
        f"/admin/plan/user/{plan_admin.pk}/change/",
        f"/admin/plan/planrevision/{revision.pk}/change/",
        "/admin/plan/forum/",
        "/admin/meetings/meeting/add/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        "/admin/strategies/effectmeasure/",
    ]:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)  # the admin's widgets are finished just after the load event
        assert_accessible(page), url
