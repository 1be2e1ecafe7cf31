import factory
from django.contrib.auth.models import Group

from plan.models import Organisation, User

PASSWORD = "ett-långt-testlösenord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test's flush also empties the groups the migration made.
            user.groups.add(Group.objects.get_or_create(name=extracted)[0])


def organisation(slug="region-jh"):
    return Organisation.objects.get(slug=slug)
