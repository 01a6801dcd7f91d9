"""Schemathesis hooks for api-fuzz/run.sh: sign in as the role under test.

A fuzzer that may call `DELETE /tokens/{id}` will sooner or later revoke its
own token, so the hook signs in through the API (POST /tokens) and again on a
401, the way a real client would. The fuzzer also learns the role's email
(GET /me answers it) and tries it with wrong passwords at POST /tokens, until
the sign-in limiter refuses even the right password from this address (429):
the limiter working as SECURITY.md promises. Then the hook gets a fresh token
the way an operator would, from the command line on the same database
(`slivers demo --tokens --json`, which signs in without a client address)."""
import json
import os
import subprocess

import requests
import schemathesis


def _from_cli():
    out = subprocess.run(
        [os.environ["SLIVERS_FUZZ_BIN"], "demo", "--tokens", "--db", os.environ["SLIVERS_FUZZ_DB"], "--json"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout
    return json.loads(out)[os.environ["SLIVERS_FUZZ_ROLE"]]["token"]


@schemathesis.auth(refresh_interval=600)
class SignIn:
    def get(self, case, context):
        response = requests.post(
            os.environ["SLIVERS_FUZZ_BASE"] + "/tokens",
            json={"email": os.environ["SLIVERS_FUZZ_EMAIL"], "password": os.environ["SLIVERS_FUZZ_PASSWORD"],
                  "label": "api-fuzz"},
            timeout=30,
        )
        if response.status_code == 429:
            return _from_cli()
        response.raise_for_status()
        return response.json()["token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
