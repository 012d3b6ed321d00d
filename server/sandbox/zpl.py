"""Shipping labels in ZPL, as an account whose print setting is ZPL gets them: one ``^XA … ^XZ``
format per package, for a 4×6 inch label on a 203 dpi thermal printer (``^PW812`` is 4 inches of
203 dpi dots; ``^LL1218`` is 6).

Each label shows the carrier and service, the sender, the recipient, the order number and the
package count, and a Code 128 barcode (``^BC``) of the tracking number.
"""

from server.sandbox.labels import SENDER_LINES, LabelInput, address_lines

DOTS_PER_INCH = 203
WIDTH, LENGTH = 4 * DOTS_PER_INCH, 6 * DOTS_PER_INCH  # 812 × 1218 dots
MARGIN = 30


def render_zpl_label(label: LabelInput) -> bytes:
    """One ZPL format per package (tracking number), concatenated: one print job."""
    return b"".join(_format(label, index, tracking) for index, tracking in enumerate(label.tracking_numbers))


def zpl_field(text: object) -> str:
    """Field data with ^FH: the characters ZPL reads as commands (^, ~) and the escape
    character itself written as hex, so an address cannot end the field early."""
    escaped = str(text).replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")
    return f"^FH_^FD{escaped}^FS"


def _format(label: LabelInput, index: int, tracking_number: str) -> bytes:
    weight = label.package_weights[index] if index < len(label.package_weights) else 0.0
    lines = [
        "^XA",
        "^CI28",
        f"^PW{WIDTH}",
        f"^LL{LENGTH}",
        "^LH0,0",
        f"^FO20,20^GB{WIDTH - 40},{LENGTH - 40},3^FS",
        f"^FO{MARGIN},{MARGIN + 10}^A0N,50,50{zpl_field(label.carrier_name)}",
        f"^FO{MARGIN},{MARGIN + 70}^A0N,28,28{zpl_field(label.service_name)}",
        f"^FO20,{MARGIN + 110}^GB{WIDTH - 40},3,3^FS",
    ]
    y = MARGIN + 130
    lines.append(f"^FO{MARGIN},{y}^A0N,22,22{zpl_field('FROM:')}")
    for sender in SENDER_LINES:
        lines.append(f"^FO{MARGIN + 100},{y}^A0N,22,22{zpl_field(sender)}")
        y += 26
    y += 20
    lines.append(f"^FO{MARGIN},{y}^A0N,26,26{zpl_field('SHIP TO:')}")
    y += 40
    lines.append(f"^FO{MARGIN},{y}^A0N,40,40{zpl_field(label.destination.get('name') or '')}")
    y += 50
    for line in address_lines(label.destination):
        lines.append(f"^FO{MARGIN},{y}^A0N,30,30{zpl_field(line)}")
        y += 36
    count = len(label.tracking_numbers)
    lines += [
        f"^FO20,700^GB{WIDTH - 40},3,3^FS",
        f"^FO{MARGIN},730^A0N,32,32{zpl_field(f'Order: {label.order_number}')}",
        f"^FO{MARGIN},775^A0N,26,26{zpl_field(f'Package {index + 1} of {count}   Weight: {weight:.2f} kg')}",
        f"^FO{MARGIN},815^A0N,22,22{zpl_field(f'Printed {label.printed_at:%d %b %Y %H:%M} UTC')}",
        f"^FO60,880^BY3^BCN,220,Y,N,N{zpl_field(tracking_number)}",
        "^XZ",
        "",
    ]
    return "\n".join(lines).encode("utf-8")
