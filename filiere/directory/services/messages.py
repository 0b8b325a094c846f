"""A signed-in person writes to a firm from its directory page: the message goes where
``directory.recipients`` says (its members, else its contact address, else the advisers who
follow it, else the programme officers), and the sender is told which."""

from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import send_on_commit
from filiere.common.refusals import Refused
from filiere.directory import access
from filiere.directory.models import LegalUnit
from filiere.directory.recipients import Recipients, firm_mail_context, firm_recipients


def firm_message_send(*, unit: LegalUnit, user, message: str) -> Recipients:
    """Send the message (with the sender's name and address, to answer them); return who
    received it, whose route the sender reads. Nobody to receive it is refused in words."""
    access.check_contact_firm(user, unit)
    message = message.strip()
    if not message:
        raise Refused(
            "directory.message_empty", _("Écrivez votre message à l'entreprise."), field="message"
        )
    recipients = firm_recipients(unit)
    if not recipients:
        raise Refused(
            "directory.firm_unreachable",
            _(
                "Personne ne peut encore recevoir un message pour %(name)s sur la plateforme : "
                "votre message n'est pas envoyé."
            )
            % {"name": unit.name},
        )
    sender = str(user)
    if recipients.relayed:
        subject = f"Message pour {unit.name}, de {sender}, à transmettre"
    else:
        subject = f"Message de {sender} via l'annuaire"
    send_on_commit(
        recipients.addresses,
        subject=subject,
        template="directory/email/firm_message.txt",
        context={
            "sender": sender,
            "sender_email": user.email,
            "message": message,
            **firm_mail_context(unit, recipients),
        },
        category=MailCategory.TRANSACTIONAL,
    )
    return recipients
