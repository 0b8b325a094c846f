"""Error reporting starts only with a DSN, and then without personal data."""

from unittest import mock

import sentry_sdk

from filiere.common.reporting import error_reporting_init


def test_no_dsn_no_reporting():
    with mock.patch.object(sentry_sdk, "init") as init:
        assert error_reporting_init(dsn="", environment="production", release="") is False
    init.assert_not_called()
    # The test settings (no SENTRY_DSN) started nothing.
    assert not sentry_sdk.get_client().is_active()


def test_a_dsn_starts_it_without_personal_data():
    with mock.patch.object(sentry_sdk, "init") as init:
        started = error_reporting_init(
            dsn="https://key@errors.invalid/1", environment="recette", release="1.2.3"
        )
    assert started is True
    options = init.call_args.kwargs
    assert options["send_default_pii"] is False
    assert options["environment"] == "recette"
    assert options["release"] == "1.2.3"
    names = {type(integration).__name__ for integration in options["integrations"]}
    assert names == {"DjangoIntegration", "CeleryIntegration"}
