"""Schemathesis hooks for api-fuzz/run.sh: sign in as the role under test.

A fuzzer that may call `DELETE /tokens/{id}` will sooner or later revoke its
own token. Signing in through the API (POST /tokens) and signing in again on
a 401 keeps the whole run authenticated, the way a real client would be."""
import os

import requests
import schemathesis


@schemathesis.auth(refresh_interval=600)
class SignIn:
    def get(self, case, context):
        response = requests.post(
            os.environ["SLIVERS_FUZZ_BASE"] + "/tokens",
            json={"email": os.environ["SLIVERS_FUZZ_EMAIL"], "password": os.environ["SLIVERS_FUZZ_PASSWORD"],
                  "label": "api-fuzz"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["token"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
