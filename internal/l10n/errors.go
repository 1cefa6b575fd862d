package l10n

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/b24"
	"github.com/pinall/pinall/internal/frame"
)

// ErrInternal marks a fault of the widget itself, such as a recovered panic.
var ErrInternal = errors.New("internal widget error")

// ErrNotAdmin means the installer runs for a user who is not a portal
// administrator (init data IS_ADMIN false): placement.bind would refuse.
var ErrNotAdmin = errors.New("install: the user is not a portal administrator")

// Problem is an error put into words.
type Problem struct {
	Key     string // the catalogue row: an error code or a class such as "network"
	Message string // for the user: what happened and what to do about it
	Log     string // for the console: the error's own (token-free) text
}

// entry is one row of the catalogue: the words, and what the widget did
// before it gave up and showed them (documentation for the README).
type entry struct {
	key    string
	en, ru string
	does   string
}

// catalogue is the single place where errors become words. The README's
// error table is generated from it (TestREADMEErrorTable).
var catalogue = []entry{
	{"not_in_bitrix24",
		"This page works only inside Bitrix24. Open Pin All from your portal's menu.",
		"Эта страница работает только внутри Битрикс24. Откройте «Закрепить все» из меню портала.",
		"stops at once: no window.name from the portal"},
	{"no_answer",
		"The portal did not answer the widget. Reload the page; if it repeats, reopen the app from the portal.",
		"Портал не ответил виджету. Перезагрузите страницу; если не поможет, откройте приложение заново из портала.",
		"waits 5 s for getInitData (10 s for refreshAuth), then stops"},
	{"expired_token",
		"Your sign-in to the portal expired and could not be renewed. Reload the page.",
		"Срок входа на портал истёк, и продлить его не удалось. Перезагрузите страницу.",
		"asks the portal for a new token (refreshAuth) and retries once"},
	{"NO_AUTH_FOUND",
		"The portal did not accept the app's sign-in. Reload the page; if it repeats, ask your administrator to reinstall the app.",
		"Портал не принял вход приложения. Перезагрузите страницу; если не поможет, попросите администратора переустановить приложение.",
		"no retry"},
	{"insufficient_scope",
		"The app lacks the \"imopenlines\" (Open Channels) permission. Ask your Bitrix24 administrator to grant it to Pin All.",
		"У приложения нет права «imopenlines» (Открытые линии). Попросите администратора Битрикс24 выдать его приложению.",
		"no retry"},
	{"INVALID_CREDENTIALS",
		"You do not have the rights for this action. Ask your administrator to add you as an open-lines operator.",
		"У вас нет прав на это действие. Попросите администратора добавить вас оператором открытых линий.",
		"no retry"},
	{"ACCESS_DENIED",
		"The portal refused access: REST may not be available on your plan, or the action is not allowed for you. Ask your administrator.",
		"Портал отказал в доступе: REST может быть недоступен на вашем тарифе, или действие вам не разрешено. Обратитесь к администратору.",
		"no retry"},
	{"user_access_error",
		"Your administrator has limited this app to certain users. Ask them to give you access.",
		"Администратор разрешил это приложение только некоторым пользователям. Попросите его открыть вам доступ.",
		"no retry"},
	{"WRONG_AUTH_TYPE",
		"The portal refused this kind of sign-in for the action. Ask your administrator to reinstall the app.",
		"Портал не принимает такой способ входа для этого действия. Попросите администратора переустановить приложение.",
		"no retry"},
	{"INVALID_REQUEST",
		"The portal refused the request (it may require HTTPS). Ask your administrator to check the app's address.",
		"Портал отклонил запрос (возможно, нужен HTTPS). Попросите администратора проверить адрес приложения.",
		"no retry"},
	{"ERROR_METHOD_NOT_FOUND",
		"Open lines are not available on this portal. Ask your administrator to enable Open Channels.",
		"На портале недоступны открытые линии. Попросите администратора включить Открытые линии.",
		"no retry"},
	{"OPERATION_TIME_LIMIT",
		"The portal's time budget for this action is used up. Try again in {wait}.",
		"Лимит времени портала на это действие исчерпан. Повторите через {wait}.",
		"no retry; the message says when the budget resets"},
	{"QUERY_LIMIT_EXCEEDED",
		"The portal is getting too many requests right now. Wait a minute and try again.",
		"Портал сейчас получает слишком много запросов. Подождите минуту и повторите.",
		"backs off with jitter, up to 3 retries within the 30 s budget"},
	{"OVERLOAD_LIMIT",
		"Bitrix24 support has blocked REST access on this portal. Ask your administrator to contact support.",
		"Поддержка Битрикс24 заблокировала REST на этом портале. Попросите администратора обратиться в поддержку.",
		"never retries"},
	{"INTERNAL_SERVER_ERROR",
		"The portal had an internal error. Try again in a minute.",
		"На портале произошла внутренняя ошибка. Повторите через минуту.",
		"no retry"},
	{"PORTAL_DELETED",
		"This Bitrix24 portal has been closed.",
		"Этот портал Битрикс24 закрыт.",
		"no retry"},
	{"PAYMENT_REQUIRED",
		"The app's subscription has lapsed. Ask your administrator to renew it.",
		"Подписка на приложение закончилась. Попросите администратора продлить её.",
		"no retry"},
	{"network",
		"No connection to the portal. Check your network and try again.",
		"Нет связи с порталом. Проверьте сеть и повторите.",
		"retries once (the methods are idempotent)"},
	{"timeout",
		"The portal took too long to answer. Try again.",
		"Портал слишком долго не отвечал. Повторите.",
		"gives up after 30 s in all"},
	{"not_json",
		"The portal sent a page instead of an answer; it may be overloaded. Try again in a minute.",
		"Портал прислал страницу вместо ответа; возможно, он перегружен. Повторите через минуту.",
		"no retry"},
	{"truncated",
		"The portal's answer was cut off. Try again.",
		"Ответ портала оборвался. Повторите.",
		"no retry"},
	{"too_large",
		"The portal's answer was too large to read. Tell your administrator.",
		"Ответ портала слишком велик. Сообщите администратору.",
		"reads at most the size cap, then stops"},
	{"unexpected_result",
		"The portal answered in a form this version of the app does not understand. Tell your administrator.",
		"Портал ответил в виде, который эта версия приложения не понимает. Сообщите администратору.",
		"no retry"},
	{"internal",
		"Something went wrong inside the widget. Try again; if it repeats, reload the page.",
		"В виджете что-то пошло не так. Повторите; если не поможет, перезагрузите страницу.",
		"recovers, keeps the buttons working"},
	{"not_admin",
		"Only a Bitrix24 administrator can finish installing Pin All: adding it to the messenger needs administrator rights. Ask your administrator to open the app once.",
		"Завершить установку «Закрепить все» может только администратор Битрикс24: встраивание в мессенджер требует прав администратора. Попросите администратора открыть приложение.",
		"the installer binds nothing (init data IS_ADMIN is false)"},
	{"other",
		"The portal answered with an error ({code}). Try again; if it repeats, tell your administrator.",
		"Портал ответил ошибкой ({code}). Повторите; если не поможет, сообщите администратору.",
		"no retry"},
}

