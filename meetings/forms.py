import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import SubActivity
from meetings.models import Meeting
from meetings.services import MAX_SERIES_MEETINGS, series_starts
from plan.forms import AccessibleFormMixin, DateInput, TextField

NOTES_MAX = 20000
DECISION_MAX = 4000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self):
        super().__init__(format="%H:%M")


class MeetingForm(AccessibleFormMixin, forms.Form):
    """A single meeting, planned or moved: not in the past, not at the time of another of the forum's."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(9, 0))
    place = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("A room, an address or the link to a video meeting."),
    )

    def __init__(self, *args, forum, meeting=None, **kwargs):
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            kwargs.setdefault("initial", {"date": local.date(), "time": local.time(), "place": meeting.place})
        super().__init__(*args, **kwargs)
        self.forum, self.meeting = forum, meeting

    def clean(self):
        data = super().clean()
        if "date" not in data or "time" not in data:
            return data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        if starts_at < timezone.now():
            self.add_error("date", _("The meeting cannot be in the past."))
            return data
        others = Meeting.objects.filter(forum=self.forum, starts_at=starts_at)
        if self.meeting is not None:
            others = others.exclude(pk=self.meeting.pk)
        if others.exists():
            self.add_error("time", _("The forum already has a meeting at that time."))
        data["starts_at"] = starts_at
        return data


class SeriesForm(AccessibleFormMixin, forms.Form):
    """A series: every N weeks from a first date, until a last date. Its ids start with id_series_: it shares the
    forum's page with a MeetingForm, whose time and place fields have the same names."""

    first_date = forms.DateField(label=_("First meeting"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=datetime.time(9, 0))
    every_weeks = forms.IntegerField(
        label=_("Every … weeks"), min_value=1, max_value=12, initial=2, help_text=_("1 for every week.")
    )
    until = forms.DateField(
        label=_("Last date"),
        widget=DateInput(),
        help_text=_("The series ends on or before this date."),
        error_messages={"required": _("Give the date the series ends: a series needs an end.")},
    )
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_series_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not all(key in data for key in ("first_date", "time", "every_weeks", "until")):
            return data
        first = timezone.make_aware(datetime.datetime.combine(data["first_date"], data["time"]))
        if first < timezone.now():
            self.add_error("first_date", _("The first meeting cannot be in the past."))
        elif data["until"] < data["first_date"]:
            self.add_error("until", _("The last date must be on or after the first meeting."))
        else:
            data["starts"] = series_starts(first=first, every_weeks=data["every_weeks"], until=data["until"])
            if len(data["starts"]) >= MAX_SERIES_MEETINGS:
                self.add_error(
                    "until", _("A series can have at most %(count)d meetings.") % {"count": MAX_SERIES_MEETINGS}
                )
        return data


class MinutesForm(AccessibleFormMixin, forms.Form):
    notes = TextField(label=_("Notes"), max_length=NOTES_MAX, rows=8, required=False)


class SubActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        activity = obj.activity
        return f"{activity.strategy.number}.{activity.number}.{obj.number} {obj.name}"


class DecisionForm(AccessibleFormMixin, forms.Form):
    text = TextField(label=_("Decision"), max_length=DECISION_MAX, rows=3)
    subactivities = SubActivityChoiceField(
        label=_("Sub-activities concerned"),
        queryset=SubActivity.objects.none(),
        required=False,
        help_text=_("The decision shows in each of them. Hold Ctrl (⌘ on a Mac) to choose more than one."),
    )

    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subactivities"].queryset = (
            SubActivity.objects.filter(activity__strategy__revision=revision)
            .select_related("activity__strategy")
            .order_by("activity__strategy__number", "activity__number", "number")
        )
        self.fields["subactivities"].widget.attrs["size"] = 8
