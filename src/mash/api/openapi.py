"""The API's error answers, documented on every operation they can come from.

django-ninja documents only the responses an operation declares, but every operation can
also answer with one of ninja's own errors: 400 when a body is not JSON, 401 when a
session-authenticated operation is called signed out, 403 when a signed-in unsafe request
lacks the CSRF token, 404 when an object in the path does not exist or is not visible to
the caller (the house rule: the same answer either way), and 422 when the parameters or
the body do not validate (a body nested more than 32 levels deep among them), 413 when
the body is over the size limit (``mash.api.middleware``), and 429 when the caller went
over the API's rate limit (``mash.api.throttling``). Clients (and the schemathesis run
in ``tests/security``) read the document to know what to expect, so each operation lists
the ones that apply to it, with their bodies. An answer an operation declares itself
(e.g. the decision's own 422) is kept as declared.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from pydantic import ConfigDict, Field

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


class ErrorMessage(Schema):
    detail: str = Field(description="what went wrong, in words")


class ErrorProblem(Schema):
    model_config = ConfigDict(extra="allow")

    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str = Field(description="what is wrong, in words")
    type: str = Field(description="a machine-readable kind of problem")


class ErrorProblems(Schema):
    detail: list[ErrorProblem]


def _response(description: str, name: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers that apply to each operation of ``schema`` (in place)."""
    used = False
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in UNSAFE_METHODS | {"get", "head", "options"}:
                continue
            responses: dict[int | str, Any] = operation.setdefault("responses", {})
            # django-ninja keys responses by int status; a JSON document cannot hold both
            # 422 and "422", so compare as text.
            declared = {str(status) for status in responses}
            extra: dict[int, dict[str, Any]] = {}
            if operation.get("security"):
                extra[401] = _response("Not signed in.", "ErrorMessage")
                if method in UNSAFE_METHODS:
                    extra[403] = _response("The CSRF token is missing or wrong.", "ErrorMessage")
            if "{" in path and operation.get("security"):
                extra[403] = _response(
                    "The CSRF token is missing or wrong, or the object belongs to a "
                    "restricted enquiry (break the glass in the hub's pages first)."
                    if method in UNSAFE_METHODS
                    else "The object belongs to a restricted enquiry: break the glass in the "
                    "hub's pages first.",
                    "ErrorMessage",
                )
            if "{" in path:
                extra[404] = _response(
                    "Not found, or not visible to you (the same answer).", "ErrorMessage"
                )
            if operation.get("requestBody"):
                extra[400] = _response("The body is not JSON.", "ErrorMessage")
                extra[413] = _response(
                    "The body is larger than the API reads (API_MAX_BODY_BYTES, 1 MiB by default).",
                    "ErrorMessage",
                )
            if operation.get("parameters") or operation.get("requestBody"):
                extra[422] = _response(
                    "The parameters or the body do not validate; each problem names its field.",
                    "ErrorProblems",
                )
            extra[429] = _response(
                "Too many requests: over the API's rate limit. Wait for the number of "
                "seconds in the Retry-After header.",
                "ErrorMessage",
            ) | {
                "headers": {
                    "Retry-After": {
                        "description": "seconds to wait before trying again",
                        "schema": {"type": "integer"},
                    }
                }
            }
            for status, response in extra.items():
                if str(status) not in declared:
                    responses[status] = response
                    used = True
    if used:
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorMessage, ErrorProblems):
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components.setdefault(model.__name__, definition)
    return schema


class HubAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers (``document_errors``)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema
