/** Reading the Sale Orders list: rows by their links to View pages, each with its checkbox. */
import { beforeEach, describe, expect, it } from 'vitest';
import { findOrderRows, selectedNumericIds } from '../../extension/src/content/list-page.js';
import { ORDER_LIST_SNAPSHOTS, showHtml, showSnapshot } from './snapshots.js';

const CARTONCLOUD_LIST = 'https://app.cartoncloud.com/demo-warehouse/SaleOrders';
const SANDBOX_LIST = 'http://127.0.0.1:5000/app/demo-warehouse/SaleOrders';
/** Where each saved list was served: its links are relative to that. */
const listUrl = (name) => (name.startsWith('sandbox-') ? SANDBOX_LIST : CARTONCLOUD_LIST);
const tick = (numericId) => {
  const link = [...document.querySelectorAll('a')].find((a) => a.textContent.trim() === numericId);
  link.closest('tr, [role="row"]').querySelector('input[type="checkbox"]').checked = true;
};

describe('the hand-written data grid', () => {
  beforeEach(() => showSnapshot('handmade-order-list.html', CARTONCLOUD_LIST));

  it("finds the tenant's orders that have a checkbox, in list order, once per row", () => {
    expect(findOrderRows(document, 'demo-warehouse').map((row) => row.numericId)).toEqual(['787063', '787061', '787062']);
  });

  it('ignores links outside rows, to other tenants, and rows without a checkbox', () => {
    const ids = findOrderRows(document, 'demo-warehouse').map((row) => row.numericId);
    expect(ids).not.toEqual(expect.arrayContaining(['700001', '700002']));
    expect(ids).not.toContain('555555');
    expect(ids).not.toContain('787064');
  });

  it('gives the ticked rows in list order, not in the order they were ticked', () => {
    tick('787062');
    tick('787063');
    expect(selectedNumericIds(findOrderRows(document, 'demo-warehouse'))).toEqual(['787063', '787062']);
  });

  it('does not count the "select all" box as an order', () => {
    document.getElementById('select-all').checked = true;
    expect(selectedNumericIds(findOrderRows(document, 'demo-warehouse'))).toEqual([]);
  });
});

describe.each(ORDER_LIST_SNAPSHOTS)('saved list %s', (name) => {
  it('lists orders, each with a checkbox of its own', () => {
    showSnapshot(name, listUrl(name));
    const rows = findOrderRows(document, 'demo-warehouse');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((row) => row.checkbox)).size).toBe(rows.length);
    rows.forEach((row) => expect(row.numericId).toMatch(/^\d+$/));
  });
});

it('counts an order listed twice once', () => {
  const row = '<tr><td><input type="checkbox" checked></td><td><a href="/demo-warehouse/SaleOrders/view/1">1</a></td></tr>';
  showHtml(`<table>${row}${row}</table>`, CARTONCLOUD_LIST);
  expect(selectedNumericIds(findOrderRows(document, 'demo-warehouse'))).toEqual(['1']);
});
