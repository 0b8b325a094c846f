"""The accounts made before sign-up existed were made by operators: their addresses are taken
as verified, so that their owners still sign in once verification is mandatory."""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email.lower(), primary=True, verified=True)
        for user_id, email in User.objects.exclude(pk__in=known).values_list("pk", "email")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_emailoptout_organisation_area"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
