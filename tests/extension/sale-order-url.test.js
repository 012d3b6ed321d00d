import { describe, expect, it } from 'vitest';
import { isSaleOrderHostUrl, orderKey, parseSaleOrderListUrl, parseSaleOrderUrl, readOrderRef } from '../../extension/src/shared/sale-order-url.js';

const UUID = '3f0c7a52-9a4e-4a8e-9c1d-2b7f5e6d8a10';

describe('parseSaleOrderUrl', () => {
  it.each([
    ['https://app.cartoncloud.com/demo-warehouse/SaleOrders/view/787061', { tenantSlug: 'demo-warehouse', numericId: '787061' }],
    ['https://app.na.cartoncloud.com/acme/SaleOrders/view/12/', { tenantSlug: 'acme', numericId: '12' }],
    ['https://app.cartoncloud.com.au/acme/SaleOrders/view/5?tab=items#top', { tenantSlug: 'acme', numericId: '5' }],
    [`https://app.cartoncloud.com/acme/outbound-orders/${UUID}`, { tenantSlug: 'acme', id: UUID }],
    [`https://app.cartoncloud.com/acme/outbound-orders/${UUID.toUpperCase()}/items`, { tenantSlug: 'acme', id: UUID }],
    ['http://127.0.0.1:5173/app/demo-warehouse/SaleOrders/view/787061?spa=1', { tenantSlug: 'demo-warehouse', numericId: '787061' }],
    [`http://localhost:8000/app/demo-warehouse/outbound-orders/${UUID}`, { tenantSlug: 'demo-warehouse', id: UUID }],
  ])('reads the order from %s', (url, expected) => {
    expect(parseSaleOrderUrl(url)).toEqual(expected);
  });

  it.each([
    ['another host', 'https://evil.example/demo/SaleOrders/view/787061'],
    ['plain http on CartonCloud', 'http://app.cartoncloud.com/demo/SaleOrders/view/787061'],
    ['a look-alike host name', 'https://app.cartoncloud.com.evil.example/demo/SaleOrders/view/787061'],
    ['the sale order list', 'https://app.cartoncloud.com/demo/SaleOrders'],
    ['the edit page', 'https://app.cartoncloud.com/demo/SaleOrders/edit/787061'],
    ['a non-numeric id', 'https://app.cartoncloud.com/demo/SaleOrders/view/78a061'],
    ['extra path after the numeric id', 'https://app.cartoncloud.com/demo/SaleOrders/view/787061/print'],
    ['a malformed UUID', 'https://app.cartoncloud.com/demo/outbound-orders/not-a-uuid'],
    ['a sandbox page outside /app', 'http://127.0.0.1:5000/demo-warehouse/SaleOrders/view/787061'],
    ['a sandbox path on https', 'https://127.0.0.1:5000/app/demo-warehouse/SaleOrders/view/787061'],
    ['a slug with markup', 'https://app.cartoncloud.com/%3Cb%3E/SaleOrders/view/787061'],
    ['not a URL', 'not a url'],
  ])('ignores %s', (_, url) => {
    expect(parseSaleOrderUrl(url)).toBeNull();
  });
});

describe('parseSaleOrderListUrl', () => {
  it.each([
    ['https://app.cartoncloud.com/demo-warehouse/SaleOrders', { tenantSlug: 'demo-warehouse' }],
    ['https://app.cartoncloud.com.au/acme/SaleOrders/?status=PACKED&page=2', { tenantSlug: 'acme' }],
    ['http://127.0.0.1:5000/app/demo-warehouse/SaleOrders', { tenantSlug: 'demo-warehouse' }],
    ['http://localhost:8000/app/demo-warehouse/SaleOrders?page=2', { tenantSlug: 'demo-warehouse' }],
    ['https://app.cartoncloud.com/demo-warehouse/SaleOrders/view/787061', null],
    ['https://app.cartoncloud.com/demo-warehouse/PurchaseOrders', null],
    ['http://127.0.0.1:5000/demo-warehouse/SaleOrders', null],
    ['https://evil.example/demo-warehouse/SaleOrders', null],
    ['https://app.cartoncloud.com/%3Cb%3E/SaleOrders', null],
  ])('%s → %j', (url, expected) => {
    expect(parseSaleOrderListUrl(url)).toEqual(expected);
  });
});

describe('isSaleOrderHostUrl', () => {
  it.each([
    ['https://app.cartoncloud.com/anything', true],
    ['https://app.na.cartoncloud.com/', true],
    ['http://localhost:4000/app/x', true],
    ['http://localhost:4000/admin', false],
    ['https://example.com/app/x', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isSaleOrderHostUrl(url)).toBe(expected);
  });
});

describe('readOrderRef (what the worker accepts from a page)', () => {
  it.each([
    [{ tenantSlug: 'demo', numericId: '787061' }, { tenantSlug: 'demo', numericId: '787061' }],
    [{ numericId: '1' }, { tenantSlug: undefined, numericId: '1' }],
    [{ tenantSlug: 'demo', id: UUID.toUpperCase() }, { tenantSlug: 'demo', id: UUID }],
  ])('accepts %j', (value, expected) => {
    expect(readOrderRef(value)).toEqual(expected);
  });

  it.each([
    ['nothing', undefined],
    ['a string', '787061'],
    ['both identifiers', { numericId: '1', id: UUID }],
    ['a numeric id as a number', { numericId: 787061 }],
    ['a numeric id with text', { numericId: '1 OR 1=1' }],
    ['a bad tenant slug', { tenantSlug: '../admin', numericId: '1' }],
    ['a customer reference only', { customerReference: 'SO-10045' }],
  ])('refuses %s', (_, value) => {
    expect(readOrderRef(value)).toBeNull();
  });
});

it('orderKey tells orders apart and matches the same order', () => {
  expect(orderKey({ tenantSlug: 'a', numericId: '1' })).toBe(orderKey({ tenantSlug: 'a', numericId: '1' }));
  expect(orderKey({ tenantSlug: 'a', numericId: '1' })).not.toBe(orderKey({ tenantSlug: 'a', numericId: '2' }));
});
