"""`labelbridge labels void`: the order core's void from the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from server.cli import main
from server.db import get_database
from server.demo import sandbox_config
from server.models import Label, OrderEvent


@pytest.fixture
def cli(app, sandbox, monkeypatch):
    """Run ``labelbridge`` on the test app's database and the simulators; (exit code, output)."""
    monkeypatch.setenv("LABELBRIDGE_DATABASE_URL", get_database(app).url)
    for name, value in sandbox_config(sandbox).items():
        monkeypatch.setenv(f"LABELBRIDGE_{name}", str(value))

    def run(*args: str):
        result = CliRunner().invoke(main, list(args))
        return result.exit_code, result.output

    return run


def test_void_from_the_command_line_then_again(cli, print_label, app, control):
    label_id = print_label(customer_reference="SO-10045").get_json()["label"]["id"]

    code, output = cli("labels", "void", label_id, "--reason", "customer cancelled by phone")

    assert code == 0, output
    assert f"Label {label_id} of sale order 787061 is void (archived in Starshipit); writeback queued." in output
    assert "contact them" in output
    (order,) = control.starshipit_orders("SO-10045")
    assert order["archived"] is True
    with get_database(app).sessions() as session:
        label = session.get(Label, label_id)
        assert label.voided_by == "cli" and label.void_reason == "customer cancelled by phone"
        assert session.query(OrderEvent).filter_by(kind="void").count() == 1

    code, output = cli("labels", "void", label_id, "--reason", "again")
    assert code == 0 and "was already void" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("labels", "void", "no-such-label", "--reason", "x"), "Label no-such-label does not exist."),
        (("labels", "void", "no-such-label", "--reason", "  "), "give a reason of 1 to 500 characters"),
    ],
)
def test_what_cannot_be_voided_is_said_in_words(cli, args, message):
    code, output = cli(*args)
    assert code != 0 and message in output
