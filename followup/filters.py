import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, SubActivity
from plan.forms import AccessibleFormMixin
from plan.models import Organisation, PlanRevision
from strategies.models import Strategy


class FilterForm(AccessibleFormMixin, forms.Form):
    pass


class SubActivityFilter(django_filters.FilterSet):
    strategy = django_filters.ModelChoiceFilter(
        label=_("Strategy"),
        field_name="activity__strategy",
        queryset=Strategy.objects.filter(revision__state=PlanRevision.State.IN_FORCE),
        empty_label=_("All strategies"),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Responsible organisation"),
        field_name="activity__responsible_organisations",
        queryset=Organisation.objects.all(),
        empty_label=_("All organisations"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SubActivity.Status.choices, empty_label=_("All"))
    answer = django_filters.ChoiceFilter(label=_("Answer"), choices=SubActivity.Answer.choices, empty_label=_("All"))
    priority_year = django_filters.NumberFilter(
        label=_("Prioritised in year"), method="filter_priority_year", min_value=2000, max_value=2100
    )
    late = django_filters.BooleanFilter(
        label=_("Late activities only"), method="filter_late", widget=forms.CheckboxInput
    )
    due_this_year = django_filters.BooleanFilter(
        label=_("Due this year only"), method="filter_due_this_year", widget=forms.CheckboxInput
    )

    class Meta:
        model = SubActivity
        fields = []
        form = FilterForm

    def filter_priority_year(self, queryset, name, value):
        return queryset.filter(activity__priority_start_year__lte=value, activity__priority_end_year__gte=value)

    def filter_late(self, queryset, name, value):
        return queryset.filter(activity__in=Activity.objects.late(on=timezone.localdate())) if value else queryset

    def filter_due_this_year(self, queryset, name, value):
        return queryset.filter(activity__in=Activity.objects.due(on=timezone.localdate())) if value else queryset
