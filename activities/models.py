from collections import defaultdict

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan.history import IndexedHistoricalRecords
from plan.models import Organisation, PlanRevision, RevisedItem
from plan.versions import Versioned
from strategies.models import Strategy


def _unfinished(activity=None):
    """True for an activity (default: the outer query's) with a sub-activity not done."""
    activity = OuterRef("pk") if activity is None else activity
    return Exists(SubActivity.objects.filter(activity=activity).exclude(status=SubActivity.Status.DONE))


class ActivityQuerySet(models.QuerySet):
    def with_late(self, *, on=None):
        """Annotates `is_late`: the priority period has ended without every sub-activity done."""
        on = on or timezone.localdate()
        return self.annotate(
            is_late=ExpressionWrapper(Q(priority_end_year__lt=on.year) & _unfinished(), output_field=BooleanField())
        )

    def due(self, *, on=None):
        """Activities whose priority period ends this year, not yet done."""
        on = on or timezone.localdate()
        return self.filter(_unfinished(), priority_end_year=on.year)

    def late(self, *, on=None):
        return self.with_late(on=on).filter(is_late=True)

    def progress_by_strategy(self, *, on=None):
        """{strategy_id: {"activities": n, "late": n, "due_this_year": n}} in one query."""
        on = on or timezone.localdate()
        unfinished = _unfinished()
        rows = (
            self.order_by()
            .values("strategy_id")
            .annotate(
                activities=Count("pk"),
                late=Count("pk", filter=Q(unfinished, priority_end_year__lt=on.year)),
                due_this_year=Count("pk", filter=Q(unfinished, priority_end_year=on.year)),
            )
        )
        return {row.pop("strategy_id"): row for row in rows}

    def in_force(self):
        return self.filter(strategy__revision__state=PlanRevision.State.IN_FORCE)

    def organisation_names(self):
        """{activity id: the names of its responsible organisations, in their order}, in one query: for pages and
        exports that show thousands of activities, where a prefetch would build a queryset per activity."""
        ordering = [f"organisation__{name}" for name in Organisation._meta.ordering]
        rows = Activity.responsible_organisations.through.objects.filter(activity__in=self.order_by().values("pk"))
        names = defaultdict(list)
        for activity_id, name in rows.order_by(*ordering).values_list("activity_id", "organisation__name"):
            names[activity_id].append(name)
        return names

    def responsible_for(self, user):
        """The activities the user leads, or whose responsible organisations include the user's, as a project leader."""
        condition = Q(leader=user)
        if user.organisation_id and user.is_project_leader:
            condition |= Q(responsible_organisations=user.organisation_id)
        return self.filter(condition).distinct()


