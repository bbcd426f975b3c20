// Calls the orchestrator's HTTP API with the credentials the user signed in with. They are kept in
// sessionStorage: gone when the tab closes, and never sent anywhere but this origin.

const STORED = 'sagastream.console.authorization';

/** The API asked for credentials (401): the console shows its sign-in dialog. */
export class SignInNeeded extends Error {}

/** The API refused or failed a call: its status and its own message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function signIn(authorization) {
  sessionStorage.setItem(STORED, authorization);
}

export function signOut() {
  sessionStorage.removeItem(STORED);
}

export function signedIn() {
  return sessionStorage.getItem(STORED) !== null;
}

export function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

export function bearer(token) {
  return `Bearer ${token.trim()}`;
}

/**
 * The JSON answer of `method path`, with the node that answered. credentials 'omit': the
 * Authorization header is set here, and the browser must not answer a 401 with its own password
 * prompt (it does so only for requests that carry its credentials).
 */
export async function call(path, { method = 'GET', signal } = {}) {
  const headers = { Accept: 'application/json' };
  const authorization = sessionStorage.getItem(STORED);
  if (authorization) headers.Authorization = authorization;
  // Relative to the console (/console/), so that a reverse proxy's path prefix carries over.
  const url = new URL(`../${path.replace(/^\//, '')}`, document.baseURI);
  const response = await fetch(url, { method, headers, credentials: 'omit', signal });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  if (response.status === 401) throw new SignInNeeded();
  if (!response.ok) {
    const message = (body && body.message) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return { status: response.status, body, answeredBy: response.headers.get('X-Sagastream-Answered-By') };
}

export async function get(path, options) {
  return (await call(path, options)).body;
}
