import pytest

from tests import builders


@pytest.fixture
def admin_user_client(client, db):
    """A logged-in superuser, the way an editor uses the admin."""
    user = builders.make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client
