from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url


class LoginView(auth_views.LoginView):
    """Django's login, except that arriving at the site's front page leads to one's own landing page
    (a project leader's activities) rather than back to the front page."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url == resolve_url("overview") else url
