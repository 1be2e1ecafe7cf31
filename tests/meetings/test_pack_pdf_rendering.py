"""The meeting pack's PDF goes through the shared PDF rendering (plan/pdf.py): cached by content, bounded."""

import pytest

from activities.models import SubActivity
from activities.services import subactivity_update_status
from tests.meetings.factories import meeting_in
from tests.pdfs import all_render_slots_taken, assert_busy, renders, start_counting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counting(caplog):
    start_counting(caplog)


def test_the_same_pack_is_rendered_once_and_a_changed_one_again(reviewer_client, plan, leader, caplog):
    meeting = meeting_in(7)
    url = f"/moten/{meeting.pk}/underlag.pdf"
    first, second = reviewer_client.get(url), reviewer_client.get(url)
    assert first.status_code == second.status_code == 200 and second.content == first.content
    assert renders(caplog) == 1

    sub = SubActivity.objects.filter(activity__strategy__revision=plan).first()
    subactivity_update_status(
        subactivity=sub,
        user=leader,
        status=SubActivity.Status.IN_PROGRESS,
        text="Ny lägesbeskrivning inför mötet",
        answer=sub.answer,
        comment="Inför mötet",
        expected_version=sub.version,
    )
    assert reviewer_client.get(url).content != first.content
    assert renders(caplog) == 2


def test_a_pack_beyond_the_render_limit_gets_503(reviewer_client, plan, settings, caplog):
    settings.PDF_RENDER_WAIT = 0
    with all_render_slots_taken():
        assert_busy(reviewer_client.get(f"/moten/{meeting_in(7).pk}/underlag.pdf"))
    assert renders(caplog) == 0
