//go:build ignore

// mutate runs gremlins (pinned in tools/go.mod) over each package, one after
// another, and fails when a package's efficacy is under the floor once the
// mutants listed as equivalent are left out, or when the list names a mutant
// the run did not find alive (stale). Used by `make mutate`
// (docs/testing.md).
//
//	go run scripts/mutate.go -gremlins .bin/gremlins -list docs/mutants.md ./internal/urlpart ...
//
// It never passes gremlins' --test-cpu: gremlins 0.6 hands go test "-cpu N"
// as one argument, go test refuses it, and every mutant then counts as
// killed. GOMAXPROCS in the environment limits the tests instead (and the go
// command, and gremlins).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pinall/pinall/internal/mutation"
)

func main() {
	gremlins := flag.String("gremlins", ".bin/gremlins", "the gremlins binary")
	listFile := flag.String("list", "docs/mutants.md", "the reviewed list of equivalent mutants")
	floor := flag.Float64("min", 95, "the lowest efficacy a package may have, in percent")
	workers := flag.Int("workers", 1, "mutants tested at once")
	// Gremlins' own 3 times the unmutated run times out most mutants of a
	// small package on a busy machine: that run's result may come from go's
	// test cache, while every mutant is compiled afresh.
	coef := flag.Int("timeout-coefficient", 10, "a mutant's tests time out after this many times the unmutated run")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/mutate.go [-gremlins BIN] [-list FILE] [-min PCT] [-workers N] DIR...")
		os.Exit(2)
	}
	f, err := os.Open(*listFile)
	if err != nil {
		fatal(err)
	}
	list, err := mutation.ParseEquivalents(f)
	f.Close()
	if err != nil {
		fatal(fmt.Errorf("%s: %w", *listFile, err))
	}
	tmp, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		fatal(err)
	}
	// fatal and os.Exit skip deferred calls.
	cleanup = func() { os.RemoveAll(tmp) }

	type row struct {
		v    mutation.Verdict
		took time.Duration
		ok   bool
	}
	var rows []row
	failed := false
	for i, dir := range flag.Args() {
		dir = path.Clean(filepath.ToSlash(dir))
		out := filepath.Join(tmp, strconv.Itoa(i)+".json")
		args := []string{"unleash", "--workers", strconv.Itoa(*workers), "--output-statuses", "lt", "-o", out}
		if *coef > 0 {
			args = append(args, "--timeout-coefficient", strconv.Itoa(*coef))
		}
		args = append(args, "./"+dir)
		cmd := exec.Command(*gremlins, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		fmt.Printf("mutate: %s: %s\n", dir, strings.Join(cmd.Args, " "))
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fatal(fmt.Errorf("%s: gremlins: %w", dir, err))
		}
		took := time.Since(start).Round(time.Second)
		rf, err := os.Open(out)
		if err != nil {
			fatal(fmt.Errorf("%s: %w", dir, err))
		}
		results, err := mutation.ReadReport(rf, dir)
		rf.Close()
		if err != nil {
			fatal(fmt.Errorf("%s: %w", dir, err))
		}
		v := mutation.Judge(dir, results, list)
		ok := v.Efficacy() >= *floor && len(v.Stale) == 0
		failed = failed || !ok
		rows = append(rows, row{v, took, ok})
		for _, m := range v.Alive {
			fmt.Printf("mutate: %s: lived, not listed: %s\n", dir, m)
		}
		for _, s := range v.Stale {
			found := "the run has no such mutant"
			if s.Status != "" {
				found = "the run found it " + s.Status
			}
			fmt.Printf("mutate: %s:%d: stale: %s: %s\n", *listFile, s.Line, s.Mutant, found)
		}
		for _, e := range v.Unjudged {
			fmt.Printf("mutate: %s:%d: not judged this run (timed out or not covered): %s\n", *listFile, e.Line, e.Mutant)
		}
	}

	fmt.Printf("\n%-22s %7s %6s %7s %11s %9s %10s %9s %6s\n",
		"package", "killed", "lived", "listed", "not covered", "timed out", "not viable", "efficacy", "time")
	for _, r := range rows {
		v := r.v
		verdict := ""
		if !r.ok {
			verdict = "  FAIL"
			if len(v.Stale) > 0 {
				verdict += " (stale entries)"
			}
		}
		fmt.Printf("%-22s %7d %6d %7d %11d %9d %10d %8.1f%% %6s%s\n",
			strings.TrimPrefix(v.Dir, "internal/"), v.Killed, v.Lived, len(v.Equivalent),
			v.NotCovered, v.TimedOut, v.NotViable, v.Efficacy(), r.took, verdict)
	}
	fmt.Printf("efficacy = killed / (killed + lived - listed); the floor is %g%%\n", *floor)
	cleanup()
	if failed {
		os.Exit(1)
	}
}

var cleanup = func() {}

func fatal(err error) {
	cleanup()
	fmt.Fprintln(os.Stderr, "mutate:", err)
	os.Exit(1)
}
