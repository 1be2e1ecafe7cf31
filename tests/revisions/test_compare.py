import datetime
import io
import re

import pytest
from django.core.cache import caches
from django.utils import translation
from pypdf import PdfReader

from activities.models import Activity, SubActivity
from plandata.demo import generate_demo_data
from revisions.compare import compare_revisions, word_diff
from revisions.services import activate_revision, start_revision
from strategies.models import EffectMeasure, Strategy
from tests.factories import UserFactory, organisation
from tests.pages import page_text
from tests.pdfs import assert_accessible_pdf

pytestmark = pytest.mark.django_db

URL = "/revisioner/jamfor/"
PDF_URL = "/revisioner/jamfor.pdf"

ADDED_ACTIVITY = "Ny aktivitet om egenvård"
REMOVED_SUB = "Från förskoleålder till skolålder"  # 2.2
RENAMED_SUB = "Vid psykisk ohälsa övergång till vuxenblivande"  # 2.2
NEW_SUB_NAME = "Vid psykisk ohälsa: övergång till vuxenlivet"
MOVED_SUB = "Utveckla samverkan mellan primärvård och specialistvård"  # 3.2, moved to 3.1
MOVED_ACTIVITY = "Ta fram vägledande principer för andra vårdformer"  # 3.4, moved to strategy 5
REPRIORITISED = "Utveckla arbetssätt för tidig upptäckt och tidiga samordnade insatser"  # 4.1, 2024–2025
NEW_TARGET = "Ska öka med minst 10 procent från föregående år"


def pdf_text(pdf):
    """The PDF's text, white space collapsed and none after a hyphen (a line may break after "IT-")."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def visible_text(response):
    """The page's text as seen on the screen, without what is there for screen readers only."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", response.content.decode())
    return page_text(type(response)(html))


def in_revision(model, revision, **lookups):
    path = {
        Strategy: "revision",
        Activity: "strategy__revision",
        EffectMeasure: "strategy__revision",
        SubActivity: "activity__strategy__revision",
    }[model]
    return model.objects.get(**{path: revision}, **lookups)


def edit(draft):
    """The seven edits the comparison must find, and nothing else."""
    strategies = {s.number: s for s in Strategy.objects.filter(revision=draft)}
    Activity.objects.create(
        strategy=strategies[1], number=99, name=ADDED_ACTIVITY, priority_start_year=2027, priority_end_year=2028
    )
    in_2_2 = {"activity__strategy__number": 2, "activity__number": 2}
    in_revision(SubActivity, draft, name=REMOVED_SUB, **in_2_2).delete()
    renamed = in_revision(SubActivity, draft, name=RENAMED_SUB, **in_2_2)
    renamed.name = NEW_SUB_NAME
    renamed.save()
    moved_sub = in_revision(SubActivity, draft, name=MOVED_SUB, activity__strategy__number=3, activity__number=2)
    moved_sub.activity = in_revision(Activity, draft, strategy__number=3, number=1)
    moved_sub.number = 3
    moved_sub.save()
    moved = in_revision(Activity, draft, name=MOVED_ACTIVITY)
    moved.strategy, moved.number = strategies[5], 99
    moved.save()
    reprioritised = in_revision(Activity, draft, name=REPRIORITISED)
    reprioritised.priority_start_year, reprioritised.priority_end_year = 2025, 2027
    reprioritised.save()
    measure = in_revision(EffectMeasure, draft, strategy__number=1, number=1)
    measure.target = NEW_TARGET
    measure.save()


@pytest.fixture
def edited(draft):
    edit(draft)
    return draft


def differences(comparison):
    """Every difference as (strategy number, kind, model, name, moved from, moved to, ((field, old, new), …))."""
    return {
        (
            (group.new or group.old).number if (group.new or group.old) else None,
            d.kind,
            type(d.new or d.old).__name__,
            d.name,
            d.moved_from,
            d.moved_to,
            tuple((c.field, c.old, c.new) for c in d.changes),
        )
        for group in comparison.groups
        for d in group.differences
    }


