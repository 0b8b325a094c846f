"""The members a firm had before teams had admins all ran its page: they stay its admins, so
that no firm is left without someone to invite colleagues and decide who joins."""

from django.db import migrations


def firm_members_admins(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    Membership.objects.filter(organisation__kind="company", is_active=True).update(is_admin=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_join_requests_invitations")]

    operations = [migrations.RunPython(firm_members_admins, migrations.RunPython.noop)]
