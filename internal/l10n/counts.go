package l10n

import "strconv"

// Every count the widget and the CLI show goes through Number, and every
// noun or verb that agrees with a count through Plural: counts_test.go finds
// the sentences that reach them and checks each one over the same counts.

// groupSep separates thousands: "10,000" in English; Russian uses a
// no-break space, "10 000" (CLDR's ru group symbol is U+00A0, and it groups
// four-digit numbers too: "1 000"; browsers' Intl.NumberFormat("ru") and
// Bitrix24's Russian interface write the same). Never a plain space: a
// count must not break across lines.
func (l Lang) groupSep() string {
	if l == RU {
		return "\u00a0"
	}
	return ","
}

// Number writes a count with the language's digit grouping.
func (l Lang) Number(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	if len(s) > 3 {
		sep := l.groupSep()
		head := len(s) % 3
		if head == 0 {
			head = 3
		}
		out := s[:head]
		for i := head; i < len(s); i += 3 {
			out += sep + s[i:i+3]
		}
		s = out
	}
	if neg {
		return "-" + s
	}
	return s
}

// forms are a word's shapes for Plural's categories: one, few, many.
// English has no "few": its one and many shapes suffice.
type forms [3]string

// noun is a word that follows a count, in each catalogue. A struct, not a
// map by Lang: static data, where a map literal is code run at start-up.
type noun struct{ en, ru forms }

// counted is "N noun", the noun agreeing with n; a language without a
// catalogue gets English.
func (l Lang) counted(n int, w *noun) string {
	f := &w.en
	if l == RU {
		f = &w.ru
	}
	return l.Number(n) + " " + f[l.Plural(n)]
}

// The nouns that follow a count.
var (
	dialogNoun = noun{en: forms{"dialog", "dialogs", "dialogs"}, ru: forms{"диалог", "диалога", "диалогов"}}
	// Accusative: "через 1 минуту", "через 3 минуты", "через 5 минут".
	minuteNoun = noun{en: forms{"minute", "minutes", "minutes"}, ru: forms{"минуту", "минуты", "минут"}}
)

// dialogs is "N dialog(s)" with the noun agreeing with n.
func (l Lang) dialogs(n int) string { return l.counted(n, &dialogNoun) }

// minutes is "N minute(s)", in the accusative in Russian.
func (l Lang) minutes(n int) string { return l.counted(n, &minuteNoun) }
