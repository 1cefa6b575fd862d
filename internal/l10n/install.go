package l10n

// InstallTexts are the installer page's words (install.html).
type InstallTexts struct {
	Title, Hint, ListTitle string
	Finish                 string // the button that sends setInstallFinish
	Busy                   string // while binding
	AllDone, SomeFailed    string // the outcome line
	Finishing              string // after the click, before the portal reloads the app
	NotInstalling          string // opened with INSTALL false: nothing to finish
	// One placement's result, after its name.
	Bound, Already, Rebound, Failed string
	names                           map[string]string
}

// PlacementName says where a placement shows the widget.
func (x InstallTexts) PlacementName(placement string) string {
	if n, ok := x.names[placement]; ok {
		return n
	}
	return placement
}

// InstallTextsFor returns the installer's words in l.
func InstallTextsFor(l Lang) InstallTexts {
	if l == RU {
		return InstallTexts{
			Title:         "Установка «Закрепить все»",
			Hint:          "Приложение встраивается в мессенджер, чтобы операторы открытых линий находили его там, где работают.",
			ListTitle:     "Где операторы найдут приложение",
			Finish:        "Завершить установку",
			Busy:          "Встраиваем приложение в мессенджер…",
			AllDone:       "Готово: приложение встроено. Нажмите «Завершить установку».",
			SomeFailed:    "Встроить удалось не везде (причина ниже). Приложение всё равно откроется со своей страницы; можно завершить установку или исправить причину и переустановить.",
			Finishing:     "Завершаем установку…",
			NotInstalling: "Приложение уже установлено: встраивание проверено, завершать ничего не нужно.",
			Bound:         "встроено",
			Already:       "уже было встроено",
			Rebound:       "адрес обновлён",
			Failed:        "не удалось",
			names: map[string]string{
				"IM_NAVIGATION": "Мессенджер: левая панель",
				"IM_SIDEBAR":    "Чат открытой линии: боковая панель",
			},
		}
	}
	return InstallTexts{
		Title:         "Installing Pin All",
		Hint:          "Pin All adds itself to the messenger, so open-lines operators find it where they work.",
		ListTitle:     "Where operators will find it",
		Finish:        "Finish installation",
		Busy:          "Adding Pin All to the messenger…",
		AllDone:       "Done: Pin All is in the messenger. Press \"Finish installation\".",
		SomeFailed:    "Pin All could not be added everywhere (the reason is below). It still opens from its own page: finish the installation now, or fix the cause and reinstall.",
		Finishing:     "Finishing the installation…",
		NotInstalling: "Pin All is already installed: its places in the messenger are checked, nothing to finish.",
		Bound:         "added",
		Already:       "already there",
		Rebound:       "address updated",
		Failed:        "failed",
		names: map[string]string{
			"IM_NAVIGATION": "Messenger: navigation panel",
			"IM_SIDEBAR":    "Open-line chat: sidebar",
		},
	}
}

// WidgetTitle and WidgetDescription name the widget in the portal's menus
// (placement.bind TITLE, DESCRIPTION and LANG_ALL).
func WidgetTitle(l Lang) string { return l.pick("Pin All", "Закрепить все") }

// WidgetDescription is the placement's description.
func WidgetDescription(l Lang) string {
	return l.pick("Pin your open-line dialogs to you, or unpin them",
		"Закрепить за собой диалоги открытых линий или открепить их")
}

// DialogTexts are the words of the one-dialog block in the chat sidebar.
type DialogTexts struct {
	Title              string
	Pin, Unpin         string
	PinBusy, UnpinBusy string
	Pinned, Unpinned   string // the outcome
}

// DialogTextsFor returns the sidebar block's words in l.
func DialogTextsFor(l Lang) DialogTexts {
	if l == RU {
		return DialogTexts{
			Title:     "Этот диалог",
			Pin:       "Закрепить диалог",
			Unpin:     "Открепить диалог",
			PinBusy:   "Закрепляем диалог…",
			UnpinBusy: "Открепляем диалог…",
			Pinned:    "Диалог закреплён: он останется у вас.",
			Unpinned:  "Диалог откреплён: он снова распределяется по правилам очереди.",
		}
	}
	return DialogTexts{
		Title:     "This dialog",
		Pin:       "Pin this dialog",
		Unpin:     "Unpin this dialog",
		PinBusy:   "Pinning this dialog…",
		UnpinBusy: "Unpinning this dialog…",
		Pinned:    "This dialog is pinned: it stays with you.",
		Unpinned:  "This dialog is unpinned: it follows the queue rules again.",
	}
}

// ThisDialog is the sidebar block's title once its dialog is known: "This
// dialog: Eugene P. - Priority Support, Live chat". channel may be "".
func (l Lang) ThisDialog(name, channel string) string {
	s := DialogTextsFor(l).Title + ": " + name
	if channel != "" {
		s += ", " + channel
	}
	return s
}
