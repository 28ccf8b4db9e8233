"""Redfish sessions: random tokens, an idle timeout, and a limit so leaked sessions show."""
import collections
import hashlib
import hmac
import itertools
import secrets
import time
from dataclasses import dataclass, field

from .clock import now_iso

ISSUED_KEPT = 10000


@dataclass
class Session:
    id: str
    token: str
    username: str
    role: str
    created: str = field(default_factory=now_iso)
    last_used: float = field(default_factory=time.monotonic)
    client: str = ""


class SessionTable:
    def __init__(self, limit, timeout):
        self.limit = limit
        self.timeout = timeout
        self._by_token = {}
        self._ids = itertools.count(1)
        # Every token this BMC issued since it started (memory only), for the admin API: a test looks for
        # them in what a client printed. Capped, as a long-lived mockup must not grow without end.
        self.issued = collections.deque(maxlen=ISSUED_KEPT)

    def create(self, username, role, client=""):
        """Returns the new Session, or None when the limit is reached."""
        self.reap()
        if len(self._by_token) >= self.limit:
            return None
        session = Session(id=secrets.token_hex(8) + str(next(self._ids)), token=secrets.token_hex(16),
                          username=username, role=role, client=client)
        self._by_token[session.token] = session
        self.issued.append(session.token)
        return session

    def lookup(self, token):
        session = self._by_token.get(token)
        if session is None:
            return None
        if time.monotonic() - session.last_used > self.timeout:
            del self._by_token[token]
            return None
        session.last_used = time.monotonic()
        return session

    def by_id(self, session_id):
        self.reap()
        return next((s for s in self._by_token.values() if s.id == session_id), None)

    def delete(self, session):
        self._by_token.pop(session.token, None)

    def delete_user(self, username):
        for session in [s for s in self._by_token.values() if s.username == username]:
            self.delete(session)

    def expire_all(self):
        self._by_token.clear()

    def reap(self):
        cutoff = time.monotonic() - self.timeout
        for token in [t for t, s in self._by_token.items() if s.last_used < cutoff]:
            del self._by_token[token]

    def live(self):
        self.reap()
        return list(self._by_token.values())


def hash_password(password, salt=None):
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()
    return f"{salt}${digest}"


def check_password(password, stored):
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(hash_password(password, salt), stored)
