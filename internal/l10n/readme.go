package l10n

import "strings"

// ErrorTable is the README's table of errors: what the portal or the
// network said, what the widget did, and the words it shows.
func ErrorTable() string {
	var b strings.Builder
	b.WriteString("| error | what the widget does | what it says (English) | what it says (Russian) |\n|---|---|---|---|\n")
	rows := make([]methodEntry, 0, len(catalogue)+len(methodRows))
	for _, e := range catalogue {
		rows = append(rows, methodEntry{entry: e})
	}
	rows = append(rows, methodRows...)
	for _, e := range rows {
		key := "`" + e.key + "`"
		for _, a := range aliases {
			if a.to == e.key && e.method == "" {
				key += ", `" + a.code + "`"
			}
		}
		if e.method != "" {
			m := "`" + e.method + "`"
			if strings.HasSuffix(e.method, ".") {
				m = "`" + e.method + "*`"
			}
			key += " from " + m
		}
		b.WriteString("| " + key + " | " + e.does + " | " + e.en + " | " + e.ru + " |\n")
	}
	return b.String()
}
