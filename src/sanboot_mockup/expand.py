"""`$expand` (DSP0266 7.3, "Query parameters"): a GET answered with the resources its hyperlinks
point at, inline, instead of the links.

- `.` expands the hyperlinks outside any `Links` section (a collection's `Members`, `Boot.BootOptions`),
  `~` only those inside `Links`, `*` both; `($levels=n)` goes n levels deep (1 when not given).
- A personality advertises what it serves in the service root's ProtocolFeaturesSupported.ExpandQuery
  (`Personality.expand`, from the vendor's capture); a form it does not advertise is answered 501
  QueryParameterUnsupported, a malformed value 400, a level past MaxLevels 400 QueryParameterOutOfRange.
- Annotations (`@odata.id` itself, `@Redfish.Settings`), `Oem` and `Actions` are never expanded; a link
  the service cannot serve stays a link. Each expanded resource is rendered by its own GET handler
  (so it carries its own `@odata.etag` where the personality puts one in bodies), and the whole answer
  counts as one request.
"""
import json
import re

from .errors import RedfishError

# What a service that serves every form advertises (dmtf).
EVERY_FORM = {"ExpandAll": True, "Levels": True, "Links": True, "NoLinks": True, "MaxLevels": 2}
# What a service without $expand advertises.
NO_FORM = {"ExpandAll": False, "Levels": False, "Links": False, "NoLinks": False}

_VALUE = re.compile(r"^([.*~])(?:\(\$levels=(\d+)\))?$")
_FEATURE = {"*": "ExpandAll", "~": "Links", ".": "NoLinks"}
_NEVER = ("Oem", "Actions")


def parse(value, features):
    """(kind, levels) of an `$expand` value the advertised `features` allow; else the RedfishError."""
    found = _VALUE.match(value or "")
    if not found:
        raise RedfishError.of(400, "QueryParameterValueFormatError", value, "$expand")
    kind, levels = found.group(1), found.group(2)
    if not (features or {}).get(_FEATURE[kind]) or (levels is not None and not features.get("Levels")):
        raise RedfishError.of(501, "QueryParameterUnsupported", "$expand")
    levels = 1 if levels is None else int(levels)
    highest = features.get("MaxLevels", 1)
    if not 1 <= levels <= highest:
        raise RedfishError.of(400, "QueryParameterOutOfRange", str(levels), "$levels", f"1 to {highest}")
    return kind, levels


def wanted(kind, in_links):
    return kind == "*" or (kind == "~") == in_links


async def expand(body, kind, levels, fetch):
    """`body` with its hyperlinks of this kind replaced by what `fetch(uri)` (async: the body, or
    None when it cannot be served) returns, `levels` deep."""
    return await _walk(body, kind, levels, fetch, in_links=False, top=True)


async def _walk(value, kind, levels, fetch, in_links, top=False):
    if isinstance(value, list):
        return [await _walk(item, kind, levels, fetch, in_links) for item in value]
    if not isinstance(value, dict):
        return value
    if not top and set(value) == {"@odata.id"}:
        if levels < 1 or not wanted(kind, in_links):
            return value
        target = await fetch(value["@odata.id"])
        if target is None:
            return value
        return await _walk(target, kind, levels - 1, fetch, in_links=False, top=True)
    walked = {}
    for key, item in value.items():
        if "@" in key or key in _NEVER:
            walked[key] = item
        else:
            walked[key] = await _walk(item, kind, levels, fetch, in_links or key == "Links")
    return walked


def body_of(response):
    """The JSON object of a handler's 200 answer, or None."""
    if response.status != 200 or response.body is None:
        return None
    try:
        body = json.loads(response.body)
    except (TypeError, ValueError):
        return None
    return body if isinstance(body, dict) else None
