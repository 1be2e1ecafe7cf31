from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Identity(models.Model):
    """A user's account at an identity provider: the provider's stable subject (`sub`) for the user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="identities"
    )
    provider = models.CharField(_("identity provider"), max_length=50)
    subject = models.CharField(_("subject"), max_length=255, help_text=_("The provider's stable id of the user."))
    created_at = models.DateTimeField(_("first login"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity at a provider")
        verbose_name_plural = _("identities at providers")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_user_per_provider_subject"),
        ]

    def __str__(self):
        return f"{self.provider}: {self.subject}"
