"""Request counters the admin API reports: by method, and by method and path."""
from collections import Counter


class Stats:
    def __init__(self):
        self.by_method = Counter()
        self.by_path = Counter()
        self.jobs_created = 0   # Dell configuration jobs: a second, idempotent run must create none
        self.tasks_created = 0  # DMTF tasks (Immediate settings)

    def count(self, method, path):
        self.by_method[method] += 1
        self.by_path[f"{method} {path}"] += 1

    def reset(self):
        self.by_method.clear()
        self.by_path.clear()
        self.jobs_created = self.tasks_created = 0

    def report(self):
        return {"total": sum(self.by_method.values()), "by_method": dict(self.by_method),
                "by_path": dict(sorted(self.by_path.items())), "jobs_created": self.jobs_created,
                "tasks_created": self.tasks_created}
