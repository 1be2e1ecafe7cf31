"""The roles of the application. Each is a Django group, created by a migration (plan/migrations)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The values are the group names users see in the admin; they are data, kept in Swedish.
    PLAN_ADMIN = "Planadministratör", _("Plan administrator")
    PROJECT_LEADER = "Projektledare", _("Project leader")
    REVIEWER = "Granskare", _("Reviewer")
    LOCAL_ARENA = "Lokal samverkansarena", _("Local collaboration arena member")
