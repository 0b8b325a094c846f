"""A local stand-in for the API Recherche d'entreprises: it answers ``GET /search`` with the
recorded answers of tests/fixtures/recherche_entreprises (by what is searched), or with the
failure a test asks for; it keeps the queries it was sent."""

import contextlib
import json
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.processes import free_port

FIXTURES = Path(__file__).parent / "fixtures" / "recherche_entreprises"
# The SIRET of the recorded search by SIRET (an establishment of the Cidrerie du Bocage).
RECORDED_SIRET = "81234567600108"
# A search slower than this is one the client gave up on (tests set a shorter timeout).
SLOW_SECONDS = 1.5


def recorded_answer(query: str) -> bytes:
    if query == RECORDED_SIRET:
        name = "search_siret.json"
    elif "cidre" in query.casefold() or "bocage" in query.casefold():
        name = "search_name.json"
    else:
        name = "search_none.json"
    return (FIXTURES / name).read_bytes()


class Replay:
    def __init__(self, url: str):
        self.url = url
        self.queries: list[dict[str, str]] = []
        # None: the recorded answers; else "500", "429", "malformed", "wrong_shape" or "slow".
        self.failure: str | None = None


def _handler(replay: Replay):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parsed = urllib.parse.urlsplit(self.path)
            if parsed.path != "/search":
                return self._send(404, b'{"erreur": "Not found"}')
            query = dict(urllib.parse.parse_qsl(parsed.query))
            replay.queries.append(query)
            failure = replay.failure
            if failure == "500":
                return self._send(500, b'{"erreur": "Internal Server Error"}')
            if failure == "429":
                return self._send(429, b'{"erreur": "Too Many Requests"}', {"Retry-After": "7"})
            if failure == "malformed":
                return self._send(200, b'{"results": [{"siren": "8123')
            if failure == "wrong_shape":
                body = json.dumps({"results": [{"siren": "not a siren"}], "total_results": 1})
                return self._send(200, body.encode())
            if failure == "slow":
                time.sleep(SLOW_SECONDS)
            return self._send(200, recorded_answer(query.get("q", "")))

        def _send(self, status: int, body: bytes, headers: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            # The client may have given up (its timeout) before the answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    return Handler


@contextmanager
def replay_server():
    port = free_port()
    replay = Replay(f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(replay))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
