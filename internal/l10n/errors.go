package l10n

import (
	"errors"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/b24"
)

// Problem is an error put into words.
type Problem struct {
	Key     string // the catalogue row: the error's kind (b24.KindOf), or "other"
	Message string // for the user: what happened and what to do about it
	Log     string // for the console: the error's own (token-free) text
}

// entry is one row of the catalogue: the words for a kind of failure
// (b24.KindOf; the kinds are declared with the errors).
type entry struct {
	key    string
	en, ru string
}

// catalogue is the single place where errors become words. docs/errors.md's
// error table prints them beside what the widget does (errortable_test.go).
var catalogue = []entry{
	{"not_in_bitrix24",
		"This page works only inside Bitrix24. Open Pin All from your portal's menu.",
		"Эта страница работает только внутри Битрикс24. Откройте «Закрепить все» из меню портала."},
	{"no_answer",
		"The portal did not answer the widget. Reload the page; if it repeats, reopen the app from the portal.",
		"Портал не ответил виджету. Перезагрузите страницу; если не поможет, откройте приложение заново из портала."},
	{"expired_token",
		"Your sign-in to the portal expired and could not be renewed. Reload the page.",
		"Срок входа на портал истёк, и продлить его не удалось. Перезагрузите страницу."},
	{"NO_AUTH_FOUND",
		"The portal did not accept the app's sign-in. Reload the page; if it repeats, ask your administrator to reinstall the app.",
		"Портал не принял вход приложения. Перезагрузите страницу; если не поможет, попросите администратора переустановить приложение."},
	{"insufficient_scope",
		"The app lacks the \"imopenlines\" (Open Channels) permission. Ask your Bitrix24 administrator to grant it to Pin All.",
		"У приложения нет права «imopenlines» (Открытые линии). Попросите администратора Битрикс24 выдать его приложению."},
	{"INVALID_CREDENTIALS",
		"You do not have the rights for this action. Ask your administrator to add you as an open-lines operator.",
		"У вас нет прав на это действие. Попросите администратора добавить вас оператором открытых линий."},
	{"ACCESS_DENIED",
		"The portal refused access: REST may not be available on your plan, or the action is not allowed for you. Ask your administrator.",
		"Портал отказал в доступе: REST может быть недоступен на вашем тарифе, или действие вам не разрешено. Обратитесь к администратору."},
	{"user_access_error",
		"Your administrator has limited this app to certain users. Ask them to give you access.",
		"Администратор разрешил это приложение только некоторым пользователям. Попросите его открыть вам доступ."},
	{"WRONG_AUTH_TYPE",
		"The portal refused this kind of sign-in for the action. Ask your administrator to reinstall the app.",
		"Портал не принимает такой способ входа для этого действия. Попросите администратора переустановить приложение."},
	{"INVALID_REQUEST",
		"The portal refused the request (it may require HTTPS). Ask your administrator to check the app's address.",
		"Портал отклонил запрос (возможно, нужен HTTPS). Попросите администратора проверить адрес приложения."},
	{"ERROR_METHOD_NOT_FOUND",
		"Open lines are not available on this portal. Ask your administrator to enable Open Channels.",
		"На портале недоступны открытые линии. Попросите администратора включить Открытые линии."},
	{"OPERATION_TIME_LIMIT",
		"The portal's time budget for this action is used up. Try again in {wait}.",
		"Лимит времени портала на это действие исчерпан. Повторите через {wait}."},
	{"QUERY_LIMIT_EXCEEDED",
		"The portal is getting too many requests right now. Wait a minute and try again.",
		"Портал сейчас получает слишком много запросов. Подождите минуту и повторите."},
	{"OVERLOAD_LIMIT",
		"Bitrix24 support has blocked REST access on this portal. Ask your administrator to contact support.",
		"Поддержка Битрикс24 заблокировала REST на этом портале. Попросите администратора обратиться в поддержку."},
	{"INTERNAL_SERVER_ERROR",
		"The portal had an internal error. Try again in a minute.",
		"На портале произошла внутренняя ошибка. Повторите через минуту."},
	{"PORTAL_DELETED",
		"This Bitrix24 portal has been closed.",
		"Этот портал Битрикс24 закрыт."},
	{"PAYMENT_REQUIRED",
		"The app's subscription has lapsed. Ask your administrator to renew it.",
		"Подписка на приложение закончилась. Попросите администратора продлить её."},
	{"network",
		"No connection to the portal. Check your network and try again.",
		"Нет связи с порталом. Проверьте сеть и повторите."},
	{"timeout",
		"The portal took too long to answer. Try again.",
		"Портал слишком долго не отвечал. Повторите."},
	{"not_json",
		"The portal sent a page instead of an answer; it may be overloaded. Try again in a minute.",
		"Портал прислал страницу вместо ответа; возможно, он перегружен. Повторите через минуту."},
	{"truncated",
		"The portal's answer was cut off. Try again.",
		"Ответ портала оборвался. Повторите."},
	{"too_large",
		"The portal's answer was too large to read. Tell your administrator.",
		"Ответ портала слишком велик. Сообщите администратору."},
	{"unexpected_result",
		"The portal answered in a form this version of the app does not understand. Tell your administrator.",
		"Портал ответил в виде, который эта версия приложения не понимает. Сообщите администратору."},
	{"internal",
		"Something went wrong inside the widget. Try again; if it repeats, reload the page.",
		"В виджете что-то пошло не так. Повторите; если не поможет, перезагрузите страницу."},
	{"not_admin",
		"Only a Bitrix24 administrator can finish installing Pin All: adding it to the messenger needs administrator rights. Ask your administrator to open the app once.",
		"Завершить установку «Закрепить все» может только администратор Битрикс24: встраивание в мессенджер требует прав администратора. Попросите администратора открыть приложение."},
	{"other",
		"The portal answered with an error ({code}). Try again; if it repeats, tell your administrator.",
		"Портал ответил ошибкой ({code}). Повторите; если не поможет, сообщите администратору."},
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
		"Боковая панель не сообщила, какой диалог открыт. Откройте диалог заново и повторите."}},
	{"imopenlines.session.mode.pin", entry{"CHAT_ID",
		"This dialog was not found on the portal. Reopen it and try again.",
		"Этот диалог не найден на портале. Откройте его заново и повторите."}},
	{"imopenlines.session.mode.pin", entry{"CHAT_TYPE",
		"This chat is not an open-line dialog: only dialogs with customers of an open line can be pinned.",
		"Этот чат не диалог открытой линии: закрепить можно только диалоги с клиентами открытых линий."}},
	{"imopenlines.session.mode.pin", entry{"ACCESS_DENIED",
		"You are not the operator of this dialog: only its current operator can pin or unpin it.",
		"Вы не оператор этого диалога: закрепить или открепить его может только его текущий оператор."}},
	{"imopenlines.session.mode.pin", entry{"USER_ID",
		"The portal could not tell which operator you are for this dialog. Reload the page and try again.",
		"Портал не смог определить, какой вы оператор для этого диалога. Перезагрузите страницу и повторите."}},
	{"placement.", entry{"insufficient_scope",
		"The app lacks the \"placement\" (Embedding in the interface) permission, so it cannot add itself to the messenger. Add the permission to the app, then reinstall it.",
		"У приложения нет права «placement» (Встраивание в интерфейс), поэтому оно не может встроиться в мессенджер. Добавьте это право приложению и переустановите его."}},
	{"placement.", entry{"ACCESS_DENIED",
		"The portal allows only administrators to add widgets to the messenger. Ask your Bitrix24 administrator to install Pin All.",
		"Портал разрешает встраивать виджеты в мессенджер только администраторам. Попросите администратора Битрикс24 установить «Закрепить все»."}},
	{"placement.", entry{"WRONG_AUTH_TYPE",
		"The portal refused to add widgets with this kind of sign-in: install Pin All as an app, not through a webhook.",
		"Портал не разрешает встраивать виджеты при таком способе входа: установите «Закрепить все» как приложение, а не через вебхук."}},
}

