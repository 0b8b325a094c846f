import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.common.refusals import Refused
from filiere.registers import services
from filiere.registers.models import Cohort, Hosting
from tests.factories import (
    CohortFactory,
    HostingFactory,
    LegalUnitFactory,
    OrganisationFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    TrainingPathFactory,
    UserFactory,
    member,
)

# A form posted from the hostings page, as a browser sends it: a refusal comes back there.
FROM_THE_LIST = {"HTTP_REFERER": "http://testserver/registres/residences/"}


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def residence(db):
    tes = OrganisationFactory(slug="pole-tes", kind=OrganisationKind.CLUSTER)
    return ResidenceFactory(name="Agri up", operator=tes, capacity=2)


@pytest.fixture
def coordinator(residence):
    return member(residence.operator, Role.COORDINATOR)


def test_the_operator_opens_a_cohort_and_hosts_firms_up_to_capacity(client, residence, coordinator):
    client.force_login(coordinator)
    page = text(client.get(reverse("registers:hostings")))
    assert "Accueillir une entreprise" in page
    client.post(
        reverse("registers:cohort_open"),
        {"residence": residence.pk, "name": "Promotion 2019", "starts_on": "2019-01-15"},
    )
    cohort = Cohort.objects.get(name="Promotion 2019")
    response = client.post(
        reverse("registers:cohort_open"),
        {"residence": residence.pk, "name": "promotion 2019", "starts_on": "2019-02-01"},
    )
    assert response.status_code == 422
    assert "déjà une promotion de ce nom" in text(response)
    assert response.context["cohort_form"].errors["name"] == [
        "Cette résidence a déjà une promotion de ce nom."
    ]

    url = reverse("registers:hosting_add")
    unit = LegalUnitFactory(name="Ferme connectée")
    bad = [
        ({"siren": "123456789"}, "n'est pas un SIREN valide"),
        ({"siren": LegalUnitFactory.build().siren}, "pas dans l'annuaire"),
        ({}, "Donnez le nom de l'entreprise ou son SIREN"),
        ({"firm_name": "Trop tôt", "entered_on": "2018-12-01"}, "précéder le début"),
    ]
    for fields, error in bad:
        form = {"cohort": cohort.pk, "entered_on": "2019-02-01", **fields}
        response = client.post(url, form)
        assert response.status_code == 422, error
        assert error in text(response)
    assert not Hosting.objects.exists()
    # The refusal of the service sits on the date it concerns.
    assert "précéder le début" in str(response.context["hosting_form"].errors["entered_on"])

    client.post(url, {"cohort": cohort.pk, "siren": unit.siren, "entered_on": "2019-02-01"})
    client.post(url, {"cohort": cohort.pk, "firm_name": "Drone", "entered_on": "2019-02-01"})
    response = client.post(
        url, {"cohort": cohort.pk, "firm_name": "Une de trop", "entered_on": "2019-03-01"}
    )
    assert response.status_code == 422
    assert "complète à cette date (2 places)" in text(response)
    assert response.context["hosting_form"].non_field_errors() == [
        "La résidence est complète à cette date (2 places)."
    ]
    assert sorted(Hosting.objects.values_list("firm_name", "legal_unit")) == [
        ("Drone", None),
        ("Ferme connectée", unit.pk),
    ]


def test_an_exit_is_recorded_once_and_frees_the_seat(client, residence, coordinator):
    hosting = HostingFactory(cohort__residence=residence, entered_on=date(2019, 2, 1))
    url = reverse("registers:hosting_leave", args=[hosting.pk])
    client.force_login(coordinator)
    response = client.post(url, {"left_on": "2019-01-01", "outcome": "grown"}, **FROM_THE_LIST)
    assert response.url == FROM_THE_LIST["HTTP_REFERER"]
    page = text(client.get(response.url))
    assert "La sortie ne peut pas précéder l'entrée" in page
    assert "Enregistrer la sortie" in page
    page = text(client.post(url, {"left_on": "2020-01-31", "outcome": "hosted"}, follow=True))
    assert "Sortie de" in page
    assert "non enregistrée" in page
    client.post(url, {"left_on": "2020-01-31", "outcome": "grown", "outcome_note": "12 salariés"})
    hosting.refresh_from_db()
    assert (hosting.left_on, hosting.outcome, hosting.outcome_note) == (
        date(2020, 1, 31),
        "grown",
        "12 salariés",
    )
    page = text(client.get(reverse("registers:hostings")))
    assert "Enregistrer la sortie" not in page
    page = text(
        client.post(
            url, {"left_on": "2020-02-28", "outcome": "ceased"}, follow=True, **FROM_THE_LIST
        )
    )
    assert "déjà enregistrée" in page
    hosting.refresh_from_db()
    assert hosting.outcome == "grown"
    # The seat is free again from the day after the exit.
    cohort = CohortFactory(residence=residence, starts_on=date(2020, 1, 1))
    HostingFactory(cohort=cohort, entered_on=date(2020, 1, 15))
    client.post(
        reverse("registers:hosting_add"),
        {"cohort": cohort.pk, "firm_name": "Nouvelle", "entered_on": "2020-02-01"},
    )
    assert Hosting.objects.filter(firm_name="Nouvelle").exists()


