"""Type-ahead pickers: people choose an organization, a place or a person by typing part of its
name, its pinyin initials or its code, never by knowing the code (ADR 12).

The kernel knows no app, so each app registers the *kinds* it offers (`picker_register`, in its
`pickers` module, found like the admin's modules): a kind says what a viewer may choose from (`scope`), how typed text
narrows it (`match`) and how each result reads, with the full path of its ancestors
(`describe`, one query for all of them). `PickerField` is the form field of a kind, and
`lianxin.core.picker_views.picker_search` the one page its widget asks for results.
"""

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from lianxin.core.params import id_or_none
from lianxin.core.types import Person

# A picker shows at most this many results; typing more narrows them.
MAX_RESULTS = 20
# Typed text beyond this length is cut: no name or code is longer.
MAX_QUERY = 50
PATH_SEPARATOR = " › "
DEFAULT_HINT = _("Type a name, pinyin initials or a code")

_NOT_INITIALS = re.compile(r"[^a-z0-9]")


@functools.lru_cache(maxsize=65_536)
def pinyin_initials(text: str) -> str:
    """The lowercase pinyin initials of `text`: 怡岛社区 → "ydsq"; letters and digits kept ("A3" → "a3").

    Kept per text: names repeat (an import of 100,000 people meets the same names many times), and
    pypinyin's segmentation is the dearest step of checking a roster row."""
    parts = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
    return _NOT_INITIALS.sub("", "".join(parts).lower())


def clean_query(value: object) -> str:
    """Typed text as a search: printable characters only, single spaces, at most MAX_QUERY long."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY]


@dataclass(frozen=True)
class Choice:
    """One result as the picker shows it."""

    key: str  # what the form receives: a code or an id
    label: str  # the item's own name
    path: str = ""  # its ancestors, top first, joined by PATH_SEPARATOR
    detail: str = ""  # a second line: a masked phone, an organization
    browsable: bool = False  # it has children to open (area and organization trees)

    @property
    def full(self) -> str:
        """What the text box shows once chosen: the whole path."""
        return f"{self.path}{PATH_SEPARATOR}{self.label}" if self.path else self.label


@dataclass(frozen=True)
class PickerKind:
    name: str
    # Everything `user` may choose; an anonymous user gets only what is public (often nothing).
    scope: Callable[[Person], QuerySet[Any]]
    # The scope narrowed by the typed text (already cleaned, never empty), in display order.
    match: Callable[[QuerySet[Any], str], QuerySet[Any]]
    # The results as they read, in their order (one query for all their ancestors).
    describe: Callable[[list[Any]], list[Choice]]
    # The field holding the value a form receives ("code" keeps `?org=CODE` links working).
    key: str = "pk"
    # Without JavaScript the text box itself is sent: what else typed text may name (a code,
    # an exact name, a user name), or None.
    fallback: Callable[[QuerySet[Any], str], Any] | None = None
    # Tree kinds: the children of the item with this key in the scope (None: the top level).
    children: Callable[[QuerySet[Any], str | None], QuerySet[Any]] | None = None
    # The parent's key of the item with this key (None at the top): the browser's way up.
    parent_key: Callable[[QuerySet[Any], str], str | None] | None = None
    # What the empty text box says (a lazy translation); None: DEFAULT_HINT.
    hint: Any = None

    @property
    def placeholder(self) -> Any:
        return self.hint or DEFAULT_HINT


_KINDS: dict[str, PickerKind] = {}
_discovered = False


def picker_register(kind: PickerKind) -> None:
    """Offer a kind (from an app's `pickers` module); registering a name again replaces it."""
    _KINDS[kind.name] = kind


def _registry() -> dict[str, PickerKind]:
    """The kinds, once every installed app's `pickers` module has been imported (as the admin finds
    `admin` modules): the kernel names no app."""
    global _discovered
    if not _discovered:
        autodiscover_modules("pickers")
        _discovered = True
    return _KINDS


def picker_kind(name: str) -> PickerKind | None:
    return _registry().get(name)


def picker_kinds() -> Mapping[str, PickerKind]:
    return dict(_registry())


def picker_search(*, user: Person, kind: PickerKind, query: str, limit: int = MAX_RESULTS) -> list[Choice]:
    """At most `limit` of what `user` may choose that match `query`; nothing for empty text."""
    query = clean_query(query)
    if not query:
        return []
    rows = list(kind.match(kind.scope(user), query)[: max(1, min(limit, MAX_RESULTS))])
    return kind.describe(rows)


@dataclass(frozen=True)
class Level:
    """One level of a tree kind's browser: where it is, the way up, what lies below."""

    here: Choice | None
    up_key: str | None
    choices: list[Choice]


def picker_browse(*, user: Person, kind: PickerKind, parent: str | None) -> Level:
    """The children of `parent` (its key) in `user`'s scope, or the top level; bounded like a search."""
    if kind.children is None:
        return Level(here=None, up_key=None, choices=[])
    scope = kind.scope(user)
    here = None
    up_key = None
    if parent:
        found = _by_key(kind, scope, parent)
        if found is None:
            parent = None
        else:
            here = kind.describe([found])[0]
            up_key = kind.parent_key(scope, parent) if kind.parent_key else None
    rows = list(kind.children(scope, parent)[: MAX_RESULTS * 5])
    return Level(here=here, up_key=up_key, choices=kind.describe(rows))


def _by_key(kind: PickerKind, qs: QuerySet[Any], key: str) -> Any:
    if kind.key == "pk":
        pk = id_or_none(key)
        return qs.filter(pk=pk).first() if pk is not None else None
    return qs.filter(**{kind.key: key}).first()


def picker_lookup(kind: PickerKind, qs: QuerySet[Any], value: object) -> Any:
    """The item `value` names within `qs`: its key, or (typed without JavaScript) the kind's fallback."""
    text = clean_query(value)
    if not text:
        return None
    found = _by_key(kind, qs, text)
    if found is None and kind.fallback is not None:
        found = kind.fallback(qs, text)
    return found


# ---------------------------------------------------------------------------- the form field


class PickerWidget(forms.Widget):
    """A visible text box (what the person types and, once chosen, the item's full path), a hidden
    input with the value, and a result list that htmx fills from the search page; static/js/picker.js
    adds the keyboard. Without JavaScript the text box alone is sent and read by the kind's fallback."""

    template_name = "core/picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind_name = ""
        self.field: PickerField | None = None
        # The item the page already found within the viewer's scope (a list's filter): described as
        # it is rather than looked up again.
        self.resolved: models.Model | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) or data.get(f"{name}_q") or None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        kind = picker_kind(self.kind_name)
        chosen = self._chosen(kind, value)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["picker"] = {
            "kind": kind,
            "url": reverse("picker_search", args=[self.kind_name]),
            "text_name": f"{name}_q",
            "list_id": f"{widget_id}_list",
            "key": chosen.key if chosen else "",
            "text": chosen.full if chosen else clean_query(value),
            "browsable": bool(kind and kind.children),
        }
        return context

    def _chosen(self, kind: PickerKind | None, value: Any) -> Choice | None:
        if kind is None or value in (None, "") or self.field is None or self.field.queryset is None:
            return None
        if isinstance(value, models.Model):
            value = getattr(value, kind.key if kind.key != "pk" else "pk")
        resolved = self.resolved
        if resolved is not None and str(getattr(resolved, kind.key if kind.key != "pk" else "pk")) == str(value):
            return kind.describe([resolved])[0]
        found = picker_lookup(kind, self.field.queryset, value)
        return kind.describe([found])[0] if found is not None else None


