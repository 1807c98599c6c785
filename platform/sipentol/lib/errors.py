"""Turning a refused action into the sentence a person reads."""

from django.core.exceptions import ValidationError


def error_text(exc: Exception) -> str:
    """A ValidationError's messages joined; any other refusal's own message."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
