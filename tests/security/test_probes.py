"""The security review's probe list, replayed against a real `labelbridge serve` (gunicorn): each
probe gets the answer the fix (or what already held) gives, never a 5xx; then no secret shows in
any answer or in the processes' log. The numbers are those of the findings in issue 16."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import subprocess
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from scale.stack import COMMAND, free_port

from server.sandbox import credentials

from .conftest import CARTONCLOUD_WEBHOOK_SECRET, STARSHIPIT_WEBHOOK_SECRET

EXTENSION_ORIGIN = "chrome-extension://gemklbolcljbkdoodipaiednkjlmeckh"
NESTED = '{"sale_order": ' + "[" * 330 + "]" * 330 + "}"
TRACKING = {"order_number": "MADE-UP-1", "tracking_number": "ZZ0001", "tracking_status": "Delivered"}


@dataclass(frozen=True)
class Probe:
    name: str
    send: Callable  # (served) -> Response or list of Responses
    expected: tuple[int, ...]


def signed(body: dict | bytes) -> dict:
    """Request arguments for a tracking webhook signed as Starshipit signs it."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signature = hmac.new(STARSHIPIT_WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return {"data": raw, "headers": {"Content-Type": "application/json", "X-Starshipit-Signature": signature}}


def as_admin(method: str, path: str, **kwargs):
    return lambda s: s.request(method, path, headers={**s.admin, **kwargs.pop("headers", {})}, **kwargs)


def as_packer(method: str, path: str, **kwargs):
    return lambda s: s.request(method, path, headers={**s.packer, **kwargs.pop("headers", {})}, **kwargs)


def anonymous(method: str, path: str, **kwargs):
    return lambda s: s.request(method, path, **kwargs)


def raw_json(data: str, **headers):
    return {"data": data, "headers": {"Content-Type": "application/json", **headers}}


def twenty_parallel_prints(s):
    reference = "SO-10045"
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(
            pool.map(
                lambda _: s.request(
                    "POST", "/api/v1/labels", headers=s.packer, json={"sale_order": {"customer_reference": reference}}
                ),
                range(20),
            )
        )
    orders = s.request("GET", "/api/v1/orders/lookup", headers=s.packer, params={"customer_reference": reference})
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert len({a.json()["starshipit_order"]["order_id"] for a in answers}) == 1
    return [*answers, orders]


def guessed_tokens(s):
    answers = [
        s.request("GET", "/api/v1/whoami", headers={"Authorization": f"Bearer lb_guess-{n}"}) for n in range(250)
    ]
    assert {a.status_code for a in answers} == {401, 429}  # at most 100 per process a minute, then 429
    events = s.request("GET", "/api/v1/events", headers=s.admin, params={"kind": "token_refused", "limit": 1000})
    refused = events.json()["events"]
    assert len(refused) <= 4  # one per address, minute and process: not one per guess
    assert sum(e["detail"]["count"] for e in refused) == sum(a.status_code == 401 for a in answers)
    return [*answers, events]


def after_the_guessing_the_webhooks_still_answer(s):
    response = s.request("POST", "/api/v1/webhooks/starshipit", **signed(TRACKING))
    assert response.json()["queued"] is True  # their own budget
    return response


def replayed_signed_webhook(s):
    body = {**TRACKING, "tracking_number": "ZZ0002"}
    first, again = (s.request("POST", "/api/v1/webhooks/starshipit", **signed(body)) for _ in range(2))
    assert (first.json()["duplicate"], again.json()["duplicate"]) == (False, True)
    return [first, again]


def a_second_starshipit_account(s):
    keys = {
        "api_key": credentials.STARSHIPIT_SECOND_API_KEY,
        "subscription_key": credentials.STARSHIPIT_SECOND_SUBSCRIPTION_KEY,
    }
    saved = s.request("PUT", "/api/v1/accounts/starshipit/second", headers=s.admin, json=keys)
    listed = s.request("GET", "/api/v1/accounts", headers=s.admin)
    assert listed.json()["starshipit"][1]["api_key"] == "…" + keys["api_key"][-4:]
    return [saved, listed, s.request("POST", "/api/v1/connection-test", headers=s.admin)]


