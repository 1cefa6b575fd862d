package l10n

import "strconv"

// The plural rules and number formats are CLDR's, generated into
// cldr_gen.go from the npm packages pinned in cldrgen/package.json (the
// CLDR version of Chromium's ICU); a browser test holds them to the
// browser's Intl.PluralRules and Intl.NumberFormat (cldr_js_test.go).
//
//go:generate sh -c "cd cldrgen && npm ci --silent --no-audit --no-fund --ignore-scripts && go run . -out ../cldr_gen.go en ru-RU de-DE es-ES fr-FR it-IT pl-PL id-ID ms-MY ja-JP pt-BR vi-VN tr-TR kk uk-UA ar-SA th-TH zh-CN zh-TW hi-IN"

// Plural is a CLDR plural category.
type Plural uint8

// The categories, in CLDR's order.
const (
	Zero Plural = iota
	One
	Two
	Few
	Many
	Other
)

// String is the category's CLDR name, as the catalogues write it.
func (p Plural) String() string {
	if p > Other {
		return "other"
	}
	return [...]string{"zero", "one", "two", "few", "many", "other"}[p]
}

// cldrLocale is one locale's CLDR data for whole numbers.
type cldrLocale struct {
	tag    string
	plural func(n uint64) Plural
	forms  uint8 // the categories the locale has (decimals included), a bit per Plural
	// Numbers: the group symbol, the ten digits ("" for 0-9), the sizes of
	// the first group (from the right) and of the others, and the fewest
	// digits before the first group for grouping to apply (2: "1234" but
	// "12 345").
	group                        string
	digits                       string
	primary, secondary, minGroup int
}

// findLocale returns the CLDR data of a BCP 47 tag as the SDK writes it.
func findLocale(tag string) (*cldrLocale, bool) {
	for i := range cldrLocales {
		if cldrLocales[i].tag == tag {
			return &cldrLocales[i], true
		}
	}
	return nil, false
}

// Has says whether the locale has category p.
func (c *cldrLocale) has(p Plural) bool { return c.forms&(1<<p) != 0 }

// number writes n with the locale's digits and grouping.
func (c *cldrLocale) number(n int) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	if c.primary > 0 && len(s) >= c.primary+c.minGroup {
		out := make([]byte, 0, len(s)+len(s)/2*len(c.group))
		// The groups from the left: the head, then secondary-sized ones,
		// then the primary group.
		head := (len(s) - c.primary) % c.secondary
		if head == 0 {
			head = c.secondary
		}
		out = append(out, s[:head]...)
		for i := head; i < len(s)-c.primary; i += c.secondary {
			out = append(out, c.group...)
			out = append(out, s[i:i+c.secondary]...)
		}
		out = append(out, c.group...)
		out = append(out, s[len(s)-c.primary:]...)
		s = string(out)
	}
	if c.digits != "" {
		var at [10]int // where each of the ten digits starts in c.digits
		d := 0
		for i := range c.digits {
			at[d] = i
			d++
		}
		out := make([]byte, 0, len(s)*len(c.digits)/10)
		for i := range len(s) {
			if b := s[i]; b >= '0' && b <= '9' {
				end := len(c.digits)
				if b < '9' {
					end = at[b-'0'+1]
				}
				out = append(out, c.digits[at[b-'0']:end]...)
			} else {
				out = append(out, b)
			}
		}
		s = string(out)
	}
	if neg {
		return "-" + s
	}
	return s
}
