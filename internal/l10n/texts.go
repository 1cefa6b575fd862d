package l10n

// Texts are the fixed labels of the page.
type Texts struct {
	_ [0]func() // not comparable: no equality function in the wasm

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

// Pinned is the outcome of "Pin all" that pinned n dialogs.
func (l Lang) Pinned(n int) string {
	if n == 0 {
		return l.pick("Nothing to pin: your open dialogs are already pinned.",
			"Нечего закреплять: ваши открытые диалоги уже закреплены.")
	}
	if l == RU {
		// The participle agrees with the numeral (закреплён 1 и 21 диалог,
		// закреплено 2 и 5); the pronoun with the meaning: "он" only for
		// a single dialog, 21 dialogs are "они".
		verb := [...]string{"Закреплён", "Закреплено", "Закреплено"}[l.Plural(n)]
		return verb + " " + l.dialogs(n) + ". " + oneOrAll(n, "Он останется у вас.", "Они останутся у вас.")
	}
	return "Pinned " + l.dialogs(n) + ". " + oneOrAll(n, "It stays with you.", "They stay with you.")
}

// Unpinned is the outcome of "Unpin all" that unpinned n dialogs.
func (l Lang) Unpinned(n int) string {
	if n == 0 {
		return l.pick("Nothing to unpin: none of your dialogs is pinned.",
			"Нечего откреплять: у вас нет закреплённых диалогов.")
	}
	if l == RU {
		verb := [...]string{"Откреплён", "Откреплено", "Откреплено"}[l.Plural(n)]
		return verb + " " + l.dialogs(n) + ". " + oneOrAll(n,
			"Он снова распределяется по правилам очереди.", "Они снова распределяются по правилам очереди.")
	}
	return "Unpinned " + l.dialogs(n) + ". " + oneOrAll(n,
		"It follows the queue rules again.", "They follow the queue rules again.")
}

// oneOrAll picks the sentence about exactly one thing, or about several.
func oneOrAll(n int, one, several string) string {
	if n == 1 {
		return one
	}
	return several
}