def the_cartoncloud_connection_moved_without_its_secret(s):
    connection = {
        "base_url": s.backend.env["LABELBRIDGE_CARTONCLOUD_URL"],
        "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
        "client_id": credentials.CARTONCLOUD_CLIENT_ID,
        "client_secret": credentials.CARTONCLOUD_CLIENT_SECRET,
    }
    saved = s.request("PUT", "/api/v1/accounts/cartoncloud", headers=s.admin, json=connection)
    assert saved.status_code == 200
    moved = {**connection, "base_url": "https://collector.example"}
    del moved["client_secret"]
    return s.request("PUT", "/api/v1/accounts/cartoncloud", headers=s.admin, json=moved)


def sql_in_an_identifier(s):
    answer = s.request("GET", "/api/v1/orders/1' OR '1'='1/events", headers=s.packer)
    assert answer.json() == {"sale_order": None, "events": []}  # no such order, nothing leaked
    return answer


def csv_import(body: bytes, content_type: str = "text/csv"):
    return as_admin("POST", "/api/v1/settings/sku-packages/import", data=body, headers={"Content-Type": content_type})


PROBES = [
    # 1: the tracking webhook: unsigned refused; signed about an unknown order, queued and left alone
    Probe("1 unsigned tracking webhook", anonymous("POST", "/api/v1/webhooks/starshipit", json=TRACKING), (401,)),
    Probe(
        "1 signed tracking webhook",
        lambda s: s.request("POST", "/api/v1/webhooks/starshipit", **signed(TRACKING)),
        (200,),
    ),
    Probe("held: replayed signed webhook", replayed_signed_webhook, (200,)),
    # 2: nesting past 32 levels on every JSON body
    Probe("2 nested /labels", as_packer("POST", "/api/v1/labels", **raw_json(NESTED)), (400,)),
    Probe("2 nested /labels/batch", as_packer("POST", "/api/v1/labels/batch", **raw_json(NESTED)), (400,)),
    Probe("2 nested /settings", as_admin("PUT", "/api/v1/settings", **raw_json(NESTED)), (400,)),
    Probe("2 nested /workstation", as_packer("PUT", "/api/v1/workstation", **raw_json(NESTED)), (400,)),
    Probe(
        "2 nested cartoncloud webhook",
        anonymous(
            "POST",
            "/api/v1/webhooks/cartoncloud",
            **raw_json(NESTED, **{"X-Labelbridge-Secret": CARTONCLOUD_WEBHOOK_SECRET}),
        ),
        (400,),
    ),
    Probe(
        "2 nested starshipit webhook",
        anonymous("POST", "/api/v1/webhooks/starshipit", **signed(NESTED.encode())),
        (400,),
    ),
    # 4: the CartonCloud webhook secret in the header only
    Probe(
        "4 secret in the query",
        anonymous(
            "POST",
            f"/api/v1/webhooks/cartoncloud?secret={CARTONCLOUD_WEBHOOK_SECRET}",
            json={"id": str(uuid.uuid4()), "status": "PACKED"},
        ),
        (401,),
    ),
    Probe(
        "4 secret in the path",
        anonymous(
            "POST",
            f"/api/v1/webhooks/cartoncloud/{CARTONCLOUD_WEBHOOK_SECRET}",
            json={"id": str(uuid.uuid4()), "status": "PACKED"},
        ),
        (404,),
    ),
    Probe(
        "4 secret in the path, GET",
        anonymous("GET", f"/api/v1/webhooks/cartoncloud/{CARTONCLOUD_WEBHOOK_SECRET}"),
        (404,),
    ),
    Probe(
        "4 GET on the webhook",
        anonymous("GET", f"/api/v1/webhooks/cartoncloud?secret={CARTONCLOUD_WEBHOOK_SECRET}"),
        (405,),
    ),
    Probe(
        "4 secret in the header",
        anonymous(
            "POST",
            "/api/v1/webhooks/cartoncloud",
            headers={"X-Labelbridge-Secret": CARTONCLOUD_WEBHOOK_SECRET},
            json={"id": str(uuid.uuid4()), "status": "PACKED"},
        ),
        (202,),
    ),
    # 5: upstream base URLs
    Probe("5 second account, masked", a_second_starshipit_account, (200,)),
    Probe("5 connection moved without its secret", the_cartoncloud_connection_moved_without_its_secret, (422,)),
    Probe(
        "5 connection on plain http",
        as_admin(
            "PUT",
            "/api/v1/accounts/cartoncloud",
            json={
                "base_url": "http://collector.example",
                "tenant_id": credentials.CARTONCLOUD_TENANT_ID,
                "client_id": "x",
                "client_secret": "a-client-secret-of-mine",
            },
        ),
        (422,),
    ),
    # 6: health answers, and says ok while the keys decrypt
    Probe("6 health", anonymous("GET", "/api/v1/health"), (200,)),
    # 7: numbers past their bounds
    Probe("7 poll every 1e20 s", as_admin("PUT", "/api/v1/settings", json={"cartoncloud_poll_seconds": 1e20}), (422,)),
    Probe(
        "7 weight 1e400",
        as_admin("PUT", "/api/v1/settings", **raw_json('{"default_package_weight_kg": 1e400}')),
        (422,),
    ),
    # 8: printers as a port scanner
    Probe(
        "8 printer on port 22",
        as_admin("POST", "/api/v1/printers", json={"name": "scan", "host": "10.0.0.5", "port": 22, "language": "pdf"}),
        (422,),
    ),
    Probe(
        "8 printer on loopback",
        as_admin("POST", "/api/v1/printers", json={"name": "scan", "host": "127.0.0.1", "language": "pdf"}),
        (422,),
    ),
    Probe(
        "8 printer on the metadata address",
        as_admin("POST", "/api/v1/printers", json={"name": "scan", "host": "169.254.169.254", "language": "pdf"}),
        (422,),
    ),
    Probe(
        "8 a packer's test page",
        lambda s: [
            s.request(
                "POST",
                "/api/v1/printers",
                headers=s.admin,
                json={"name": "bench", "host": "10.0.0.5", "language": "pdf"},
            ),
            s.request("POST", "/api/v1/printers/bench/test", headers=s.packer),
        ][-1],
        (403,),
    ),
    # 9: the CSV import
    Probe("9 CSV with a NUL", csv_import(b"sku,weight_kg\nMU\x00G,0.3\n"), (422,)),
    Probe("9 CSV not UTF-8", csv_import(b"sku,weight_kg\nT\xe9A,0.3\n"), (422,)),
    Probe("9 CSV with a 900 KB field", csv_import(b"sku,weight_kg\nBIG," + b"9" * 900_000 + b"\n"), (422,)),
    Probe("9 CSV in an unknown charset", csv_import(b"sku,weight_kg\nA,1\n", "text/csv; charset=rot13"), (415,)),
    # what already held
    Probe("held: packer on settings", as_packer("GET", "/api/v1/settings"), (403,)),
    Probe("held: packer on accounts", as_packer("GET", "/api/v1/accounts"), (403,)),
    Probe("held: packer on the audit log", as_packer("GET", "/api/v1/events"), (403,)),
    Probe(
        "held: foreign origin",
        as_admin("PUT", "/api/v1/settings", json={"auto_print": False}, headers={"Origin": "https://evil.example"}),
        (403,),
    ),
    Probe(
        "held: null origin",
        as_admin("PUT", "/api/v1/settings", json={"auto_print": False}, headers={"Origin": "null"}),
        (403,),
    ),
    Probe(
        "held: another extension",
        as_admin(
            "PUT",
            "/api/v1/settings",
            json={"auto_print": False},
            headers={"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"},
        ),
        (403,),
    ),
    Probe(
        "held: the extension's origin",
        as_admin("PUT", "/api/v1/settings", json={"auto_print": True}, headers={"Origin": EXTENSION_ORIGIN}),
        (200,),
    ),
    Probe(
        "held: 20 MB body", as_packer("POST", "/api/v1/labels", **raw_json('{"x": "' + "x" * 20_000_000 + '"}')), (413,)
    ),
    Probe(
        "held: NUL in JSON",
        as_packer("POST", "/api/v1/labels", json={"sale_order": {"customer_reference": "SO\u0000"}}),
        (422,),
    ),
    Probe(
        "held: lone surrogate",
        as_packer("POST", "/api/v1/labels", **raw_json('{"sale_order": {"customer_reference": "\\ud800"}}')),
        (422,),
    ),
    Probe("held: NaN", as_packer("POST", "/api/v1/labels", **raw_json('{"sale_order": {"numeric_id": NaN}}')), (400,)),
    Probe(
        "held: huge number",
        as_packer("POST", "/api/v1/labels", **raw_json('{"sale_order": {"numeric_id": 1' + "0" * 5000 + "}}")),
        (400, 422),
    ),
    Probe(
        "held: unknown field",
        as_packer("POST", "/api/v1/labels", json={"sale_order": {"numeric_id": "787061"}, "x": 1}),
        (422,),
    ),
    Probe(
        "held: traversal in a label id",
        as_packer("GET", "/api/v1/labels/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file"),
        (404, 422),
    ),
    Probe("held: traversal in the docs", anonymous("GET", "/api/v1/docs/%2e%2e%2f%2e%2e%2fconfig.py"), (404,)),
    Probe("held: SQL in an identifier", sql_in_an_identifier, (200,)),
    Probe(
        "held: SQL in a lookup",
        as_packer("GET", "/api/v1/orders/lookup", params={"customer_reference": "x' OR 1=1 --"}),
        (404,),
    ),
    Probe("held: the sandbox is not mounted", anonymous("GET", "/_sandbox/info"), (404,)),
    Probe("held: 20 parallel prints, one order", twenty_parallel_prints, (200, 201)),
    # 3: last, as guessing spends the address's budget for requests without a live token
    Probe("3 made-up tokens", guessed_tokens, (401, 429, 200)),
    Probe("3 webhooks on their own budget", after_the_guessing_the_webhooks_still_answer, (200,)),
]


