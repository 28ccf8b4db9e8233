"""Checks PATCH bodies against the DMTF JSON schemas, the way a strict BMC does.

Unknown properties, read-only properties, wrong types, values outside an enum or range, and
writable-in-schema properties this BMC does not implement are each reported with the Base
registry message a real service uses. The caller applies nothing unless the list is empty.
"""
import json
import re
from functools import lru_cache
from importlib import resources

from .errors import message

_ANNOTATION = re.compile(r"^([a-zA-Z_][a-zA-Z0-9_]*)?@(odata|Redfish|Message)\.[a-zA-Z_][a-zA-Z0-9_]*$")
_JSON_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


@lru_cache(maxsize=None)
def _load(file_name):
    return json.loads(resources.files(__package__).joinpath("schemas", file_name).read_text())


def _resolve(node, file_name):
    """Follow $ref chains; returns (node, file it lives in)."""
    while "$ref" in node:
        target, _, frag = node["$ref"].partition("#/definitions/")
        file_name = target.rsplit("/", 1)[-1] or file_name
        if file_name == frag + ".json" and frag not in ("Resource",):
            # An unversioned resource type is a navigation link: {"@odata.id": ...}.
            return {"type": "object", "properties": {"@odata.id": {"type": "string", "readonly": True}}}, file_name
        node = _load(file_name)["definitions"][frag]
    return node, file_name


def _shipped(ref, file_name):
    target = ref.get("$ref", "").partition("#")[0].rsplit("/", 1)[-1] or file_name
    return resources.files(__package__).joinpath("schemas", target).is_file()


def _options(prop, file_name):
    """The alternatives a property accepts, resolved: [(schema, file), ...]."""
    result = []
    for alternative in prop.get("anyOf") or [prop]:
        node, where = _resolve(alternative, file_name)
        versions = [v for v in node.get("anyOf", ()) if "$ref" in v]
        if versions:
            # An unversioned definition (VLanNetworkInterface.json#/definitions/VLAN) lists every
            # version; the newest shipped one is what this service implements.
            result.extend(_options({"anyOf": [v for v in versions if _shipped(v, where)][-1:]}, where))
        else:
            result.append((node, where))
    return result


def _accepts(schema, value):
    if "enum" in schema:
        return isinstance(value, str)
    types = schema.get("type") or ("object" if "properties" in schema else None)
    if types is None:
        return True
    types = [types] if isinstance(types, str) else types
    return any(_JSON_TYPES[t](value) for t in types if t in _JSON_TYPES)


def _supported(path, writable):
    return path in writable or any(w.endswith(".*") and path.startswith(w[:-1]) for w in writable)


def check_patch(resource_file, definition, body, writable):
    """Messages for every problem in a PATCH body; an empty list means it may be applied."""
    root = _load(resource_file)["definitions"][definition]
    problems = []
    _check_object(root, resource_file, body, "", writable, problems)
    return problems


def _check_object(schema, file_name, body, prefix, writable, problems):
    props = schema.get("properties", {})
    for key, value in body.items():
        path = prefix + key
        if _ANNOTATION.match(key):
            continue  # annotations such as @Redfish.SettingsApplyTime are the caller's business
        prop = props.get(key)
        if prop is None:
            problems.append(message("PropertyUnknown", path, related=[f"#/{path.replace('.', '/')}"]))
            continue
        _check_value(prop, file_name, value, path, writable, problems)


def _is_secret(path, prop):
    """Passwords and CHAP secrets: an error message must never echo what the client sent."""
    name = path.rsplit(".", 1)[-1]
    return bool(prop.get("writeOnly")) or name.endswith(("Password", "Secret"))


def _limit(key, *schemas):
    """A keyword such as minimum or pattern, on the property or on the definition it refers to."""
    return next((s[key] for s in schemas if s.get(key) is not None), None)


def _check_value(prop, file_name, value, path, writable, problems):
    pointer = [f"#/{path.replace('.', '/')}"]
    if prop.get("readonly"):
        problems.append(message("PropertyNotWritable", path, related=pointer))
        return
    options = _options(prop, file_name)
    if _is_secret(path, prop):
        shown = "(hidden)"
    else:
        shown = json.dumps(value) if not isinstance(value, str) else value
    matching = [(s, f) for s, f in options if _accepts(s, value)]
    if not matching:
        problems.append(message("PropertyValueTypeError", shown, path, related=pointer))
        return
    schema, schema_file = matching[0]
    if isinstance(value, dict) and "properties" in schema:
        _check_object(schema, schema_file, value, path + ".", writable, problems)
        return
    if schema.get("readonly"):
        problems.append(message("PropertyNotWritable", path, related=pointer))
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(message("PropertyValueNotInList", shown, path, related=pointer))
        return
    if isinstance(value, list) and "items" in prop:
        item_options = _options(prop["items"], file_name)
        item_matches = [[s for s, _ in item_options if _accepts(s, item)] for item in value]
        if any(not found for found in item_matches):
            problems.append(message("PropertyValueTypeError", shown, path, related=pointer))
            return
        # Array items that are enums (AccountTypes, ...) must be members, as single values must.
        if any("enum" in found[0] and item not in found[0]["enum"] for item, found in zip(value, item_matches)):
            problems.append(message("PropertyValueNotInList", shown, path, related=pointer))
            return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Limits may sit on a referenced definition (VLanNetworkInterface VLANId), not on the property.
        low, high = _limit("minimum", prop, schema), _limit("maximum", prop, schema)
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append(message("PropertyValueOutOfRange", shown, path, related=pointer))
            return
    pattern = _limit("pattern", prop, schema)
    if isinstance(value, str) and pattern and not re.search(pattern, value):
        problems.append(message("PropertyValueFormatError", shown, path, related=pointer))
        return
    if not _supported(path, writable):
        # Writable in the schema, but this BMC does not implement writing it.
        problems.append(message("PropertyNotWritable", path, related=pointer))
