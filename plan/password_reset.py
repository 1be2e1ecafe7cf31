"""Limits on password reset e-mail: how many one address, and one client, may ask for in an hour.

The requests are counted in the database (`PasswordResetRequest`), which every app server shares, and kept
only as long as they count: each request removes those older than the window.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from plan.models import PasswordResetRequest

WINDOW = datetime.timedelta(hours=1)
LIMIT_PER_EMAIL = 5
LIMIT_PER_CLIENT = 20


def password_reset_refusal(*, email, ip_address):
    """Why a reset request is refused (English, for the log), or None once the request is recorded.

    A refused request is not recorded, so one client keeps at most LIMIT_PER_CLIENT rows. Two app servers
    counting at the same instant may each let one more request through: a limit against abuse, not an exact
    quota. Three queries and an insert."""
    email = email.strip().lower()  # Django finds the account case-insensitively (PasswordResetForm.get_users)
    now = timezone.now()
    since = now - WINDOW
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        if recent.filter(email=email).count() >= LIMIT_PER_EMAIL:
            return f"the address has had {LIMIT_PER_EMAIL} requests within {WINDOW} (h:mm:ss)"
        if ip_address and recent.filter(ip_address=ip_address).count() >= LIMIT_PER_CLIENT:
            return f"the client has made {LIMIT_PER_CLIENT} requests within {WINDOW} (h:mm:ss)"
        PasswordResetRequest.objects.create(email=email, ip_address=ip_address, requested_at=now)
    return None
