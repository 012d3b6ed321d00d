import { expect, it } from 'vitest';
import { printerOutcome } from '../../extension/src/print/printer-outcome.js';

it('opens the print dialog when no network printer was involved', () => {
  expect(printerOutcome(null)).toEqual({ openDialog: true, tone: null, notices: [] });
});

it('opens no print dialog for a label the printer took, and shows its warnings', () => {
  const warning = "This label is 203 dpi ZPL and printer 'bench-2' is 300 dpi: it will print smaller than intended.";
  expect(printerOutcome({ name: 'bench-2', status: 'sent', message: null, warnings: [warning] })).toEqual({
    openDialog: false,
    tone: 'success',
    notices: ['Sent to printer bench-2.', warning],
  });
});

it("falls back to the browser with the printer's message when it failed", () => {
  const message = "Printer 'bench-1' (10.0.0.5:9100) did not answer within 5 s: check that it is on and connected.";
  expect(printerOutcome({ name: 'bench-1', status: 'failed', message, warnings: [] })).toEqual({
    openDialog: true,
    tone: 'error',
    notices: [`${message} Printing from the browser instead.`],
  });
});
