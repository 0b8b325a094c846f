"""Reads of the keys page: an organisation's keys and their latest calls."""

from filiere.partners.models import ApiCall, ApiKey

CALLS_SHOWN = 50


def organisation_keys(organisation):
    return list(ApiKey.objects.filter(organisation=organisation).select_related("created_by"))


def latest_calls(organisation):
    return list(
        ApiCall.objects.filter(key__organisation=organisation).select_related("key")[:CALLS_SHOWN]
    )
