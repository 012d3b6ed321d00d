import { expect, it } from 'vitest';
import { labelFileName, labelFileType } from '../../extension/src/print/label-file.js';
import { base64ToBytes, bytesToBase64 } from '../../extension/src/shared/base64.js';

it.each([
  ['pdf', 'frame', 'application/pdf'],
  ['PDF', 'frame', 'application/pdf'],
  ['png', 'image', 'image/png'],
  ['zpl', 'download', 'application/octet-stream'],
])('shows a %s label as %s', (format, display, mime) => {
  expect(labelFileType(format)).toMatchObject({ display, mime });
});

it('names the file after the order and tracking number, safely', () => {
  const job = { saleOrder: { customerReference: 'SO 10045/../x' }, trackingNumbers: ['LB1'] };
  expect(labelFileName(job, 'pdf')).toBe('SO_10045_.._x-LB1.pdf');
});

it("names a batch's file after its size and id", () => {
  const job = { batch: { id: '6d1f2c3b-8a9e-4f70-b1c2-d3e4f5a6b7c8', printed: 20, reprinted: 3, failed: 2 } };
  expect(labelFileName(job, 'pdf')).toBe('labels-23-orders-6d1f2c3b.pdf');
});

it('round-trips bytes through base64, large labels included', () => {
  const bytes = new Uint8Array(200_000).map((_, index) => index % 256);
  expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
});
