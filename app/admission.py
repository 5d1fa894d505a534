"""What an anonymous client may ask of the server, checked before any route runs (ASGI).

Every route of the app is public once it is shared, so each request passes here first:
- **size**: a body over its route's limit (`Admission.upload_bytes` for the upload route,
  `body_bytes` for every other) is refused 413 from its declared length, before a byte of it
  is read; a POST that declares no length is refused 411 (a body counted as it came would be
  read first). A 20 MB question no longer reaches the JSON parser.
- **heavy work per client**: a file posted to the upload route takes a "file" token, a queue
  join for a heavy event (an upload's parse and index: `heavy`, the events' indices) a
  "parse" token, each from the client's bucket of its kind (`per_client` at most, one back
  every `refill` seconds) and from the server's (`per_server`); the files' megabytes come out
  of an hourly quota (`quota_mb` a client, four times that in all); none left: 429 with the
  seconds to wait. Questions never take one,
  and the server's queue has no size cap (`app.web`), so a flood of uploads cannot make `/ask`
  answer "queue is full".
- **a malformed queue join** (not JSON, no `fn_index`) is refused 400 here, not by a
  traceback inside the server.
Each refusal is one line in the log (`footnoted.admission`), never a traceback. A client is
its address: behind `--share` every client comes through the local tunnel and shares one
bucket, which bounds them all together. Leaves out the per-event concurrency (`app.web`) and
what a parse may use (`ingest.guard`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("footnoted.admission")

UPLOAD = "/gradio_api/upload"
JOIN = "/gradio_api/queue/join"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def allowed(policy: str, client: str | None) -> bool:
    """Whether `client` (an address) may do what `policy` guards: "all" anyone, "local" a
    loopback client (of an unshared server: a shared one's tunnel clients all come from
    loopback, so it passes "none"), "none" no one."""
    return policy == "all" or (policy == "local" and client in LOOPBACK)


@dataclass
class Buckets:
    """Token buckets by key: `capacity` tokens, one back every `refill` seconds."""

    capacity: int
    refill: float
    _level: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, key: str, now: float | None = None, cost: float = 1.0) -> float:
        """0.0 when `cost` tokens were taken, else the seconds until they are back (a cost
        over the capacity never is: infinity)."""
        now = time.monotonic() if now is None else now
        if cost > self.capacity:
            return float("inf")
        with self._lock:
            tokens, since = self._level.get(key, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - since) / self.refill)
            if tokens >= cost:
                self._level[key] = (tokens - cost, now)
                self._prune(now)
                return 0.0
            self._level[key] = (tokens, now)
            return (cost - tokens) * self.refill

    def _prune(self, now: float) -> None:
        """Forgets full buckets once there are many (memory bounded by recent clients)."""
        if len(self._level) > 4096:
            full = self.capacity * self.refill
            self._level = {k: v for k, v in self._level.items() if now - v[1] < full}


@dataclass
class Admission:
    """The limits (`AdmissionMiddleware(app, rules=...)` applies them)."""

    upload_bytes: int
    body_bytes: int = 256 * 1024  # a 100,000-character question still hears "too long"
    per_client: int = 4  # a client's burst: files posted, and apart from them, parses asked
    per_server: int = 16  # all clients' burst, each kind
    refill: float = 30.0  # seconds for one of a client's tokens to come back (server: / 4)
    heavy: frozenset[int] = frozenset()  # queue events whose joins take a token
    clients: dict = field(init=False)
    server: dict = field(init=False)

    quota_mb: int = 200  # megabytes of files a client may post an hour (the server: 4 x)

    def __post_init__(self) -> None:
        self.clients = {k: Buckets(self.per_client, self.refill) for k in ("file", "parse")}
        self.server = {k: Buckets(self.per_server, self.refill / 4) for k in ("file", "parse")}
        self.clients["mb"] = Buckets(self.quota_mb, 3600 / self.quota_mb)
        self.server["mb"] = Buckets(4 * self.quota_mb, 3600 / (4 * self.quota_mb))

    def limit(self, path: str) -> int:
        return self.upload_bytes if path.endswith(UPLOAD) else self.body_bytes

    def take(self, client: str, kind: str, cost: float = 1.0) -> float:
        """0.0 when the client may post a file (`kind` "file"), `cost` megabytes of files
        ("mb") or start a parse ("parse") now, else the seconds to wait."""
        wait = self.clients[kind].take(client, cost=cost)
        return wait if wait else self.server[kind].take("all", cost=cost)


def refusal(scope: dict, status: int, reason: str) -> tuple[int, bytes]:
    client = (scope.get("client") or ("?",))[0]
    log.warning("refused %s %s from %s: %s (%d)", scope.get("method"), scope.get("path"),
                client, reason, status)
    return status, json.dumps({"detail": reason}).encode()


async def respond(send, status: int, body: bytes, retry: float | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"connection", b"close"),
               (b"content-length", str(len(body)).encode())]
    if retry is not None:
        headers.append((b"retry-after", str(max(1, round(min(retry, 3600.0)))).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AdmissionMiddleware:
    def __init__(self, app, rules: Admission):
        self.app, self.rules = app, rules

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope.get("path", ""), scope.get("method", "GET")
        headers = dict(scope.get("headers") or ())
        declared = headers.get(b"content-length")
        limit = self.rules.limit(path)
        client = (scope.get("client") or ("?",))[0]
        if method in ("POST", "PUT", "PATCH"):
            if declared is None or not declared.strip().isdigit():
                return await respond(send, *refusal(scope, 411, "a body needs its length"))
            if int(declared) > limit:
                return await respond(send, *refusal(
                    scope, 413, f"the body is {int(declared):,} bytes; the limit is {limit:,}"))
        elif declared is not None and declared.strip() not in (b"", b"0"):
            return await respond(send, *refusal(scope, 413, "no body expected"))
        if method == "POST" and path.endswith(UPLOAD):
            wait = self.rules.take(client, "file") or self.rules.take(
                client, "mb", int(declared) / 2**20)
            if wait:
                return await respond(send, *refusal(scope, 429, f"too many uploads; try again "
                                                    f"in {wait:.0f} s"), retry=wait)
        if method == "POST" and path.endswith(JOIN):
            body = await read_body(receive, limit)
            try:
                fn = json.loads(body).get("fn_index")
            except (ValueError, AttributeError):
                fn = None
            if not isinstance(fn, int):
                return await respond(send, *refusal(scope, 400, "not a queue request"))
            if fn in self.rules.heavy:
                wait = self.rules.take(client, "parse")
                if wait:
                    return await respond(send, *refusal(
                        scope, 429, f"too many papers added; try again in {wait:.0f} s"),
                        retry=wait)
            receive = replay(body, receive)
        return await self.app(scope, receive, send)


async def read_body(receive, limit: int) -> bytes:
    """The whole body (its declared length is within `limit`, checked before)."""
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            break
        parts.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(parts)


def replay(body: bytes, receive):
    """The body read once, then the client's own messages (its disconnect)."""
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return again
