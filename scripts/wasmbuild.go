//go:build ignore

// wasmbuild builds a Go program for the browser with the release flags of
// internal/wasmbuild, the one place that holds them (make build, the bench).
//
//	go run scripts/wasmbuild.go -o build/pinall.wasm ./wasm
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pinall/pinall/internal/wasmbuild"
)

func main() {
	out := flag.String("o", "", "the wasm file to write")
	named := flag.Bool("named", false, "keep the symbol table (profiles, the size report)")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/wasmbuild.go -o OUT.wasm [-named] PACKAGE")
		os.Exit(2)
	}
	cmd := wasmbuild.Command(context.Background(), "", *out, flag.Arg(0), wasmbuild.Options{Named: *named})
	fmt.Println(strings.Join(wasmbuild.Env, " "), strings.Join(cmd.Args, " "))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "wasmbuild:", err)
		os.Exit(1)
	}
}
