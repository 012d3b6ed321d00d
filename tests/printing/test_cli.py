"""`labelbridge printers …` and `labelbridge token prefs`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import get_database


@pytest.fixture
def cli(app, monkeypatch, printer_simulators):
    """Run ``labelbridge`` on the test app's database; (exit code, stdout, stderr)."""
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    monkeypatch.setenv("LABELBRIDGE_PRINTER_TIMEOUT_SECONDS", "1")
    for name in printer_simulators:  # the listeners: loopback, any free port
        monkeypatch.setenv(f"LABELBRIDGE_{name}", "true")

    def run(*args: str):
        result = CliRunner().invoke(main, list(args))
        return result.exit_code, result.stdout, result.stderr

    return run


def test_add_list_and_remove_printers(cli):
    assert cli("printers", "add", "bench-1", "--host", "10.0.0.5", "--language", "zpl", "--dpi", "300")[0] == 0
    assert cli("printers", "add", "laser", "--host", "printer.local", "--port", "9101", "--language", "pdf")[0] == 0
    code, out, _ = cli("printers", "list")
    assert code == 0 and out.splitlines() == [
        "bench-1\t10.0.0.5:9100\tzpl\t300 dpi",
        "laser\tprinter.local:9101\tpdf\t203 dpi",
    ]
    assert cli("printers", "remove", "laser")[0] == 0
    assert cli("printers", "list")[1].splitlines() == ["bench-1\t10.0.0.5:9100\tzpl\t300 dpi"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["printers", "add", "bench/1", "--host", "h", "--language", "pdf"], "name: 1 to 100 letters"),
        (["printers", "add", "bench-1", "--host", "h", "--port", "0", "--language", "pdf"], "port:"),
        (["printers", "remove", "nope"], "There is no printer named 'nope'."),
        (["printers", "test", "nope"], "There is no printer named 'nope'."),
        (["token", "prefs", "nobody"], "There is no token named 'nobody'."),
    ],
)
def test_mistakes_end_with_a_message(cli, args, message):
    code, _, err = cli(*args)
    assert code == 1 and message in err


def test_a_name_is_taken_once(cli):
    cli("printers", "add", "bench-1", "--host", "h", "--language", "pdf")
    code, _, err = cli("printers", "add", "bench-1", "--host", "other", "--language", "zpl")
    assert code == 1 and "A printer named 'bench-1' exists already" in err


def test_a_test_page_reaches_the_printer(cli, listener):
    cli("printers", "add", "bench-1", "--host", "127.0.0.1", "--port", str(listener.port), "--language", "zpl")
    code, _, err = cli("printers", "test", "bench-1")
    [job] = listener.wait_for_jobs(1)
    assert code == 0 and f"sent a test page to bench-1 ({len(job)} bytes)" in err
    assert job.startswith(b"^XA") and b"^PW812" in job


def test_a_test_page_to_an_offline_printer_exits_with_the_reason(cli, hung_listener):
    cli("printers", "add", "bench-1", "--host", "127.0.0.1", "--port", str(hung_listener.port), "--language", "pdf")
    code, _, err = cli("printers", "test", "bench-1")
    assert code == 1 and "could not be reached within 1 s: check that it is on, connected" in err


def test_by_default_the_command_line_refuses_other_ports_and_loopback_too(cli, monkeypatch, printer_simulators):
    for name in printer_simulators:
        monkeypatch.delenv(f"LABELBRIDGE_{name}")
    code, _, err = cli("printers", "add", "bench-1", "--host", "10.0.0.5", "--port", "22", "--language", "pdf")
    assert code == 1 and "port: A printer port is 9100" in err
    code, _, err = cli("printers", "add", "bench-1", "--host", "127.0.0.1", "--language", "pdf")
    assert code == 1 and "host: labelbridge does not send print jobs to loopback" in err


def test_token_prefs_show_and_change_a_workstations_preferences(cli, make_token, client):
    bearer = {"Authorization": f"Bearer {make_token('bench-7')}"}
    cli("printers", "add", "zebra", "--host", "10.0.0.5", "--language", "zpl")
    assert json.loads(cli("token", "prefs", "bench-7")[1]) == {
        "name": "bench-7",
        "label_layout": "original",
        "printer": None,
        "packing_slip": False,
    }
    code, out, _ = cli("token", "prefs", "bench-7", "--layout", "4x6", "--printer", "zebra", "--packing-slip")
    assert code == 0 and json.loads(out) == {
        "name": "bench-7",
        "label_layout": "4x6",
        "printer": "zebra",
        "packing_slip": True,
    }
    seen = client.get("/api/v1/workstation", headers=bearer).get_json()
    assert (seen["label_layout"], seen["printer"]["name"], seen["packing_slip"]) == ("4x6", "zebra", True)
    assert json.loads(cli("token", "prefs", "bench-7", "--no-printer", "--no-packing-slip")[1])["printer"] is None
    assert cli("token", "prefs", "bench-7", "--printer", "nope")[0] == 1
    assert cli("token", "prefs", "bench-7", "--printer", "zebra", "--no-printer")[0] == 2
