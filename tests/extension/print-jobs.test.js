import { expect, it } from 'vitest';
import { PRINT_JOBS_KEPT, getPrintJob, markPrintJobPrinted, savePrintJob } from '../../extension/src/shared/print-jobs.js';
import { RECENT_PRINTS_KEPT, addRecentPrint, getRecentPrints } from '../../extension/src/shared/recent-prints.js';
import { fakeStorageArea } from './fakes.js';

it('marks a job printed so a reload of the print page does not print again', async () => {
  const storage = fakeStorageArea();
  await savePrintJob({ id: 'a', printedAt: null }, storage);
  expect(await markPrintJobPrinted('a', 123, storage)).toEqual({ id: 'a', printedAt: 123 });
  expect((await getPrintJob('a', storage)).printedAt).toBe(123);
});

it('answers null for a job that is gone', async () => {
  const storage = fakeStorageArea();
  expect(await getPrintJob('missing', storage)).toBeNull();
  expect(await markPrintJobPrinted('missing', 1, storage)).toBeNull();
});

it(`keeps only the newest ${PRINT_JOBS_KEPT} jobs`, async () => {
  const storage = fakeStorageArea();
  for (let index = 0; index <= PRINT_JOBS_KEPT; index += 1) await savePrintJob({ id: `job-${index}` }, storage);
  expect(await getPrintJob('job-0', storage)).toBeNull();
  expect(await getPrintJob(`job-${PRINT_JOBS_KEPT}`, storage)).toEqual({ id: `job-${PRINT_JOBS_KEPT}` });
  expect(Object.keys(storage.data).filter((key) => key.startsWith('printJob:'))).toHaveLength(PRINT_JOBS_KEPT);
});

it(`keeps the newest ${RECENT_PRINTS_KEPT} prints, newest first`, async () => {
  const storage = fakeStorageArea();
  for (let index = 0; index < RECENT_PRINTS_KEPT + 2; index += 1) await addRecentPrint({ at: index }, storage);
  const prints = await getRecentPrints(storage);
  expect(prints.map((print) => print.at)).toEqual([6, 5, 4, 3, 2]);
});
