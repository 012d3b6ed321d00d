import { expect, it } from 'vitest';
import { createButtonHost, placeButtonHost, renderButton } from '../../extension/src/content/button-view.js';

const view = { status: 'failed', label: 'Retry print', disabled: false, tone: 'error', detail: '<img src=x onerror=alert(1)>', title: 't' };

it('renders data as text, never as markup', () => {
  const host = createButtonHost(document, { onClick: () => {}, signal: new AbortController().signal });
  renderButton(host, view);
  const detail = host.shadowRoot.querySelector('.detail');
  expect(detail.textContent).toBe('<img src=x onerror=alert(1)>');
  expect(host.shadowRoot.querySelector('img')).toBeNull();
  expect(host.dataset).toMatchObject({ state: 'failed', tone: 'error' });
});

it('hides an empty status line', () => {
  const host = createButtonHost(document, { onClick: () => {}, signal: new AbortController().signal });
  renderButton(host, { ...view, detail: null });
  expect(host.shadowRoot.querySelector('.detail').hidden).toBe(true);
});

it('stops listening once its signal aborts', () => {
  const lifetime = new AbortController();
  let clicks = 0;
  const host = createButtonHost(document, { onClick: () => (clicks += 1), signal: lifetime.signal });
  const button = host.shadowRoot.querySelector('button');
  button.click();
  lifetime.abort();
  button.click();
  expect(clicks).toBe(1);
});

it('moves from floating into place once the page has an anchor', () => {
  const host = createButtonHost(document, { onClick: () => {}, signal: new AbortController().signal });
  placeButtonHost(host, null, document.body);
  expect(host.dataset.placement).toBe('floating');
  const bar = document.createElement('div');
  document.body.append(bar);
  placeButtonHost(host, { parent: bar, before: null }, document.body);
  expect(host.parentElement).toBe(bar);
  expect(host.dataset.placement).toBeUndefined();
});
