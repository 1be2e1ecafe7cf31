"""Who a login through an identity provider is: the user found or created from the ID token's claims."""

import hashlib

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan.models import Organisation, User
from plan.roles import Role
from sso.models import Identity


class Refused(Exception):
    """A login that gives no access: `message` is shown to the person, `detail` goes to the log."""

    def __init__(self, message, detail):
        super().__init__(detail)
        self.message, self.detail = message, detail


def _claim(claims, name, provider):
    value = claims.get(name)
    if value in (None, "", []):
        raise Refused(
            _("The identity provider did not say who you are (%(claim)s is missing). Ask your IT support.")
            % {"claim": name},
            f"{provider['id']}: the claim {name!r} is missing",
        )
    return value


def _email(claims, provider, user=None):
    email = str(claims.get("email") or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(
            _("The identity provider sent an e-mail address that is not valid. Ask your IT support."),
            f"{provider['id']}: malformed e-mail {email!r}",
        ) from None
    others = User.objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise Refused(
            _("Your e-mail address is already used by another account here. A plan administrator can sort it out."),
            f"{provider['id']}: the e-mail {email!r} belongs to another account",
        )
    return email


def _username(provider, subject):
    name = f"{provider['id']}-{subject}"
    if len(name) <= 150:
        return name
    return f"{provider['id']}-{hashlib.sha256(subject.encode()).hexdigest()}"


def _mapped_roles(claims, provider):
    if not provider["role_claim"]:
        return []
    values = claims.get(provider["role_claim"]) or []
    values = [values] if isinstance(values, str) else values
    names = {provider["role_map"][v] for v in values if v in provider["role_map"]} & set(Role.values)
    return list(Group.objects.filter(name__in=names))


@transaction.atomic
def user_for_claims(provider, claims):
    """The user the verified claims name, created on the first login (its organisation mapped from the
    organisation claim); a later login updates the name and e-mail, and adds roles mapped from a group claim,
    never taking away the roles an administrator gave. Raises Refused, creating or changing nothing."""
    subject = str(_claim(claims, "sub", provider))
    identity = Identity.objects.select_related("user").filter(provider=provider["id"], subject=subject).first()
    user = identity.user if identity else None
    if user is not None and not user.is_active:
        raise Refused(
            _("Your account here has been deactivated. Ask a plan administrator if you need access again."),
            f"{provider['id']}: {subject} is deactivated (user {user.username})",
        )
    first, last = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
    if not (first or last) and claims.get("name"):
        first, _sep, last = str(claims["name"]).partition(" ")
    email = _email(claims, provider, user)
    if user is None:
        code = _claim(claims, provider["organisation_claim"], provider)
        organisation = Organisation.objects.for_identity_code(code)
        if organisation is None:
            raise Refused(
                _("Your organisation is not one of those that follow up the plan here, so you have no access."),
                f"{provider['id']}: {subject} has {provider['organisation_claim']}={code!r}, which maps to no "
                "organisation",
            )
        user = User(username=_username(provider, subject), organisation=organisation)
        user.set_unusable_password()
        identity = Identity(provider=provider["id"], subject=subject)
    user.first_name, user.last_name = first[:150], last[:150]
    if email:
        user.email = email
    user.save()
    user.groups.add(*_mapped_roles(claims, provider))
    identity.user = user
    identity.last_login_at = timezone.now()
    identity.save()
    return user
