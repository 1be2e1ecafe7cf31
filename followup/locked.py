from django.shortcuts import render


def refuse_locked(request, followup):
    """The answer to a change that a locked follow-up holds: what is locked, and who can unlock it (409)."""
    return render(request, "followup/followup_locked.html", {"followup": followup}, status=409)
