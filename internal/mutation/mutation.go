// Package mutation judges a mutation-testing run (gremlins' JSON report)
// against the floor `make mutate` holds each package to, and against the
// reviewed list of mutants that cannot be killed (docs/mutants.md).
//
// A mutant is named by its file, line, column and mutator, as gremlins prints
// it. Efficacy is gremlins' own: killed / (killed + lived), timed-out and
// uncovered mutants left out; here the listed equivalents that lived are also
// left out. A listed mutant that the run did not find alive is stale: the
// code moved or a test now kills it, and the list must say so.
package mutation

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Gremlins' statuses, as its JSON report spells them.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	notCovered = "NOT COVERED"
	timedOut   = "TIMED OUT"
	notViable  = "NOT VIABLE"
)

// Mutant is one place gremlins changed, and the mutator that changed it.
type Mutant struct {
	File    string // slash-separated, relative to the module's root
	Line    int
	Col     int
	Mutator string // ARITHMETIC_BASE, CONDITIONALS_NEGATION, ...
}

func (m Mutant) String() string {
	return fmt.Sprintf("%s:%d:%d %s", m.File, m.Line, m.Col, m.Mutator)
}

// Result is one mutant of a run and what became of it.
type Result struct {
	Mutant
	Status string
}

// ReadReport reads the JSON report gremlins writes with -o after a run over
// the package in dir (relative to the module's root): its file names are
// relative to dir, the returned ones to the module's root.
func ReadReport(r io.Reader, dir string) ([]Result, error) {
	var rep struct {
		Files []struct {
			Name      string `json:"file_name"`
			Mutations []struct {
				Type   string `json:"type"`
				Status string `json:"status"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"mutations"`
		} `json:"files"`
	}
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, fmt.Errorf("mutation: gremlins report: %w", err)
	}
	var out []Result
	for _, f := range rep.Files {
		name := path.Join(dir, f.Name)
		for _, m := range f.Mutations {
			out = append(out, Result{Mutant{name, m.Line, m.Column, m.Type}, m.Status})
		}
	}
	return out, nil
}

// Equivalent is a listed mutant: one no test can kill, with the reason.
type Equivalent struct {
	Mutant
	Why  string
	Line int // its line in the list, for messages
}

// A row of the list: | `file.go:line:col` | MUTATOR | why |
var row = regexp.MustCompile("^\\|\\s*`([^`|]+\\.go):(\\d+):(\\d+)`\\s*\\|\\s*([A-Z_]+)\\s*\\|(.*)\\|\\s*$")

// ParseEquivalents reads the list: a Markdown file whose table rows name a
// mutant in the first two cells and say why it cannot be killed in the
// third. Every other line is prose for the reviewer. A row without a reason,
// a mutant listed twice, or a table row that names a Go file but does not
// parse is an error, so a typo cannot hide a mutant.
func ParseEquivalents(r io.Reader) ([]Equivalent, error) {
	var out []Equivalent
	seen := map[Mutant]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		// A row of the list names a mutant in its first cell; other tables
		// (the packages' figures) may name one further along.
		first, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "|"), "|")
		if !strings.HasPrefix(strings.TrimSpace(line), "|") || !strings.Contains(first, ".go:") {
			continue
		}
		m := row.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			return nil, fmt.Errorf("mutation: list line %d: want | `file.go:line:col` | MUTATOR | why |, got %q", n, line)
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		e := Equivalent{Mutant: Mutant{m[1], ln, col, m[4]}, Why: strings.TrimSpace(m[5]), Line: n}
		if e.Why == "" {
			return nil, fmt.Errorf("mutation: list line %d: %s has no reason", n, e.Mutant)
		}
		if first, dup := seen[e.Mutant]; dup {
			return nil, fmt.Errorf("mutation: list line %d: %s is listed on line %d already", n, e.Mutant, first)
		}
		seen[e.Mutant] = n
		out = append(out, e)
	}
	return out, sc.Err()
}

// Verdict is one package's run judged against the list.
type Verdict struct {
	Dir                                            string
	Killed, Lived, NotCovered, TimedOut, NotViable int
	// Equivalent are the listed mutants of the package that lived.
	Equivalent []Equivalent
	// Alive are the mutants that lived and are not listed: each wants a
	// test, or a place in the list with its reason.
	Alive []Mutant
	// Stale are the listed mutants of the package the run did not find
	// alive: gone from the code, or killed.
	Stale []Stale
	// Unjudged are listed mutants this run timed out on or did not cover:
	// neither alive nor stale.
	Unjudged []Equivalent
}

// Stale is a listed mutant the run did not find alive, and what it found.
type Stale struct {
	Equivalent
	Status string // "" when the run has no such mutant
}

// Efficacy is the share of the mutants that count which the tests killed, in
// percent: killed / (killed + lived - listed equivalents). With none that
// count it is 100.
func (v Verdict) Efficacy() float64 {
	n := v.Killed + v.Lived - len(v.Equivalent)
	if n <= 0 {
		return 100
	}
	return 100 * float64(v.Killed) / float64(n)
}

// Judge sets a run over dir (its results as ReadReport returns them; gremlins
// walks dir and the directories beneath it) against the listed mutants;
// entries outside dir are ignored.
func Judge(dir string, results []Result, list []Equivalent) Verdict {
	dir = path.Clean(dir)
	v := Verdict{Dir: dir}
	status := map[Mutant]string{}
	for _, r := range results {
		status[r.Mutant] = r.Status
		switch r.Status {
		case killed:
			v.Killed++
		case lived:
			v.Lived++
		case notCovered:
			v.NotCovered++
		case timedOut:
			v.TimedOut++
		case notViable:
			v.NotViable++
		}
	}
	listed := map[Mutant]bool{}
	for _, e := range list {
		if !strings.HasPrefix(e.File, dir+"/") {
			continue
		}
		listed[e.Mutant] = true
		switch s := status[e.Mutant]; s {
		case lived:
			v.Equivalent = append(v.Equivalent, e)
		case timedOut, notCovered:
			v.Unjudged = append(v.Unjudged, e)
		default:
			v.Stale = append(v.Stale, Stale{e, s})
		}
	}
	for _, r := range results {
		if r.Status == lived && !listed[r.Mutant] {
			v.Alive = append(v.Alive, r.Mutant)
		}
	}
	sort.Slice(v.Alive, func(i, j int) bool { return less(v.Alive[i], v.Alive[j]) })
	return v
}

func less(a, b Mutant) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	return a.Mutator < b.Mutator
}