// methodEntry is a row for one method or family (a prefix ending in "."):
// there the same code means something else than in the general rows.
type methodEntry struct {
	method string
	entry
}

// methodRows come before the catalogue's rows for their methods.
var methodRows = []methodEntry{
	{"imopenlines.session.mode.pin", entry{"CHAT_ID_EMPTY",
		"The sidebar did not say which dialog is open. Reopen the dialog and try again.",
		"Боковая панель не сообщила, какой диалог открыт. Откройте диалог заново и повторите.",
		"no retry"}},
	{"imopenlines.session.mode.pin", entry{"CHAT_ID",
		"This dialog was not found on the portal. Reopen it and try again.",
		"Этот диалог не найден на портале. Откройте его заново и повторите.",
		"no retry"}},
	{"imopenlines.session.mode.pin", entry{"CHAT_TYPE",
		"This chat is not an open-line dialog: only dialogs with customers of an open line can be pinned.",
		"Этот чат не диалог открытой линии: закрепить можно только диалоги с клиентами открытых линий.",
		"no retry"}},
	{"imopenlines.session.mode.pin", entry{"ACCESS_DENIED",
		"You are not the operator of this dialog: only its current operator can pin or unpin it.",
		"Вы не оператор этого диалога: закрепить или открепить его может только его текущий оператор.",
		"no retry"}},
	{"imopenlines.session.mode.pin", entry{"USER_ID",
		"The portal could not tell which operator you are for this dialog. Reload the page and try again.",
		"Портал не смог определить, какой вы оператор для этого диалога. Перезагрузите страницу и повторите.",
		"no retry"}},
	{"placement.", entry{"insufficient_scope",
		"The app lacks the \"placement\" (Embedding in the interface) permission, so it cannot add itself to the messenger. Add the permission to the app, then reinstall it.",
		"У приложения нет права «placement» (Встраивание в интерфейс), поэтому оно не может встроиться в мессенджер. Добавьте это право приложению и переустановите его.",
		"the installer marks every placement failed; the app still opens from its own page"}},
	{"placement.", entry{"ACCESS_DENIED",
		"The portal allows only administrators to add widgets to the messenger. Ask your Bitrix24 administrator to install Pin All.",
		"Портал разрешает встраивать виджеты в мессенджер только администраторам. Попросите администратора Битрикс24 установить «Закрепить все».",
		"the installer marks every placement failed"}},
	{"placement.", entry{"WRONG_AUTH_TYPE",
		"The portal refused to add widgets with this kind of sign-in: install Pin All as an app, not through a webhook.",
		"Портал не разрешает встраивать виджеты при таком способе входа: установите «Закрепить все» как приложение, а не через вебхук.",
		"the installer marks the placement failed"}},
}

