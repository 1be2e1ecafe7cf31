"""Pages kept in Django's cache until the data they show changes.

The key of a page holds the *data version*: the newest history record of every model with a history (the plan,
its statuses, values, follow-ups, meetings), read in one query. Any change, made through any app server, gives
a new key, so the next request renders the page anew; every server computes the same key from the database,
whatever its own cache holds. Users' names have no history: a changed name may show on a cached page for up to
PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import re

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

KEPT_HEADERS = ("Content-Type", "Content-Disposition")
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
USER_NAME = re.compile(rb"(<span [^>]*data-user-name>)[^<]*(</span>)")  # the menu's name of who is logged in


_append_only_models = []


def append_only(model):
    """Marks a model without a history whose rows are only ever added (never changed or deleted): its newest row
    is part of the data version."""
    _append_only_models.append(model)
    return model


# On PostgreSQL history ids are handed out when a row is written, not when its transaction commits: while a
# writing transaction is open, a later one may commit a higher id first, and the newest id would then not cover the
# earlier one's change when it commits. A page read while any writing transaction is open is therefore not kept
# (served, but rendered again next time). SQLite writes one transaction at a time.
# (A transaction that has written holds a lock on its own transaction id until it ends.)
IN_FLIGHT_WRITES = {
    "postgresql": "EXISTS (SELECT FROM pg_locks WHERE locktype = 'transactionid' AND pid <> pg_backend_pid())"
}


@functools.cache
def _version_query(vendor):
    quote = connection.ops.quote_name
    history_models = [model for model in apps.get_models() if hasattr(model, "instance_type")]
    models = sorted([*history_models, *_append_only_models], key=lambda model: model._meta.db_table)
    parts = [f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})" for model in models]
    return f"SELECT {IN_FLIGHT_WRITES.get(vendor, 'FALSE')}, {', '.join(parts)}"


def read_data_version():
    """(version, settled) in one query. The version is the newest history record of each model with a history
    and the newest row of each append_only model (each read from its primary key's index, so it costs the same
    whatever the data's size); settled is False while some writing transaction is open, and a page read then
    must not be kept under that version."""
    with connection.cursor() as cursor:
        cursor.execute(_version_query(connection.vendor))
        writing, *numbers = cursor.fetchone()
    return "-".join(str(number or 0) for number in numbers), not writing


def _reader(user, *, by_user):
    """What a page can differ by between readers: their roles (plan administrators may see and change
    everything). What a reader may change among the page's items is put in on the way out (cached_page's
    `personalise`), so readers with the same roles share the page; `by_user` pages are each reader's own."""
    if not user.is_authenticated:
        return "anonymous"
    if user.is_plan_admin and not by_user:
        return f"admin:{user.is_staff}"
    roles = f"{','.join(sorted(user.role_names))}:{user.is_staff}"
    if by_user:
        return f"user:{user.pk}:{user.organisation_id}:{roles}"
    return f"roles:{roles}"


def page_key(request, *, by_user=False):
    """(the page's key, whether a page rendered now may be kept under it: read_data_version)."""
    version, settled = read_data_version()
    reader = _reader(request.user, by_user=by_user)
    parts = [version, timezone.localdate().isoformat(), get_language(), reader, request.get_full_path()]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest(), settled


def cached_page(view=None, *, personalise=None, by_user=False):
    """A page (or export) kept in the cache until its data changes, the day changes, or PAGE_CACHE_SECONDS
    pass, for each language and kind of reader (_reader). The view runs as usual when the page is not in the
    cache: it checks permissions then, and the key holds what they depend on, so a cached page is only shown to
    those it would be rendered alike for. Every response, kept or not, gets the reader's own name in the menu,
    fresh CSRF tokens, and what `personalise(request, content)` makes of it (the reader's own edit links); a
    page with messages to show is not kept. Used bare or with options: @cached_page(by_user=True)."""
    if view is None:
        return functools.partial(cached_page, personalise=personalise, by_user=by_user)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        keeping = request.method == "GET" and settings.PAGE_CACHE_SECONDS and not len(get_messages(request))
        key, settled = page_key(request, by_user=by_user) if keeping else (None, False)
        stored = caches["pages"].get(key) if keeping else None
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if keeping and settled and _keepable(response, request):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                caches["pages"].set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            response.content = _for_this_request(response.content, request, personalise)
        return response

    return wrapper


def _keepable(response, request):
    if response.status_code != 200 or response.streaming or len(get_messages(request)):
        return False
    return len(USER_NAME.findall(response.content)) <= 1  # a name put in anew on the way out, or none (exports)


def _for_this_request(content, request, personalise):
    name = escape(str(request.user)).encode()
    content = USER_NAME.sub(lambda match: match.group(1) + name + match.group(2), content, count=1)
    if b"csrfmiddlewaretoken" in content:
        token = get_token(request).encode()
        content = CSRF_INPUT.sub(lambda match: match.group(1) + token + match.group(2), content)
    return personalise(request, content) if personalise else content
