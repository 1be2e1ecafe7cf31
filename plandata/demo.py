"""Demo accounts and generated data, for the embedded demo setup and for tests and benchmarks."""

import datetime
import random

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from activities.models import Activity, SubActivity
from plan.history import save_with_history
from plan.language import in_plan_language
from plan.models import Organisation, PlanRevision, User
from plan.roles import Role

DEMO_PASSWORD = "demo"
# Reserved for examples (RFC 2606): the demo's messages are written to files, never sent.
DEMO_MAIL_DOMAIN = "exempel.invalid"

# (username, first name, last name, role, organisation slug or None, is staff)
DEMO_ACCOUNTS = [
    ("admin", "Anna", "Administratör", Role.PLAN_ADMIN, "region-jh", True),
    ("projektledare", "Per", "Projektledare", Role.PROJECT_LEADER, "region-jh", False),
    ("fredagsgruppen", "Frida", "Granskare", Role.REVIEWER, None, False),
    ("lokalarena", "Lars", "Lokalarena", Role.LOCAL_ARENA, "ostersund", False),
]

# The activities the demo project leader leads, as (strategy number, activity number or None for all).
DEMO_LEADER_ACTIVITIES = [(2, None), (3, 1)]

GENERATED_REASON = _("Generated demo data")


@transaction.atomic
def create_demo_accounts():
    """Creates the demo accounts (password "demo") once; returns the usernames created."""
    organisations = Organisation.objects.in_bulk(field_name="slug")
    created = []
    for username, first, last, role, organisation, is_staff in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{DEMO_MAIL_DOMAIN}",
                "is_staff": is_staff,
                "organisation": organisations.get(organisation),
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            created.append(username)
    _assign_demo_leader(User.objects.get(username="projektledare"), organisations.get("region-jh"))
    return created


def _assign_demo_leader(leader, organisation):
    revision = PlanRevision.objects.in_force().first()
    if revision is None:
        return
    for strategy_number, activity_number in DEMO_LEADER_ACTIVITIES:
        activities = Activity.objects.filter(strategy__revision=revision, strategy__number=strategy_number)
        if activity_number is not None:
            activities = activities.filter(number=activity_number)
        for activity in activities.filter(leader__isnull=True):
            activity.leader = leader
            save_with_history(activity, user=None, reason=_("Demo: responsible project leader"))
            activity.responsible_organisations.add(organisation)


STATUS_PATHS = [
    [SubActivity.Status.NOT_STARTED, SubActivity.Status.IN_PROGRESS, SubActivity.Status.DONE],
    [SubActivity.Status.ASSIGNMENT_NEEDED, SubActivity.Status.NOT_STARTED, SubActivity.Status.IN_PROGRESS],
    [SubActivity.Status.IN_PROGRESS, SubActivity.Status.ON_HOLD, SubActivity.Status.IN_PROGRESS],
]


@transaction.atomic
def generate_demo_data(scale, *, seed=1):
    """Adds (scale − 1) generated copies of every activity of the revision in force, with their
    sub-activities, each sub-activity with a history of status changes. Returns (activities, sub-activities) added."""
    rng = random.Random(seed)
    revision = PlanRevision.objects.in_force().get()
    originals = list(
        Activity.objects.filter(strategy__revision=revision).prefetch_related("subactivities").order_by("pk")
    )
    next_number = {}
    for activity in originals:
        next_number[activity.strategy_id] = max(next_number.get(activity.strategy_id, 0), activity.number)
    start = timezone.make_aware(datetime.datetime.combine(revision.in_force_from, datetime.time(9)))
    now = timezone.now()

    new_activities = []
    for copy in range(1, scale):
        for activity in originals:
            next_number[activity.strategy_id] += 1
            new_activities.append(
                Activity(
                    strategy_id=activity.strategy_id,
                    number=next_number[activity.strategy_id],
                    name=f"{activity.name} (exempel {copy})",
                    priority_start_year=activity.priority_start_year,
                    priority_end_year=activity.priority_end_year,
                )
            )
    new_activities = bulk_create_with_history(
        new_activities, Activity, default_change_reason=in_plan_language(GENERATED_REASON), default_date=start
    )
    new_activities = list(Activity.objects.filter(pk__in=[a.pk for a in new_activities]).order_by("pk"))

    templates = [activity for _copy in range(1, scale) for activity in originals]
    new_subs = []
    for activity, template in zip(new_activities, templates, strict=True):
        for sub in template.subactivities.all():
            new_subs.append(
                SubActivity(
                    activity=activity,
                    number=sub.number,
                    name=sub.name,
                    sub_points=sub.sub_points,
                    status=sub.status,
                    status_text=sub.status_text,
                    measure=sub.measure,
                    target=sub.target,
                )
            )
    bulk_create_with_history(
        new_subs, SubActivity, default_change_reason=in_plan_language(GENERATED_REASON), default_date=start
    )
    new_subs = list(SubActivity.objects.filter(activity__in=new_activities))

    HistoricalSubActivity = SubActivity.history.model
    status_reasons = {
        status: in_plan_language(_("Status changed to %(status)s"), status=in_plan_language(status.label))
        for status in SubActivity.Status
    }
    changes = []
    for sub in new_subs:
        path = rng.choice(STATUS_PATHS)
        when = start
        for status in path:
            when = when + (now - when) * rng.uniform(0.1, 0.4)
            sub.status = status
            changes.append(
                HistoricalSubActivity(
                    **{f.attname: getattr(sub, f.attname) for f in SubActivity._meta.concrete_fields},
                    history_date=when,
                    history_type="~",
                    history_change_reason=status_reasons[status],
                )
            )
    HistoricalSubActivity.objects.bulk_create(changes, batch_size=1000)
    SubActivity.objects.bulk_update(new_subs, ["status"], batch_size=1000)
    if connection.vendor == "postgresql":
        # After a bulk load the planner needs fresh statistics, as autovacuum would give it in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(new_activities), len(new_subs)
