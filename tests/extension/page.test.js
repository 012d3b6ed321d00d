import { describe, expect, it } from 'vitest';
import { findButtonPlacement, readCustomerReference } from '../../extension/src/content/page.js';
import { SALE_ORDER_SNAPSHOTS, snapshotDocument } from './snapshots.js';

const parse = (html) => new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html');

describe.each(SALE_ORDER_SNAPSHOTS)('saved page %s', (name) => {
  it('shows the Customer Reference SO-10045', () => {
    expect(readCustomerReference(snapshotDocument(name))).toBe('SO-10045');
  });

  it('has an action bar for the button', () => {
    const placement = findButtonPlacement(snapshotDocument(name));
    expect(placement.parent.matches('.page-actions')).toBe(true);
    expect(placement.before).toBeNull();
  });
});

it('finds the saved snapshots', () => {
  expect(SALE_ORDER_SNAPSHOTS.length).toBeGreaterThanOrEqual(1);
});

describe('readCustomerReference', () => {
  it.each([
    ['a table row', '<table><tr><th>Customer Reference</th><td> SO-1 </td></tr></table>', 'SO-1'],
    ['a definition list', '<dl><dt>Customer reference:</dt><dd>SO-2</dd></dl>', 'SO-2'],
    ['a form label', '<label for="r">Customer Ref</label><input id="r" value="SO-3">', 'SO-3'],
    ['whitespace in the label', '<table><tr><th>\n  Customer\n  Reference </th><td>SO-4</td></tr></table>', 'SO-4'],
    ['no such label', '<table><tr><th>Reference</th><td>SO-5</td></tr></table>', null],
    ['an empty value', '<table><tr><th>Customer Reference</th><td> </td></tr></table>', null],
    ['a value too long to be a reference', `<table><tr><th>Customer Reference</th><td>${'x'.repeat(101)}</td></tr></table>`, null],
    ['markup as the value, read as text', '<table><tr><th>Customer Reference</th><td>&lt;img src=x onerror=alert(1)&gt;</td></tr></table>', '<img src=x onerror=alert(1)>'],
  ])('reads %s', (_, html, expected) => {
    expect(readCustomerReference(parse(html))).toBe(expected);
  });
});

describe('findButtonPlacement', () => {
  it('falls back to after the page title', () => {
    const document = parse('<main><h1 class="page-title">Sale Order 1</h1><p id="next">x</p></main>');
    const placement = findButtonPlacement(document);
    expect(placement.parent.tagName).toBe('MAIN');
    expect(placement.before.id).toBe('next');
  });

  it('answers null when the page has neither (the button then floats)', () => {
    expect(findButtonPlacement(parse('<p>nothing here</p>'))).toBeNull();
  });
});
