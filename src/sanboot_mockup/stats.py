"""Request counters the admin API reports: by method, and by method and path."""
from collections import Counter


class Stats:
    def __init__(self):
        self.by_method = Counter()
        self.by_path = Counter()

    def count(self, method, path):
        self.by_method[method] += 1
        self.by_path[f"{method} {path}"] += 1

    def reset(self):
        self.by_method.clear()
        self.by_path.clear()

    def report(self):
        return {"total": sum(self.by_method.values()), "by_method": dict(self.by_method),
                "by_path": dict(sorted(self.by_path.items()))}
