import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_SCHEMAS } from '../../extension/scripts/build-validators.mjs';
import { batchSummary, labelSummary } from '../../extension/src/print/summaries.js';
import { labelPrintJob } from '../../extension/src/shared/print-jobs.js';

const example = (name) => JSON.parse(readFileSync(join(SHARED_SCHEMAS, 'examples', 'print-response', 'valid', `${name}.json`), 'utf8'));

const job = (response) => labelPrintJob({ id: 'job-1', createdAt: 1, order: { numericId: '787061' }, response, contentBase64: '' });

describe('the print page after a void', () => {
  it('says which voided label the new shipment replaces', () => {
    const printed = job(example('replaces-a-voided-label'));
    expect(printed.afterVoid).toEqual({ labelId: '5c0a7e2d-3f1b-4d9a-8e6c-2b7f1a9d0e4c', trackingNumbers: ['LB000000AU'] });
    expect(labelSummary(printed)).toBe('Sale order 787061 · Australia Post · Tracking LB000001AU · Replaces voided label LB000000AU');
  });

  it('says nothing of a void for a first label or a reprint', () => {
    expect(job(example('printed')).afterVoid).toBeNull();
    expect(labelSummary(job(example('reprint')))).toBe('Sale order 787061 · Australia Post · Tracking LB000001AU · Reprint');
  });

  it('names a voided label without a tracking number', () => {
    const printed = job({ ...example('printed'), after_void: { label_id: 'x', tracking_numbers: [] } });
    expect(labelSummary(printed)).toContain('Replaces voided label (no tracking number)');
  });

  it("lists a batch's new shipments that replace voided labels", () => {
    const batch = { printed: 2, reprinted: 0, failed: 0, afterVoid: [{ numericId: '787061', trackingNumbers: ['LB000000AU'] }] };
    expect(batchSummary({ batch, file: { pages: 2 } })).toBe('2 printed · 0 failed · 2 pages · Sale order 787061: Replaces voided label LB000000AU');
  });
});
