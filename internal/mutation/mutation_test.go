package mutation

import (
	"reflect"
	"strings"
	"testing"
)

// A report as gremlins 0.6 writes it with -o (trimmed to what is read).
const report = `{"go_module":"github.com/pinall/pinall","files":[
 {"file_name":"a.go","mutations":[
  {"type":"CONDITIONALS_NEGATION","status":"KILLED","line":3,"column":7},
  {"type":"CONDITIONALS_BOUNDARY","status":"LIVED","line":3,"column":7},
  {"type":"ARITHMETIC_BASE","status":"LIVED","line":9,"column":12},
  {"type":"INCREMENT_DECREMENT","status":"LIVED","line":4,"column":2},
  {"type":"INVERT_NEGATIVES","status":"TIMED OUT","line":20,"column":5},
  {"type":"ARITHMETIC_BASE","status":"NOT COVERED","line":30,"column":9}]},
 {"file_name":"sub/b.go","mutations":[
  {"type":"ARITHMETIC_BASE","status":"KILLED","line":1,"column":1},
  {"type":"ARITHMETIC_BASE","status":"KILLED","line":2,"column":1},
  {"type":"ARITHMETIC_BASE","status":"NOT VIABLE","line":3,"column":1}]}],
 "test_efficacy":42}`

func TestReadReportNamesFilesFromTheModuleRoot(t *testing.T) {
	got, err := ReadReport(strings.NewReader(report), "./internal/x")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 {
		t.Fatalf("got %d results, want 9", len(got))
	}
	want := Result{Mutant{"internal/x/a.go", 3, 7, "CONDITIONALS_BOUNDARY"}, lived}
	if got[1] != want {
		t.Errorf("got %+v, want %+v", got[1], want)
	}
	if got[7].File != "internal/x/sub/b.go" {
		t.Errorf("a subdirectory's file is %q, want internal/x/sub/b.go", got[7].File)
	}
}

func TestReadReportRejectsWhatIsNotAReport(t *testing.T) {
	if _, err := ReadReport(strings.NewReader("Killed: 3, Lived: 0"), "internal/x"); err == nil {
		t.Error("gremlins' text output read as a report")
	}
}

const list = "# Mutants\n\nProse with a `x.go:1:2` in it is not a row.\n\n" +
	"| mutant | mutator | why |\n|---|---|---|\n" +
	"| `internal/x/a.go:3:7` | CONDITIONALS_BOUNDARY | n is never 0 here: the caller returned for it |\n" +
	"|`internal/x/a.go:40:1`|ARITHMETIC_BASE| gone from the code |\n" +
	"| `internal/x/a.go:3:7` | CONDITIONALS_NEGATION | killed by now |\n" +
	"| `internal/x/a.go:20:5` | INVERT_NEGATIVES | slow |\n" +
	"| `internal/y/c.go:1:1` | ARITHMETIC_BASE | another package's |\n" +
	"\n| package | after |\n|---|---|\n| internal/x | 9 / 10; its survivor `a.go:5:1` dies by hand |\n"

func TestParseEquivalents(t *testing.T) {
	got, err := ParseEquivalents(strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("got %d rows, want 5: %+v", len(got), got)
	}
	want := Equivalent{Mutant{"internal/x/a.go", 3, 7, "CONDITIONALS_BOUNDARY"}, "n is never 0 here: the caller returned for it", 7}
	if got[0] != want {
		t.Errorf("got %+v, want %+v", got[0], want)
	}
	if got[1].Mutant != (Mutant{"internal/x/a.go", 40, 1, "ARITHMETIC_BASE"}) || got[1].Why != "gone from the code" {
		t.Errorf("a row without padding: got %+v", got[1])
	}
}

func TestParseEquivalentsRefusesARowItCannotRead(t *testing.T) {
	for name, text := range map[string]string{
		"no reason":     "| `a/b.go:1:2` | ARITHMETIC_BASE | |\n",
		"no column":     "| `a/b.go:1` | ARITHMETIC_BASE | why |\n",
		"no backquotes": "| a/b.go:1:2 | ARITHMETIC_BASE | why |\n",
		"lower case":    "| `a/b.go:1:2` | arithmetic_base | why |\n",
		"listed twice":  "| `a/b.go:1:2` | ARITHMETIC_BASE | why |\n| `a/b.go:1:2` | ARITHMETIC_BASE | again |\n",
	} {
		if got, err := ParseEquivalents(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error, got %+v", name, got)
		}
	}
}

func TestJudge(t *testing.T) {
	results, err := ReadReport(strings.NewReader(report), "internal/x")
	if err != nil {
		t.Fatal(err)
	}
	eqs, err := ParseEquivalents(strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	v := Judge("./internal/x", results, eqs)
	if v.Killed != 3 || v.Lived != 3 || v.NotCovered != 1 || v.TimedOut != 1 || v.NotViable != 1 {
		t.Errorf("counts: %+v", v)
	}
	if len(v.Equivalent) != 1 || v.Equivalent[0].Line != 7 {
		t.Errorf("equivalent: got %+v, want the row on line 7", v.Equivalent)
	}
	wantAlive := []Mutant{{"internal/x/a.go", 4, 2, "INCREMENT_DECREMENT"}, {"internal/x/a.go", 9, 12, "ARITHMETIC_BASE"}}
	if !reflect.DeepEqual(v.Alive, wantAlive) {
		t.Errorf("alive: got %v, want %v", v.Alive, wantAlive)
	}
	if len(v.Stale) != 2 || v.Stale[0].Line != 8 || v.Stale[0].Status != "" || v.Stale[1].Line != 9 || v.Stale[1].Status != killed {
		t.Errorf("stale: got %+v, want line 8 (gone) and line 9 (killed)", v.Stale)
	}
	if len(v.Unjudged) != 1 || v.Unjudged[0].Line != 10 {
		t.Errorf("unjudged: got %+v, want line 10 (timed out)", v.Unjudged)
	}
	// 3 killed of 3 killed + 3 lived - 1 equivalent.
	if got := v.Efficacy(); got != 60 {
		t.Errorf("efficacy %v, want 60", got)
	}
}

func TestJudgeListedEquivalentsDoNotCountAgainstEfficacy(t *testing.T) {
	results := []Result{
		{Mutant{"p/a.go", 1, 1, "ARITHMETIC_BASE"}, killed},
		{Mutant{"p/a.go", 2, 1, "ARITHMETIC_BASE"}, lived},
	}
	if got := Judge("p", results, nil).Efficacy(); got != 50 {
		t.Errorf("unlisted: efficacy %v, want 50", got)
	}
	eq := []Equivalent{{Mutant: Mutant{"p/a.go", 2, 1, "ARITHMETIC_BASE"}, Why: "w"}}
	if got := Judge("p", results, eq).Efficacy(); got != 100 {
		t.Errorf("listed: efficacy %v, want 100", got)
	}
	// A package whose every mutant is uncovered or listed: nothing counts.
	if got := Judge("p", results[1:], eq).Efficacy(); got != 100 {
		t.Errorf("nothing counts: efficacy %v, want 100", got)
	}
	// A package of the same name's prefix is another package.
	if v := Judge("p", results, []Equivalent{{Mutant: Mutant{"pq/a.go", 2, 1, "ARITHMETIC_BASE"}, Why: "w"}}); len(v.Stale) != 0 || len(v.Equivalent) != 0 {
		t.Errorf("another package's entry judged: %+v", v)
	}
}
