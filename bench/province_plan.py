"""Which tables a copy of the city takes, and how each column of a copied row is written.

Found from the models, not listed by hand: the trees (Area, Organization) and the users are
the city's own rows, and so is every table with a foreign key to a table copied already;
the rest (content types, permissions, categories, the holiday calendar, throttles) is shared
by every city and stays as it is.

In copy k (1, 2, ...) a row's id is its id + k × the table's offset (a round number above
the table's largest id), and every foreign key to a copied table moves the same way, so
copy k of a demand names copy k of its organization, area and resident. Generic relations
(an Event's subject, a demand's source) move by the offset of the table their content type
names. Values that must stay unique get a value of their own per copy: lookup hashes and
tokens are hashed again with k, lookup codes come from the new id, codes and user names get
the copy's prefix or suffix. Encrypted ID and mobile numbers are copied as they are, so a
copied member shows the original's number while its lookup hash is the copy's own.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from bench.demand_fixture import lookup_code_sql
from lianxin.accounts.models import User
from lianxin.organizations.models import Area, Organization

TREES: tuple[type[models.Model], ...] = (Area, Organization)
SEEDS: tuple[type[models.Model], ...] = (*TREES, User)


@dataclass
class Copy:
    """One table's part of a copy: INSERT INTO table (columns) SELECT exprs FROM table WHERE where."""

    model: type[models.Model]
    offset: int = 0
    max_id: int = 0
    columns: list[str] = field(default_factory=list)
    exprs: list[str] = field(default_factory=list)
    where: str = ""

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)

    def sql(self) -> str:
        columns = ", ".join(f'"{c}"' for c in self.columns)
        where = f"id <= {self.max_id}" + (f" AND {self.where}" if self.where else "")
        return (
            f'INSERT INTO "{self.table}" ({columns}) SELECT {", ".join(self.exprs)} FROM "{self.table}" WHERE {where}'
        )


def copied_models() -> list[type[models.Model]]:
    """The trees, the users, and every model with a foreign key to one of them or to a model
    taken before, M2M tables included; in a stable order."""
    taken: list[type[models.Model]] = list(SEEDS)
    candidates = [m for m in apps.get_models(include_auto_created=True) if m not in taken]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in taken:
                continue
            if any(f.is_relation and f.related_model in taken for f in model._meta.concrete_fields):
                taken.append(model)
                grew = True
    for model in taken:
        pk = model._meta.pk
        assert pk is not None and pk.get_internal_type() in ("AutoField", "BigAutoField"), model
    return taken


def offset_for(max_id: int) -> int:
    """The smallest power of ten above max_id + 1 (the gap below it holds a tree's new root)."""
    offset = 10
    while offset <= max_id + 1:
        offset *= 10
    return offset


def generic_pairs(model: type[models.Model]) -> list[tuple[models.ForeignKey[Any, Any], models.Field[Any, Any]]]:
    """(content type FK, object id field) pairs: `<p>_type` beside `<p>_id`."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    pairs = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model is ContentType and f.name.endswith("_type"):
            other = fields.get(f.name.removesuffix("_type") + "_id")
            if other is not None and not other.is_relation:
                pairs.append((f, other))
    return pairs


def unique_columns(model: type[models.Model]) -> list[set[str]]:
    """The column sets that must stay unique: unique fields, unique_together, unique constraints."""
    by_name = {f.name: f.column for f in model._meta.concrete_fields}
    sets = [{f.column} for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [{by_name[n] for n in together} for together in model._meta.unique_together]
    sets += [{by_name[n] for n in c.fields} for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    return sets


def derived(column: str) -> str:
    """A hash or token of this copy's own: sha256 of the value and k; empty stays empty."""
    digest = f"""encode(sha256(convert_to("{column}" || ':' || %(k)s, 'UTF8')), 'hex')"""
    return f"""CASE WHEN "{column}" = '' THEN '' ELSE {digest} END"""


def suffixed(column: str) -> str:
    return f"""CASE WHEN "{column}" = '' THEN '' ELSE "{column}" || '.' || %(k)s END"""


