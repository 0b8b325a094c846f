"""gunicorn's settings for Filière: ``gunicorn -c deploy/gunicorn.conf.py filiere.wsgi``.

Sync workers (the pages are short; long work goes to the Celery worker), WEB_CONCURRENCY of
them; no access log of gunicorn's own, since the platform logs each request as a JSON line
with its id; gunicorn's own messages in the same format (LOG_FORMAT).
"""

import os

from filiere.common.logs import logging_config

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# A request taking longer than this is killed and answered 502 by the proxy.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (a deployment), requests under way get this long to finish.
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (and a few more, so not all at once).
max_requests = 2000
max_requests_jitter = 200

# The addresses whose X-Forwarded-Proto gunicorn believes: the reverse proxy's.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = None
# No control socket (gunicornc) written under the home folder: systemd or compose steer.
control_socket_disable = True
logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "json"), level=os.environ.get("LOG_LEVEL", "INFO")
) | {"loggers": {"gunicorn.error": {"level": "INFO", "propagate": True}}}
