from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from plan.health import healthz
from plan.views import (
    LoginView,
    PasswordResetConfirmView,
    PasswordResetView,
    accessibility_statement,
    admin_login,
    notification_settings,
)

urlpatterns = [
    path("", include("activities.urls")),
    path("", include("revisions.urls")),
    path("", include("strategies.urls")),
    path("", include("followup.urls")),
    path("", include("meetings.urls")),
    # Single sign-on through the organisations' identity providers, and logging out (of them too).
    path("", include("sso.urls")),
    # The public pages, when PUBLIC_PAGES is on (404 otherwise).
    path("offentlig/", include("publicsite.urls")),
    # Login and changing one's own password; accounts are handled by plan administrators in the admin.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # A forgotten password is reset through a single-use link sent by e-mail (valid PASSWORD_RESET_TIMEOUT),
    # before logging in; requests are limited per address and per client (plan/password_reset.py).
    path("accounts/password_reset/", login_not_required(PasswordResetView.as_view()), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        login_not_required(PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    # The user's own e-mail address and choices for the application's e-mail; every e-mail links to it.
    path("installningar/", notification_settings, name="notification_settings"),
    # Choosing the language is allowed before logging in, so the login page can offer it.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("tillganglighet/", accessibility_statement, name="accessibility_statement"),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    # For load balancers: 200 when the application and its database answer, 503 otherwise (no login).
    path("healthz", healthz, name="healthz"),
]
# Where an uncaught error ends (DEBUG off): a database that is down or restarting gets its own 503 page.
handler500 = "plan.health.server_error"