def expected(plan):
    activity_3_1 = in_revision(Activity, plan, strategy__number=3, number=1).name
    activity_3_2 = in_revision(Activity, plan, strategy__number=3, number=2).name
    measure = in_revision(EffectMeasure, plan, strategy__number=1, number=1)
    return {
        (1, "added", "Activity", ADDED_ACTIVITY, "", "", ()),
        (2, "removed", "SubActivity", REMOVED_SUB, "", "", ()),
        (2, "changed", "SubActivity", NEW_SUB_NAME, "", "", (("sub-activity", RENAMED_SUB, NEW_SUB_NAME),)),
        (
            3,
            "moved",
            "SubActivity",
            MOVED_SUB,
            f"Strategy 3, activity 2: {activity_3_2}",
            f"Strategy 3, activity 1: {activity_3_1}",
            (),
        ),
        (
            5,
            "moved",
            "Activity",
            MOVED_ACTIVITY,
            "Strategy 3: Ökad tillgänglighet",
            "Strategy 5: Ökad samordning och samverkan",
            (),
        ),
        (4, "changed", "Activity", REPRIORITISED, "", "", (("priority period", "2024–2025", "2025–2027"),)),
        (1, "changed", "EffectMeasure", measure.name, "", "", (("target value", measure.target, NEW_TARGET),)),
    }


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_it_lists_exactly_the_edits_made_in_the_draft(plan, edited, english):
    comparison = compare_revisions(plan, edited)

    assert differences(comparison) == expected(plan)
    counts = {group.new.number: group.counts for group in comparison.groups if group.new}
    assert counts[2] == {"added": 0, "removed": 1, "changed": 1, "moved": 0}
    assert counts[5] == {"added": 0, "removed": 0, "changed": 0, "moved": 1}
    assert comparison.totals == {"added": 1, "removed": 1, "changed": 3, "moved": 2}
    assert comparison.groups[0].differences == []  # the plan as a whole: vision and principles unchanged


def test_it_finds_no_differences_in_an_untouched_copy(plan, draft):
    comparison = compare_revisions(plan, draft)

    assert not comparison.has_differences
    assert [group.new.number for group in comparison.groups[1:]] == [1, 2, 3, 4, 5]
    assert not compare_revisions(plan, plan).has_differences


def test_it_compares_backwards_too(plan, edited, english):
    kinds = {(kind, name) for _s, kind, _m, name, *_rest in differences(compare_revisions(edited, plan))}

    assert ("removed", ADDED_ACTIVITY) in kinds and ("added", REMOVED_SUB) in kinds
    assert len(kinds) == 7


def test_it_matches_items_across_revisions_that_are_not_adjacent(plan, edited, plan_admin, english):
    activate_revision(edited, user=plan_admin)
    later = start_revision(edited, label="2030", in_force_from=datetime.date(2029, 12, 1), user=plan_admin)

    assert differences(compare_revisions(plan, later)) == expected(plan)


def test_it_lists_changed_responsible_organisations_forums_and_leaders(plan, draft, english):
    activity = in_revision(Activity, draft, strategy__number=1, number=1)
    activity.responsible_organisations.set([organisation("region-jh"), organisation("ostersund")])
    activity.leader = UserFactory(first_name="Lena", last_name="Ledare")
    activity.save()
    measure = in_revision(EffectMeasure, draft, strategy__number=1, number=1)
    forums = sorted(str(forum) for forum in measure.forums.all())
    measure.forums.set(measure.forums.all()[:1])
    names = {str(o) for o in [organisation("region-jh"), organisation("ostersund")]}

    changes = {
        (type(d.new).__name__, c.field, c.old, c.new)
        for group in compare_revisions(plan, draft).groups
        for d in group.differences
        for c in d.changes
    }
    assert changes == {
        ("Activity", "responsible organisations", "", ", ".join(sorted(names))),
        ("Activity", "responsible leader", "", "Lena Ledare"),
        ("EffectMeasure", "follow-up forums", ", ".join(forums), str(measure.forums.get())),
    }


def test_it_leaves_follow_up_fields_out(plan, draft):
    sub = SubActivity.objects.filter(activity__strategy__revision=draft).first()
    sub.status, sub.status_text, sub.answer = "klar", "Klart", "ja"
    sub.save()

    assert not compare_revisions(plan, draft).has_differences


def test_it_diffs_texts_word_by_word():
    assert word_diff("Ska öka från föregående år", "Ska minska från år") == [
        ("equal", "Ska "),
        ("delete", "öka "),
        ("insert", "minska "),
        ("equal", "från "),
        ("delete", "föregående "),
        ("equal", "år"),
    ]
    assert word_diff("", "Ny text") == [("insert", "Ny text")]


# The page and the PDF


def test_the_page_shows_the_differences_to_a_plan_administrator(client, plan, edited, plan_admin):
    client.force_login(plan_admin)
    response = client.get(URL)  # defaults: the draft against the revision in force

    assert response.status_code == 200
    text = page_text(response)
    for name in [ADDED_ACTIVITY, REMOVED_SUB, NEW_SUB_NAME, MOVED_SUB, MOVED_ACTIVITY, REPRIORITISED]:
        assert name in text
    assert "2024–2025 → 2025–2027" in visible_text(response)
    measure = in_revision(EffectMeasure, plan, strategy__number=1, number=1)
    assert measure.name in text
    # The target's word diff reads as the old text without the insertions, as the new without the deletions.
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", response.content.decode())
    assert measure.target in re.sub(r"<[^>]+>", "", re.sub(r"<ins>.*?</ins>", "", html))
    assert NEW_TARGET in re.sub(r"<[^>]+>", "", re.sub(r"<del>.*?</del>", "", html))
    with translation.override("sv"):
        for label in ["Added", "Removed", "Changed", "Moved"]:
            assert translation.gettext(label) in text
        assert translation.gettext("No differences") in text  # the plan as a whole
    assert f'<option value="{edited.pk}" selected>' in response.content.decode()
    assert f'<option value="{plan.pk}" selected>' in response.content.decode()


