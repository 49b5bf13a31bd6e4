"""What every API operation shares: input fields derived from the model fields they fill, the
one error shape with the statuses each operation documents, and bounded paging.

No `from __future__ import annotations` here: django-ninja and pydantic read the annotations
at runtime.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.text import capfirst
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator
from pydantic.fields import FieldInfo

# Not a translated string: an API's field names and messages are for programmers.
INVALID_INPUT = "Invalid input"


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in a sentence")
    errors: dict[str, list[str]] | None = Field(
        None, description="For invalid input (422): the messages for each field at fault"
    )


# Why an operation answers each error status; every operation lists those it can give.
ERROR_STATUSES = {
    400: "The body is not JSON",
    401: "No token or signed-in session, or a revoked or expired token",
    403: "A scope the token lacks, a role that may not, two-factor set-up still owed, or a "
    "failed CSRF check",
    404: "No such record, or one outside your reach: the two look alike",
    422: "Input the records cannot hold; `errors` has the messages per field",
}


def errors(*statuses: int) -> dict[int, Any]:
    """The error responses of an operation: 401 and 403, which every operation can give
    (each acts as a person, and may refuse them), and the `statuses` it can give besides."""
    return dict.fromkeys(sorted({401, 403, *statuses}), ErrorOut)


_no_nul = ProhibitNullCharactersValidator()


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(str(_no_nul.message))
    return value


def _checker(field: models.Field[Any, Any]) -> Any:
    """The model field's own checks (blank, choices, length, URL, email, plain text...) on an
    API value, reported as pydantic reports its own, so the API refuses what saving would."""

    def check(value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, str):
            _without_nul(value)  # text columns cannot hold NUL (PostgreSQL refuses it)
        try:
            return field.clean(value, None)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from exc

    return AfterValidator(check)


def model_field(
    model: type[models.Model],
    name: str,
    default: Any = ...,
    *,
    unchanged_when_omitted: bool = False,
    description: str = "",
) -> Any:
    """A schema field for the model field `name`: its length, choices and format show in the
    OpenAPI description and its validators run on input. Whether null is allowed is the
    annotation's to say (`str` for a NOT NULL column, `str | None` where the column allows
    it). `unchanged_when_omitted` is for PATCH: the field may be left out, but not be null."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    extra: dict[str, Any] = {}
    # An empty value is no email or URL to a JSON Schema validator: a field that may be blank
    # is checked (field.clean) without announcing the format.
    if isinstance(field, models.EmailField) and not field.blank:
        extra["format"] = "email"
    elif isinstance(field, models.URLField) and not field.blank:
        extra["format"] = "uri"
    if field.choices:
        extra["enum"] = [value for value, _label in field.flatchoices]
    if unchanged_when_omitted:
        default = None  # never validated, never stored: `exclude_unset` leaves it out

    def document(schema: dict[str, Any]) -> None:
        schema.update(extra)
        if unchanged_when_omitted:
            schema.pop("default", None)  # omitted means "as it is", not null

    lengths: dict[str, Any] = {}
    if isinstance(field, models.CharField):
        lengths = {"max_length": field.max_length, "min_length": None if field.blank else 1}
    info: FieldInfo = Field(
        default,
        description=description or capfirst(str(field.help_text or field.verbose_name)),
        json_schema_extra=document,
        **lengths,
    )
    info.metadata.append(_checker(field))
    return info


def text(default: Any = ..., *, max_length: int = 200, description: str | None = None) -> Any:
    """A free-text input that fills no column (a filter, a search): bounded, without NUL."""
    info: FieldInfo = Field(default, max_length=max_length, description=description)
    info.metadata.append(
        AfterValidator(lambda value: None if value is None else _without_nul(value))
    )
    return info


class Paging(LimitOffsetPagination):
    """Limit and offset, both bounded: an offset past any real list is refused with 422
    rather than handed to the database (SQLite cannot hold it; PostgreSQL errs)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="At most 1,000 per page")
        offset: int = Field(0, ge=0, le=10_000_000, description="How many to skip")