class Activity(RevisedItem):
    """An aktivitet of the action plan (Bilaga 1), prioritised for a period of years."""

    revision_path = "strategy__revision"

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="activities"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("activity"))
    priority_start_year = models.PositiveSmallIntegerField(_("priority from (year)"))
    priority_end_year = models.PositiveSmallIntegerField(_("priority until (year)"))
    responsible_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("responsible organisations"), blank=True, related_name="activities"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_activities",
    )
    history = IndexedHistoricalRecords(m2m_fields=[responsible_organisations])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="activity_number_unique_per_strategy"),
            models.CheckConstraint(
                condition=Q(priority_start_year__lte=models.F("priority_end_year")),
                name="activity_priority_start_not_after_end",
            ),
            models.CheckConstraint(
                condition=Q(priority_start_year__gte=2000, priority_end_year__lte=2100),
                name="activity_priority_years_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def priority_period(self):
        return f"{self.priority_start_year}–{self.priority_end_year}"


class SubActivityQuerySet(models.QuerySet):
    def with_last_change(self):
        """Annotates `last_changed_at` and `last_changed_by_id` from the history (admin edits included)."""
        latest = SubActivity.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        return self.annotate(
            last_changed_at=Subquery(latest.values("history_date")[:1]),
            last_changed_by_id=Subquery(latest.values("history_user_id")[:1]),
        )

    def with_activity_late(self, *, on=None):
        """Annotates `activity_is_late`: the sub-activity's activity is late (see ActivityQuerySet.with_late)."""
        on = on or timezone.localdate()
        return self.annotate(
            activity_is_late=ExpressionWrapper(
                Q(activity__priority_end_year__lt=on.year) & _unfinished(OuterRef("activity")),
                output_field=BooleanField(),
            )
        )

    def with_decision_count(self):
        """Annotates `decision_count`: the decisions of held meetings that name the sub-activity. `decisions` is
        the reverse relation of meetings.Decision.subactivities (activities does not import meetings)."""
        return self.annotate(decision_count=Count("decisions", filter=Q(decisions__meeting__cancelled=False)))

    def answer_counts_by_strategy(self):
        """{strategy_id: {"measured": n, "yes": n}}: sub-activities with a measure, and those answered yes."""
        rows = (
            self.exclude(measure="")
            .order_by()
            .values("activity__strategy_id")
            .annotate(measured=Count("pk"), yes=Count("pk", filter=Q(answer=SubActivity.Answer.YES)))
        )
        return {row.pop("activity__strategy_id"): row for row in rows}

    def status_counts_by_strategy(self):
        """{strategy_id: {status: count}} in one query."""
        counts = {}
        rows = self.values_list("activity__strategy_id", "status").annotate(n=Count("id")).order_by()
        for strategy_id, status, n in rows:
            counts.setdefault(strategy_id, {})[status] = n
        return counts


class SubActivityStatus(models.TextChoices):
    # The categories, refined from the wording of the plan's status column; the order is the display order.
    NOT_STARTED = "ej_paborjat", _("Not started")
    ASSIGNMENT_NEEDED = "uppdrag_behovs", _("Assignment needed")
    ON_HOLD = "avvaktar", _("On hold")
    IN_PROGRESS = "pagar", _("In progress")
    PART_OF_OTHER_WORK = "ingar_i_annat", _("Part of other work")
    DONE = "klar", _("Done")
    NOT_STATED = "ej_angiven", _("Not stated")


class SubActivityAnswer(models.TextChoices):
    YES = "ja", _("Yes")
    NO = "nej", _("No")
    NOT_ASSESSED = "ej_bedomt", _("Not assessed")


def _choice_label(choices, value):
    """What get_FOO_display gives: the label of `value` in the active language, or `value` if not a choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class SubActivity(Versioned, RevisedItem):
    """A sub-activity (delaktivitet): the unit whose status, measure (mått) and answer are followed up."""

    revision_path = "activity__strategy__revision"

    Status = SubActivityStatus
    Answer = SubActivityAnswer

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="subactivities"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("sub-activity"))
    sub_points = models.TextField(_("sub-points"), blank=True, help_text=_("One per line."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    status_text = models.TextField(_("status text"), blank=True)
    measure = models.TextField(_("measure (mått)"), blank=True)
    target = models.TextField(_("target value"), blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, default=Answer.NOT_ASSESSED)
    evidence_url = models.URLField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("A link to the routine, agreement or minutes that shows the answer."),
    )
    # Raised by every status update; an update names the version it started from (optimistic concurrency).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = IndexedHistoricalRecords()

    objects = SubActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-activity")
        verbose_name_plural = _("sub-activities")
        ordering = ["activity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="subactivity_number_unique_per_activity"),
            models.CheckConstraint(condition=Q(status__in=SubActivityStatus.values), name="subactivity_status_valid"),
            models.CheckConstraint(condition=Q(answer__in=SubActivityAnswer.values), name="subactivity_answer_valid"),
        ]

    def __str__(self):
        return self.name

    # Django's get_FOO_display hashes every choice's lazy label on each call, a translation lookup each: a
    # tenth of a millisecond per row where the JSON export, the table and its exports show thousands.
    def get_status_display(self):
        return _choice_label(SubActivityStatus, self.status)

    def get_answer_display(self):
        return _choice_label(SubActivityAnswer, self.answer)

    @property
    def sub_point_list(self):
        return split_sub_points(self.sub_points)


def split_sub_points(text):
    """The sub-points of a sub-activity's `sub_points`: one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]
