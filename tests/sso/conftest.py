import pytest

from tests.sso.oidc_provider import Provider


@pytest.fixture
def provider(settings):
    """A real OpenID Connect provider on loopback, configured as the application's identity provider
    "region" (its users' organisation in the claim `hsa_org`)."""
    with Provider() as running:
        settings.OIDC_PROVIDERS = [running.settings()]
        settings.OIDC_TIMEOUT = 2
        yield running
