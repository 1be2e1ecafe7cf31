"""Is the application up, and what a request gets when its database is not (README.md, "Health check")."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# What a database that is down or restarting raises: refused or lost connections, a server shutting down.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# A PostgreSQL restart takes seconds; a browser or client that honours Retry-After tries again after this.
RETRY_AFTER_SECONDS = 30


@login_not_required
@require_safe
@never_cache
def healthz(request):
    """For a load balancer: 200 "ok" when the application and its database answer, 503 otherwise. Says nothing
    about users or content, so it needs no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
        log_response("Health check: the database does not answer: %s", error, response=response, logger=logger)
        return response
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def server_error(request):
    """The project's handler500. Django turns an exception raised anywhere in a request, in a middleware (the
    session and the user are loaded there) as well as in a view, into a 500 at the middleware it passes, so no
    middleware could catch a lost database for the ones above it: this is where every such error arrives.
    A database that is down or restarting gets a short page saying so, with Retry-After, logged once with its
    traceback; anything else Django's plain 500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, DATABASE_UNAVAILABLE):
        return defaults.server_error(request)
    # Rendered without the request: the context processors would load the user from the database.
    response = HttpResponse(render_to_string("503_database.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    log_response(
        "The database is unavailable: %s %s",
        request.method,
        request.path,
        response=response,
        request=request,
        logger=logger,
        exception=error,
    )
    return response
