from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanDataConfig(AppConfig):
    name = "plandata"
    verbose_name = _("Plan data")
