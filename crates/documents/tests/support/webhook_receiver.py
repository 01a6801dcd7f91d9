"""A Standard Webhooks receiver for tests (run by webhook_receiver.rs).

Listens on 127.0.0.1 (port chosen by the OS, written to PORT_FILE once
bound), verifies every POST with the `standardwebhooks` package, appends one
JSON line per request to LOG_FILE *before* answering, and answers with the
status PLAN says: "ok" (200), "fail_first:N" (500 for the first N requests,
then 200) or "always:S". The plan counts every POST, verified or not, and
unverified requests get the planned status too: tests assert `verified`.
Exits when its stdin closes, so it cannot outlive the test process.

usage: webhook_receiver.py SECRET PLAN LOG_FILE PORT_FILE
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

secret, plan, log_path, port_path = sys.argv[1:5]
webhook = Webhook(secret)
lock = threading.Lock()
count = 0


def planned_status(n):
    """The status for the n-th request (1-based)."""
    kind, _, arg = plan.partition(":")
    if kind == "ok":
        return 200
    if kind == "fail_first":
        return 500 if n <= int(arg) else 200
    if kind == "always":
        return int(arg)
    raise ValueError("unknown plan " + plan)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self):
        global count
        body = self.read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            webhook.verify(body, headers, json_parse=False)
            verified, error = True, None
        except Exception as e:  # every failure is a verdict, not a crash
            verified, error = False, str(e) or type(e).__name__
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        with lock:
            count += 1
            status = planned_status(count)
            record = {
                "id": headers.get("webhook-id"),
                "timestamp": headers.get("webhook-timestamp"),
                "signature": headers.get("webhook-signature"),
                "verified": verified,
                "error": error,
                "body": parsed,
                "raw": text,
                "received_at_ms": int(time.time() * 1000),
                "status": status,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
            }
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        reply = json.dumps({"status": status}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):
        pass


def watch_stdin():
    try:
        while sys.stdin.buffer.read(1):
            pass
    finally:
        os._exit(0)


threading.Thread(target=watch_stdin, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(port_path + ".tmp", port_path)
server.serve_forever()
