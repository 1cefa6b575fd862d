// Conformance page for e2e/sdk_test.go: runs the official, unmodified
// @bitrix24/b24jssdk inside the dev portal's app iframe and writes what each
// step saw into the DOM, as text only:
//
//   html[data-state]      loading -> running -> await-expiry -> done | error
//   #step                 the step running now
//   #result               JSON of every step's outcome (tokens never appear,
//                         only their SHA-256 prefix and length)
//
// Steps: init (initializeB24Frame: getInitData over postMessage), frame
// (getInterface, resizeWindow, setTitle, imOpenMessenger), auth
// (getAuthData), pinAll (the SDK's v2 REST call: JSON POST after a preflight),
// refresh (refreshAuth through the parent), afterRefresh (a REST call with the
// new token), then expiry: the page polls server.time while the Go test
// expires every token on the portal; the SDK must see 401 expired_token,
// refresh through the parent by itself and retry.
import { initializeB24Frame } from '@bitrix24/b24jssdk';

const out = { steps: {} };
const root = document.documentElement;

function show() {
  document.getElementById('result').textContent = JSON.stringify(out, null, 2);
}

function state(s) {
  root.dataset.state = s;
}

function step(name) {
  document.getElementById('step').textContent = name;
  out.current = name;
  show();
}

async function fingerprint(token) {
  if (typeof token !== 'string' || token === '') return '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

// describe turns an SDK error (SdkError/AjaxError) or anything else into
// plain data, without its request info (which holds the token).
function describe(e) {
  if (e === null || typeof e !== 'object') return { message: String(e) };
  return {
    name: String(e.name || ''),
    code: String(e.code || ''),
    status: typeof e.status === 'number' ? e.status : 0,
    message: String(e.message || ''),
  };
}

async function authView(b24) {
  const a = b24.auth.getAuthData();
  if (a === false) return { present: false };
  return {
    present: true,
    domain: a.domain,
    member_id: a.member_id,
    expires_in: a.expires_in,
    expires_ok: typeof a.expires === 'number' && a.expires * 1000 > Date.now(),
    token_len: typeof a.access_token === 'string' ? a.access_token.length : 0,
    token_sha: await fingerprint(a.access_token),
    refresh_sha: await fingerprint(a.refresh_token),
  };
}

// call runs one REST method through the SDK's v2 call action and reports the
// outcome as data.
async function call(b24, method, params) {
  const res = await b24.actions.v2.call.make({ method, params: params || {} });
  if (!res.isSuccess) {
    return { ok: false, errors: res.getErrorMessages() };
  }
  const data = res.getData();
  return {
    ok: true,
    result: data.result,
    time_keys: data.time ? Object.keys(data.time).sort() : [],
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run() {
  state('running');
  step('env');
  out.steps.env = {
    window_name_fields: window.name ? window.name.split('|').length : 0,
    has_query_domain: new URLSearchParams(location.search).has('DOMAIN'),
    secure_context: window.isSecureContext,
  };

  step('init');
  const b24 = await initializeB24Frame();
  out.steps.init = {
    is_init: b24.isInit,
    lang: b24.getLang(),
    app_sid_matches_name: b24.getAppSid() === window.name.split('|')[2],
    target_origin: b24.getTargetOrigin(),
    rest_base: b24.getTargetOriginWithPath().get('v2') || '',
    is_admin: b24.auth.isAdmin,
    install_mode: b24.isInstallMode,
    first_run: b24.isFirstRun,
    placement: b24.placement.title,
  };

  // The frame commands the widget uses besides auth: each must reach the
  // portal and come back as the SDK expects (imOpenMessenger has no reply:
  // the SDK settles it on its own timer).
  step('frame');
  const iface = await b24.placement.getInterface();
  const resized = await b24.parent.resizeWindow(420, 360);
  const titled = await b24.parent.setTitle('SDK conformance');
  const opened = await b24.parent.imOpenMessenger('chat1');
  out.steps.frame = {
    interface_commands: Array.isArray(iface && iface.command) ? iface.command : [],
    resize: resized,
    title: titled,
    messenger: opened,
  };

  step('auth');
  out.steps.auth = await authView(b24);

  step('pinAll');
  out.steps.pinAll = await call(b24, 'imopenlines.session.mode.pinAll');

  step('refresh');
  const refreshed = await b24.auth.refreshAuth();
  out.steps.refresh = await authView(b24);
  out.steps.refresh.returned_auth = refreshed !== false;
  out.steps.refresh.token_changed = out.steps.refresh.token_sha !== out.steps.auth.token_sha;

  step('afterRefresh');
  out.steps.afterRefresh = await call(b24, 'imopenlines.session.mode.pinAll');
  out.steps.afterRefresh.token_sha = (await authView(b24)).token_sha;

  // The Go test sees await-expiry, expires every token on the portal, and
  // the next call must come back through the SDK's own refresh and retry.
  step('expiry');
  state('await-expiry');
  const before = (await authView(b24)).token_sha;
  const polls = [];
  let after = before;
  const deadline = Date.now() + 30000;
  while (after === before && Date.now() < deadline) {
    await sleep(500);
    const r = await call(b24, 'server.time');
    polls.push(r.ok ? 'ok' : 'error: ' + r.errors.join('; '));
    after = (await authView(b24)).token_sha;
  }
  state('running');
  out.steps.expiry = {
    refreshed_by_sdk: after !== before,
    token_sha: after,
    polls: polls.length,
    last_poll: polls[polls.length - 1] || '',
    errors: polls.filter((p) => p !== 'ok'),
  };
  if (!out.steps.expiry.refreshed_by_sdk) throw new Error('the SDK never refreshed the token after the portal expired it');

  step('finish');
  b24.destroy();
  out.done = true;
  show();
  state('done');
}

run().catch((e) => {
  out.error = { step: out.current, ...describe(e) };
  show();
  state('error');
});
