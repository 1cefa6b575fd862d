// Package devportal is a local fake of Bitrix24 for everything the Pin All
// widget touches: the portal page with the app iframe and the parent side of
// the frame protocol, the REST API (open lines, batch, placements), OAuth
// tokens, limits and fault injection. It is plain Go and imports nothing else
// of this module: it serves the widget's files and links none of its code.
//
// # In-process use (tests)
//
//	p, err := devportal.Start(devportal.Config{WidgetDir: "widget"})
//	defer p.Close()
//	p.PortalURL() // http://localhost:PORT   - open PortalURL()+"/" in the browser
//	p.AppURL()    // http://127.0.0.1:PORT2  - the app origin serving WidgetDir
//
// Inspection: Sessions, Requests, FrameEvents, Placements, Installed.
// Control: InjectFault, ClearFaults, ExpireTokens, SetScopes, SetRefreshSilent,
// SetLatency, SetInstalled, SetSessions, Reset, ResetLog,
// IssueToken, WebhookURL; for hostile-input tests SetInitOverride (replace
// getInitData fields) and SetFrameDomain (the DOMAIN the page frames the app
// with); HoldFrameReports (hold the page's reports of one command until
// released).
//
// # How the app's files are served
//
// By default WidgetDir, preferring a .br or .gz sibling the browser accepts
// (the self-host route). Config.AppZip serves a zip's files as Bitrix24
// serves an uploaded app, and Config.Plain WidgetDir's the same way: the
// bytes as they are, no Content-Encoding, Content-Type by extension, a
// strong ETag and Cache-Control: no-cache (Config.NoCacheHeaders: neither).
// Config.Pace paces the app's files to a bandwidth and round-trip time on
// the server (plainhost.go, pace.go; docs/benchmarks.md).
//
// # The portal page
//
// GET {PortalURL}/ renders a Bitrix24-like shell with the app iframe named
// "{host:port}|0|{APP_SID}" and loading
// "{AppURL}/index.html?DOMAIN={host:port}&PROTOCOL=0&LANG={lang}&APP_SID={sid}"
// (install.html while not installed). Its LANG switch (and ?lang=) turns the
// portal to one of the twenty PortalLangs, the demo's names with it
// (the panel's LANG switch, DemoDataFor); any other lang goes to that page's app as it is.
// Query parameters: lang, user,
// placement (DEFAULT, IM_NAVIGATION, IM_SIDEBAR), dialog (chatNNN for
// IM_SIDEBAR, default the operator's first open chat). Beside the frame a panel
// shows the operator's sessions (rows tr[data-session-id][data-pinned]) and the
// recent REST and frame logs. The page runs under a strict CSP; its script is
// /devportal/static/portal.js.
//
// The page is the parent side of the frame protocol, and splits the work as
// the real BX.rest.AppLayout does. It answers getInitData at once from the
// init data it holds: rendered into the page (data-init, with a freshly
// issued token), then renewed by the server with the answer to each
// getInitData report (the next ask gets a token of its own), with each reload
// it makes (setInstallFinish, reloadWindow), and by a long poll whenever
// something in the init data changes (SetInitOverride, SetInstalled,
// ExpireTokens, SetSessions, Reset), so a change after the page loaded still
// reaches the next getInitData; the iframe's data-init-gen names the
// generation it holds. Every other command (refreshAuth, resizeWindow,
// setTitle, setInstallFinish, ...) goes to the server, which decides the
// reply. The page drops, unanswered, messages from another origin, source or
// APP_SID, and reports every message, getInitData after its reply, so the
// frame log and FrameEvents see them all, in the order the page got them (the
// reports are numbered; one that overtakes an earlier one waits for it).
//
// # HTTP control endpoints (portal origin)
//
//	GET  /devportal/api/state?user=N   the panel's data: sessions, logs, scopes
//	GET  /devportal/api/requests       p.Requests()
//	GET  /devportal/api/frame-events   p.FrameEvents()
//	POST /devportal/api/reset          p.Reset()
//	POST /devportal/api/expire-tokens  p.ExpireTokens()
//	POST /devportal/api/faults         {"fault":{"kind":"error","code":"QUERY_LIMIT_EXCEEDED","count":2},
//	                                    "faults":[...], "clear":true, "expire_tokens":true,
//	                                    "refresh_silent":true, "scopes":["placement"],
//	                                    "latency":"300ms", "rate_limit":{"PerSecond":2,"Burst":50}}
//	POST /devportal/api/frame          used by portal.js for each frame message
//	GET  /devportal/api/init?sid=S&gen=N  portal.js's long poll: init data newer than N
//
// # Data files
//
// Config.Data (flag --data FILE) takes the schema of demo.json: users
// {id, name, is_admin}, lines {id, name, operators: [user ids]}, chats
// {id, line_id (0 = not an open-line chat), name, entity_id, date_create},
// sessions {id, chat_id, operator, closed, pinned}. Config.ExtraSessions adds
// generated open sessions for Config.UserID.
package devportal
