"""A light caller of `/ask` for load runs: Gradio's documented HTTP API, with the standard library.

    HttpClient("http://127.0.0.1:7860/").predict(question, api_name="/ask")  # the /ask JSON

Two requests a question, as Gradio's API page shows with curl: `POST gradio_api/call/ask`
with `{"data": [question, k, mode, paper]}` (what is not given filled in with the endpoint's
defaults, read once from `gradio_api/info`, as gradio_client does) gives an event id, and
`GET gradio_api/call/ask/<id>` streams server-sent events until `event: complete` (`data`:
the outputs, a JSON list) or `event: error`. Each caller keeps one session, as a
gradio_client `Client` does (a new session per call would make Gradio build the whole app's
state each time, a quarter of the server's work here). Why not `gradio_client` under load: on this
2-core machine each of its calls costs the calling process about 110 ms of processor time
(its job thread, SSE handling, httpx), 3-4x what the server spends on the question, so 16
such callers on the same cores measured mostly themselves. The reference answers are still
taken with `gradio_client`, the client the README documents, and the loaded answers must
equal them.
Leaves out everything but one question's round trip.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field


class AskError(RuntimeError):
    """The server answered the question with an error (a bad input, a full queue)."""


@dataclass(frozen=True)
class HttpClient:
    url: str
    timeout: float = 60.0
    defaults: dict = field(default_factory=dict, compare=False)  # api name -> its defaults
    session: str = field(default_factory=lambda: secrets.token_hex(8))  # one, as gradio_client

    def predict(self, *data: object, api_name: str = "/ask") -> object:
        name = "/" + api_name.strip("/")
        if name not in self.defaults:
            self.defaults[name] = self.parameters(name)
        data = (*data, *self.defaults[name][len(data):])
        base = f"{self.url.rstrip('/')}/gradio_api/call/{name.strip('/')}"
        body = json.dumps({"data": list(data), "session_hash": self.session}).encode("utf-8")
        request = urllib.request.Request(base, data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as r:
                event_id = json.loads(r.read())["event_id"]
            with urllib.request.urlopen(f"{base}/{event_id}", timeout=self.timeout) as r:
                return outcome(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:  # a full queue is 503
            raise AskError(f"HTTP {e.code}: {e.read()[:200]!r}") from None


    def parameters(self, name: str) -> list:
        """The endpoint's parameter defaults, in order (None where it has none)."""
        with urllib.request.urlopen(f"{self.url.rstrip('/')}/gradio_api/info",
                                    timeout=self.timeout) as r:
            info = json.loads(r.read())
        return [p.get("parameter_default") for p in info["named_endpoints"][name]["parameters"]]


def outcome(stream: str) -> object:
    """The first output of the `complete` event of an SSE stream; AskError on `error`."""
    event = None
    for line in stream.splitlines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and event in ("complete", "error"):
            data = line.split(":", 1)[1].strip()
            if event == "error":
                raise AskError(data[:300])
            return json.loads(data)[0]
    raise AskError(f"no result in the stream ({stream[:200]!r})")
