import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plan.forms import NotificationSettingsForm, PasswordResetForm, SetPasswordForm
from plan.models import Organisation
from plan.password_reset import password_reset_refusal

logger = logging.getLogger("plan.password_reset")


class LoginView(auth_views.LoginView):
    """Django's login, except that arriving at the site's front page leads to one's own landing page
    (a project leader's activities) rather than back to the front page. It offers the identity providers
    (settings.OIDC_PROVIDERS), and the local password unless LOCAL_LOGIN is off."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url == resolve_url("overview") else url

    def get_context_data(self, **kwargs):
        providers = [{"id": p["id"], "name": p["name"]} for p in settings.OIDC_PROVIDERS]
        return super().get_context_data(
            **kwargs, providers=providers, local_login=settings.LOCAL_LOGIN, public_pages=settings.PUBLIC_PAGES
        )

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)


@login_not_required
def admin_login(request):
    """The admin logs in through the application's own login page: the same throttling, the identity providers,
    and no local password where LOCAL_LOGIN is off."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    return redirect_to_login(next_url)


class LocalPasswordsOnly:
    """A view for local passwords, which do not exist when LOCAL_LOGIN is off."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(LocalPasswordsOnly, auth_views.PasswordResetView):
    """Django's reset link by e-mail (none for an unknown, inactive or passwordless account), limited per address
    and per client (plan/password_reset.py). A refused request leads to the same page as any other, so the page
    tells nobody whether an address has an account or was refused."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"

    @property
    def extra_email_context(self):
        return {"valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form):
        # The client's address as django-axes reads it for login throttling (behind the proxy, its X-Forwarded-For).
        ip_address = get_client_ip_address(self.request)
        refusal = password_reset_refusal(email=form.cleaned_data["email"], ip_address=ip_address)
        if refusal:
            logger.warning("Password reset e-mail refused to client %s: %s", ip_address, refusal)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(LocalPasswordsOnly, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The logged-in user's own e-mail address, language and e-mail choices."""
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if form.is_valid():
        user = form.save(commit=False)
        user.save(update_fields=list(form.fields))  # leaves the rest of the account as it is now in the database
        messages.success(request, _("Your settings are saved."))
        return redirect("notification_settings")
    return render(request, "plan/notification_settings.html", {"form": form})


@login_not_required
def accessibility_statement(request):
    """The accessibility statement, reachable from every page, logged in or not; its facts are settings (the
    organisation by default the plan's region)."""
    region = Organisation.objects.filter(kind=Organisation.Kind.REGION).first()
    return render(
        request,
        "plan/accessibility_statement.html",
        {
            "organisation": settings.ACCESSIBILITY_ORGANISATION or (region.name if region else ""),
            "contact": settings.ACCESSIBILITY_CONTACT,
            "compliance": settings.ACCESSIBILITY_COMPLIANCE,
            "assessed_on": parse_date(settings.ACCESSIBILITY_ASSESSED_ON),
            "updated_on": parse_date(settings.ACCESSIBILITY_UPDATED_ON),
        },
    )
