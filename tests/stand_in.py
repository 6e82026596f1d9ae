"""A local HTTP server on 127.0.0.1 standing in for an outside service (Slack's Web API, the Bot
Connector, Microsoft's login and key endpoints): it answers each route with a handler and records
every request it gets (its path decoded), so a test sees exactly what the assistant sent."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import parse_qs, unquote

# A handler gets the recorded request and returns the status and the JSON body of the answer.
Handler = Callable[[Dict[str, Any]], Tuple[int, Any]]
# How long a test waits at most for a message the assistant sends in the background.
WAIT = 60


class StandIn:
    def __init__(self, routes: Dict[Tuple[str, str], Handler]) -> None:
        self.routes = [(method, re.compile(path), handler) for (method, path), handler in routes.items()]
        self.requests: List[Dict[str, Any]] = []
        self.changed = threading.Condition()
        stand_in = self

        class Handle(BaseHTTPRequestHandler):
            def answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                content_type = (self.headers.get("Content-Type") or "").split(";")[0]
                if content_type == "application/json" and raw:
                    body: Any = json.loads(raw)
                elif content_type == "application/x-www-form-urlencoded":
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                else:
                    body = raw
                request = {"method": method, "path": unquote(self.path), "headers": dict(self.headers), "body": body}
                status, reply = 404, {"error": "no such route"}
                for route_method, path, handler in stand_in.routes:
                    if route_method == method and path.fullmatch(self.path):
                        status, reply = handler(request)
                        break
                with stand_in.changed:
                    stand_in.requests.append(request)
                    stand_in.changed.notify_all()
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self.answer("GET")

            def do_POST(self) -> None:
                self.answer("POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "StandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def received(self, method: str, path_pattern: str) -> List[Dict[str, Any]]:
        path = re.compile(path_pattern)
        with self.changed:
            return [r for r in self.requests if r["method"] == method and path.fullmatch(r["path"])]

    def wait_for(self, count: int, method: str, path_pattern: str, where: Callable[[Dict[str, Any]], bool] = lambda r: True):
        """The first `count` requests matching; fails if they have not all come within WAIT seconds
        (a safety net for a hung server, not a measure of speed)."""
        path = re.compile(path_pattern)

        def matching():
            return [
                r for r in self.requests if r["method"] == method and path.fullmatch(r["path"]) and where(r)
            ]

        with self.changed:
            self.changed.wait_for(lambda: len(matching()) >= count, timeout=WAIT)
            found = matching()
        assert len(found) >= count, f"{len(found)} of {count} {method} {path_pattern} requests arrived"
        return found[:count]
