/** What the print page does with each label format: show it and print it, or offer it for download. */

const FORMATS = Object.freeze({
  pdf: { mime: 'application/pdf', extension: 'pdf', display: 'frame' },
  png: { mime: 'image/png', extension: 'png', display: 'image' },
  jpg: { mime: 'image/jpeg', extension: 'jpg', display: 'image' },
  jpeg: { mime: 'image/jpeg', extension: 'jpg', display: 'image' },
  gif: { mime: 'image/gif', extension: 'gif', display: 'image' },
});

/** {mime, extension, display: 'frame' | 'image' | 'download'} for a backend label format. */
export function labelFileType(format) {
  const known = FORMATS[String(format).toLowerCase()];
  if (known) return known;
  // ZPL, EPL and the like go to a label printer's own software, not to the browser.
  const extension = String(format).toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin';
  return { mime: 'application/octet-stream', extension, display: 'download' };
}

/**
 * A file name a packer can find again: the order's reference and first tracking number ("return-"
 * first for its return label), for a batch its size and the start of its id, for a manifest its id.
 */
export function labelFileName(job, extension) {
  if (job.batch) return `labels-${job.batch.printed + job.batch.reprinted}-orders-${job.batch.id.slice(0, 8)}.${extension}`;
  if (job.manifest) return `manifest-${job.manifest.id}.${extension}`;
  const parts = [job.kind === 'return' && 'return', job.saleOrder?.customerReference || job.saleOrder?.numericId || job.order?.numericId || 'label', job.trackingNumbers?.[0]];
  const stem = parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${stem}.${extension}`;
}
