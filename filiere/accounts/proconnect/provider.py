from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from filiere.accounts.proconnect.config import SCOPE
from filiere.accounts.proconnect.views import ProConnectAdapter


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    oauth2_adapter_class = ProConnectAdapter

    def get_default_scope(self):
        return SCOPE

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        # ProConnect names the family name « usual_name ».
        picked = data.get("userinfo") or data.get("id_token") or data
        fields["last_name"] = fields.get("last_name") or picked.get("usual_name")
        return fields


provider_classes = [ProConnectProvider]
