from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from plan.admin import PlanAdminAccess, PlanUserAdmin
from plan.models import User
from sso.models import Identity


class IdentityInline(PlanAdminAccess, admin.TabularInline):
    """Each user's identity provider and subject, read-only: they come from the provider at login."""

    model = Identity
    extra = 0
    fields = ["provider", "subject", "created_at", "last_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False


admin.site.unregister(User)


@admin.register(User)
class UserWithIdentitiesAdmin(PlanUserAdmin):
    inlines = [*PlanUserAdmin.inlines, IdentityInline]
    list_display = [*PlanUserAdmin.list_display, "login_through"]

    @admin.display(description=_("Single sign-on"))
    def login_through(self, user):
        return ", ".join(sorted({identity.provider for identity in user.identities.all()})) or "–"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("identities")
