"""The demo's providers: one in four publishes a contact address of the demo's own domain."""

from filiere.directory.models import LegalUnit
from filiere.needs.models import Need, ProviderOffer
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory


def test_some_demo_providers_get_a_demo_contact_address_and_lose_it_on_clear(db, run_command):
    for code in ["14118", "76540", "50502"]:
        CommuneFactory(code=code, name=f"Commune {code}", population=int(code))
    firms = [LegalUnitFactory(naf="62.01Z", is_demo=True) for _ in range(8)]
    for firm in firms:
        EstablishmentFactory(legal_unit=firm, is_head_office=True, is_demo=True)
    real = LegalUnitFactory(naf="62.01Z", contact_email="accueil@vraie-entreprise.fr")

    run_command("load_demo_needs")
    addresses = dict(LegalUnit.objects.filter(is_demo=True).values_list("pk", "contact_email"))
    published = sorted(a for a in addresses.values() if a)
    assert len(published) == 2
    assert all(a.startswith("contact@") and a.endswith(".demo.filiere.fr") for a in published)
    assert ProviderOffer.objects.filter(is_demo=True).count() == 8
    # The demo's needs come from the platform's région's towns.
    assert Need.objects.filter(is_demo=True).count() == 36
    assert set(Need.objects.filter(is_demo=True).values_list("commune__code", flat=True)) <= {
        "14118",
        "76540",
        "50502",
    }

    run_command("load_demo_needs", "--clear")
    assert not LegalUnit.objects.filter(is_demo=True).exclude(contact_email="").exists()
    real.refresh_from_db()
    assert real.contact_email == "accueil@vraie-entreprise.fr"  # real data is left as it is
