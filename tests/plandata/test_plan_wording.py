"""The plan's own words (who follows it up, for whom, what its action plan is called) come from its fixture,
not from the templates: another region's plan reads with its own words."""

import datetime

import pytest
from django.urls import reverse

from followup import services
from followup.report import render_report_html
from plan.models import Plan, PlanRevision
from plandata.loader import load_plan_file
from strategies.models import Strategy
from tests.conftest import PLAN_FIXTURE
from tests.pages import page_text

pytestmark = pytest.mark.django_db

OTHER_PLAN = """
organisations:
  - {slug: region-vn, name: Region Västernorrland, kind: region}
forums: []
plan:
  slug: gemensam-plan-vn
  name: Gemensam plan för primärvård i Västernorrland
  region: Västernorrland
  followed_up_by: regional samverkan
  reported_to: Regionala styrgruppen
  action_plan_name: Åtgärdsplan
  revisions:
    - label: "2024"
      in_force_from: 2024-01-01
      next_revision_due: 2027-01-01
      state: in_force
      vision: God hälsa i hela länet
      strategies:
        - number: 1
          name: Ökad tillgänglighet
          activities:
            - number: 1
              name: Kartlägga väntetider
              priority: [2024, 2025]
              subactivities:
                - {name: Sammanställa väntetider, status: pagar}
"""
JAMTLAND_WORDS = ["länsgemensam", "svom", "fredagsgruppen", "bilaga 1", "huvudmän"]


def text_of(html):
    return " ".join(html.split())


def assert_no_jamtland_words(text):
    found = [word for word in JAMTLAND_WORDS if word in text.lower()]
    assert not found, found


@pytest.fixture
def other_revision(tmp_path):
    path = tmp_path / "plan_other.yaml"
    path.write_text(OTHER_PLAN, encoding="utf-8")
    load_plan_file(path)
    return PlanRevision.objects.in_force().get(plan__slug="gemensam-plan-vn")


def open_followup(revision, user):
    return services.followup_open(revision=revision, year=2025, half=0, cut_off=datetime.date(2025, 12, 31), user=user)


def test_the_fixture_gives_the_plan_its_words(other_revision):
    plan = other_revision.plan
    assert (plan.followed_up_by, plan.reported_to, plan.action_plan_name) == (
        "regional samverkan",
        "Regionala styrgruppen",
        "Åtgärdsplan",
    )


def test_another_regions_pages_and_report_use_its_words(other_revision, plan_admin, reviewer_client):
    followup = open_followup(other_revision, plan_admin)

    # The test database holds the Jämtland plan too: the list shows the other plan's follow-ups by its revision.
    text = page_text(reviewer_client.get(reverse("followup_list") + f"?revision={other_revision.pk}"))
    assert "Planen följs upp årligen i regional samverkan." in text
    assert_no_jamtland_words(text)

    strategy = Strategy.objects.get(revision=other_revision)
    text = page_text(reviewer_client.get(reverse("strategy_detail", args=[strategy.pk])))
    assert "Prioriterade aktiviteter – Åtgärdsplan" in text
    assert_no_jamtland_words(text)

    text = page_text(reviewer_client.get(reverse("followup_detail", args=[followup.pk])))
    assert "Åtgärdsplan vid brytdatum" in text
    assert_no_jamtland_words(text)

    html = render_report_html(services.followup_content(followup))
    text = text_of(html)
    assert '<meta name="author" content="Regional samverkan">' in text
    assert "Åtgärdsplan: status per 2025-12-31, version 2024." in text
    assert "Följs upp årligen i regional samverkan, för Regionala styrgruppen." in text
    assert "Åtgärdsplan vid brytdatum" in text
    assert_no_jamtland_words(text)


def test_the_jamtland_report_reads_as_before(plan, plan_admin):
    text = text_of(render_report_html(services.followup_content(open_followup(plan, plan_admin))))
    assert "Följs upp årligen i länsgemensam samverkan, för SVOM, Fredagsgruppen och länets nio huvudmän." in text
    assert "Handlingsplan (Bilaga 1) vid brytdatum" in text


def test_a_report_without_the_words_leaves_their_sentences_out(plan, plan_admin):
    """A follow-up locked before the plan had its words: generic headings, no follow-up sentence."""
    content = services.followup_content(open_followup(plan, plan_admin))
    del content["plan_wording"]
    text = text_of(render_report_html(content))
    assert "Följs upp årligen" not in text
    assert "Handlingsplanens status per 2025-12-31, version 2023." in text
    assert "Handlingsplan vid brytdatum" in text


def test_loading_again_fills_only_the_words_the_plan_lacks(plan):
    jamtland = plan.plan
    Plan.objects.filter(pk=jamtland.pk).update(followed_up_by="", action_plan_name="Bilaga 1, handlingsplan")
    load_plan_file(PLAN_FIXTURE)
    jamtland.refresh_from_db()
    assert jamtland.followed_up_by == "länsgemensam samverkan"
    assert jamtland.action_plan_name == "Bilaga 1, handlingsplan"  # an administrator's word is kept
    assert Plan.objects.filter(slug=jamtland.slug).count() == 1
