//go:build !js

package l10n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pinall/pinall/internal/b24"
)

// counts are the numbers every sentence with a count is checked at: each
// Russian form (1, 21, 101 one; 2, 22 few; 0, 5, 11, 25 many), and the
// first counts that are grouped.
var counts = []int{0, 1, 2, 5, 11, 21, 22, 25, 101, 1000, 10000}

// grouped is each count as the reader expects it, written out by hand.
var grouped = map[int][2]string{ // en, ru
	0: {"0", "0"}, 1: {"1", "1"}, 2: {"2", "2"}, 5: {"5", "5"}, 11: {"11", "11"}, 21: {"21", "21"},
	22: {"22", "22"}, 25: {"25", "25"}, 101: {"101", "101"},
	1000: {"1,000", "1\u00a0000"}, 10000: {"10,000", "10\u00a0000"},
}

// class is which sentence shape a count takes, by hand rather than from
// Plural, so a wrong rule cannot agree with itself: "zero", "1" (exactly
// one thing), and the Russian one/few/many of the numeral.
func class(l Lang, n int) string {
	switch {
	case n == 0:
		return "zero"
	case n == 1:
		return "1"
	case l == EN:
		return "many"
	}
	return map[int]string{2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 25: "many",
		101: "one", 1000: "many", 10000: "many"}[n]
}

// sentence is one sentence with a count, and what it says for each class
// ({n} is the grouped count). A missing class falls back to "many".
type sentence struct {
	name  string // the function that builds it
	langs []Lang
	say   func(l Lang, n int) string
	want  map[*catalog]map[string]string
}

// operationLimit is an OPERATION_TIME_LIMIT error whose budget resets in n
// minutes (less a little, which the words round up).
func operationLimit(n int) error {
	at := time.Now().Add(time.Duration(n)*time.Minute - 30*time.Second)
	if n == 0 {
		at = time.Now().Add(-time.Second)
	}
	return &b24.OperationLimitError{APIError: &b24.APIError{Status: 429, Code: "OPERATION_TIME_LIMIT"}, ResetAt: at}
}

func sessionIDs(n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(1001 + i)
	}
	return ids
}

var sentences = []sentence{
	{name: "Pinned", langs: []Lang{EN, RU}, say: Lang.Pinned, want: map[*catalog]map[string]string{
		EN.c: {
			"zero": "Nothing to pin: your open conversations are already pinned.",
			"1":    "Pinned 1 conversation. It stays with you.",
			"many": "Pinned {n} conversations. They stay with you.",
		},
		RU.c: {
			"zero": "Нечего закреплять: ваши открытые диалоги уже закреплены.",
			"1":    "Закреплён 1 диалог. Он останется у вас.",
			"one":  "Закреплён {n} диалог. Они останутся у вас.",
			"few":  "Закреплено {n} диалога. Они останутся у вас.",
			"many": "Закреплено {n} диалогов. Они останутся у вас.",
		},
	}},
	{name: "Unpinned", langs: []Lang{EN, RU}, say: Lang.Unpinned, want: map[*catalog]map[string]string{
		EN.c: {
			"zero": "Nothing to unpin: none of your conversations is pinned.",
			"1":    "Unpinned 1 conversation. It follows the queue rules again.",
			"many": "Unpinned {n} conversations. They follow the queue rules again.",
		},
		RU.c: {
			"zero": "Нечего откреплять: у вас нет закреплённых диалогов.",
			"1":    "Откреплён 1 диалог. Он снова распределяется по правилам очереди.",
			"one":  "Откреплён {n} диалог. Они снова распределяются по правилам очереди.",
			"few":  "Откреплено {n} диалога. Они снова распределяются по правилам очереди.",
			"many": "Откреплено {n} диалогов. Они снова распределяются по правилам очереди.",
		},
	}},
	// The operating-time limit says when to try again: never "0 minutes".
	{name: "Explain", langs: []Lang{EN, RU},
		say: func(l Lang, n int) string { return Explain(l, operationLimit(n)).Message },
		want: map[*catalog]map[string]string{
			EN.c: {
				"zero": "The portal's time budget for this action is used up. Try again in 1 minute.",
				"1":    "The portal's time budget for this action is used up. Try again in 1 minute.",
				"many": "The portal's time budget for this action is used up. Try again in {n} minutes.",
			},
			RU.c: {
				"zero": "Лимит времени портала на это действие исчерпан. Повторите через 1 минуту.",
				"1":    "Лимит времени портала на это действие исчерпан. Повторите через 1 минуту.",
				"one":  "Лимит времени портала на это действие исчерпан. Повторите через {n} минуту.",
				"few":  "Лимит времени портала на это действие исчерпан. Повторите через {n} минуты.",
				"many": "Лимит времени портала на это действие исчерпан. Повторите через {n} минут.",
			},
		}},
	// The rate limit's wait counts seconds.
	{name: "Retrying", langs: []Lang{EN, RU}, say: func(l Lang, n int) string { return l.Retrying(n) },
		want: map[*catalog]map[string]string{
			EN.c: {
				"zero": "The portal is busy: too many requests are coming from your office at once. Your click is not lost: trying again in 0 seconds.",
				"1":    "The portal is busy: too many requests are coming from your office at once. Your click is not lost: trying again in 1 second.",
				"many": "The portal is busy: too many requests are coming from your office at once. Your click is not lost: trying again in {n} seconds.",
			},
			RU.c: {
				"one":  "Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через {n} секунду.",
				"1":    "Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через 1 секунду.",
				"few":  "Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через {n} секунды.",
				"many": "Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через {n} секунд.",
				"zero": "Портал занят: из вашего офиса сразу идёт слишком много запросов. Ваше нажатие не потеряно: повторим через 0 секунд.",
			},
		}},
	// The webhook CLI speaks English; the session IDs after the colon are
	// names, never grouped.
	{name: "SummaryCLI", langs: []Lang{EN},
		say: func(_ Lang, n int) string {
			s := SummaryCLI("pin", sessionIDs(n))
			if n > 1 {
				s, _, _ = strings.Cut(s, ", ")
			}
			return s
		},
		want: map[*catalog]map[string]string{EN.c: {
			"zero": "Nothing to pin",
			"1":    "Pinned 1 dialog: 1001",
			"many": "Pinned {n} dialogs: 1001",
		}}},
}

