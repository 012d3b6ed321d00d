"""Raw printing over TCP to a printer listening on loopback: exactly the label's bytes, or a
clear message when the printer is off, hangs, or speaks another language."""

from __future__ import annotations

import os
import time

import pytest

from server.models import Printer
from server.printing.network_printer import deliver as deliver_to
from server.printing.network_printer import dpi_warnings, zpl_dpi
from server.printing.printer_policy import PrinterPolicy

from .labels import label_pdf

ZPL_203 = b"^XA\n^PW812\n^LL1218\n^FO60,880^BY3^BCN,220,Y,N,N^FDLB000001AU^FS\n^XZ\n"


SIMULATOR = PrinterPolicy(allow_any_port=True, allow_loopback=True)  # the listeners: loopback, any free port


def deliver(printer: Printer, content: bytes, label_format: str, timeout: float, policy: PrinterPolicy = SIMULATOR):
    return deliver_to(printer, content, label_format, timeout, policy)


def printer(
    port: int, language: str = "pdf", dpi: int = 203, name: str = "bench-1", host: str = "127.0.0.1"
) -> Printer:
    return Printer(name=name, host=host, port=port, language=language, dpi=dpi)


def unreachable(where: str, port: int, timeout: float) -> str:
    return (
        f"Printer 'bench-1' ({where}) could not be reached within {timeout:g} s: check that it is on, connected "
        f"and takes raw print jobs on port {port}. The label is saved: print it from the browser."
    )


def test_a_pdf_printer_receives_exactly_the_label_bytes(listener):
    label = label_pdf("LB1", "LB2")
    delivery = deliver(printer(listener.port), label, "pdf", timeout=5)
    assert delivery == {"name": "bench-1", "status": "sent", "bytes": len(label), "message": None, "warnings": []}
    assert listener.wait_for_jobs(1) == [label]


def test_a_zpl_printer_receives_the_zpl_untouched(listener):
    delivery = deliver(printer(listener.port, "zpl"), ZPL_203, "zpl", timeout=5)
    assert delivery["status"] == "sent" and delivery["warnings"] == []
    assert listener.wait_for_jobs(1) == [ZPL_203]


def test_a_large_job_arrives_whole(listener):
    job = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024)  # more than the socket buffers hold
    assert deliver(printer(listener.port), job, "pdf", timeout=10)["bytes"] == len(job)
    assert listener.wait_for_jobs(1) == [job]


def test_an_offline_printer_is_a_clear_failure_at_once(closed_port):
    started = time.monotonic()
    delivery = deliver(printer(closed_port), label_pdf("LB1"), "pdf", timeout=5)
    assert time.monotonic() - started < 2
    assert delivery["status"] == "failed" and delivery["bytes"] == 0
    assert delivery["message"] == unreachable(f"127.0.0.1:{closed_port}", closed_port, 5)


def test_a_printer_that_never_takes_the_job_times_out(hung_listener):
    started = time.monotonic()
    delivery = deliver(printer(hung_listener.port), label_pdf("LB1"), "pdf", timeout=0.5)
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 3
    assert hung_listener.connections == 1
    assert delivery["status"] == "failed"
    assert delivery["message"] == unreachable(f"127.0.0.1:{hung_listener.port}", hung_listener.port, 0.5)


@pytest.mark.parametrize(
    ("language", "label", "label_format", "words"),
    [
        ("zpl", label_pdf("LB1"), "pdf", "prints ZPL and this label is PDF"),
        ("pdf", ZPL_203, "zpl", "prints PDF and this label is ZPL"),
        ("pdf", b"\x89PNG", "png", "prints PDF and this label is PNG"),
    ],
)
def test_a_label_in_another_language_is_not_sent(closed_port, language, label, label_format, words):
    # Pointed at a closed port: had it tried to connect, the message would say "refused".
    delivery = deliver(printer(closed_port, language), label, label_format, timeout=5)
    assert delivery["status"] == "failed" and delivery["bytes"] == 0
    assert words in delivery["message"] and delivery["message"].endswith(
        "nothing was sent. The label is saved: print it from the browser."
    )


