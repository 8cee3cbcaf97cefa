#!/usr/bin/env python3
"""The zeep side of scripts/bench.sh: the same work as the Rust benchmarks, done with zeep.

Usage:
  bench_zeep.py inproc WSDL RESPONSES_DIR     # load the WSDL; build a SaveCredential envelope with
                                              # its three headers; decode the SaveCredential and the
                                              # 100-item GetCredentialTypes responses (files written
                                              # by `bench_e2e write-responses`). Prints JSON.
  bench_zeep.py e2e WSDL URL [--callers 64] [--seconds 5] [--warmup 1]
                                              # one zeep Client (requests session with a pool of
                                              # `callers` keep-alive connections), `callers` threads
                                              # calling SaveCredential in a loop. Prints JSON.

Only 127.0.0.1 is ever contacted (the URL bench.sh passes); the WSDL is read from the local file.
"""

import json
import sys
import threading
import time

import requests
import zeep
from lxml import etree
from zeep.transports import Transport

CREDENTIAL = {
    "Type": {
        "DisplayType": "Password",
        "Type": "password",
        "Description": "Log in with a user name and a password stored in SuperOffice CRM",
        "ValueControl": "Password",
        "CanCreatePerson": False,
        "IsUserNameSupported": True,
    },
    "Value": "n3w-S3cret & <safe>",
    "DisplayValue": "********",
}
HEADERS = {
    "ApplicationToken": "1234567-1234-9876",
    "Credentials": {"Ticket": "7T:1234abcxyzExample=="},
    "TimeZone": {"SoTimeZoneId": 37, "SoTimeZoneLocationCode": "NOOSL"},
}
BINDING = "{http://www.superoffice.net/ws/crm/NetServer/Services87}BasicHttpBinding_User"


def per_call(fn, min_seconds=1.0, min_calls=3):
    """Seconds per call of fn: calls in batches until min_seconds have passed; the best batch."""
    fn()  # warm-up
    best = None
    total = 0.0
    calls = 0
    batch = 1
    while total < min_seconds or calls < min_calls:
        started = time.perf_counter()
        for _ in range(batch):
            fn()
        elapsed = time.perf_counter() - started
        total += elapsed
        calls += batch
        best = elapsed / batch if best is None else min(best, elapsed / batch)
        if elapsed < 0.05:
            batch *= 2
    return best


class CannedResponse:
    """What zeep's binding reads from a requests.Response."""

    def __init__(self, content):
        self.status_code = 200
        self.headers = {"Content-Type": "text/xml; charset=utf-8"}
        self.content = content
        self.encoding = "utf-8"


def inproc(wsdl, responses):
    started = time.perf_counter()
    client = zeep.Client(wsdl)
    load = time.perf_counter() - started

    def envelope():
        message = client.create_message(
            client.service, "SaveCredential", UserId=42, Credential=CREDENTIAL, _soapheaders=HEADERS
        )
        return etree.tostring(message)

    binding = client.service._binding
    save = binding.get("SaveCredential")
    types = binding.get("GetCredentialTypes")
    save_reply = CannedResponse(open(f"{responses}/save_credential_response.xml", "rb").read())
    types_reply = CannedResponse(open(f"{responses}/get_credential_types_100.xml", "rb").read())
    assert binding.process_reply(client, save, save_reply)["body"]["Response"] is True
    assert len(binding.process_reply(client, types, types_reply)["body"]["Response"]["CredentialType"]) == 100

    result = {
        "client": "zeep " + zeep.__version__,
        "load_wsdl_s": load,
        "encode_envelope_s": per_call(envelope),
        "decode_save_credential_s": per_call(lambda: binding.process_reply(client, save, save_reply)),
        "decode_get_credential_types_100_s": per_call(lambda: binding.process_reply(client, types, types_reply)),
    }
    print(json.dumps(result))


def flag(args, name, default):
    if name in args:
        return type(default)(args[args.index(name) + 1])
    return default


def e2e(wsdl, url, args):
    callers = flag(args, "--callers", 64)
    seconds = flag(args, "--seconds", 5.0)
    warmup = flag(args, "--warmup", 1.0)
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=callers)
    session.mount("http://", adapter)
    client = zeep.Client(wsdl, transport=Transport(session=session))
    service = client.create_service(BINDING, url)

    def window(length):
        deadline = time.perf_counter() + length
        counts = [0] * callers
        errors = []

        def caller(i):
            try:
                while time.perf_counter() < deadline:
                    result = service.SaveCredential(UserId=42, Credential=CREDENTIAL, _soapheaders=HEADERS)
                    # With response headers zeep returns {"header": ..., "body": {"Response": ...}}.
                    assert result["body"]["Response"] is True
                    counts[i] += 1
            except Exception as e:  # noqa: BLE001 - reported, not hidden
                errors.append(repr(e))

        started = time.perf_counter()
        threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise SystemExit("zeep calls failed: %s" % errors[:3])
        return sum(counts), time.perf_counter() - started

    window(warmup)
    calls, elapsed = window(seconds)
    print(
        json.dumps(
            {
                "client": "zeep " + zeep.__version__,
                "callers": callers,
                "calls": calls,
                "seconds": round(elapsed, 3),
                "calls_per_s": round(calls / elapsed, 1),
            }
        )
    )


def main():
    args = sys.argv[1:]
    if len(args) >= 3 and args[0] == "inproc":
        inproc(args[1], args[2])
    elif len(args) >= 3 and args[0] == "e2e":
        e2e(args[1], args[2], args[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
