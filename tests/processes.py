"""Talking to platform processes the tests start themselves (servers on their own ports)."""

import re
import socket

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_form(
    session: requests.Session, url: str, path: str, data: dict, *, action: str = ""
) -> requests.Response:
    """Send a form as a browser does: open its page for the CSRF token, then post it (to
    ``action`` when the form sends elsewhere)."""
    page = session.get(f"{url}{path}", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return session.post(
        f"{url}{action or path}",
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}{path}"},
        allow_redirects=False,
        timeout=10,
    )
