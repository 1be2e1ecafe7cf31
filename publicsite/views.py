"""The public part of the site (PUBLIC_PAGES): the plan in force and how it goes, without logging in. Each
view reads only what is published — the plan in force, statuses, values, the matrix, locked reports — and
no person's name, comment, draft or open follow-up. publicsite/caching.py caches the pages."""

import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from activities.models import SubActivity
from followup.measure_overview import measure_overview
from followup.models import FollowUp
from followup.standing import plan_standing
from plan.models import PlanRevision
from publicsite import opendata
from publicsite.caching import public, published
from strategies.local_arenas import build_matrix
from strategies.models import ArenaLocalActivity, Strategy


def _revision():
    revision = PlanRevision.objects.in_force().select_related("plan").first()
    if revision is None:
        raise Http404
    return revision


@published
def overview(request):
    revision = _revision()
    today = timezone.localdate()
    context = {
        "revision": revision,
        "principles": list(revision.guiding_principles.all()),
        "today": today,
        "public": True,
        **plan_standing(revision, today=today),
    }
    return render(request, "public/overview.html", context)


@published
def strategy(request, number):
    revision = _revision()
    strategy = get_object_or_404(Strategy.objects.filter(revision=revision), number=number)
    # As lists on each activity (organisation_list, subactivity_list): a prefetched queryset per activity costs
    # more than its rows.
    activities = strategy.activities.prefetch_related(
        Prefetch("responsible_organisations", to_attr="organisation_list"),
        Prefetch("subactivities", queryset=SubActivity.objects.order_by("number"), to_attr="subactivity_list"),
    ).order_by("number")
    context = {
        "revision": revision,
        "strategy": strategy,
        "quotes": list(strategy.quotes.all()),
        "activities": list(activities),
        "items": [item for item in measure_overview(revision) if item["measure"].strategy_id == strategy.pk],
        "local_activities": list(strategy.local_activities.all()),
    }
    return render(request, "public/strategy.html", context)


@published
def measures(request):
    revision = _revision()
    return render(request, "public/measures.html", {"revision": revision, "items": measure_overview(revision)})


@published
def local_arenas(request):
    revision = _revision()
    own = ArenaLocalActivity.objects.filter(strategy__revision=revision).select_related("arena", "strategy")
    context = {"revision": revision, "matrix": build_matrix(revision), "own": list(own), "public": True}
    return render(request, "public/local_arenas.html", context)


@published
def reports(request):
    followups = FollowUp.objects.filter(state=FollowUp.State.LOCKED).defer("content", "report_pdf")
    return render(request, "public/reports.html", {"followups": list(followups)})


@public
def report_pdf(request, pk):
    followup = get_object_or_404(
        FollowUp.objects.filter(state=FollowUp.State.LOCKED).only("year", "half", "report_pdf"), pk=pk
    )
    response = HttpResponse(bytes(followup.report_pdf), content_type="application/pdf")
    name = f"uppfoljning-{followup.period_label.replace(' ', '-')}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@published
def open_data(request):
    return render(request, "public/open_data.html", {"revision": _revision(), "licence": opendata.licence()})


@published
def plan_json(request):
    data = opendata.open_plan_json(_revision())
    # Not indented, as /api/plan.json: indenting takes json's pure-Python encoder, slower than building the data.
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json")


@published
def subactivities_csv(request):
    return _csv_response(opendata.subactivities_csv(_revision()), "delaktiviteter.csv")


@published
def measures_csv(request):
    return _csv_response(opendata.measures_csv(_revision()), "effektmatt.csv")


def _csv_response(text, name):
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
@require_GET
def language(request, code):
    """The public pages change language with a link (they are cached, so carry no form with a CSRF token)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("public:overview")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
