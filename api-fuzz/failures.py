"""Summarise a schemathesis NDJSON report: one line per (failure code, operation,
status, detail), with how many cases hit it. Used by api-fuzz/run.sh."""
import base64
import collections
import json
import sys


def main(paths):
    seen = collections.Counter()
    example = {}
    for path in paths:
        for line in open(path):
            event = json.loads(line)
            scenario = event.get("ScenarioFinished")
            if not scenario:
                continue
            recorder = scenario.get("recorder") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if check["status"] == "success":
                        continue
                    info = (check.get("failure_info") or {}).get("failure") or {}
                    interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                    response = interaction.get("response") or {}
                    request = interaction.get("request") or {}
                    message = (info.get("message") or "").split("\n")[0][:90]
                    key = (info.get("code", check["name"]), info.get("operation", recorder.get("label")),
                           response.get("status_code"), message)
                    seen[key] += 1
                    if key not in example:
                        body = (response.get("content") or {}).get("$base64")
                        req = (request.get("body") or {}).get("$base64")
                        example[key] = (request.get("method"), request.get("uri"),
                                        base64.b64decode(req)[:300] if req else b"",
                                        base64.b64decode(body)[:300] if body else b"")
    for key, n in sorted(seen.items()):
        code, op, status, message = key
        print(f"{code} {op} -> {status} x{n}: {message}")
        if "-v" in sys.argv:
            method, uri, req, body = example[key]
            print(f"    {method} {uri}\n    request: {req!r}\n    response: {body!r}")
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main([a for a in sys.argv[1:] if a != "-v"]))