@pytest.mark.parametrize(
    ("zpl", "dpi"),
    [
        (ZPL_203, 203),
        (b"^XA^PW1218^XZ", 300),
        (b"^XA^PW1200^XZ", 300),
        (b"^XA^PW2436^XZ", 600),
        (b"^XA^FDno width^FS^XZ", None),
        (b"^XA^PW500^XZ", None),
    ],
)
def test_the_dpi_a_zpl_label_was_made_for_comes_from_its_print_width(zpl, dpi):
    assert zpl_dpi(zpl) == dpi


def test_a_203_dpi_label_on_a_300_dpi_printer_is_sent_with_a_warning(listener):
    delivery = deliver(printer(listener.port, "zpl", dpi=300, name="bench-2"), ZPL_203, "zpl", timeout=5)
    assert delivery["status"] == "sent"
    assert delivery["warnings"] == [
        "This label is 203 dpi ZPL and printer 'bench-2' is 300 dpi: it will print smaller than intended."
    ]
    assert listener.wait_for_jobs(1) == [ZPL_203]


def test_a_300_dpi_label_on_a_203_dpi_printer_may_be_cut_off():
    [warning] = dpi_warnings(printer(9100, "zpl", dpi=203), b"^XA^PW1218^XZ", "zpl")
    assert warning.endswith("it will print larger than intended and may be cut off.")


def test_pdf_labels_carry_no_dpi_warning():
    assert dpi_warnings(printer(9100, "pdf", dpi=300), label_pdf("LB1"), "pdf") == []


def test_every_connection_failure_reads_the_same_so_answers_tell_nothing_about_ports(closed_port, hung_listener):
    """Refused, timed out or an unknown host: one sentence, the address aside."""
    messages = [
        deliver(printer(closed_port), label_pdf("LB1"), "pdf", timeout=0.5)["message"],
        deliver(printer(hung_listener.port), label_pdf("LB1"), "pdf", timeout=0.5)["message"],
        deliver(printer(9100, host="no-such-printer.invalid"), label_pdf("LB1"), "pdf", timeout=0.5)["message"],
    ]
    general = {
        message.replace(f"{host}:{port}", "ADDRESS").replace(f"port {port}", "port PORT")
        for message, (host, port) in zip(
            messages,
            [("127.0.0.1", closed_port), ("127.0.0.1", hung_listener.port), ("no-such-printer.invalid", 9100)],
            strict=False,
        )
    }
    assert len(general) == 1


@pytest.mark.parametrize(
    ("host", "port"),
    [
        ("127.0.0.1", 9100),
        ("localhost", 9100),
        ("::1", 9100),
        ("::ffff:127.0.0.1", 9100),
        ("127.0.0.1", 22),
        ("169.254.169.254", 9100),
        ("fd00:ec2::254", 9100),
        ("fe80::1", 9100),
        ("0.0.0.0", 9100),
        ("10.0.0.5", 8080),
    ],
)
def test_by_default_jobs_never_go_to_loopback_link_local_metadata_or_other_ports(listener, host, port):
    delivery = deliver(
        printer(port, host=host), label_pdf("LB1"), "pdf", timeout=1, policy=PrinterPolicy()
    )  # the defaults: strict
    assert delivery["status"] == "failed" and "Nothing was sent" in delivery["message"]
    assert listener.connections == 0


def test_a_host_name_is_checked_on_what_it_resolves_to(listener):
    """``localhost`` is refused once resolved, whatever its name says; allowed, the job goes through."""
    refused = deliver(
        printer(listener.port, host="localhost"),
        label_pdf("LB1"),
        "pdf",
        timeout=2,
        policy=PrinterPolicy(allow_any_port=True),
    )
    assert refused["status"] == "failed" and "loopback" in refused["message"]
    sent = deliver(printer(listener.port, host="localhost"), label_pdf("LB1"), "pdf", timeout=2)
    assert sent["status"] == "sent" and listener.wait_for_jobs(1)
