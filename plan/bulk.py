"""Bulk updates from a sheet: the export, edited and uploaded back. Upload, preview every row (will change,
unchanged, refused and why), then apply the rows that change in one transaction, each with its own history.

An importer (activities/bulk.py and the others) says which columns it reads, what each row would change or
why it is refused, and how to save. The preview is computed again when applying, under row locks; if it is
not what the person saw, nothing is saved and the new preview is shown.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from plan.access import positive_int
from plan.forms import AccessibleFormMixin
from plan.language import in_plan_language
from plan.models import SheetUpload
from plan.spreadsheets import SheetError, normalise, read_sheet, too_large

WILL_CHANGE, UNCHANGED, REFUSED = "change", "unchanged", "refused"
KEPT_FOR = datetime.timedelta(days=1)


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class RowResult:
    number: int
    label: str
    outcome: str = UNCHANGED
    changes: list = field(default_factory=list)
    reason: str = ""
    target: object = None  # what the importer saves, when the row will change
    values: dict = field(default_factory=dict)

    def refuse(self, reason):
        self.outcome, self.reason, self.changes = REFUSED, str(reason), []
        return self


def fingerprint(results):
    text = repr([(r.number, r.outcome, [(c.field, c.before, c.after) for c in r.changes]) for r in results])
    return hashlib.sha256(text.encode()).hexdigest()


class UploadForm(AccessibleFormMixin, forms.Form):
    sheet = forms.FileField(
        label=gettext_lazy("Sheet (.xlsx or .csv)"),
        help_text=gettext_lazy("The export from this page, edited. Nothing is saved before you have seen the preview."),
    )


class Importer:
    """What a kind of sheet reads and saves. Subclasses set `kind`, `title`, `columns` and implement
    `preview(user, rows, lock)` (a RowResult per row, with a constant number of queries) and `apply(user,
    results, reason)` (saves the rows that will change, each with history)."""

    kind = ""
    title = ""
    columns = []

    def preview(self, user, rows, *, lock=False):
        raise NotImplementedError

    def apply(self, user, results, reason):
        raise NotImplementedError


def _reason(filename):
    return in_plan_language(gettext_lazy("Uploaded from the sheet %(name)s"), name=filename)


def _render(request, importer, back_url, *, form=None, upload=None, results=None, status=200):
    counts = {
        outcome: sum(r.outcome == outcome for r in results or []) for outcome in (WILL_CHANGE, UNCHANGED, REFUSED)
    }
    return render(
        request,
        "includes/bulk_upload.html",
        {
            "importer": importer,
            "back_url": back_url,
            "form": form or UploadForm(),
            "upload": upload,
            "results": results,
            "counts": counts,
            "fingerprint": fingerprint(results) if results else "",
        },
        status=status,
    )


def bulk_upload(request, importer, back_url):
    """The upload page of `importer`: GET shows the form, POST with a file previews it, POST `apply` saves."""
    if request.method == "POST" and "apply" in request.POST:
        return _apply(request, importer, back_url)
    if request.method != "POST":
        return _render(request, importer, back_url)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, importer, back_url, form=form, status=400)
    sheet = form.cleaned_data["sheet"]
    try:
        if sheet.size > settings.SPREADSHEET_MAX_BYTES:  # refused before it is read
            raise SheetError(too_large())
        data = sheet.read()
        rows = read_sheet(sheet.name, data, importer.columns)
        results = importer.preview(request.user, rows)
    except SheetError as error:
        form.add_error("sheet", error.message)
        form.describe_errors()
        return _render(request, importer, back_url, form=form, status=400)
    SheetUpload.objects.filter(uploaded_at__lt=timezone.now() - KEPT_FOR).delete()
    upload = SheetUpload.objects.create(user=request.user, kind=importer.kind, filename=sheet.name, content=data)
    return _render(request, importer, back_url, upload=upload, results=results)


def _apply(request, importer, back_url):
    upload = get_object_or_404(
        SheetUpload, pk=positive_int(request.POST.get("upload")), user=request.user, kind=importer.kind
    )
    try:
        rows = read_sheet(upload.filename, bytes(upload.content), importer.columns)
    except SheetError as error:  # only if the limits were lowered since the preview
        form = UploadForm()
        form.add_error(None, error.message)
        return _render(request, importer, back_url, form=form, status=400)
    with transaction.atomic():
        results = importer.preview(request.user, rows, lock=True)
        if fingerprint(results) != request.POST.get("fingerprint"):
            messages.warning(
                request, _("Something changed since the preview, so nothing was saved. Here is the preview again.")
            )
            return _render(request, importer, back_url, upload=upload, results=results, status=409)
        changing = [r for r in results if r.outcome == WILL_CHANGE]
        importer.apply(request.user, changing, _reason(upload.filename))
        upload.delete()
    messages.success(
        request,
        ngettext(
            "Saved from %(name)s: %(count)d row changed.", "Saved from %(name)s: %(count)d rows changed.", len(changing)
        )
        % {"name": upload.filename, "count": len(changing)},
    )
    return redirect(back_url)


def choice_reader(choices):
    """A reader of a choice as a sheet has it: its label in any of the application's languages (as the export
    writes it) or its stored value, case and spacing forgiven; None for anything else."""
    known = {}
    for value, label in choices:
        known[normalise(value)] = value
        for language, _name in settings.LANGUAGES:
            with override(language):
                known[normalise(label)] = value
    return lambda text: known.get(normalise(text))


def duplicate_keys(keys_by_row):
    """The row numbers (as "3, 7") of rows whose key another row has too; "" if none."""
    seen, duplicates = {}, []
    for number, key in keys_by_row.items():
        if key is None:
            continue
        if key in seen:
            duplicates += [seen[key], number]
        seen.setdefault(key, number)
    return ", ".join(str(n) for n in sorted(set(duplicates)))