class PickerField(forms.ModelChoiceField[Any]):
    """A ModelChoiceField chosen with a picker of `kind`.

    Its queryset is what the form's user may choose: set it (a narrower selector), or call
    `scope_to(user)` for the kind's own scope. A value outside it is refused with a clear error."""

    widget = PickerWidget
    default_error_messages = {
        "invalid_choice": _(
            "%(value)s is not one you can choose here. Type part of its name and choose it from the list."
        ),
    }

    def __init__(self, kind: str, *, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)
        self.kind_name = kind
        self._bind_widget()

    def _bind_widget(self) -> None:
        assert isinstance(self.widget, PickerWidget)
        self.widget.kind_name = self.kind_name
        self.widget.field = self

    def __deepcopy__(self, memo: dict[int, Any]) -> "PickerField":
        copied: PickerField = super().__deepcopy__(memo)  # type: ignore[misc]
        copied._bind_widget()
        return copied

    @property
    def kind(self) -> PickerKind:
        kind = picker_kind(self.kind_name)
        if kind is None:
            raise LookupError(f"no picker kind {self.kind_name!r} is registered")
        return kind

    def scope_to(self, user: Person) -> "PickerField":
        self.queryset = self.kind.scope(user)
        return self

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, models.Model):
            return getattr(value, self.kind.key) if self.kind.key != "pk" else value.pk
        return value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        found = picker_lookup(self.kind, self.queryset, value) if self.queryset is not None else None
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": clean_query(value)}
            )
        return found

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")


def scope_pickers(form: forms.BaseForm, user: Person) -> None:
    """Give every picker of `form` that has no narrower queryset its kind's scope for `user`."""
    for field in form.fields.values():
        if isinstance(field, PickerField) and field.queryset is None:
            field.scope_to(user)


def picker_param(params: Mapping[str, Any], name: str, *, kind: str, user: Person) -> str:
    """The key a GET filter's picker sent as `name`; without JavaScript, the key of what its
    text box `name_q` names (a code, a name only one item has), or that text itself."""
    value = clean_query(params.get(name))
    if value:
        return value
    typed = clean_query(params.get(f"{name}_q"))
    found_kind = picker_kind(kind)
    if not typed or found_kind is None:
        return typed
    found = picker_lookup(found_kind, found_kind.scope(user), typed)
    return str(getattr(found, found_kind.key)) if found is not None else typed
