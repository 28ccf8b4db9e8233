"""A tiny path router: Redfish needs 404 and 405 answered in its own error format, with `Allow`,
and `/redfish/v1/` and `/redfish/v1` to be the same resource."""
import re

from .errors import RedfishError, message


class Router:
    def __init__(self):
        self._exact = {}
        self._patterns = []

    def add(self, pattern, **handlers):
        if "{" in pattern:
            regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
            self._patterns.append((regex, handlers))
        else:
            self._exact[pattern] = handlers

    def extend(self, routes):
        for pattern, handlers in routes:
            self.add(pattern, **handlers)

    def resolve(self, method, path):
        """Returns (handler, params, Allow header) or raises the Redfish 404/405."""
        if len(path) > 1:
            path = path.rstrip("/")
        handlers, params = self._exact.get(path), {}
        if handlers is None:
            for regex, candidate in self._patterns:
                found = regex.match(path)
                if found:
                    handlers, params = candidate, found.groupdict()
                    break
        if handlers is None:
            raise RedfishError.of(404, "ResourceNotFound", "Resource", path)
        if method == "HEAD" and "GET" in handlers:
            method = "GET"
        allowed = ", ".join(sorted(set(handlers) | ({"HEAD"} if "GET" in handlers else set())))
        handler = handlers.get(method)
        if handler is None:
            raise RedfishError(405, [message("OperationNotAllowed")], {"Allow": allowed})
        return handler, params, allowed
