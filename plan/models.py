import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plan.dates import months_earlier
from plan.roles import Role

REVISION_WARNING_MONTHS = 6


class Named(models.Model):
    """Something found by a short name (`slug`, as fixtures name it) and shown by its unique name."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def for_identity_code(self, value):
        """The organisation whose identity codes match a claim's value (equal to it or a prefix of it), or None;
        with several, the longest code wins."""
        value = str(value or "").strip()
        best, length = None, 0
        for organisation in self.exclude(identity_codes=""):
            for code in organisation.identity_code_list:
                if value.startswith(code) and len(code) > length:
                    best, length = organisation, len(code)
        return best


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(Named):
    """A huvudman: the region or one of the municipalities."""

    Kind = OrganisationKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    identity_codes = models.TextField(
        _("codes at the identity providers"),
        blank=True,
        help_text=_(
            "One per line: the values of the identity provider's organisation claim that mean this organisation, "
            "such as the HSA id prefix or the municipality code. A value matches a code it equals or begins with."
        ),
    )
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]  # the region first, then the municipalities by name
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
        ]

    @property
    def identity_code_list(self):
        return [line.strip() for line in self.identity_codes.splitlines() if line.strip()]


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # The user's own choices for e-mail from the application (the notification settings page).
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the application's e-mail to you. Empty: the application's default."),
    )
    reminder_emails = models.BooleanField(
        _("reminders before meetings"),
        default=True,
        help_text=_("A message before a forum's meeting listing what you are responsible for and have not updated."),
    )
    meeting_pack_emails = models.BooleanField(
        _("meeting packs"),
        default=True,
        help_text=_("The link to the meeting pack before a meeting of a forum you are a member of."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self):
        """The user's role (group) names: one query, then cached for the request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role):
        return role in self.role_names

    @property
    def is_project_leader(self):
        return self.is_active and self.has_role(Role.PROJECT_LEADER)

    @property
    def is_local_arena_member(self):
        return self.is_active and self.has_role(Role.LOCAL_ARENA)

    @property
    def is_plan_admin(self):
        return self.is_active and (self.is_superuser or self.has_role(Role.PLAN_ADMIN))


class ForumKind(models.TextChoices):
    COUNTY = "county", _("County-wide")
    LOCAL = "local", _("Local collaboration arena")


class Forum(Named):
    """A collaboration forum that follows up parts of the plan (Fredagsgruppen, SVOM, a local arena …)."""

    Kind = ForumKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUNTY)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forums",
        help_text=_("For a local collaboration arena: its municipality."),
    )
    local_groups = models.TextField(
        _("local geographic collaboration groups"), blank=True, help_text=_("For a local arena: one per line.")
    )
    members = models.ManyToManyField(
        "plan.User",
        verbose_name=_("members"),
        blank=True,
        related_name="forums",
        help_text=_("They get the meeting pack before each meeting."),
    )
    secretaries = models.ManyToManyField(
        "plan.User",
        verbose_name=_("secretaries"),
        blank=True,
        related_name="forums_as_secretary",
        help_text=_("Besides the plan administrators, they plan the forum's meetings and keep its minutes."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("How many days before a meeting the reminders go out (at most 60)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ForumKind.values), name="forum_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=ForumKind.COUNTY) | Q(organisation__isnull=False),
                name="forum_local_arena_has_organisation",
            ),
        ]

    @property
    def short_name(self):
        """A local arena's municipality name ("Östersund"), for narrow table headers."""
        return self.name.removeprefix("Lokal samverkansarena ").strip() or self.name


