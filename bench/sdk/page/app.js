// The official-SDK peer (bench variant S): the Pin All widget as a Bitrix24
// developer would write it on @bitrix24/b24jssdk, following the SDK's docs:
// initializeB24Frame() for the frame handshake, auth.getAuthData() to check
// the portal gave a token, and actions.v2.call.make() for each REST call (the
// docs' replacement for the deprecated callMethod, which only forwards to it
// after logging a warning). The SDK refreshes an expired token by itself.
// Same DOM contract as bench/reference/app.js: html[data-state], #pin-all,
// #unpin-all, #status, #error, #sessions li[data-session-id]. English only.
import { initializeB24Frame } from '@bitrix24/b24jssdk';

const root = document.documentElement;
const $ = (id) => document.getElementById(id);
const pin = $('pin-all');
const unpin = $('unpin-all');
const status = $('status');
const alert = $('error');
const list = $('sessions');
const listTitle = $('pa-result-title');

function setState(state, buttonsOn) {
  root.dataset.state = state;
  for (const b of [pin, unpin]) b.disabled = !buttonsOn;
}

function fail(text, buttonsOn) {
  status.textContent = '';
  alert.textContent = text;
  setState('error', buttonsOn);
}

// Thousands grouped by hand, as the Go widget groups them: the first
// toLocaleString of a page loads the locale's data, inside the click.
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const dialogs = (n) => `${grouped(n)} dialog${n === 1 ? '' : 's'}`;

// The frame is fitted in the next frame, as the Go widget fits it: measured
// in the task that shows a result, the page would be laid out before the
// result can be painted.
const fitSoon = (b24) => requestAnimationFrame(() => b24.parent.fitWindow());

async function boot() {
  // The SDK reads DOMAIN, PROTOCOL and APP_SID from window.name: without
  // them the page is not inside Bitrix24.
  if ((window.name || '').split('|').length < 3) {
    fail("This page works only inside Bitrix24. Open Pin All from your portal's menu.", false);
    return;
  }
  let b24;
  try {
    b24 = await initializeB24Frame();
  } catch {
    fail('The portal did not answer the widget. Reload the page.', false);
    return;
  }
  if (b24.auth.getAuthData() === false) {
    fail('The portal gave the widget no valid sign-in. Reload the page.', false);
    return;
  }

  let busy = false;
  async function run(method, busyText, doneText) {
    if (busy) return;
    busy = true;
    alert.textContent = '';
    status.textContent = busyText;
    setState('busy', false);
    try {
      const response = await b24.actions.v2.call.make({ method });
      if (!response.isSuccess) {
        throw new Error(response.getErrorMessages().join('; '));
      }
      const ids = response.getData().result || [];
      const frag = document.createDocumentFragment();
      for (const id of ids) {
        const li = document.createElement('li');
        li.dataset.sessionId = id;
        li.textContent = 'Session #' + id;
        frag.appendChild(li);
      }
      list.replaceChildren(frag);
      listTitle.hidden = ids.length === 0;
      status.textContent = doneText(ids.length);
      setState('done', true);
    } catch (err) {
      fail(`The portal answered with an error (${err.message}). Try again.`, true);
    } finally {
      busy = false;
    }
    fitSoon(b24);
  }

  pin.addEventListener('click', () => run('imopenlines.session.mode.pinAll', 'Pinning your dialogs…',
    (n) => (n ? `Pinned ${dialogs(n)}. ${n === 1 ? 'It stays' : 'They stay'} with you.` : 'Nothing to pin: your open dialogs are already pinned.')));
  unpin.addEventListener('click', () => run('imopenlines.session.mode.unpinAll', 'Unpinning your dialogs…',
    (n) => (n ? `Unpinned ${dialogs(n)}. ${n === 1 ? 'It follows' : 'They follow'} the queue rules again.` : 'Nothing to unpin: none of your dialogs is pinned.')));

  status.textContent = '';
  setState('ready', true);
  b24.parent.setTitle('Pin all dialogs');
  fitSoon(b24);
}

boot();
