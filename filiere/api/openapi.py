"""What the OpenAPI says of every operation beside its own answers: the answers the API gives
to any request (a body that cannot be read, a value the schema refuses, an id not found, a
key refused), so that a client, and schemathesis, know every status it may receive."""

from filiere.common.api import ErrorOut, InvalidOut
from filiere.partners.schemas import KeyErrorOut

PUBLIC = "SessionOrPublic"
KEY = "KeyAuth"


def _answer(schema, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema.model_json_schema()}},
    }


def _add(answers: dict, status: int, answer: dict) -> None:
    # ninja keys the answers by number; JSON turns them into strings.
    if status not in answers and str(status) not in answers:
        answers[status] = answer


def complete(openapi: dict) -> dict:
    """Add the common answers to each operation, and say that the read endpoints need no
    credential (their security requirement ``SessionOrPublic`` becomes the empty one)."""
    for path, operations in openapi.get("paths", {}).items():
        for operation in operations.values():
            answers = operation.setdefault("responses", {})
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            if takes_input:
                _add(answers, 422, _answer(InvalidOut, "Valeur refusée"))
                _add(answers, 400, _answer(ErrorOut, "Requête illisible, ou un caractère nul"))
            if "{" in path:
                _add(answers, 404, _answer(ErrorOut, "Introuvable"))
            security = operation.get("security", [])
            if any(KEY in requirement for requirement in security):
                for status in (401, 403, 429):
                    _add(answers, status, _answer(KeyErrorOut, "Clé refusée"))
            operation["security"] = [
                {} if PUBLIC in requirement else requirement for requirement in security
            ]
            if not operation["security"]:
                del operation["security"]
    openapi.get("components", {}).get("securitySchemes", {}).pop(PUBLIC, None)
    return openapi
