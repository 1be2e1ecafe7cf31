"""The accessibility statement (lagen om tillgänglighet till digital offentlig service): public, with its facts
from the settings."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_is_public_and_says_who_how_compliant_and_where_to_complain(client, plan):
    page = " ".join(client.get("/tillganglighet/").content.decode().split())
    assert "Region Jämtland Härjedalen ansvarar för Planuppföljning" in page
    assert "delvis förenlig" in page
    assert 'href="https://www.digg.se/tdosanmalan"' in page
    assert "2026-11-30" in page


def test_its_facts_are_settings(client, plan, settings):
    settings.ACCESSIBILITY_ORGANISATION = "Exempelregionen"
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@exempel.se"
    settings.ACCESSIBILITY_COMPLIANCE = "fully"
    settings.ACCESSIBILITY_UPDATED_ON = "2027-01-15"
    page = " ".join(client.get("/tillganglighet/").content.decode().split())
    assert "Exempelregionen ansvarar för Planuppföljning" in page
    assert "tillganglighet@exempel.se" in page
    assert "helt förenlig" in page and "2027-01-15" in page


def test_every_page_links_to_it(client, reviewer_client):
    assert 'href="/tillganglighet/"' in client.get("/accounts/login/").content.decode()
    assert 'href="/tillganglighet/"' in reviewer_client.get("/").content.decode()
