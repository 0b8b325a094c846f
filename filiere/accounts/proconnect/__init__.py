"""ProConnect, the State's identity federation: an OpenID Connect provider for django-allauth
whose user information may come signed (``application/jwt``), as ProConnect sends it."""
