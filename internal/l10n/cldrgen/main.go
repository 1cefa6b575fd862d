// Command cldrgen writes internal/l10n/cldr_gen.go: for each locale named on
// the command line, CLDR's plural rule for whole numbers and its number
// format (group symbol, digits, grouping sizes), read from the npm packages
// cldr-core and cldr-numbers-full pinned in package.json (the CLDR version
// Chromium's ICU carries). Run it through go generate ./internal/l10n.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("out", "../cldr_gen.go", "the Go file to write")
	modules := flag.String("modules", "node_modules", "where npm installed cldr-core and cldr-numbers-full")
	flag.Parse()
	src, err := generate(*modules, flag.Args())
	if err != nil {
		log.Fatal("cldrgen: ", err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal("cldrgen: ", err)
	}
}

// category order: the Plural constants of internal/l10n.
var categories = []string{"zero", "one", "two", "few", "many", "other"}

type cldr struct {
	dir     string
	version string
	plurals map[string]map[string]string // language -> "pluralRule-count-one" -> rule
	likely  map[string]string
	digits  map[string]string // numbering system -> its ten digits
}

func load(dir string) (*cldr, error) {
	c := &cldr{dir: dir, digits: map[string]string{}}
	var pkg struct{ Version string }
	if err := readJSON(filepath.Join(dir, "cldr-core/package.json"), &pkg); err != nil {
		return nil, err
	}
	c.version = pkg.Version
	var pl struct {
		Supplemental struct {
			Plurals map[string]map[string]string `json:"plurals-type-cardinal"`
		}
	}
	if err := readJSON(filepath.Join(dir, "cldr-core/supplemental/plurals.json"), &pl); err != nil {
		return nil, err
	}
	c.plurals = pl.Supplemental.Plurals
	var ls struct {
		Supplemental struct{ LikelySubtags map[string]string }
	}
	if err := readJSON(filepath.Join(dir, "cldr-core/supplemental/likelySubtags.json"), &ls); err != nil {
		return nil, err
	}
	c.likely = ls.Supplemental.LikelySubtags
	var ns struct {
		Supplemental struct {
			NumberingSystems map[string]struct {
				Digits string `json:"_digits"`
			}
		}
	}
	if err := readJSON(filepath.Join(dir, "cldr-core/supplemental/numberingSystems.json"), &ns); err != nil {
		return nil, err
	}
	for name, s := range ns.Supplemental.NumberingSystems {
		c.digits[name] = s.Digits
	}
	return c, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w (run npm ci in internal/l10n/cldrgen)", err)
	}
	return json.Unmarshal(data, v)
}

// pluralRules finds a locale's rules: the whole tag, else its language
// (pt-BR is "pt"; pt-PT has rules of its own).
func (c *cldr) pluralRules(tag string) (map[string]string, error) {
	if r, ok := c.plurals[tag]; ok {
		return r, nil
	}
	lang, _, _ := strings.Cut(tag, "-")
	if r, ok := c.plurals[lang]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("%s: no plural rules", tag)
}

// numbersDir finds the folder of cldr-numbers-full that holds a locale's
// data: the tag itself, else its likely language-script-region and the
// folders it falls back to (zh-TW is zh-Hant, de-DE is de).
func (c *cldr) numbersDir(tag string) (string, error) {
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(c.dir, "cldr-numbers-full/main", name, "numbers.json"))
		return err == nil
	}
	if exists(tag) {
		return tag, nil
	}
	parts := strings.Split(tag, "-")
	lang := parts[0]
	full, ok := c.likely[tag]
	if !ok {
		l, ok := c.likely[lang]
		if !ok {
			return "", fmt.Errorf("%s: no likely subtags", tag)
		}
		full = l
		if len(parts) == 2 { // language-region: keep the region asked for
			lp := strings.Split(l, "-")
			full = lp[0] + "-" + lp[1] + "-" + parts[1]
		}
	}
	p := strings.Split(full, "-")
	if len(p) != 3 {
		return "", fmt.Errorf("%s: unexpected likely subtags %s", tag, full)
	}
	defScript := strings.Split(c.likely[lang], "-")[1]
	cands := []string{full, p[0] + "-" + p[1], p[0] + "-" + p[2]}
	if p[1] == defScript {
		cands = append(cands, p[0])
	}
	for _, cand := range cands {
		if exists(cand) {
			return cand, nil
		}
	}
	return "", fmt.Errorf("%s: no number data (tried %v)", tag, cands)
}

type numberFormat struct {
	group                       string
	digits                      string
	primary, secondary, minimum int
}

