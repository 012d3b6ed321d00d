/** What the print page does after a network printer was involved: open the print dialog or not, and what to say. */

/**
 * {openDialog, tone, notices}: a label the printer took needs no print dialog; one it did not take
 * falls back to the browser, with the printer's message (e.g. "did not answer within 5 s").
 */
export function printerOutcome(printer) {
  if (!printer) return { openDialog: true, tone: null, notices: [] };
  const warnings = printer.warnings ?? [];
  if (printer.status === 'sent') {
    return { openDialog: false, tone: 'success', notices: [`Sent to printer ${printer.name}.`, ...warnings] };
  }
  const message = printer.message ?? `Printer ${printer.name} did not take the label.`;
  return { openDialog: true, tone: 'error', notices: [`${message} Printing from the browser instead.`, ...warnings] };
}
