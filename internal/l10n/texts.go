package l10n

import "strconv"

// Texts are the fixed labels of the page.
type Texts struct {
	Title, Hint          string
	PinAll, UnpinAll     string
	ResultTitle          string
	Loading, Ready, Busy string
	PinBusy, UnpinBusy   string
	SessionLabel         string // "Session #%d" before the number
	OpenDialog           string
}

// TextsFor returns the page's labels in l.
func TextsFor(l Lang) Texts {
	if l == RU {
		return Texts{
			Title:        "Закрепить все диалоги",
			Hint:         "Закреплённые диалоги остаются у вас и не возвращаются в очередь.",
			PinAll:       "Закрепить все",
			UnpinAll:     "Открепить все",
			ResultTitle:  "Сессии последнего действия",
			Loading:      "Загрузка…",
			Ready:        "",
			PinBusy:      "Закрепляем диалоги…",
			UnpinBusy:    "Открепляем диалоги…",
			SessionLabel: "Сессия №",
			OpenDialog:   "Открыть диалог",
		}
	}
	return Texts{
		Title:        "Pin all dialogs",
		Hint:         "Pinned dialogs stay with you and do not return to the queue.",
		PinAll:       "Pin all",
		UnpinAll:     "Unpin all",
		ResultTitle:  "Sessions of the last action",
		Loading:      "Loading…",
		Ready:        "",
		PinBusy:      "Pinning your dialogs…",
		UnpinBusy:    "Unpinning your dialogs…",
		SessionLabel: "Session #",
		OpenDialog:   "Open dialog",
	}
}

// dialogs is "N dialog(s)" with the noun agreeing with n.
func (l Lang) dialogs(n int) string {
	num := strconv.Itoa(n)
	if l == RU {
		return num + " " + [...]string{"диалог", "диалога", "диалогов"}[l.Plural(n)]
	}
	if l.Plural(n) == One {
		return num + " dialog"
	}
	return num + " dialogs"
}

// Pinned is the outcome of "Pin all" that pinned n dialogs.
func (l Lang) Pinned(n int) string {
	if n == 0 {
		return l.pick("Nothing to pin: your open dialogs are already pinned.",
			"Нечего закреплять: ваши открытые диалоги уже закреплены.")
	}
	if l == RU {
		// The participle agrees with the count too: закреплён 1, закреплено 5.
		verb := [...]string{"Закреплён", "Закреплено", "Закреплено"}[l.Plural(n)]
		return verb + " " + l.dialogs(n) + ". Они останутся у вас."
	}
	return "Pinned " + l.dialogs(n) + ". They stay with you."
}

// Unpinned is the outcome of "Unpin all" that unpinned n dialogs.
func (l Lang) Unpinned(n int) string {
	if n == 0 {
		return l.pick("Nothing to unpin: none of your dialogs is pinned.",
			"Нечего откреплять: у вас нет закреплённых диалогов.")
	}
	if l == RU {
		verb := [...]string{"Откреплён", "Откреплено", "Откреплено"}[l.Plural(n)]
		return verb + " " + l.dialogs(n) + ". Они снова распределяются по правилам очереди."
	}
	return "Unpinned " + l.dialogs(n) + ". They follow the queue rules again."
}
