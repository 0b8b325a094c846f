"""The deployable stack's files hold together: compose's services, and env.example, which
lists every setting the platform reads from the environment and nothing else. (No container
engine runs the tests: the files are checked as data.)"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

# os.environ.get("X"…), os.environ["X"], os.getenv("X"…), environ.setdefault("X"…) and the
# settings' env_bool("X"…) / env_list("X"…).
READ = re.compile(
    r"""(?:environ\.get|environ\.setdefault|getenv|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
# ${NAME}, ${NAME:-default}, ${NAME:?error} in compose; {$NAME} and {$NAME:default} in Caddy.
INTERPOLATED = re.compile(r"\$\{([A-Z][A-Z0-9_]*)|\{\$([A-Z][A-Z0-9_]*)")
LISTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def names(pattern: re.Pattern, text: str) -> set[str]:
    return {next(group for group in match.groups() if group) for match in pattern.finditer(text)}


def read_by_the_code() -> set[str]:
    sources = [*(ROOT / "filiere").rglob("*.py"), ROOT / "manage.py", DEPLOY / "gunicorn.conf.py"]
    found: set[str] = set()
    for path in sources:
        found |= names(READ, path.read_text(encoding="utf-8"))
    return found


def read_by_the_stack() -> set[str]:
    text = (DEPLOY / "compose.yaml").read_text() + (DEPLOY / "Caddyfile").read_text()
    return names(INTERPOLATED, text)


def listed() -> set[str]:
    return names(LISTED, (DEPLOY / "env.example").read_text(encoding="utf-8"))


def test_every_setting_read_from_the_environment_is_in_env_example():
    code = read_by_the_code()
    # The scan finds what it should (a guard against a pattern that finds nothing).
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "FILIERE_S3_BUCKET", "WEB_CONCURRENCY"} <= code
    assert sorted(code - listed()) == []


def test_env_example_lists_only_what_the_code_or_the_stack_reads():
    assert sorted(listed() - read_by_the_code() - read_by_the_stack()) == []


def test_every_variable_of_compose_and_caddy_is_in_env_example():
    assert sorted(read_by_the_stack() - listed()) == []


def test_compose_runs_the_platform_behind_the_proxy_after_migrate():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "migrate", "postgres", "redis"}
    assert services["web"]["command"] == [
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "filiere.wsgi",
    ]
    assert services["worker"]["command"] == ["python", "-m", "filiere", "worker"]
    assert services["beat"]["command"] == ["python", "-m", "filiere", "beat"]
    assert services["migrate"]["command"] == ["python", "-m", "filiere", "migrate", "--noinput"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    for name in ["web", "worker", "beat"]:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["env_file"] == ".env"
        assert "media:/app/var/media" in services[name]["volumes"]
    assert services["proxy"]["build"]["target"] == "proxy"
    assert set(compose["volumes"]) >= {"media", "postgres", "redis"}


def test_the_image_collects_the_static_files_the_proxy_serves():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "FROM python:3.11-slim AS app" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "COPY --from=app /app/var/static /srv/static" in dockerfile
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "handle_path /static/*" in caddyfile
    assert "reverse_proxy" in caddyfile
