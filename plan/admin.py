from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plan.models import Forum, GuidingPrinciple, Organisation, Plan, PlanRevision, User

admin.site.site_header = _("Planuppföljning – administration")
admin.site.site_title = _("Planuppföljning")


class PlanAdminAccess:
    """Admin access for plan administrators (the role), not per-model Django permissions."""

    def _allowed(self, request):
        return request.user.is_active and request.user.is_staff and request.user.is_plan_admin

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class ContentAdmin(PlanAdminAccess, SimpleHistoryAdmin):
    """Plan content: editable by plan administrators, every change kept with its history. Content of a
    superseded revision is read-only: it stays as it was."""

    revision_path = None  # the attributes from an object to its PlanRevision, e.g. "strategy.revision"
    # Foreign keys to plan content, with the lookup from the related object to its revision's state: only
    # content of revisions not superseded is offered, so nothing is added to or moved into a superseded one.
    parent_revision_states = {}

    def _is_superseded(self, obj):
        if obj is None or self.revision_path is None:
            return False
        revision = obj
        for name in filter(None, self.revision_path.split(".")):
            revision = getattr(revision, name)
        return revision.state == PlanRevision.State.SUPERSEDED

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_superseded(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_superseded(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        lookup = self.parent_revision_states.get(db_field.name)
        if lookup is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.exclude(
                **{lookup: PlanRevision.State.SUPERSEDED}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history hides its revert button without change permission, but accepts the POST.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ContentInline(PlanAdminAccess, admin.TabularInline):
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ContentAdmin):
    list_display = ["name", "kind", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Forum)
class ForumAdmin(ContentAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members", "secretaries"]


@admin.register(Plan)
class PlanModelAdmin(ContentAdmin):
    list_display = ["name", "region"]


class GuidingPrincipleInline(ContentInline):
    model = GuidingPrinciple


@admin.register(PlanRevision)
class PlanRevisionAdmin(ContentAdmin):
    revision_path = ""
    readonly_fields = ["state"]  # changed only by starting and activating revisions (the revision pages)
    list_display = ["__str__", "state", "in_force_from", "next_revision_due"]
    list_filter = ["state"]
    inlines = [GuidingPrincipleInline]


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of a user's password, without the disabled attribute that its disabled field puts on its
    <div>: HTML allows it on form controls only. The field stays disabled, so the form never saves it."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class PlanUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if password := self.fields.get("password"):
            password.widget = PasswordSummaryWidget()


@admin.register(User)
class PlanUserAdmin(PlanAdminAccess, UserAdmin):
    form = PlanUserChangeForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "groups", "is_active"]
    fieldsets = UserAdmin.fieldsets + ((_("Organisation"), {"fields": ["organisation"]}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Organisation"), {"fields": ["organisation", "groups"]}),)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(PlanAdminAccess, GroupAdmin):
    pass


class LoginRecordAdmin(PlanAdminAccess):
    """django-axes' records of logins: plan administrators read them and delete a lockout to lift it."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class PlanAccessAttemptAdmin(LoginRecordAdmin, AccessAttemptAdmin):
    pass


@admin.register(AccessLog)
class PlanAccessLogAdmin(LoginRecordAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class PlanAccessFailureLogAdmin(LoginRecordAdmin, AccessFailureLogAdmin):
    pass
