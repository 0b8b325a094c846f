"""The settings that turn ProConnect on, from its issuer, client id and secret (read by the
settings module from the environment, and by the tests for their local provider)."""

from urllib.parse import urlsplit

SCOPE = ["openid", "email", "given_name", "usual_name"]


def providers(*, issuer: str, client_id: str, secret: str) -> dict:
    """``SOCIALACCOUNT_PROVIDERS`` for django-allauth."""
    return {
        "proconnect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "proconnect",
                    "name": "ProConnect",
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {
                        "server_url": issuer,
                        # ProConnect's identity providers verify the addresses they give:
                        # an account with the same address is signed in (linked).
                        "verified_email": True,
                        "email_authentication": True,
                    },
                }
            ],
        }
    }


def form_action(issuer: str) -> str:
    """The origin the sign-in form's redirection goes to, for the page's
    Content-Security-Policy (``form-action`` covers the redirections after a form)."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"
