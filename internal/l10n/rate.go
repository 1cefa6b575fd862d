package l10n

// The words of a click the portal asked to slow down (QUERY_LIMIT_EXCEEDED):
// the widget keeps trying, counts down to the next try, and offers to stop.
// The catalogue's keys rate.retrying, rate.stop and rate.stopped.

// RateTexts are the fixed words of the wait.
type RateTexts struct {
	_ [0]func() // not comparable: no equality function in the wasm

	Stop    string // the button that ends the wait
	Stopped string // the line after it
}

// RateTextsFor returns the wait's fixed words in l.
func RateTextsFor(l Lang) RateTexts {
	return RateTexts{
		Stop:    l.pick("Stop", "Остановить"),
		Stopped: l.pick("Stopped. Nothing was changed; try again in a few minutes.", "Остановлено. Ничего не изменилось; повторите через несколько минут."),
	}
}

// secondNoun follows "in": "через 1 секунду, 3 секунды, 5 секунд".
var secondNoun = noun{en: forms{"second", "seconds", "seconds"}, ru: forms{"секунду", "секунды", "секунд"}}

// Retrying is the status line while the click waits: the next try in n
// seconds (1 or more, counting down).
func (l Lang) Retrying(n int) string {
	return l.pick("The portal is busy: too many requests are coming from your office at once. Your click is not lost: trying again in ",
		"Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через ") +
		l.counted(n, &secondNoun) + "."
}
