"""Optimistic concurrency for the rows people edit in forms (a sub-activity's status, a local arena's cell):
each has a `version`, raised by every change; a change from a form names the version it was opened at and is
refused when someone saved in between."""

from django.db import models


class Versioned:
    """A model with a `version` field (a PositiveIntegerField, default 1), changed only through raise_version()."""

    def raise_version(self, *, expected=None):
        """Raises the stored version by one and sets `self.version` to it; the one way a version changes.

        With `expected`, only if the stored version still is `expected` (else False): the UPDATE takes the
        row's lock until the transaction ends, so of two saves from the same version exactly one wins.
        Without it, whatever the stored version is (an edit in the admin), at the cost of one more query."""
        rows = type(self)._default_manager.filter(pk=self.pk)
        if expected is not None:
            if not rows.filter(version=expected).update(version=expected + 1):
                return False
            self.version = expected + 1
        else:
            rows.update(version=models.F("version") + 1)
            self.version = rows.values_list("version", flat=True).get()
        return True
