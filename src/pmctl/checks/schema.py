"""JSON Schema checks, with violations named by stable rules and explained.

The schemas carry two annotations pmctl reads: `x-rule`, the rule name a
violation is reported under (one name, or one per keyword), and `x-expect`,
what is expected in words.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any

from pmctl.problems import FieldPath, Problem, format_field
from pmctl.records.model import KINDS, Record
from pmctl.resources import data_dir

SCHEMA_NAMES = (*KINDS, "common", "config")
_GENERIC_RULES = {
    "required": "missing-field",
    "type": "wrong-type",
    "enum": "invalid-value",
    "const": "invalid-value",
    "pattern": "invalid-format",
    "minItems": "too-few-items",
    "minProperties": "too-few-items",
    "minimum": "out-of-range",
    "contains": "missing-item",
    "uniqueItems": "duplicate-item",
    "additionalProperties": "unknown-field",
    "propertyNames": "invalid-format",
}
_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
# Keywords whose one error jsonschema-rs words as jsonschema would: one error
# per failing place, with no errors nested inside it. `_single_violation`
# still leaves to jsonschema what the two are known to judge differently.
_PLAIN_KEYWORDS = frozenset(
    {
        "required",
        "type",
        "enum",
        "const",
        "minItems",
        "minimum",
        "minProperties",
        "additionalProperties",
        "pattern",
    }
)


@dataclass(frozen=True)
class Violation:
    path: FieldPath
    rule: str
    message: str
    line_path: FieldPath


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (data_dir("schemas") / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (uri, Resource.from_contents(schema))
        for uri, schema in _schemas_by_id().items()
    )
    return Draft202012Validator(load_schema(name), registry=registry)


@cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs, when installed: a hundred times faster at saying yes."""
    try:
        import jsonschema_rs
    except ImportError:
        return None

    registry = jsonschema_rs.Registry(list(_schemas_by_id().items()))
    return jsonschema_rs.Draft202012Validator(
        load_schema(name), registry=registry, validate_formats=False
    )


def violations(name: str, data: object) -> list[Violation]:
    """Every way `data` breaks the schema `name`, in jsonschema's order.

    Most records are valid, so the fast validator answers first. A record it
    rejects for one plain reason is explained from its error; any other is
    explained by jsonschema (imported only then), whose errors carry the
    paths and schema annotations the messages are made from.
    """
    fast = _fast_validator(name)
    if fast is not None:
        if fast.is_valid(data):
            return []
        single = _single_violation(fast, data)
        if single is not None:
            return [single]
    return explain(name, data)


def explain(name: str, data: object) -> list[Violation]:
    """jsonschema's account of every violation: what `violations` must match."""
    return [_violation(error) for error in _validator(name).iter_errors(data)]


@dataclass(frozen=True)
class _Error:
    """A jsonschema-rs error, with the attributes of jsonschema's that
    `_violation` reads."""

    validator: str
    validator_value: Any
    schema: dict[str, Any]
    absolute_path: FieldPath
    instance: Any
    message: str


def _single_violation(fast: Any, data: object) -> Violation | None:
    """The violation when jsonschema-rs finds just one, of a plain keyword;
    None when jsonschema must explain.

    jsonschema-rs orders several errors its own way, so only a lone one is
    taken. Its regular expressions are Rust's, so a pattern it says fails is
    asked of Python's `re` too: where the two disagree, jsonschema decides.
    (The schemas' patterns are written so that jsonschema-rs never accepts
    what Python's `re` refuses; a test holds them to it.)
    """
    errors = list(islice(fast.iter_errors(data), 2))
    if len(errors) != 1:
        return None
    error = errors[0]
    keyword = error.kind.name
    if keyword not in _PLAIN_KEYWORDS:
        return None
    schema = _schema_at(error.absolute_keyword_location, keyword)
    if schema is None:
        return None

    path: FieldPath = tuple(error.instance_path)
    instance = _value_at(data, path)
    # jsonschema-rs takes an infinite or NaN float for no number at all (a
    # `type` error where jsonschema sees `minimum` fail, or nothing).
    if isinstance(instance, float) and not math.isfinite(instance):
        return None
    if keyword == "pattern" and (
        not isinstance(instance, str) or re.search(schema["pattern"], instance)
    ):
        return None
    message = ""
    if keyword == "required":
        # Worded as jsonschema words it, for `_violation` to read the name back.
        message = f"{error.kind.property!r} is a required property"
    value = schema[keyword]
    return _violation(_Error(keyword, value, schema, path, instance, message))