def test_other_organisations_cannot_run_the_residence(client, residence):
    hosting = HostingFactory(cohort__residence=residence)
    outsider = member(OrganisationFactory(), Role.COORDINATOR)
    client.force_login(outsider)
    assert "Accueillir une entreprise" not in text(client.get(reverse("registers:hostings")))
    response = client.post(
        reverse("registers:hosting_add"),
        {"cohort": hosting.cohort.pk, "firm_name": "Intruse", "entered_on": "2019-02-01"},
    )
    assert response.status_code == 403
    leave = reverse("registers:hosting_leave", args=[hosting.pk])
    assert client.post(leave, {"left_on": "2020-01-31", "outcome": "grown"}).status_code == 403
    assert Hosting.objects.count() == 1
    hosting.refresh_from_db()
    assert hosting.left_on is None


def test_staff_runs_no_residence_the_regions_officers_and_administrators_run_them_all(
    client, residence
):
    """A staff account ran every residence; staff now only enters the Django admin."""
    residence.capacity = 3
    residence.save()
    hosting = HostingFactory(cohort__residence=residence, entered_on=date(2019, 2, 1))
    add = reverse("registers:hosting_add")
    leave = reverse("registers:hosting_leave", args=[hosting.pk])
    client.force_login(UserFactory(is_staff=True))
    assert "Accueillir une entreprise" not in text(client.get(reverse("registers:hostings")))
    firm = {"cohort": hosting.cohort.pk, "firm_name": "Par le staff", "entered_on": "2019-02-01"}
    assert client.post(add, firm).status_code == 403
    assert client.post(leave, {"left_on": "2020-01-31", "outcome": "grown"}).status_code == 403

    officer = member(OrganisationFactory(), Role.PROGRAMME_OFFICER)
    for runner, firm_name in (
        (UserFactory(is_superuser=True), "Par l'admin"),
        (officer, "Par la Région"),
    ):
        client.force_login(runner)
        assert "Accueillir une entreprise" in text(client.get(reverse("registers:hostings")))
        assert client.post(add, {**firm, "firm_name": firm_name}).status_code == 302
    client.post(leave, {"left_on": "2020-01-31", "outcome": "grown"})
    hosting.refresh_from_db()
    assert hosting.left_on == date(2020, 1, 31)
    assert set(Hosting.objects.values_list("firm_name", flat=True)) == {
        hosting.firm_name,
        "Par l'admin",
        "Par la Région",
    }


def test_the_services_check_who_runs_the_residence_and_name_their_refusals(residence, coordinator):
    cohort = CohortFactory(residence=residence, starts_on=date(2019, 1, 15))
    outsider = member(OrganisationFactory(), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.cohort_open(
            user=outsider, residence=residence, name="Intruse", starts_on=date(2019, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.hosting_add(
            user=outsider,
            cohort=cohort,
            firm_name="Intruse",
            legal_unit=None,
            entered_on=date(2019, 2, 1),
        )
    with pytest.raises(Refused) as refused:
        services.cohort_open(
            user=coordinator,
            residence=residence,
            name=f" {cohort.name.upper()} ",
            starts_on=date(2019, 1, 1),
        )
    assert (refused.value.rule, refused.value.field) == ("registers.cohort_name_taken", "name")
    hosting = HostingFactory(cohort=cohort, entered_on=date(2019, 2, 1))
    # The exit form offers no « still hosted »; the service refuses it all the same.
    with pytest.raises(Refused) as refused:
        services.hosting_leave(
            user=coordinator, hosting=hosting, left_on=date(2020, 1, 1), outcome="hosted", note=""
        )
    assert (refused.value.rule, refused.value.field) == (
        "registers.exit_without_outcome",
        "outcome",
    )
    assert Cohort.objects.count() == 1
    assert Hosting.objects.get().left_on is None


def test_register_lists_read_in_a_fixed_number_of_queries(client, residence, coordinator):
    client.force_login(coordinator)

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    HostingFactory(cohort__residence=residence, legal_unit=LegalUnitFactory())
    TrainingPathFactory(provider=LegalUnitFactory())
    ThirdPlaceFactory()
    urls = [
        reverse(name)
        for name in (
            "registers:hostings",
            "registers:training_paths",
            "registers:third_places",
            "registers:home",
        )
    ]
    first = [queries(url) for url in urls]
    for _ in range(4):
        HostingFactory(cohort=CohortFactory(residence=residence), legal_unit=LegalUnitFactory())
        TrainingPathFactory(provider=LegalUnitFactory())
        ThirdPlaceFactory()
    assert [queries(url) for url in urls] == first
