"""Errors with a stable machine-readable code and a Chinese message for the user.

The engine raises these; the API maps `code` to an HTTP status and returns
`{"code", "message", "details"}`; the CLI prints the message and exits non-zero.
"""

from typing import Any


class ZhifaError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(ZhifaError):
    code = "not_found"


class ValidationFailed(ZhifaError):
    """Input data does not satisfy a form schema or a rule's input contract."""

    code = "validation_failed"


class Conflict(ZhifaError):
    """Someone else changed the same case or task first."""

    code = "conflict"


class InvalidState(ZhifaError):
    """The action does not fit the case's current state (e.g. an archived case)."""

    code = "invalid_state"


class Forbidden(ZhifaError):
    code = "forbidden"


class Unauthenticated(ZhifaError):
    code = "unauthenticated"


class TooManyAttempts(ZhifaError):
    """Refused for a while after repeated failures; `details["retry_after_seconds"]` says how long."""

    code = "too_many_attempts"


class ModelError(ZhifaError):
    """A BPMN/DMN/form file is broken; names the file and the element."""

    code = "model_invalid"


class StorageUnavailable(ZhifaError):
    code = "storage_unavailable"


class TooLarge(ZhifaError):
    code = "too_large"


class CalendarUnknownYear(ZhifaError):
    code = "calendar_unknown_year"
