"""Sending the notices: each in the recipient's language, plain text with an HTML alternative, recorded as
sent in the same transaction that hands it to the mail server."""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from meetings.models import NotificationKind, SentNotification
from meetings.reminders import absolute

logger = logging.getLogger("meetings.mail")

TEMPLATES = {NotificationKind.REMINDER: "meetings/email/reminder", NotificationKind.MEETING_PACK: "meetings/email/pack"}


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    left: int = 0


def has_valid_address(user):
    try:
        validate_email(user.email)
    except ValidationError:
        return False
    return True


def build_message(notice):
    meeting, user = notice.meeting, notice.recipient
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "meeting": meeting,
            "forum": meeting.forum,
            "user": user,
            "items": notice.items,
            "pack_url": absolute(reverse("meeting_pack", args=[meeting.pk])),
            "meeting_url": absolute(reverse("meeting_detail", args=[meeting.pk])),
            "settings_url": absolute(reverse("notification_settings")),
        }
        template = TEMPLATES[notice.kind]
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject,
            render_to_string(f"{template}.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_notices(notices):
    """Sends each notice not sent before; returns an Outcome. A refused message is logged and left for the
    next run; when the mail server cannot be reached the run stops, leaving the rest for the next run."""
    outcome = Outcome()
    connection = get_connection()
    for index, notice in enumerate(notices):
        user = notice.recipient
        if not has_valid_address(user):
            logger.warning(
                "No valid e-mail address for user %s (%r): %s not sent", user.username, user.email, notice.kind
            )
            outcome.skipped += 1
            continue
        message = build_message(notice)
        message.connection = connection
        try:
            with transaction.atomic():
                SentNotification.objects.create(
                    kind=notice.kind, meeting=notice.meeting, recipient=user, item_count=len(notice.items)
                )
                connection.open()  # once: later messages go over the same connection
                message.send()
        except IntegrityError:
            outcome.skipped += 1  # sent meanwhile by another run
        except smtplib.SMTPException as error:
            if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
                return _unreachable(connection, outcome, error, len(notices) - index)
            logger.error(
                "The mail server refused the %s to %s: %s; it is sent on the next run", notice.kind, user.email, error
            )
            outcome.failed += 1
        except OSError as error:  # refused, reset or timed out
            return _unreachable(connection, outcome, error, len(notices) - index)
        else:
            outcome.sent += 1
    connection.close()
    return outcome


def _unreachable(connection, outcome, error, left):
    connection.fail_silently = True
    connection.close()
    logger.error("The mail server cannot be reached (%s): %d messages are left for the next run", error, left)
    outcome.left = left
    return outcome