@pytest.mark.parametrize("probe", PROBES, ids=[probe.name for probe in PROBES])
def test_probe_gets_the_answer_it_should_and_never_a_5xx(served, probe):
    answer = probe.send(served)
    answers = answer if isinstance(answer, list) else [answer]
    assert all(a.status_code < 500 for a in answers), [(a.status_code, a.text[:200]) for a in answers]
    last = answers[-1] if probe.expected != (200, 201) else answers[0]
    assert last.status_code in probe.expected, last.text[:300]
    if last.status_code >= 400 and last.headers.get("Content-Type", "").startswith("application/json"):
        assert set(last.json()) <= {"code", "status", "message", "errors"}  # the one error shape


def test_no_secret_in_any_answer_or_log_line(served):
    """Runs after the probes (in file order): every answer they got, and the whole log."""
    assert len(served.responses) > len(PROBES)
    shown = "\n".join(f"{r.status_code} {dict(r.headers)} {r.text}" for r in served.responses) + served.log()
    for secret in served.secrets:
        assert secret not in shown
    assert "Traceback" not in served.log()


def test_the_server_binds_loopback_by_default(served):
    """`labelbridge serve` was started without --host: it listens on 127.0.0.1 only."""
    port = int(served.url.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing on any other address


def test_a_key_that_decrypts_no_stored_secret_refuses_to_serve(served, tmp_path):
    """After the probes stored secrets: a restart with another key stops with words, no secret."""
    env = {**served.backend.env, "LABELBRIDGE_SECRET_KEYS": Fernet.generate_key().decode()}
    log = tmp_path / "refused.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen([*COMMAND, "serve", "--port", str(free_port())], env=env, stderr=stderr)
    try:
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    said = log.read_text()
    assert code != 0
    assert "no configured key decrypts" in said and "LABELBRIDGE_SECRET_KEYS" in said
    for secret in served.secrets:
        assert secret not in said
