from datetime import date

from filiere.programme.models import Indicator
from filiere.programme.selectors import indicator_rows
from filiere.projects.models import Partner, Project, Review
from filiere.projects.moves import has_budget, has_consortium


def test_demo_pipeline_loads_the_ilab_winners_once_at_every_stage(normandy_contract, run_command):
    run_command("load_demo_projects")
    projects = Project.objects.all()
    assert projects.count() == 58
    assert all(p.is_demo and "i-Lab" in p.source for p in projects)
    states = set(projects.values_list("state", flat=True))
    assert {"closed", "not_labelled"} <= states
    assert len(states) >= 4
    # A project of today still waits for its expert, so the demo reviewer has work.
    assert Review.objects.filter(has_conflict__isnull=True).exists()
    # The demo has no history of its own: a correction made on it starts one.
    assert not Project.history.exists()
    # Every project was submitted as the workflow asks: a budget, the lead and a partner.
    submitted = projects.exclude(state="draft")
    assert submitted.exists()
    for project in submitted:
        has_budget(project)
        has_consortium(project)

    printed, _ = run_command("load_demo_projects")
    assert "démo déjà chargée" in printed
    assert "expertise@tes.demo.filiere.fr" in printed
    assert Project.objects.count() == 58

    # Most winners brought their project to the cluster during the contract: its
    # dashboard counts them, and only them.
    (row,) = indicator_rows(
        normandy_contract,
        Indicator.objects.filter(code="projets-innovants-labellises"),
        as_of=date(2019, 12, 31),
    )
    labelled_in_contract = (
        Project.objects.filter(
            transitions__to_state="labelled",
            transitions__at__date__gte=date(2017, 1, 1),
            transitions__at__date__lte=date(2019, 12, 31),
        )
        .distinct()
        .count()
    )
    assert row.points[-1].value == labelled_in_contract
    assert labelled_in_contract > 20


def test_the_demo_reset_leaves_no_history_behind(normandy_contract, run_command):
    run_command("load_demo_projects")
    run_command("load_demo_projects", reset=True)
    assert Project.objects.count() == 58
    assert not Project.history.exists()
    assert not Partner.history.exists()