def tree_exprs(column: str) -> str | None:
    """A tree's row in copy k: under the new root at the copy's step, its code prefixed, the
    city's name (the stem) replaced by the copy's (its pinyin is written after, in Python),
    depth and numchild as they are."""
    return {
        "path": "%(path_prefix)s || substr(path, %(path_cut)s)",
        "code": "%(code_prefix)s || code",
        "name": "replace(name, %(stem)s, %(new_stem)s)",
        "short_name": "replace(short_name, %(stem)s, %(new_stem)s)",
    }.get(column)


def column_expr(
    model: type[models.Model], f: models.Field[Any, Any], plans: dict[type[models.Model], Copy], generic: dict[str, str]
) -> str:
    """How one column of copy k is written."""
    column = f'"{f.column}"'
    if f.primary_key:
        return f"{column} + %(k)s * {plans[model].offset}"
    if f.is_relation:
        target = plans.get(f.related_model)  # type: ignore[arg-type]
        return f"{column} + %(k)s * {target.offset}" if target else column
    if f.column in generic:
        return generic[f.column]
    if model in TREES and (expr := tree_exprs(f.column)):
        return expr
    if model is User and f.column == "is_superuser":
        return "false"
    if f.column == "lookup_code":
        return lookup_code_sql(f"id + %(k)s * {plans[model].offset}")
    if f.column.endswith(("_hash", "token")):
        return derived(f.column)
    if isinstance(f, models.CharField) and needs_own_value(model, f.column, plans):
        return suffixed(f.column)
    return column


def needs_own_value(model: type[models.Model], column: str, plans: dict[type[models.Model], Copy]) -> bool:
    """Whether the column is in a unique set that no moved id (a copied foreign key) keeps apart."""
    moved = {f.column for f in model._meta.concrete_fields if f.is_relation and f.related_model in plans}
    return any(column in columns and not columns & moved for columns in unique_columns(model))


def content_types(models_: list[type[models.Model]]) -> dict[type[models.Model], int]:
    """The content type ids of those models that have one (M2M tables have none); none is created."""
    types = {(t.app_label, t.model): t.pk for t in ContentType.objects.all()}
    keys = {m: (m._meta.app_label, str(m._meta.model_name)) for m in models_}
    return {m: types[key] for m, key in keys.items() if key in types}


def generic_exprs(model: type[models.Model], plans: dict[type[models.Model], Copy]) -> tuple[dict[str, str], str]:
    """The object id of each generic relation, moved by its content type's table offset; and,
    when the type is required (an Event's subject), the rows to copy: those of copied subjects."""
    exprs, where = {}, ""
    moved = {ct: plans[m].offset for m, ct in content_types(list(plans)).items()}
    for type_field, id_field in generic_pairs(model):
        cases = " ".join(f"WHEN {ct} THEN %(k)s * {offset}" for ct, offset in sorted(moved.items()))
        exprs[id_field.column] = f'"{id_field.column}" + CASE "{type_field.column}" {cases} ELSE 0 END'
        if not type_field.null:
            where = f'"{type_field.column}" IN ({", ".join(str(ct) for ct in sorted(moved))})'
    return exprs, where


def check_unique(model: type[models.Model], copy: Copy) -> None:
    """Refuse a table whose unique columns a copy would repeat as they are."""
    changed = {c for c, e in zip(copy.columns, copy.exprs, strict=True) if e != f'"{c}"'}
    for columns in unique_columns(model):
        if not columns & changed:
            raise SystemExit(f"{copy.table}: no rule keeps {sorted(columns)} unique in a copy")


def plan(max_ids: dict[str, int]) -> list[Copy]:
    """The copy of every copied table, given each table's largest id in the source."""
    plans = {m: Copy(m, offset_for(max_ids[m._meta.db_table]), max_ids[m._meta.db_table]) for m in copied_models()}
    for model, copy in plans.items():
        generic, copy.where = generic_exprs(model, plans)
        for f in model._meta.concrete_fields:
            copy.columns.append(f.column)
            copy.exprs.append(column_expr(model, f, plans, generic))
        check_unique(model, copy)
    return list(plans.values())
