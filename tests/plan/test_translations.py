import shutil
import subprocess

import pytest
from django.conf import settings

from tests.pages import page_text

PO = settings.BASE_DIR / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_the_compiled_swedish_catalogue_matches_its_source(tmp_path):
    assert shutil.which("msgfmt"), "msgfmt (Debian package gettext) is needed; make test installs it"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages` and commit the .mo"


def test_every_string_is_translated():
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.django_db
def test_the_ui_is_swedish_by_default_and_english_on_request(reviewer_client):
    assert "Vägledande principer" in page_text(reviewer_client.get("/"))
    reviewer_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = page_text(reviewer_client.get("/"))
    assert "Guiding principles" in text
    assert "Tillsammans för god hälsa hela livet" in text  # plan content stays Swedish


@pytest.mark.django_db
def test_a_browser_set_up_in_english_still_gets_swedish(reviewer_client):
    response = reviewer_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert "Vägledande principer" in page_text(response)
