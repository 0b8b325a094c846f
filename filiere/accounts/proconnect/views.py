"""The sign-in and callback views of ProConnect: django-allauth's OpenID Connect views with
the adapter that reads signed user information."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse


class ProConnectAdapter(OpenIDConnectOAuth2Adapter):
    def get_callback_url(self, request, app):
        url = reverse("proconnect_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)

    def _fetch_user_info(self, access_token: str) -> dict:
        headers = {"Authorization": f"Bearer {access_token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
        if response.headers.get("Content-Type", "").startswith("application/jwt"):
            # Signed by the provider, with the keys it publishes: verified, then read.
            return jwtkit.verify_and_decode(
                credential=response.text,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=self.get_provider().app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
            )
        return response.json()


def _adapted(view_class, request, provider_id):
    try:
        return view_class.adapter_view(ProConnectAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def login(request, provider_id):
    return _adapted(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request, provider_id):
    return _adapted(OAuth2CallbackView, request, provider_id)
