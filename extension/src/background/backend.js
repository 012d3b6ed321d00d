/**
 * The labelbridge backend over HTTP: the one place the extension calls it. Every failure
 * becomes a BackendError whose `message` is a sentence a packer can act on.
 */

const RETRYABLE_STATUSES = new Set([408, 409, 429, 500, 503, 504]);

export class BackendError extends Error {
  constructor({ code, message, status = null, retryable = false, retryAfter = null, fields = null }) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.fields = fields;
  }

  /** The form that crosses the message boundary. */
  toPayload() {
    const { code, message, status, retryable, retryAfter, fields } = this;
    return { code, message, status, retryable, retryAfter, fields };
  }
}

export const NOT_CONFIGURED = Object.freeze({
  code: 'not_configured',
  message: 'labelbridge is not set up yet: open the extension’s popup and enter the backend address and token.',
});

/** Retry-After in seconds, from either of its two forms. */
function parseRetryAfter(header, now) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function errorFromResponse(response, body, now) {
  const { status } = response;
  const hasMessage = body && typeof body.message === 'string' && body.message;
  return new BackendError({
    code: (body && typeof body.code === 'string' && body.code) || `http_${status}`,
    message: hasMessage ? body.message : `The labelbridge backend answered with HTTP ${status} and no readable message.`,
    status,
    retryable: RETRYABLE_STATUSES.has(status),
    retryAfter: parseRetryAfter(response.headers.get('Retry-After'), now),
    fields: (body && typeof body.errors === 'object' && body.errors) || null,
  });
}

function errorFromFetchFailure(error, backendUrl, timeoutMs) {
  if (error?.name === 'TimeoutError') {
    return new BackendError({
      code: 'backend_timeout',
      message: `The labelbridge backend did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again in a moment.`,
      retryable: true,
    });
  }
  return new BackendError({
    code: 'backend_unreachable',
    message: `Could not reach the labelbridge backend at ${backendUrl}. Check that it is running and that the address in the extension’s settings is right.`,
    retryable: true,
  });
}

/**
 * A client for one backend address and token.
 * `fetchImpl` and `now` are injectable so tests need no network and no clock.
 */
export function createBackendClient({ backendUrl, token, fetchImpl = (...args) => fetch(...args), now = Date.now }) {
  async function send(method, path, { query, body, headers = {}, authorized = true, timeoutMs = 10_000 } = {}) {
    const url = new URL(`${backendUrl}${path}`);
    if (query) url.search = new URLSearchParams(query).toString();
    const requestHeaders = { Accept: 'application/json', ...headers };
    if (authorized) requestHeaders.Authorization = `Bearer ${token}`;
    if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetchImpl(url.toString(), {
        method,
        headers: requestHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw errorFromFetchFailure(error, backendUrl, timeoutMs);
    }
    return response;
  }

  async function requestJson(method, path, options) {
    const response = await send(method, path, options);
    const body = await readJson(response);
    if (!response.ok) throw errorFromResponse(response, body, now());
    if (body === null) {
      throw new BackendError({
        code: 'bad_response',
        message: `The labelbridge backend at ${backendUrl} answered with something that is not JSON. Is the address right?`,
        status: response.status,
      });
    }
    return body;
  }

  async function requestBytes(path, options) {
    const response = await send('GET', path, { ...options, headers: { Accept: '*/*' } });
    if (!response.ok) throw errorFromResponse(response, await readJson(response), now());
    return new Uint8Array(await response.arrayBuffer());
  }

  return { requestJson, requestBytes };
}
