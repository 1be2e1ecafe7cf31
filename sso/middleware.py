from django.shortcuts import redirect
from django.urls import reverse

# What a user without a role may still reach: the waiting page, logging out, their own settings, the language.
ALLOWED_NAMES = {"access_pending", "logout", "notification_settings", "set_language"}


class AccessPendingMiddleware:
    """A user who logged in through an identity provider and has no role yet sees the page that says access is
    waiting, and nothing of the plan. (A local account gets its role when an administrator creates it.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_superuser or "sso_provider" not in request.session:
            return None
        if request.resolver_match.url_name in ALLOWED_NAMES or user.role_names:
            return None
        return redirect(reverse("access_pending"))
