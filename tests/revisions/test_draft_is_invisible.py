import datetime

import pytest

from revisions.services import start_revision
from tests.pages import page_text

PAGES = [
    "/",
    "/lagesbild/",
    "/tabell/",
    "/tabell/?_export=csv",
    "/api/plan.json",
    "/effektmatt/",
    "/lokala-arenor/",
    "/senaste-andringar/",
    "/mina-aktiviteter/",
    "/uppfoljningar/",
]


@pytest.mark.django_db
def test_a_draft_changes_nothing_anyone_sees_of_the_plan_in_force(
    client, plan, plan_admin, leader, region_activity, time_in_2026
):
    client.force_login(leader)
    before = {url: page_text(client.get(url)) for url in PAGES}

    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    draft.strategies.update(name="Ändrad i utkastet")

    for url in PAGES:
        assert page_text(client.get(url)) == before[url], url
