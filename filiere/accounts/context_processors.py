from filiere.accounts.selectors import user_roles


def roles(request) -> dict:
    """The signed-in user's roles (names), for the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role_names": frozenset()}
    return {"user_role_names": frozenset(role for _org, role in user_roles(user))}
