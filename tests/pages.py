"""Helpers for page tests: the pages of the app and the rendered text of a response."""

import re
from html import unescape

from activities.models import Activity
from strategies.models import Strategy


def page_text(response):
    """The visible text of an HTML response, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def first_strategy():
    return Strategy.objects.filter(revision__state="in_force").order_by("number").first()


def activity_named(name):
    return Activity.objects.in_force().get(name=name)
