"""The outbox: a mail is written with what it tells, sent once by a worker, tried again while
the mail server refuses it, then kept as failed with the reason; nothing is lost when the
broker cannot take its task."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from filiere.accounts import notifications, tasks
from filiere.accounts.enums import MailCategory, MailStatus
from filiere.accounts.models import OutgoingMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit_at_once():
    """Here on-commit callbacks wait for the commit (captured by each test)."""


def write(address: str = "claire@pixel.test", **context) -> None:
    notifications.send_on_commit(
        [address],
        subject="Votre demande pour rejoindre Pôle TES",
        template="accounts/email/join_decided.txt",
        context={"join_request": None, "granted": True, "link": "/comptes/", **context},
        category=MailCategory.TRANSACTIONAL,
    )


def test_a_mail_goes_once_its_write_commits_and_never_for_a_rolled_back_one(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        write()
        assert OutgoingMail.objects.get().status == MailStatus.PENDING
        assert mail.outbox == []
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts) == (MailStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [["claire@pixel.test"]]

    def failed_action():
        with transaction.atomic():
            write("other@pixel.test")
            raise RuntimeError("the action failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        failed_action()
    assert callbacks == []
    assert not OutgoingMail.objects.filter(to="other@pixel.test").exists()


def test_a_mail_delivered_twice_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write()
    mail_id = OutgoingMail.objects.get().pk
    assert tasks.send_mail.delay(mail_id).get() == "skipped"
    assert len(mail.outbox) == 1


def test_a_refused_mail_is_tried_again_then_kept_as_failed_with_the_reason(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refused(self):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    with django_capture_on_commit_callbacks():
        write()
    outgoing = OutgoingMail.objects.get()
    with pytest.raises(notifications.TransientMailError):
        notifications.deliver(outgoing.pk, last_try=False)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (MailStatus.PENDING, 1)
    assert "Connection unexpectedly closed" in outgoing.last_error
    # The worker's last try (Celery counts them: MAIL_RETRIES in all).
    assert tasks.send_mail.apply(args=(outgoing.pk,), retries=tasks.MAIL_RETRIES - 1).get() == (
        "failed"
    )
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (MailStatus.FAILED, 2)
    assert "not sent" in caplog.text


def test_mails_the_broker_did_not_take_are_resent_later(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def unreachable(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379")

    with monkeypatch.context() as broker_down:
        broker_down.setattr(tasks.send_mail, "delay", unreachable)
        with django_capture_on_commit_callbacks(execute=True):
            write()
    assert "not enqueued" in caplog.text
    waiting = OutgoingMail.objects.get()
    assert waiting.status == MailStatus.PENDING
    assert tasks.resend_waiting_mails.delay().get() == 0  # not yet: it may still be on its way
    OutgoingMail.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert tasks.resend_waiting_mails.delay().get() == 1
    waiting.refresh_from_db()
    assert waiting.status == MailStatus.SENT
    assert len(mail.outbox) == 1


def test_a_mail_whose_worker_stopped_while_sending_is_sent_again():
    taken = OutgoingMail.objects.create(
        to="claire@pixel.test",
        subject="[Filière] Bienvenue",
        body="Bonjour",
        kind="accounts/email/join_decided.txt",
        status=MailStatus.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=20),
    )
    OutgoingMail.objects.filter(pk=taken.pk).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )
    assert tasks.resend_waiting_mails.delay().get() == 1
    taken.refresh_from_db()
    assert taken.status == MailStatus.SENT


def test_sent_mails_are_deleted_after_thirty_days():
    now = timezone.now()
    for days in (29, 31):
        OutgoingMail.objects.create(
            to=f"j{days}@pixel.test",
            subject="s",
            body="b",
            kind="k",
            status=MailStatus.SENT,
            sent_at=now - timedelta(days=days),
        )
    assert tasks.purge_sent_mails.delay().get() == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["j29@pixel.test"]


def test_an_administrator_sends_failed_mails_again_from_the_back_office(
    client, django_capture_on_commit_callbacks
):
    failed = OutgoingMail.objects.create(
        to="claire@pixel.test",
        subject="[Filière] Bienvenue",
        body="Bonjour",
        kind="accounts/email/join_decided.txt",
        status=MailStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected",
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/outgoingmail/",
            {"action": "send_again", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MailStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [["claire@pixel.test"]]