class Plan(models.Model):
    """The joint plan of a region and its municipalities; its content lives in revisions."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    region = models.CharField(_("region"), max_length=200)
    # The plan's own words, which its pages and reports use (the loader and the follow-up content list them).
    wording_fields = ["followed_up_by", "reported_to", "action_plan_name"]
    followed_up_by = models.CharField(
        _("followed up by"),
        max_length=200,
        blank=True,
        help_text=_("Who follows the plan up, for example “länsgemensam samverkan”."),
    )
    reported_to = models.CharField(
        _("reported to"),
        max_length=300,
        blank=True,
        help_text=_("For whom the follow-up is written, for example “SVOM, Fredagsgruppen och länets nio huvudmän”."),
    )
    action_plan_name = models.CharField(
        _("name of the action plan"),
        max_length=200,
        blank=True,
        help_text=_("What the plan's action plan is called, for example “Handlingsplan (Bilaga 1)”."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name


class RevisedItem(models.Model):
    """Plan content that each new revision copies: `predecessor` links a copy to the item it was copied from,
    so an item can be followed across revisions. `revision_path` leads from the item to its revision."""

    revision_path = ""

    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text=_("The same item in the revision this one was copied from."),
    )

    class Meta:
        abstract = True

    def revision_of(self):
        """The revision this item belongs to, following `revision_path` (select it to save the queries)."""
        revision = self
        for name in filter(None, self.revision_path.split("__")):
            revision = getattr(revision, name)
        return revision

    def counterparts(self, *, include_drafts):
        """The same item in the revisions before and after: its predecessor and successors, each with
        `.revision`, oldest first; one query."""
        if self.pk is None:
            return []
        items = type(self).objects.filter(Q(pk=self.predecessor_id) | Q(predecessor=self.pk))
        items = items.select_related(self.revision_path)
        if not include_drafts:
            items = items.exclude(**{f"{self.revision_path}__state": PlanRevision.State.DRAFT})
        found = list(items)
        for other in found:
            other.revision = other.revision_of()
        return sorted(found, key=lambda other: other.revision.in_force_from)


class PlanRevisionQuerySet(models.QuerySet):
    def in_force(self):
        """The revision everyone works in (at most one per plan, held by a constraint)."""
        return self.filter(state=PlanRevision.State.IN_FORCE).select_related("plan")

    def lock_in_force(self, pk):
        """Holds a share lock on the revision's row until the transaction ends, so a change to its content and
        the revision's activation (which locks the row for update) never interleave, while changes do not wait
        for each other; PermissionDenied if the revision is no longer in force."""
        self._lock_for_share(pk, PlanRevision.State.IN_FORCE)

    def lock_draft(self, pk):
        """The same lock for a change to a draft: PermissionDenied once it has been put in force."""
        self._lock_for_share(pk, PlanRevision.State.DRAFT)

    def _lock_for_share(self, pk, state):
        # SQLite runs one writing transaction at a time, so it needs no lock.
        query = self.filter(pk=pk, state=state).values_list("pk")
        database = connections[self.db]
        if database.vendor == "postgresql":
            sql, params = query.query.sql_with_params()
            with database.cursor() as cursor:
                cursor.execute(f"{sql} FOR SHARE", params)  # the ORM offers FOR UPDATE only
                found = cursor.fetchone()
        else:
            found = query.first()
        if not found:
            raise PermissionDenied(f"The revision is not {state}: this change can no longer be made.")

    def put_in_force_at(self):
        """{revision id: the moment it was put in force} for these revisions, those ever in force; one query."""
        records = PlanRevision.history.filter(state=PlanRevision.State.IN_FORCE, id__in=self.values("pk"))
        rows = records.values("id").annotate(moment=Min("history_date")).order_by()
        return {row["id"]: row["moment"] for row in rows}


@dataclass(frozen=True)
class RevisionCountdown:
    """How long until the revision in force is due to be revised, for the dashboard and the overview."""

    due: datetime.date
    days: int  # negative once the due date has passed
    warning: bool  # from six months before the due date

    @property
    def overdue(self):
        return self.days < 0


class RevisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class PlanRevision(RevisedItem):
    """One version of the plan's content, in force from a date and revised every third year."""

    State = RevisionState

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="revisions")
    label = models.CharField(_("label"), max_length=50, help_text=_("For example the year it was adopted."))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    in_force_from = models.DateField(_("in force from"))
    next_revision_due = models.DateField(_("next revision due"))
    vision = models.CharField(_("vision (målbild)"), max_length=300)
    vision_text = models.TextField(_("about the vision"), blank=True)
    follow_up_text = models.TextField(_("validity and follow-up"), blank=True)
    history = HistoricalRecords()

    objects = PlanRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "in_force_from"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="revision_label_unique_per_plan"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state=RevisionState.IN_FORCE), name="one_revision_in_force_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(next_revision_due__gt=F("in_force_from")), name="revision_due_after_in_force"
            ),
            models.CheckConstraint(condition=Q(state__in=RevisionState.values), name="revision_state_valid"),
        ]

    def __str__(self):
        return f"{self.plan} ({self.label})"

    def countdown(self, *, today):
        due = self.next_revision_due
        return RevisionCountdown(
            due=due, days=(due - today).days, warning=today >= months_earlier(due, REVISION_WARNING_MONTHS)
        )

    def superseded_on(self):
        """The day a superseded revision stopped being in force, from its history (or None); one query."""
        record = (
            PlanRevision.history.filter(id=self.pk, state=PlanRevision.State.SUPERSEDED)
            .order_by("history_date", "history_id")
            .first()
        )
        return timezone.localdate(record.history_date) if record else None


class GuidingPrinciple(RevisedItem):
    revision_path = "revision"

    revision = models.ForeignKey(
        PlanRevision, verbose_name=_("plan revision"), on_delete=models.CASCADE, related_name="guiding_principles"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guiding principle")
        verbose_name_plural = _("guiding principles")
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "number"], name="principle_number_unique_per_revision"),
            models.CheckConstraint(condition=Q(number__gte=1), name="principle_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class PasswordResetRequest(models.Model):
    """A request for a password reset e-mail, kept for an hour to limit how many requests one address or one
    client may make (plan/password_reset.py). In the database, which every app server shares."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["email", "requested_at"], name="reset_request_email_idx"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_ip_idx"),
            models.Index(fields=["requested_at"], name="reset_request_time_idx"),
        ]

    def __str__(self):
        return f"{self.email} {self.requested_at:%Y-%m-%d %H:%M}"


class SheetUpload(models.Model):
    """An uploaded sheet between its preview and its application (plan/bulk.py): kept in the database, so
    any app server can apply it; removed once applied, and after a day."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=50)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded sheet")
        verbose_name_plural = _("uploaded sheets")

    def __str__(self):
        return self.filename
