from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("activities.urls")),
    path("", include("strategies.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Choosing the language is allowed before logging in, so the login page can offer it.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
