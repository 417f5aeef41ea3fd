// The JSON API client: same-origin fetch with the session cookie, and
// the CSRF token on every request that changes something.
import { t } from './i18n.js';

let csrfToken = null;
let onUnauthorized = null;

export function setCsrf(token) { csrfToken = token || null; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
  constructor(status, body, headers) {
    const err = body && body.error;
    super(err && err.message ? err.message
      : status === 0 ? t('error.network') : t('error.server', { status }));
    this.status = status;
    this.code = err ? err.code : null;
    this.field = err ? err.field : null;
    this.errors = err && Array.isArray(err.errors) ? err.errors
      : err && err.field ? [{ field: err.field, code: err.code, message: err.message }] : [];
    // Where on the map the error is ({lon, lat}), for a map to mark it.
    this.detail = err && err.detail ? err.detail : null;
    this.requestId = body && body.request_id;
    this.headers = headers || null;
  }
}

// The jurisdiction the console's lists and maps are narrowed to (a code,
// chosen in the header; null: all of the caller's scope). Every GET of a
// list below carries it as jurisdiction=, unless its query names one.
let listJurisdiction = null;
const SCOPED_LISTS = /^\/(enterprises|cases|cases\/stats|grids|grids\/geojson|grids\/unplaced|visits|clusters|alerts|leads|organisations|indicators|services|organisations\/tree|coverage|coverage\/uncovered|coverage\/geojson|alliances)$/;
export function setListJurisdiction(code) { listJurisdiction = code || null; }

// api('GET', '/enterprises', {query, body | raw + contentType, headers, signal})
//   -> {status, data, etag, headers}; throws ApiError unless 2xx.
export async function api(method, path, opts = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  if (listJurisdiction && method === 'GET' && SCOPED_LISTS.test(path)) {
    url.searchParams.set('jurisdiction', listJurisdiction);
  }
  if (opts.query) {
    for (const [k, v] of Object.entries(opts.query)) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
    }
  }
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let body;
  if (opts.raw !== undefined) {
    // A file as it is (an import): its bytes and its own type.
    headers['Content-Type'] = opts.contentType || 'application/octet-stream';
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(url, {
      method, headers, body, credentials: 'same-origin', cache: 'no-store', signal: opts.signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.headers);
    if (res.status === 401 && onUnauthorized && !opts.noAuthRedirect) onUnauthorized(err);
    throw err;
  }
  return { status: res.status, data, etag: res.headers.get('ETag'), headers: res.headers };
}

// Reference data that rarely changes, fetched once per sign-in.
let clustersPromise = null;
export function getClusters() {
  if (!clustersPromise) {
    clustersPromise = api('GET', '/clusters').then((r) => r.data.items || [])
      .catch((e) => { clustersPromise = null; throw e; });
  }
  return clustersPromise;
}
export function forgetCache() { clustersPromise = null; }
