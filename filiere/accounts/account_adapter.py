"""django-allauth's mails (address confirmation, password reset, e-mail change) go through the
platform's outbox like every other mail: written in the request's transaction, sent by a
worker, transactional (whatever the person's choices), in plain text and HTML."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string

from filiere.accounts.models import OutgoingMail
from filiere.accounts.notifications import SUBJECT_LENGTH, queue_mails


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        html = next(
            (text for text, kind in getattr(message, "alternatives", []) if kind == "text/html"),
            message.body if message.content_subtype == "html" else "",
        ) or render_to_string(
            "accounts/email/base.html",
            {"subject": message.subject, "content": message.body, "transactional": True},
        )
        queue_mails(
            [
                OutgoingMail(
                    to=address,
                    subject=message.subject[:SUBJECT_LENGTH],
                    body=message.body,
                    html=html,
                    headers=dict(message.extra_headers),
                    kind=template_prefix,
                )
                for address in message.to
            ]
        )