// Explain puts err into words in l: the words of its kind (b24.KindOf),
// those of its method's row where the portal's code means something else
// there. A portal code with no words of its own gets the "other" row, any
// other kind without words the "internal" one.
func Explain(l Lang, err error) Problem {
	key := b24.KindOf(err)
	var method, code string
	api, isAPI := errors.AsType[*b24.APIError](err)
	if isAPI {
		method, code = api.Method, api.Code
	}
	e, ok := lookup(key, method)
	if !ok {
		key = b24.KindInternal
		if isAPI {
			key = b24.KindOther
		}
		e, _ = lookup(key, "")
	}
	msg := l.pick(e.en, e.ru)
	msg = strings.ReplaceAll(msg, "{code}", code)
	if strings.Contains(msg, "{wait}") {
		msg = strings.ReplaceAll(msg, "{wait}", l.wait(resetIn(err)))
	}
	if key == b24.KindOther && isAPI && api.Description != "" {
		// The portal's own words go after ours, never alone.
		msg += "\n" + l.pick("The portal said: ", "Ответ портала: ") + clip(api.Description, 200)
	}
	log := "<nil>"
	if err != nil {
		log = err.Error()
	}
	return Problem{Key: key, Message: msg, Log: log}
}

// Words are the words for a kind of failure from method (a method, a
// family such as "placement.", or "" for any), before {code} and {wait}
// are filled in; ok is false when the catalogue has none.
func Words(l Lang, kind, method string) (words string, ok bool) {
	e, ok := lookup(kind, method)
	return l.pick(e.en, e.ru), ok
}

// lookup finds key's row: the one for method's family first, else the
// general one, else a method row of that key.
func lookup(key, method string) (entry, bool) {
	for _, r := range methodRows {
		if r.key == key && method != "" && (r.method == method || strings.HasSuffix(r.method, ".") && strings.HasPrefix(method, r.method)) {
			return r.entry, true
		}
	}
	for _, e := range catalogue {
		if e.key == key {
			return e, true
		}
	}
	for _, r := range methodRows {
		if r.key == key {
			return r.entry, true
		}
	}
	return entry{}, false
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
