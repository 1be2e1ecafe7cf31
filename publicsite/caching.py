"""Public pages are cached whole, keyed by the data version (plan/caching.py): the newest history record of
every model with a history, so any change (a status update, a value, an activated revision, a locked follow-up)
gives a new key and the next visitor sees it. Every app server computes the same key from the database, so
a change made through one server is seen through all, whatever their caches. Entries also expire after
PUBLIC_CACHE_SECONDS."""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.translation import get_language

from plan.caching import read_data_version


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
        version, settled = read_data_version()
        key = "public:" + hashlib.sha256(f"{version}\n{get_language()}\n{request.get_full_path()}".encode()).hexdigest()
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if settled and response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in ("Content-Type", "Content-Disposition") if name in response}
            cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapper
