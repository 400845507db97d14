"""A real HTTP server on 127.0.0.1 that records the webhook POSTs it gets."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "test-webhook-secret"


class Receiver:
    """Start with ``with Receiver(status=200) as r:``; ``r.url``; ``r.posts``
    is a list of ``(payload, signature_valid)``."""

    def __init__(self, status: int = 200):
        self.status = status
        self.posts: list[tuple[dict, bool]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get("X-CCI-Signature", ""))
                receiver.posts.append((json.loads(body), valid))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def kinds(self) -> list[str]:
        return [payload["kind"] for payload, _ in self.posts]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
