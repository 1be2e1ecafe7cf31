"""Logging in through an identity provider, logging out of both, and the page for those awaiting a role."""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError

from plan.models import User
from plan.roles import Role
from sso.identity import Refused, user_for_claims
from sso.providers import client_for, get_provider

logger = logging.getLogger("sso")

SESSION_PROVIDER, SESSION_ID_TOKEN, SESSION_NEXT = "sso_provider", "sso_id_token", "sso_next"


def _refuse(request, provider, message, detail, status=403):
    logger.warning("Login through %s refused: %s", provider["id"], detail)
    return render(request, "sso/refused.html", {"provider": provider, "message": message}, status=status)


@login_not_required
def oidc_login(request, provider_id):
    provider = get_provider(provider_id)
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        request.session[SESSION_NEXT] = next_url
    callback = request.build_absolute_uri(reverse("oidc_callback", args=[provider_id]))
    try:
        return client_for(provider).authorize_redirect(request, callback)
    except requests.RequestException as error:
        return _unreachable(request, provider, error)


def _unreachable(request, provider, error):
    return _refuse(
        request,
        provider,
        _("%(provider)s does not answer just now. Try again in a while.") % {"provider": provider["name"]},
        f"the provider cannot be reached: {error}",
        status=502,
    )


@login_not_required
def oidc_callback(request, provider_id):
    provider = get_provider(provider_id)
    not_confirmed = _("The login could not be confirmed, so you are not logged in. Start again from the login page.")
    client = client_for(provider)
    try:
        # The ID token must name this application among its audience and come from the provider's issuer;
        # Authlib checks the signature, the nonce, the state and the expiry besides.
        issuer = client.load_server_metadata()["issuer"]
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "values": [issuer]},
                "aud": {"essential": True, "values": [provider["client_id"]]},
            },
        )
    except requests.RequestException as error:
        return _unreachable(request, provider, error)
    except (OAuthError, JoseError, ValueError, KeyError) as error:
        return _refuse(request, provider, not_confirmed, f"{type(error).__name__}: {error}", status=400)
    claims = token.get("userinfo")
    if not claims:
        return _refuse(request, provider, not_confirmed, "the token response has no ID token", status=400)
    try:
        user = user_for_claims(provider, claims)
    except Refused as refused:
        return _refuse(request, provider, refused.message, refused.detail)
    next_url = request.session.pop(SESSION_NEXT, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_PROVIDER] = provider["id"]
    request.session[SESSION_ID_TOKEN] = token.get("id_token", "")
    logger.info("%s logged in through %s", user.username, provider["id"])
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@require_POST
@login_not_required
def logout_view(request):
    """Ends the application's session and, for a login through a provider that supports it, the provider's
    (RP-initiated logout), which then sends the browser back to the login page."""
    provider_id, id_token = request.session.get(SESSION_PROVIDER), request.session.get(SESSION_ID_TOKEN)
    logout(request)
    back = request.build_absolute_uri(reverse("login"))
    provider = next((p for p in settings.OIDC_PROVIDERS if p["id"] == provider_id), None)
    if provider and provider["logout"]:
        try:
            end = client_for(provider).create_logout_url(post_logout_redirect_uri=back, id_token_hint=id_token)
            # The state Authlib adds comes back to the login page, which keeps nothing to check it against.
            return redirect(end["url"])
        except (RuntimeError, requests.RequestException) as error:  # no end_session_endpoint, or unreachable
            logger.warning("Logout at %s skipped: %s", provider_id, error)
    return redirect("login")


def access_pending(request):
    """For a user without a role: access is waiting, and the plan administrators give it."""
    if request.user.role_names or request.user.is_superuser:
        return redirect(settings.LOGIN_REDIRECT_URL)
    admins = User.objects.filter(groups__name=Role.PLAN_ADMIN, is_active=True).order_by("first_name", "last_name")
    return render(request, "sso/access_pending.html", {"admins": admins[:10], "access_pending": True})