def _schema_at(location: str | None, keyword: str) -> dict[str, Any] | None:
    """The (sub)schema holding `keyword`, from an absolute keyword location
    such as `https://.../common.schema.json#/$defs/timestamp/pattern`."""
    uri, _, pointer = (location or "").partition("#")
    node: Any = _schemas_by_id().get(uri)
    steps = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    if node is None or steps[-1:] != [keyword]:
        return None
    for step in steps[:-1]:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node if isinstance(node, dict) and keyword in node else None


@cache
def _schemas_by_id() -> dict[str, dict[str, Any]]:
    return {schema["$id"]: schema for schema in map(load_schema, SCHEMA_NAMES)}


def _value_at(data: Any, path: FieldPath) -> Any:
    for step in path:
        data = data[step]
    return data


def check_schema(record: Record) -> list[Problem]:
    kind = record.kind
    if kind not in KINDS:
        return [
            Problem(
                record.path,
                record.line_of(("kind",)) if "kind" in record.data else 1,
                "kind",
                "unknown-kind",
                f"expected `kind` to be one of {', '.join(KINDS)}; "
                f"got {describe(record.data.get('kind'))}",
            )
        ]

    return [
        Problem(
            record.path,
            record.line_of(v.line_path) if v.line_path else 1,
            format_field(v.path),
            v.rule,
            v.message,
        )
        for v in violations(kind, record.data)
    ]


def _violation(error: Any) -> Violation:
    keyword: str = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    path: FieldPath = tuple(error.absolute_path)
    expect = schema.get("x-expect")
    line_path = path

    if keyword == "required":
        match = _REQUIRED.match(error.message)
        missing = match.group(1) if match else "?"
        path = (*path, missing)
        message = f"missing required field `{missing}`"
        if expect and "required" in expect:
            message += f": {expect}"
    elif keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in known)
        if len(extra) == 1:
            # Point at the unexpected key itself, not at the mapping holding it.
            path = line_path = (*path, extra[0])
        plural = "s" if len(extra) > 1 else ""
        message = f"unexpected field{plural} {', '.join(f'`{k}`' for k in extra)}"
        if known:
            message += f"; expected one of: {', '.join(known)}"
    elif keyword in ("enum", "const"):
        allowed = schema.get("enum") or [schema.get("const")]
        message = (
            f"expected one of: {', '.join(map(str, allowed))}; "
            f"got {describe(error.instance)}"
        )
    elif keyword == "minItems":
        wanted = expect or f"at least {error.validator_value} item(s)"
        message = f"expected {wanted}; got {len(error.instance)}"
    elif keyword == "contains":
        message = f"expected {expect or 'a matching item'}; none found"
    elif keyword == "propertyNames":
        sub = schema.get("propertyNames", {})
        wanted = sub.get("x-expect", "a valid name")
        message = f"expected each key to be {wanted}; got {describe(error.instance)}"
    else:
        message = f"expected {expect or _generic_expectation(error)}; got " + describe(
            error.instance
        )
        if keyword == "type" and "boolean" in str(error.validator_value):
            message += _boolean_hint(error.instance)

    return Violation(path, _rule(schema, keyword), message, line_path)


def _rule(schema: dict[str, Any], keyword: str) -> str:
    named = schema.get("x-rule")
    if isinstance(named, str):
        return named
    if isinstance(named, dict) and keyword in named:
        return str(named[keyword])
    return _GENERIC_RULES.get(keyword, "schema")


def _generic_expectation(error: Any) -> str:
    value = error.validator_value
    if error.validator == "type":
        kinds = value if isinstance(value, list) else [value]
        return " or ".join(_TYPE_WORDS.get(str(k), str(k)) for k in kinds)
    if error.validator == "minimum":
        return f"a number of at least {value}"
    if error.validator == "uniqueItems":
        return "no repeated items"
    if error.validator == "minProperties":
        return f"at least {value} entr{'y' if value == 1 else 'ies'}"
    return f"{error.validator} {value!r}"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing (null)",
}


def _boolean_hint(value: object) -> str:
    if isinstance(value, str) and value.lower() in _YAML11_BOOLEANS:
        return f" (`{value}` is text, not a boolean: write true or false)"
    return ""


def describe(value: object) -> str:
    """A short, safe rendering of a value for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def iter_rules() -> Iterator[str]:
    """Every rule name the schemas can report, for documentation and SARIF."""
    seen = set(_GENERIC_RULES.values())
    yield from sorted(seen)
    for name in SCHEMA_NAMES:
        for rule in _named_rules(load_schema(name)):
            if rule not in seen:
                seen.add(rule)
                yield rule


def _named_rules(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        named = node.get("x-rule")
        if isinstance(named, str):
            yield named
        elif isinstance(named, dict):
            yield from map(str, named.values())
        for value in node.values():
            yield from _named_rules(value)
    elif isinstance(node, list):
        for item in node:
            yield from _named_rules(item)
