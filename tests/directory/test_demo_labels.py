"""The demo's labels are requested by the demo company's member and decided by the
coordinator of each label's body, through the services."""

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation
from filiere.common.command import Summary
from filiere.directory import demo
from filiere.directory.models import LabelRequest
from tests.factories import LegalUnitFactory


def test_demo_labels_are_granted_by_the_right_body_once_and_reset(normandy_contract, run_command):
    printed, _ = run_command("load_demo_labels")
    assert "entreprise démo absente" in printed
    company = Organisation.objects.get(slug=DEMO_COMPANY_SLUG)
    unit = LegalUnitFactory(name="Atelier Pixel (démo)", organisation=company, is_demo=True)

    run_command("load_demo_labels")
    decided = {
        r.label.slug: (r.status, r.decided_by.email if r.decided_by else None)
        for r in LabelRequest.objects.select_related("label", "decided_by")
    }
    assert decided == {
        "membre-nwx": ("granted", "coordination@nwx.demo.filiere.fr"),
        "normandy-french-tech": ("granted", "coordination@frenchtech.demo.filiere.fr"),
        "residence-smart-port": ("refused", "coordination@tes.demo.filiere.fr"),
        "membre-pole-tes": ("pending", None),
    }
    assert all(r.is_demo for r in LabelRequest.objects.all())
    assert all(
        r.requested_by.email == "contact@atelier-pixel.demo.filiere.fr"
        for r in LabelRequest.objects.select_related("requested_by")
    )
    assert sorted(unit.labels.values_list("slug", flat=True)) == [
        "membre-nwx",
        "normandy-french-tech",
    ]

    printed, _ = run_command("load_demo_labels")
    assert "démo déjà chargée" in printed
    assert LabelRequest.objects.count() == 4

    # Cleared, the demo's requests take the labels they granted with them.
    demo.demo_clear(Summary())
    assert not LabelRequest.objects.exists()
    assert not unit.labels.exists()
    run_command("load_demo_labels", "--reset")
    assert LabelRequest.objects.count() == 4
    assert unit.labels.count() == 2