def test_it_says_no_differences_for_an_untouched_copy(client, plan, draft, plan_admin):
    client.force_login(plan_admin)
    response = client.get(URL, {"fran": plan.pk, "till": draft.pk})

    with translation.override("sv"):
        assert translation.gettext("No differences: the two revisions have the same content.") in page_text(response)


def test_any_user_may_compare_revisions_that_are_not_drafts(client, plan, edited, plan_admin, reviewer):
    activate_revision(edited, user=plan_admin)
    client.force_login(reviewer)

    response = client.get(URL)  # defaults: the revision in force against the one before

    assert response.status_code == 200
    assert ADDED_ACTIVITY in page_text(response) and "2024–2025 → 2025–2027" in visible_text(response)


@pytest.mark.parametrize("role", ["Granskare", "Projektledare"])
def test_only_plan_administrators_may_compare_a_draft(client, plan, draft, role):
    client.force_login(UserFactory(role=role))

    assert client.get(URL, {"fran": plan.pk, "till": draft.pk}).status_code == 403
    assert client.get(URL, {"fran": draft.pk, "till": plan.pk}).status_code == 403
    response = client.get(URL)  # the draft is neither the default nor a choice
    assert response.status_code == 200 and f'value="{draft.pk}"' not in response.content.decode()


def test_with_a_single_revision_it_says_there_is_nothing_to_compare(reviewer_client, plan):
    response = reviewer_client.get(URL)

    assert response.status_code == 200
    with translation.override("sv"):
        message = translation.gettext(
            "There is only one revision of the plan, so there is nothing to compare it with yet."
        )
    assert message in page_text(response)


@pytest.mark.parametrize("params", [{"fran": "abc"}, {"till": "999999"}, {"fran": "-1"}, {"till": "1.5"}])
def test_bad_parameters_give_404(reviewer_client, plan, params):
    assert reviewer_client.get(URL, params).status_code == 404


def test_it_requires_logging_in(client, plan):
    assert client.get(URL).status_code == 302
    assert client.get(PDF_URL).status_code == 302


def test_the_pdf_is_for_plan_administrators_only(client, plan, edited, plan_admin, reviewer):
    activate_revision(edited, user=plan_admin)
    client.force_login(reviewer)

    assert client.get(PDF_URL).status_code == 403


def test_the_pdf_lists_the_differences(client, plan, edited, plan_admin):
    client.force_login(plan_admin)
    response = client.get(PDF_URL, {"fran": plan.pk, "till": edited.pk})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for name in [ADDED_ACTIVITY, REMOVED_SUB, MOVED_SUB, MOVED_ACTIVITY, REPRIORITISED]:
        assert name in text
    assert "2024–2025 → 2025–2027" in text
    with translation.override("sv"):
        title = translation.gettext("Comparison of plan revisions %(old)s and %(new)s") % {"old": "2023", "new": "2027"}
        assert title in text
        assert f"{translation.gettext('Page')} 2 {translation.gettext('of')}" in text
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    assert_accessible_pdf(response.content)


def test_its_queries_do_not_grow_with_the_plan(client, plan, plan_admin, django_assert_num_queries):
    # session, user, the user's roles, the revisions; per kind of item (guiding principles, strategies,
    # quotes, effect measures, local activities, activities, sub-activities) one query for both revisions,
    # plus the prefetched forums of the effect measures and organisations of the activities
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    edit(draft)
    client.force_login(plan_admin)
    client.get(URL)
    caches["pages"].clear()  # measured as rendered, not as served from the page cache
    # each count holds the data version the page cache reads (plan/caching.py)
    with django_assert_num_queries(14):
        client.get(URL)

    draft.delete()
    generate_demo_data(10)
    draft = start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
    edit(draft)
    with django_assert_num_queries(14):
        response = client.get(URL)
    assert Activity.objects.filter(strategy__revision=draft).count() == 161
    assert MOVED_ACTIVITY in page_text(response)


def test_it_compares_the_vision_and_the_guiding_principles(plan, draft, english):
    draft.vision = "Tillsammans för god hälsa"
    draft.save()
    principle = draft.guiding_principles.first()
    principle.delete()

    [changed, removed] = compare_revisions(plan, draft).groups[0].differences
    assert changed.kind == "changed"
    assert (changed.changes[0].field, changed.changes[0].new) == ("vision (målbild)", draft.vision)
    assert (removed.kind, removed.name) == ("removed", principle.text)
    assert all(not group.differences for group in compare_revisions(plan, draft).groups[1:])
