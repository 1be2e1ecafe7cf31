"""The identity providers configured in settings.OIDC_PROVIDERS, and an OpenID Connect client for each
(Authlib: discovery, authorization code flow with PKCE, state, nonce, and the ID token's signature, issuer,
audience and expiry verified)."""

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import Http404


def get_provider(provider_id):
    for provider in settings.OIDC_PROVIDERS:
        if provider["id"] == provider_id:
            return provider
    raise Http404


def client_for(provider):
    """A client for `provider`, made for this request: its discovery document is fetched when first needed."""
    registry = OAuth()
    return registry.register(
        name=provider["id"],
        client_id=provider["client_id"],
        client_secret=provider["client_secret"],
        server_metadata_url=provider["discovery_url"],
        client_kwargs={
            "scope": provider["scopes"],
            "code_challenge_method": "S256",
            "default_timeout": settings.OIDC_TIMEOUT,
        },
    )