func (c *cldr) numbers(tag string) (numberFormat, string, error) {
	var nf numberFormat
	dir, err := c.numbersDir(tag)
	if err != nil {
		return nf, "", err
	}
	var doc struct {
		Main map[string]struct{ Numbers map[string]json.RawMessage }
	}
	if err := readJSON(filepath.Join(c.dir, "cldr-numbers-full/main", dir, "numbers.json"), &doc); err != nil {
		return nf, "", err
	}
	n := doc.Main[dir].Numbers
	var system, minimum string
	if err := json.Unmarshal(n["defaultNumberingSystem"], &system); err != nil {
		return nf, "", fmt.Errorf("%s: defaultNumberingSystem: %w", tag, err)
	}
	if err := json.Unmarshal(n["minimumGroupingDigits"], &minimum); err != nil {
		return nf, "", fmt.Errorf("%s: minimumGroupingDigits: %w", tag, err)
	}
	var symbols struct{ Group string }
	if err := json.Unmarshal(n["symbols-numberSystem-"+system], &symbols); err != nil {
		return nf, "", fmt.Errorf("%s: symbols: %w", tag, err)
	}
	var formats struct{ Standard string }
	if err := json.Unmarshal(n["decimalFormats-numberSystem-"+system], &formats); err != nil {
		return nf, "", fmt.Errorf("%s: decimal formats: %w", tag, err)
	}
	nf.group = symbols.Group
	if system != "latn" {
		nf.digits = c.digits[system]
		if len([]rune(nf.digits)) != 10 {
			return nf, "", fmt.Errorf("%s: numbering system %s has no ten digits", tag, system)
		}
	}
	if nf.minimum, err = strconv.Atoi(minimum); err != nil {
		return nf, "", fmt.Errorf("%s: minimumGroupingDigits %q", tag, minimum)
	}
	// "#,##,##0.###": the primary group is the last one before the
	// decimal point, the secondary the one before it (or the same).
	intPart, _, _ := strings.Cut(strings.Split(formats.Standard, ";")[0], ".")
	groups := strings.Split(intPart, ",")
	if len(groups) < 2 {
		return nf, "", fmt.Errorf("%s: pattern %q has no grouping", tag, formats.Standard)
	}
	nf.primary = len(groups[len(groups)-1])
	nf.secondary = nf.primary
	if len(groups) > 2 {
		nf.secondary = len(groups[len(groups)-2])
	}
	return nf, dir, nil
}

func generate(modules string, tags []string) ([]byte, error) {
	if len(tags) == 0 {
		return nil, fmt.Errorf("no locales named")
	}
	c, err := load(modules)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/l10n/cldrgen from CLDR %s (npm cldr-core, cldr-numbers-full); DO NOT EDIT.\n\npackage l10n\n\n", c.version)
	funcs := map[string]string{} // Go body -> function name
	var order []string
	type row struct {
		tag, fn, numbersFrom string
		forms                []string
		nf                   numberFormat
	}
	var rows []row
	slices.Sort(tags)
	for _, tag := range slices.Compact(tags) {
		rules, err := c.pluralRules(tag)
		if err != nil {
			return nil, err
		}
		body, err := pluralFunc(rules)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tag, err)
		}
		fn, ok := funcs[body]
		if !ok {
			fn = "plural" + strconv.Itoa(len(funcs))
			funcs[body] = fn
			order = append(order, body)
		}
		nf, dir, err := c.numbers(tag)
		if err != nil {
			return nil, err
		}
		var forms []string
		for _, cat := range categories {
			if _, ok := rules["pluralRule-count-"+cat]; ok {
				forms = append(forms, goName(cat))
			}
		}
		rows = append(rows, row{tag, fn, dir, forms, nf})
	}
	b.WriteString("// cldrLocales are the locales' plural rules for whole numbers and number formats.\nvar cldrLocales = [...]cldrLocale{\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "\t{tag: %q, plural: %s, forms: 1<<%s, group: %q, digits: %q, primary: %d, secondary: %d, minGroup: %d}, // numbers: main/%s\n",
			r.tag, r.fn, strings.Join(r.forms, " | 1<<"), r.nf.group, r.nf.digits, r.nf.primary, r.nf.secondary, r.nf.minimum, r.numbersFrom)
	}
	b.WriteString("}\n")
	for _, body := range order {
		fmt.Fprintf(&b, "\nfunc %s(n uint64) Plural {\n%s}\n", funcs[body], body)
	}
	return format.Source(b.Bytes())
}

