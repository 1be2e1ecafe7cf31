from django.urls import path

from sso import views

urlpatterns = [
    path("accounts/oidc/<slug:provider_id>/login/", views.oidc_login, name="oidc_login"),
    path("accounts/oidc/<slug:provider_id>/callback/", views.oidc_callback, name="oidc_callback"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("behorighet-saknas/", views.access_pending, name="access_pending"),
]
