// A small internal portal for the end-to-end test, and the README's example host page. It serves
// two origins: the portal (PORTAL_PORT), allowed to frame fleetdesk, and a third origin
// (OTHER_PORT) that is not. The portal's backend holds a Huawei credential for its user, signs a
// launch token (HS256) with the secret it shares with fleetdesk, and trades it for a one-time
// launch URL that its page opens in the iframe.
'use strict';
const crypto = require('crypto');
const http = require('http');

const FLEETDESK = process.env.FLEETDESK_URL;            // as the browser reaches it (another site)
const FLEETDESK_BACKEND = process.env.FLEETDESK_BACKEND || FLEETDESK; // as this backend reaches it
const SECRET = process.env.LAUNCH_SECRET;
const AUDIENCE = process.env.LAUNCH_AUDIENCE || 'fleetdesk';
const AK = process.env.PORTAL_AK;
const SK = process.env.PORTAL_SK;
const PORTAL_PORT = Number(process.env.PORTAL_PORT || 3102);
const OTHER_PORT = Number(process.env.OTHER_PORT || 3103);
for (const [k, v] of Object.entries({ FLEETDESK_URL: FLEETDESK, LAUNCH_SECRET: SECRET, PORTAL_AK: AK, PORTAL_SK: SK })) {
  if (!v) { console.error(`portal: ${k} is required`); process.exit(1); }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** A launch token for `user`: HS256 over header.payload with the shared secret. */
function launchToken(user, role, landing) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({
    iss: 'test-portal', aud: AUDIENCE, sub: user, iat: now, exp: now + 60, jti: crypto.randomUUID(),
    role, landing, compact: true, credential: { ak_sk: { ak: AK, sk: SK } },
  }));
  const signature = crypto.createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Internal portal</title>
<style>body{font-family:sans-serif;margin:0}header{background:#234;color:#fff;padding:8px 16px}
#fleetdesk{width:100%;border:0;height:200px;display:block}main{padding:8px 16px}</style></head>
<body>
<header><strong>Internal portal</strong> · fleetdesk is below, in a frame</header>
<main>
  <button id="launch" data-testid="launch">Open fleetdesk</button>
  <button id="launch-ro" data-testid="launch-read-only">Open fleetdesk read-only</button>
  <input id="path" data-testid="nav-path" value="/fleet/tags" aria-label="fleetdesk page">
  <button id="go" data-testid="navigate">Show that page</button>
  <button id="logout" data-testid="logout">Sign out of fleetdesk</button>
  <p>fleetdesk page: <code id="route" data-testid="route"></code> · <span id="status" data-testid="status"></span></p>
</main>
<iframe id="fleetdesk" title="fleetdesk"></iframe>
<script>
const FLEETDESK_ORIGIN = ${JSON.stringify(new URL(FLEETDESK).origin)};
const frame = document.getElementById('fleetdesk');
async function launch(role) {
  // The portal's own backend signs the launch: the browser never sees a credential or the secret.
  const r = await fetch('/launch?role=' + role + '&landing=/finance', { method: 'POST' });
  const body = await r.json();
  if (!r.ok) { document.getElementById('status').textContent = 'launch failed: ' + body.reason; return; }
  frame.src = body.url;
}
document.getElementById('launch').onclick = () => launch('operator');
document.getElementById('launch-ro').onclick = () => launch('read_only');
document.getElementById('go').onclick = () =>
  frame.contentWindow.postMessage({ type: 'fleetdesk:navigate', path: document.getElementById('path').value }, FLEETDESK_ORIGIN);
document.getElementById('logout').onclick = () =>
  frame.contentWindow.postMessage({ type: 'fleetdesk:logout' }, FLEETDESK_ORIGIN);
window.addEventListener('message', (e) => {
  if (e.origin !== FLEETDESK_ORIGIN) return; // only fleetdesk is listened to
  const m = e.data || {};
  if (m.type === 'fleetdesk:height') frame.style.height = m.height + 'px';
  if (m.type === 'fleetdesk:route') document.getElementById('route').textContent = m.path;
  if (m.type === 'fleetdesk:logged-out') document.getElementById('status').textContent = 'signed out';
});
</script>
</body></html>`;

const OTHER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not a portal</title></head>
<body><p>This origin is not allowed to frame fleetdesk.</p>
<iframe id="fleetdesk" title="fleetdesk" src="${FLEETDESK}/login" onload="document.body.dataset.framed='loaded'"></iframe>
</body></html>`;

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', HOST_PAGE);
  if (req.method === 'POST' && url.pathname === '/launch') {
    const role = url.searchParams.get('role') === 'read_only' ? 'read_only' : 'operator';
    const token = launchToken('alice@portal', role, url.searchParams.get('landing') || '/');
    const r = await fetch(`${FLEETDESK_BACKEND}/embed/launch`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const body = await r.json();
    // fleetdesk names its URL by how this backend reached it; the browser reaches it by FLEETDESK_URL.
    if (body.url) body.url = FLEETDESK + new URL(body.url).pathname + new URL(body.url).search;
    return send(res, r.status, 'application/json', JSON.stringify(body));
  }
  send(res, 404, 'text/plain', 'not found');
}).listen(PORTAL_PORT, '127.0.0.1');

http.createServer((req, res) => send(res, 200, 'text/html; charset=utf-8', OTHER_PAGE)).listen(OTHER_PORT, '127.0.0.1');
console.log(`portal on http://127.0.0.1:${PORTAL_PORT}, another origin on http://127.0.0.1:${OTHER_PORT}`);
