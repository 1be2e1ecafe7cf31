"""SubActivity's get_status_display and get_answer_display give what Django's own would, in every language."""

import pytest
from django.db.models import Model
from django.utils import translation

from activities.models import SubActivity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "field, values",
    [("status", [*SubActivity.Status.values, "okand"]), ("answer", [*SubActivity.Answer.values, "okand"])],
)
def test_it_gives_the_label_djangos_get_display_gives(language, field, values):
    sub = SubActivity.objects.first()
    model_field = SubActivity._meta.get_field(field)
    with translation.override(language):
        for value in values:
            setattr(sub, field, value)
            ours = getattr(sub, f"get_{field}_display")()
            assert ours == Model._get_FIELD_display(sub, model_field) and type(ours) is str, value
