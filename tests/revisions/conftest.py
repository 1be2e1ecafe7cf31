import datetime

import pytest

from revisions.services import start_revision


@pytest.fixture
def draft(plan, plan_admin):
    """The 2027 revision, started from the revision in force."""
    return start_revision(plan, label="2027", in_force_from=datetime.date(2026, 12, 1), user=plan_admin)