// pluralFunc turns CLDR rules into a Go function body for a whole number n
// (the operands n and i are n; v, w, f, t, c and e are 0).
func pluralFunc(rules map[string]string) (string, error) {
	var b strings.Builder
	for _, cat := range categories[:len(categories)-1] {
		rule, ok := rules["pluralRule-count-"+cat]
		if !ok {
			continue
		}
		cond, _, _ := strings.Cut(rule, "@")
		e, err := parseCondition(strings.TrimSpace(cond))
		if err != nil {
			return "", fmt.Errorf("%s %q: %w", cat, rule, err)
		}
		switch {
		case e.isConst && !e.value:
			continue // never for a whole number
		case e.isConst:
			fmt.Fprintf(&b, "\treturn %s\n", goName(cat))
			return b.String(), nil
		}
		fmt.Fprintf(&b, "\tif %s {\n\t\treturn %s\n\t}\n", e.code, goName(cat))
	}
	b.WriteString("\treturn Other\n")
	return b.String(), nil
}

func goName(cat string) string { return strings.ToUpper(cat[:1]) + cat[1:] }

// expr is a condition: a constant, or Go code.
type expr struct {
	isConst, value bool
	code           string
}

func constant(v bool) expr { return expr{isConst: true, value: v} }

func join(list []expr, op string, absorbing bool) expr {
	var parts []string
	for _, e := range list {
		if e.isConst {
			if e.value == absorbing {
				return constant(absorbing)
			}
			continue
		}
		parts = append(parts, e.code)
	}
	switch len(parts) {
	case 0:
		return constant(!absorbing)
	case 1:
		return expr{code: parts[0]}
	}
	return expr{code: "(" + strings.Join(parts, " "+op+" ") + ")"}
}

// parseCondition reads CLDR's condition syntax:
// condition = and_condition ('or' and_condition)*, and_condition = relation
// ('and' relation)*, relation = operand ('%' value)? ('=' | '!=') range_list.
func parseCondition(s string) (expr, error) {
	if s == "" {
		return constant(true), nil // "other"
	}
	var ors []expr
	for or := range strings.SplitSeq(s, " or ") {
		var ands []expr
		for rel := range strings.SplitSeq(or, " and ") {
			e, err := parseRelation(strings.TrimSpace(rel))
			if err != nil {
				return expr{}, err
			}
			ands = append(ands, e)
		}
		ors = append(ors, join(ands, "&&", false))
	}
	return join(ors, "||", true), nil
}

func parseRelation(s string) (expr, error) {
	neg := false
	lhs, rhs, ok := strings.Cut(s, "!=")
	if ok {
		neg = true
	} else if lhs, rhs, ok = strings.Cut(s, "="); !ok {
		return expr{}, fmt.Errorf("relation %q: no = or !=", s)
	}
	operand, modS, hasMod := strings.Cut(strings.TrimSpace(lhs), "%")
	operand = strings.TrimSpace(operand)
	var x string
	zero := false
	switch operand {
	case "n", "i":
		x = "n"
	case "v", "w", "f", "t", "c", "e":
		zero = true // a whole number has no fraction digits and no exponent
	default:
		return expr{}, fmt.Errorf("relation %q: operand %q", s, operand)
	}
	if hasMod {
		m, err := strconv.ParseUint(strings.TrimSpace(modS), 10, 64)
		if err != nil {
			return expr{}, fmt.Errorf("relation %q: modulus", s)
		}
		x = "n%" + strconv.FormatUint(m, 10)
	}
	var items []expr
	for item := range strings.SplitSeq(strings.TrimSpace(rhs), ",") {
		loS, hiS, isRange := strings.Cut(strings.TrimSpace(item), "..")
		lo, err := strconv.ParseUint(loS, 10, 64)
		if err != nil {
			return expr{}, fmt.Errorf("relation %q: value %q", s, loS)
		}
		hi := lo
		if isRange {
			if hi, err = strconv.ParseUint(hiS, 10, 64); err != nil {
				return expr{}, fmt.Errorf("relation %q: value %q", s, hiS)
			}
		}
		switch {
		case zero:
			items = append(items, constant(lo == 0))
		case lo == hi:
			items = append(items, expr{code: fmt.Sprintf("%s == %d", x, lo)})
		case lo == 0:
			items = append(items, expr{code: fmt.Sprintf("%s <= %d", x, hi)})
		default:
			items = append(items, expr{code: fmt.Sprintf("%s >= %d && %s <= %d", x, lo, x, hi)})
		}
	}
	e := join(items, "||", true)
	if neg {
		switch {
		case e.isConst:
			return constant(!e.value), nil
		case len(items) == 1 && strings.Count(e.code, " == ") == 1 && !strings.Contains(e.code, "&&"):
			return expr{code: strings.Replace(e.code, " == ", " != ", 1)}, nil
		}
		return expr{code: "!" + paren(e.code)}, nil
	}
	return e, nil
}

func paren(s string) string {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return s
	}
	return "(" + s + ")"
}