// aliases send codes that mean the same to the user to one row (a list:
// static data, where a map literal is code run at start-up).
var aliases = []struct{ from, to string }{
	{"invalid_token", "expired_token"},
	{"ERROR_UNEXPECTED_ANSWER", "INTERNAL_SERVER_ERROR"},
}

// alias is the row code stands for, "" when it has its own.
func alias(code string) string {
	for _, a := range aliases {
		if a.from == code {
			return a.to
		}
	}
	return ""
}

// Explain puts err into words in l.
func Explain(l Lang, err error) Problem {
	key, code := classify(err)
	var method string
	api, isAPI := errors.AsType[*b24.APIError](err)
	if isAPI {
		method = api.Method
	}
	e := lookup(key, method)
	msg := l.pick(e.en, e.ru)
	msg = strings.ReplaceAll(msg, "{code}", code)
	if strings.Contains(msg, "{wait}") {
		msg = strings.ReplaceAll(msg, "{wait}", l.wait(resetIn(err)))
	}
	if key == "other" && isAPI && api.Description != "" {
		// The portal's own words go after ours, never alone (facts §2).
		msg += "\n" + l.pick("The portal said: ", "Ответ портала: ") + clip(api.Description, 200)
	}
	log := "<nil>"
	if err != nil {
		log = err.Error()
	}
	return Problem{Key: key, Message: msg, Log: log}
}

// lookup finds key's row: the one for method's family first, else the
// general one, else a method row of that key.
func lookup(key, method string) entry {
	for _, r := range methodRows {
		if r.key == key && method != "" && (r.method == method || strings.HasSuffix(r.method, ".") && strings.HasPrefix(method, r.method)) {
			return r.entry
		}
	}
	for _, e := range catalogue {
		if e.key == key {
			return e
		}
	}
	for _, r := range methodRows {
		if r.key == key {
			return r.entry
		}
	}
	return catalogue[len(catalogue)-1]
}

// classify finds err's catalogue row, and the portal's code if any.
func classify(err error) (key, code string) {
	api, isAPI := errors.AsType[*b24.APIError](err)
	switch {
	case errors.Is(err, ErrInternal):
		return "internal", ""
	case errors.Is(err, ErrNotAdmin):
		return "not_admin", ""
	case errors.Is(err, frame.ErrNotInBitrix24):
		return "not_in_bitrix24", ""
	case errors.Is(err, frame.ErrNoAnswer):
		return "no_answer", ""
	case isAPI:
		code = api.Code
		if a := alias(code); a != "" {
			return a, code
		}
		if lookup(code, api.Method).key == code {
			return code, code
		}
		return "other", code
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout", ""
	case errors.Is(err, b24.ErrNetwork):
		return "network", ""
	case errors.Is(err, b24.ErrNotJSON):
		return "not_json", ""
	case errors.Is(err, b24.ErrTruncated):
		return "truncated", ""
	case errors.Is(err, b24.ErrTooLarge):
		return "too_large", ""
	case errors.Is(err, b24.ErrUnexpectedResult):
		return "unexpected_result", ""
	}
	return "internal", ""
}

// resetIn is how long until the operating-time budget resets.
func resetIn(err error) time.Duration {
	if ol, ok := errors.AsType[*b24.OperationLimitError](err); ok && !ol.ResetAt.IsZero() {
		return time.Until(ol.ResetAt)
	}
	return 10 * time.Minute // the budget spans ten one-minute buckets
}

// wait says a duration in whole minutes, rounded up, at least one.
func (l Lang) wait(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m < 1 {
		m = 1
	}
	return l.minutes(m)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// LookupNote is the quiet note of a session row whose dialog could not be
// looked up (imopenlines.dialog.get, alone or in a batch): the row keeps its
// session ID, the action itself succeeded, so this is a remark, not an alert.
func LookupNote(l Lang, err error) string {
	if errors.Is(err, b24.ErrAccessError) || errors.Is(err, b24.ErrAccessDenied) {
		return l.pick("no access to this dialog", "нет доступа к этому диалогу")
	}
	return l.pick("name not loaded", "имя не загрузилось")
}
