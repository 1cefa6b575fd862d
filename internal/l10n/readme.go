package l10n

import "strings"

// ErrorTable is the README's table of errors: what the portal or the
// network said, what the widget did, and the words it shows.
func ErrorTable() string {
	var b strings.Builder
	b.WriteString("| error | what the widget does | what it says (English) | what it says (Russian) |\n|---|---|---|---|\n")
	for _, e := range catalogue {
		key := "`" + e.key + "`"
		for alias, to := range aliases {
			if to == e.key {
				key += ", `" + alias + "`"
			}
		}
		b.WriteString("| " + key + " | " + e.does + " | " + e.en + " | " + e.ru + " |\n")
	}
	return b.String()
}
