/**
 * The button's look, inside its shadow root so the host page's CSS can't bend it (and ours
 * can't leak out). Light and plain, like the page's own buttons; it inherits the page's font.
 */
export const BUTTON_CSS = `
:host {
  display: inline-flex;
  align-items: center;
  gap: 8px;
  margin: 0;
  vertical-align: middle;
  font: inherit;
  font-size: 14px;
  line-height: 1.3;
}
:host([data-placement="floating"]) {
  position: fixed;
  top: 12px;
  right: 16px;
  z-index: 2147483000;
  margin: 0;
  padding: 8px 10px;
  background: #ffffff;
  border: 1px solid #d5dde5;
  border-radius: 6px;
  box-shadow: 0 2px 8px rgba(20, 40, 60, 0.12);
}
button {
  font: inherit;
  font-weight: 600;
  padding: 6px 14px;
  border-radius: 4px;
  border: 1px solid #1d6fb8;
  background: #1f78c8;
  color: #ffffff;
  cursor: pointer;
  white-space: nowrap;
}
button:hover:not(:disabled) { background: #1a69b0; }
button:focus-visible { outline: 2px solid #7fb6e6; outline-offset: 2px; }
button:disabled { cursor: default; }
:host([data-tone="busy"]) button { background: #eef2f6; border-color: #c9d3dd; color: #4a5a6a; cursor: progress; }
:host([data-tone="success"]) button { background: #e8f5ec; border-color: #8fcca3; color: #1c6b38; }
:host([data-tone="success"]) button:hover { background: #dcefe2; }
:host([data-tone="error"]) button { background: #ffffff; border-color: #c94a3f; color: #a8322a; }
:host([data-tone="error"]) button:disabled { border-color: #d9c2bf; color: #8a7370; }
.detail { color: #52606d; font-size: 13px; max-width: 440px; }
.details-link { color: #1d6fb8; font-size: 13px; white-space: nowrap; }
.details-link[hidden] { display: none; }
.details-link[data-emphasis="true"] { color: #a8322a; font-weight: 600; }
.detail[hidden] { display: none; }
:host { position: relative; }
.service-toggle {
  color: #1d6fb8;
  text-decoration: none;
  padding: 4px 6px;
  margin-left: -6px;
  border: 1px solid #c9d3dd;
  border-radius: 4px;
}
.service-toggle[aria-expanded="true"] { background: #eef2f6; }
.service-menu {
  position: absolute;
  top: calc(100% + 4px);
  left: 0;
  z-index: 2147483001;
  min-width: 340px;
  max-width: 480px;
  padding: 8px;
  background: #ffffff;
  border: 1px solid #c9d3dd;
  border-radius: 6px;
  box-shadow: 0 4px 14px rgba(20, 40, 60, 0.16);
  font-size: 13px;
}
.service-menu[hidden], .services[hidden], .redo[hidden], .menu-status[hidden] { display: none; }
.menu-status { margin: 0 0 6px; color: #52606d; }
.service-menu[data-status="failed"] .menu-status { color: #8f2a22; }
.services { margin: 0; padding: 0; list-style: none; }
.services li { padding: 5px 8px; border-radius: 4px; cursor: pointer; }
.services li:hover, .services li:focus-visible { background: #eaf3fb; outline: none; }
.rules-mark { color: #1c6b38; font-weight: 600; }
.redo { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.redo-warning { flex-basis: 100%; margin: 0; color: #8f2a22; }
.redo input { flex: 1 1 200px; font: inherit; padding: 3px 6px; }
.redo a { color: #1d6fb8; }
:host([data-tone="error"]) .detail {
  color: #8f2a22;
  background: #fdeeec;
  border: 1px solid #f3c9c4;
  border-radius: 4px;
  padding: 4px 8px;
}
`;

/** The batch button of the Sale Orders list: the same button, with a summary and a list of failures below. */
export const BATCH_CSS = `${BUTTON_CSS}
:host { flex-wrap: wrap; margin: 0 0 12px; }
:host([data-tone="error"]) .detail { color: #52606d; background: none; border: 0; padding: 0; font-weight: 600; }
.notices, .failures { flex-basis: 100%; margin: 4px 0 0; padding: 0; list-style: none; font-size: 13px; }
.notices:empty, .failures:empty { display: none; }
.notices li { color: #1c6b38; }
:host([data-printer="failed"]) .notices li { color: #8f2a22; }
.failures li {
  color: #8f2a22;
  background: #fdeeec;
  border: 1px solid #f3c9c4;
  border-radius: 4px;
  padding: 3px 8px;
  margin-top: 3px;
}
`;
