from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from activities.models import SubActivity
from plan.forms import AccessibleFormMixin, TextField
from plan.models import Organisation, PlanRevision, User
from strategies.models import Strategy

VERSION_ERRORS = {
    key: _("The page was out of date or altered. Open the sub-activity again from its page.")
    for key in ("required", "invalid", "min_value")
}
STATUS_TEXT_MAX = 2000
COMMENT_MAX = 1000
EVIDENCE_URL_MAX = SubActivity._meta.get_field("evidence_url").max_length
EVIDENCE_URL_INVALID = _("Enter a complete web address, for example https://www.example.se/rutin.pdf.")


class VersionField(forms.IntegerField):
    """The version of the sub-activity the form was opened at (SubActivity.version)."""

    def __init__(self):
        super().__init__(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class WebAddressField(forms.URLField):
    """A link shown to every reader as it is: only http and https (the model's URLField also takes ftp)."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": EVIDENCE_URL_INVALID}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class SubActivityStatusForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SubActivity.Status.choices)
    status_text = TextField(
        label=_("Status text"),
        required=False,
        max_length=STATUS_TEXT_MAX,
        rows=3,
        help_text=_("In your own words, for example “Ingår i rev. Samverkansavtal”. At most 2000 characters."),
    )
    answer = forms.ChoiceField(
        label=_("Answer to the measure"), choices=SubActivity.Answer.choices, widget=forms.RadioSelect
    )
    evidence_url = WebAddressField(
        label=_("Evidence"),
        required=False,
        max_length=EVIDENCE_URL_MAX,
        help_text=_("A link to the routine, agreement or minutes that shows the answer. Leave empty if there is none."),
    )
    comment = TextField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        rows=2,
        help_text=_("Why the status changes, or what you have checked. Saved in the history. At most 1000 characters."),
        error_messages={"required": _("Write a short comment: it is saved as the reason of the change.")},
    )
    version = VersionField()

    @classmethod
    def for_subactivity(cls, subactivity):
        return cls(
            initial={
                "status": subactivity.status,
                "status_text": subactivity.status_text,
                "answer": subactivity.answer,
                "evidence_url": subactivity.evidence_url,
                "version": subactivity.version,
            }
        )


class RestoreForm(AccessibleFormMixin, forms.Form):
    comment = TextField(label=_("Comment"), required=False, max_length=COMMENT_MAX, rows=2)
    version = VersionField()


class RecentChangesFilterForm(AccessibleFormMixin, forms.Form):
    strategy = forms.ModelChoiceField(
        label=_("Strategy"),
        queryset=Strategy.objects.filter(revision__state=PlanRevision.State.IN_FORCE),
        required=False,
        empty_label=_("All strategies"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("All organisations"),
    )
    person = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
        required=False,
        empty_label=_("Everyone"),
    )
