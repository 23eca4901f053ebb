"""The API's request parser: JSON bodies and query strings as django-ninja reads them, refusing
the NUL character (U+0000) in any text.

PostgreSQL cannot store or compare text containing NUL, so a code or name carrying one would
end in a server error; the pages' forms refuse it (Django's ProhibitNullCharactersValidator),
and the API answers 422 the same way before anything is looked up or written.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import ValidationError as RequestValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

NUL = "\x00"


def _carries_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_carries_nul(k) or _carries_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_carries_nul(v) for v in value)
    return False


def _refuse(where: str) -> RequestValidationError:
    message = _("Text cannot contain the NUL character (\\u0000).")
    return RequestValidationError([{"loc": (where,), "msg": message, "type": "string_nul"}])


class NulFreeParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if _carries_nul(data):
            raise _refuse("body")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        if any(NUL in key or any(NUL in v for v in values) for key, values in data.lists()):
            raise _refuse("query")
        return super().parse_querydict(data, list_fields, request)
