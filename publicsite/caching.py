"""Public pages are cached whole, keyed by what they show: a page is stored under the newest history record
of every model it reads, so any change (a status update, a value, an activated revision, a locked follow-up)
gives a new key and the next visitor sees it. Every app server computes the same key from the database, so
a change made through one server is seen through all, whatever their caches. Entries also expire after
PUBLIC_CACHE_SECONDS."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.utils.translation import get_language

from activities.models import Activity, SubActivity
from followup.models import EffectMeasureValue, FollowUp
from plan.models import Forum, GuidingPrinciple, Organisation, PlanRevision
from strategies.models import ArenaLocalActivity, EffectMeasure, LocalActivity, LocalAdoption, Strategy, StrategyQuote

SHOWN_MODELS = [
    PlanRevision,
    GuidingPrinciple,
    Organisation,
    Forum,
    Strategy,
    StrategyQuote,
    EffectMeasure,
    LocalActivity,
    LocalAdoption,
    ArenaLocalActivity,
    Activity,
    SubActivity,
    EffectMeasureValue,
    FollowUp,
]


def data_version():
    """The newest history record of each shown model, in one query."""
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({quote('history_id')}) FROM {quote(model.history.model._meta.db_table)})"
        for model in SHOWN_MODELS
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return "-".join(str(number or 0) for number in cursor.fetchone())


def public(view):
    """A page anyone may see, without logging in, when PUBLIC_PAGES is on; 404 when it is off."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PUBLIC_PAGES:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def published(view):
    """A public page whose response is cached until the data it shows changes."""

    @public
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = f"public:{data_version()}:{get_language()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in ("Content-Type", "Content-Disposition") if name in response}
            cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapper
