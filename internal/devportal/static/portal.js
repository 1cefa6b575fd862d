// Parent side of the Bitrix24 frame protocol for the dev portal page, and the
// live state panel. Loaded in <head> so the message listener exists before
// the app frame can post anything. Every server string reaches the DOM
// through textContent.
//
// As the real parent does, the page answers getInitData from init data it
// holds (rendered into the page, renewed by the server: after each
// getInitData, with each reload, and by a long poll whenever the portal's
// state changes) and reports it afterwards; every other command goes to the
// server, which decides the reply.
(function () {
  'use strict';

  function conf() {
    var b = document.getElementById('portal');
    return b ? b.dataset : null;
  }
  function frame() { return document.getElementById('app-frame'); }

  // split reads a message as the real parent does: first field the command,
  // last the APP_SID, second-last the CALLBACK, the middle rejoined as PARAMS.
  // Three fields are "cmd:callback:sid" (b24jssdk drops empty fields), unless
  // the middle is JSON, then it is "cmd:params:sid" with no callback.
  function split(data) {
    var f = data.split(':');
    if (f.length < 2) return null;
    var m = { command: f[0], appSid: f[f.length - 1], callback: '', params: '' };
    if (f.length === 3) {
      var mid = f[1];
      if (mid.charAt(0) === '{' || mid.charAt(0) === '[') m.params = mid; else m.callback = mid;
    } else if (f.length > 3) {
      m.callback = f[f.length - 2];
      m.params = f.slice(1, f.length - 2).join(':');
    }
    return m;
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  // seq numbers the reports, so the server logs them in the order the
  // messages came even when one sent later arrives first.
  var seq = 0;
  function report(c, m, origin, accepted, reason, answered) {
    return post('/devportal/api/frame', {
      sid: c.sid, command: m.command, params: m.params, callback: m.callback,
      app_sid: m.appSid, origin: origin, accepted: accepted, reason: reason || '',
      answered: !!answered, seq: ++seq
    });
  }

  // held is the init data for the next getInitData: {gen, data}, gen the
  // portal's generation it was built at; newer or equal replaces it.
  var held = null;
  function hold(x) {
    if (!x || typeof x.gen !== 'number' || !x.data || (held && x.gen < held.gen)) return;
    held = x;
    var ifr = frame();
    if (ifr) ifr.dataset.initGen = String(x.gen);
  }
  function heldInit(c) {
    if (!held && c.init) {
      try { hold(JSON.parse(c.init)); } catch (e) { /* the server's fallback below */ }
    }
    return held;
  }

  // watchInit long-polls the server for init data newer than held's.
  function watchInit() {
    var c = conf();
    if (!c) return;
    var h = heldInit(c);
    fetch('/devportal/api/init?sid=' + encodeURIComponent(c.sid) + '&gen=' + (h ? h.gen : 0))
      .then(function (r) {
        if (r.status === 204) return null;
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (x) { hold(x); watchInit(); }, function () { setTimeout(watchInit, 1000); });
  }

  function reply(ifr, c, callback, data) {
    var text = callback + ':' + (data === undefined ? '' : JSON.stringify(data));
    ifr.contentWindow.postMessage(text, c.appOrigin);
  }

  function onMessage(ev) {
    var c = conf(), ifr = frame();
    if (!c || !ifr) return;
    var m = typeof ev.data === 'string' ? split(ev.data) : null;
    var bad = '';
    if (ev.origin !== c.appOrigin) bad = 'origin ' + ev.origin;
    else if (ev.source !== ifr.contentWindow) bad = 'source is not the app frame';
    else if (!m) bad = 'malformed message';
    else if (m.appSid !== c.sid) bad = 'APP_SID mismatch';
    if (!m) m = { command: typeof ev.data === 'string' ? ev.data : '(' + typeof ev.data + ')', appSid: '', callback: '', params: '' };
    if (bad) { report(c, m, ev.origin, false, bad).catch(function () {}); return; }
    var answered = false;
    if (m.command === 'getInitData' && heldInit(c)) {
      if (m.callback) reply(ifr, c, m.callback, held.data);
      answered = true;
    }
    report(c, m, ev.origin, true, '', answered).then(function (a) {
      hold(a.init);
      if (a.resize) resize(ifr, a.resize);
      if (a.title) document.getElementById('page-title').textContent = a.title;
      if (a.reload) ifr.src = a.reload;
      if (a.reply) reply(ifr, c, m.callback, a.data);
      refresh();
    }).catch(function () {});
  }
  window.addEventListener('message', onMessage);

  function resize(ifr, s) {
    var w = s.width, h = s.height;
    if (typeof w === 'number') ifr.style.width = w + 'px'; else if (typeof w === 'string' && /^\d+%$/.test(w)) ifr.style.width = w;
    if (typeof h === 'number' && h > 0) ifr.style.height = h + 'px';
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  var pinnedBefore = {};
  function render(s) {
    document.getElementById('state-user').textContent = 'operator #' + s.user;
    var open = 0, pinned = 0;
    var tbody = document.querySelector('#sessions tbody');
    var rows = [];
    s.sessions.forEach(function (x) {
      if (!x.closed) open++;
      if (x.pinned) pinned++;
      var tr = el('tr', undefined, (x.pinned ? 'pinned' : '') + (x.closed ? ' closed' : ''));
      if (pinnedBefore[x.id] !== undefined && pinnedBefore[x.id] !== x.pinned) tr.className += ' flash';
      pinnedBefore[x.id] = x.pinned;
      tr.dataset.sessionId = x.id;
      tr.dataset.pinned = x.pinned;
      tr.appendChild(el('td', String(x.id)));
      tr.appendChild(el('td', x.chat_name + ' (chat' + x.chat_id + ')'));
      tr.appendChild(el('td', x.closed ? 'closed' : (x.pinned ? 'pinned' : 'open')));
      rows.push(tr);
    });
    tbody.replaceChildren.apply(tbody, rows);
    document.getElementById('state-summary').textContent =
      s.sessions.length + ' sessions, ' + open + ' open, ' + pinned + ' pinned; ' + s.others +
      ' of other operators; scopes: ' + s.scopes.join(', ') + (s.installed ? '' : '; NOT INSTALLED');
    var rl = document.getElementById('rest-log');
    rl.replaceChildren.apply(rl, s.requests.slice().reverse().map(function (r) {
      var t = r.http_method + ' ' + (r.method || r.path) + ' \u2192 ' + r.status + (r.error ? ' ' + r.error : '') + (r.fault ? ' [' + r.fault + ']' : '');
      return el('li', t, r.status >= 400 || r.fault ? 'bad' : '');
    }));
    var fl = document.getElementById('frame-log');
    fl.replaceChildren.apply(fl, s.frames.slice().reverse().map(function (f) {
      var t = f.command + (f.dialog_id ? ' ' + f.dialog_id : '') + (f.title ? ' "' + f.title + '"' : '') +
        (f.accepted ? (f.replied ? ' \u2192 replied' : '') : ' dropped: ' + f.reason);
      return el('li', t, f.accepted ? '' : 'drop');
    }));
  }

  var busy = false;
  function refresh() {
    var c = conf();
    if (!c || busy) return;
    busy = true;
    fetch('/devportal/api/state?user=' + encodeURIComponent(c.user))
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () {})
      .then(function () { busy = false; });
  }
  // The LANG switch opens the page again in that language: the server
  // switches the portal (and the demo's names) to it.
  function watchLang() {
    var sel = document.getElementById('lang-switch');
    if (!sel) return;
    sel.addEventListener('change', function () {
      var u = new URL(location.href);
      u.searchParams.set('lang', sel.value);
      location.assign(u.toString());
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    watchLang();
    watchInit();
    refresh();
    setInterval(refresh, 700);
  });
})();
