"""The comparison's PDF goes through the shared PDF rendering (plan/pdf.py): cached by content, bounded."""

import pytest

from activities.models import SubActivity
from plan.history import save_with_history
from tests.pdfs import all_render_slots_taken, assert_busy, renders, start_counting

pytestmark = pytest.mark.django_db

PDF_URL = "/revisioner/jamfor.pdf"


@pytest.fixture(autouse=True)
def counting(caplog):
    start_counting(caplog)


def test_the_same_comparison_is_rendered_once_and_a_changed_one_again(client, draft, plan_admin, caplog):
    client.force_login(plan_admin)
    first, second = client.get(PDF_URL), client.get(PDF_URL)
    assert first.status_code == second.status_code == 200 and second.content == first.content
    assert renders(caplog) == 1

    renamed = SubActivity.objects.filter(activity__strategy__revision=draft).first()
    renamed.name = "Ett nytt namn i utkastet"
    save_with_history(renamed, user=plan_admin, reason="Nytt namn")
    assert client.get(PDF_URL).content != first.content
    assert renders(caplog) == 2


def test_a_comparison_beyond_the_render_limit_gets_503(client, draft, plan_admin, settings, caplog):
    settings.PDF_RENDER_WAIT = 0
    client.force_login(plan_admin)
    with all_render_slots_taken():
        assert_busy(client.get(PDF_URL))
    assert renders(caplog) == 0