func TestNumberGroupsDigits(t *testing.T) {
	for n, want := range grouped {
		assert.Equal(t, want[0], EN.Number(n))
		assert.Equal(t, want[1], RU.Number(n))
	}
	assert.Equal(t, "1,234,567", EN.Number(1234567))
	assert.Equal(t, "123\u00a0456", RU.Number(123456))
	assert.Equal(t, "-12,345", EN.Number(-12345))
	assert.Equal(t, "999", Lang{}.Number(999))
}

// A count is written the way the portal's locale writes numbers: its
// group symbol (several bytes in some), its digits, its group sizes, and
// the fewest digits it groups. Written out by hand from CLDR; the browser
// test holds the same data to the browser's Intl.
func TestNumberInTheLocalesOwnWay(t *testing.T) {
	data, err := os.ReadFile("catalog/en.json")
	require.NoError(t, err)
	for locale, want := range map[string]map[int]string{
		"fr-FR": {1234: "1\u202f234", 1234567: "1\u202f234\u202f567", -1234: "-1\u202f234"},
		"hi-IN": {1234: "1,234", 12345: "12,345", 1234567: "12,34,567", 123456789: "12,34,56,789"},
		"ar-SA": {7: "٧", -9: "-٩", 1234: "١٬٢٣٤", 1234567890: "١٬٢٣٤٬٥٦٧٬٨٩٠"},
		"es-ES": {1234: "1234", 12345: "12.345", 1234567: "1.234.567"},
		"pl-PL": {1234: "1234", 12345: "12\u00a0345"},
		"kk":    {1000: "1\u00a0000"},
	} {
		l, err := Parse(data, locale)
		require.NoError(t, err, locale)
		for n, w := range want {
			assert.Equal(t, w, l.Number(n), "%s %d", locale, n)
		}
	}
}

func TestEveryCountSentence(t *testing.T) {
	for _, s := range sentences {
		for _, l := range s.langs {
			for _, n := range counts {
				c := class(l, n)
				tmpl, ok := s.want[l.c][c]
				if !ok {
					tmpl = s.want[l.c]["many"]
				}
				num := grouped[n][0]
				if l == RU {
					num = grouped[n][1]
				}
				assert.Equal(t, strings.ReplaceAll(tmpl, "{n}", num), s.say(l, n), "%s(%d) in %s", s.name, n, name(l))
			}
		}
	}
}

// counters are the helpers that write a count; a function that reaches one
// of them says a count, and must be a case of sentences (or a helper here).
var counters = []string{"Number", "Count", "number"}

// TestEveryCountSentenceIsListed reads this package's source: every
// function that reaches Number is a sentence case above, so a new sentence
// with a count fails here until it has its cases.
func TestEveryCountSentenceIsListed(t *testing.T) {
	calls, formats := packageCalls(t)
	reach := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for fn, callees := range calls {
			if reach[fn] {
				continue
			}
			for _, c := range callees {
				if c == "Number" || c == "Count" || c == "number" || reach[c] {
					reach[fn], changed = true, true
					break
				}
			}
		}
	}
	var missing []string
	for fn := range reach {
		listed := slices.Contains(counters, fn) || slices.ContainsFunc(sentences, func(s sentence) bool { return s.name == fn })
		if !listed {
			missing = append(missing, fn)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "these functions say a count: add them to sentences in counts_test.go")
	for _, s := range sentences {
		assert.True(t, reach[s.name], "%s is listed but says no count through Number", s.name)
	}
	// Digits written any other way than Number: only where they are not a
	// count (session IDs, an HTTP status).
	notCounts := []string{"number", "Number", "Count", "SummaryCLI", "portalSays"}
	for _, fn := range formats {
		assert.Contains(t, notCounts, fn, "%s formats a number itself: use Number (or say here why it is not a count)", fn)
	}
}

// packageCalls maps each function of the package (its bare name) to the
// names it calls, and lists the functions that format integers directly.
func packageCalls(t *testing.T) (map[string][]string, []string) {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	calls := map[string][]string{}
	var formats []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			name := fd.Name.Name
			formatsHere := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					switch fn := x.Fun.(type) {
					case *ast.Ident:
						calls[name] = append(calls[name], fn.Name)
					case *ast.SelectorExpr:
						calls[name] = append(calls[name], fn.Sel.Name)
						if id, ok := fn.X.(*ast.Ident); ok && id.Name == "strconv" &&
							(strings.HasPrefix(fn.Sel.Name, "Itoa") || strings.HasPrefix(fn.Sel.Name, "Format")) {
							formatsHere = true
						}
					}
				case *ast.BasicLit:
					if x.Kind == token.STRING && strings.Contains(x.Value, "%d") {
						formatsHere = true
					}
				}
				return true
			})
			if formatsHere {
				formats = append(formats, name)
			}
		}
	}
	return calls, formats
}
