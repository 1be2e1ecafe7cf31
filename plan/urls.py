from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from plan.views import LoginView

urlpatterns = [
    path("", include("activities.urls")),
    path("", include("revisions.urls")),
    path("", include("strategies.urls")),
    path("", include("followup.urls")),
    # Login, logout and changing one's own password; accounts and password resets are handled by plan
    # administrators in the admin (no e-mail is sent from this application).
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Choosing the language is allowed before logging in, so the login page can offer it.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
