from datetime import date

from django.test import override_settings

from filiere.programme.models import Indicator
from filiere.programme.selectors import indicator_rows
from filiere.registers.models import Residence, ThirdPlace, TrainingPath
from tests.factories import DepartementFactory


def register_counts() -> tuple[int, int, int, int]:
    return (
        Residence.objects.count(),
        ThirdPlace.objects.count(),
        ThirdPlace.objects.filter(status="labelled").count(),
        TrainingPath.objects.count(),
    )


def test_demo_registers_load_once_keep_real_decisions_and_reset(normandy_contract, run_command):
    for code in ("14", "27", "50", "61", "76"):
        DepartementFactory(code=code)
    printed, _ = run_command("load_demo_registers")
    assert "168" in printed
    loaded = register_counts()
    residences, places, labelled, paths = loaded
    assert (residences, places) == (3, 168)
    assert 0 < labelled < places
    assert paths > 0
    assert not ThirdPlace.objects.filter(status="labelled", is_demo=False).exists()
    assert all("ANCT" in source for source in ThirdPlace.objects.values_list("source", flat=True))

    printed, _ = run_command("load_demo_registers")
    assert "démo déjà chargée" in printed
    assert register_counts() == loaded

    # A real decision taken on a referenced site survives a reset; the demo comes back whole.
    real = ThirdPlace.objects.filter(status="referenced").first()
    ThirdPlace.objects.filter(pk=real.pk).update(
        status="labelled", applied_on=date(2019, 1, 5), decided_on=date(2019, 3, 1)
    )
    run_command("load_demo_registers", "--reset")
    real.refresh_from_db()
    assert real.status == "labelled"
    assert register_counts() == (residences, places, labelled + 1, paths)

    (row,) = indicator_rows(
        normandy_contract,
        Indicator.objects.filter(code="tiers-lieux-labellises"),
        as_of=date(2019, 12, 31),
    )
    assert row.uses_demo_data
    assert (
        row.points[-1].value
        == ThirdPlace.objects.filter(status="labelled", decided_on__year=2019).count()
    )


@override_settings(FILIERE_REGION="53")
def test_the_demo_registers_belong_to_the_platforms_region(normandy_contract, run_command):
    """The platform serving another région has no Normandy registers to generate."""
    printed, _ = run_command("load_demo_registers")
    assert "région ou pôle TES absent" in printed
    assert not Residence.objects.exists()
