import pytest

from tests.meetings.smtp_server import SMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and the application's settings pointing at it."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 2
        settings.SITE_URL = "https://plan.example.se"
        yield server
