import pytest

from tests.sso.oidc_provider import Provider


@pytest.fixture
def provider(settings, monkeypatch):
    """A real OpenID Connect provider on loopback, configured as the application's identity provider
    "region" (its users' organisation in the claim `hsa_org`)."""
    # The provider speaks plain HTTP on loopback; Authlib otherwise insists on HTTPS.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with Provider() as running:
        settings.OIDC_PROVIDERS = [running.settings()]
        settings.OIDC_TIMEOUT = 2
        yield running
