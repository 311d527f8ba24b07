"""How a person is named on the public site.

Editors log in with a login name that is theirs to keep private; the public
pages, feeds and exports show only the name they entered (first + last name),
and nothing at all when they entered none.
"""

from django.contrib.auth.models import AbstractBaseUser


def display_name(user: AbstractBaseUser | None) -> str:
    """'An Peeters' for a user with a first and last name, '' for anyone else
    (no user, an anonymous user or a user without a name). Never the login name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return " ".join(f"{user.first_name} {user.last_name}".split())
