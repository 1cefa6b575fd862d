// Package wasmbuild holds the one recipe for building a Go program for the
// browser: the environment and flags of the release build. make build
// (through scripts/wasmbuild.go) and the bench (its floors and the named
// builds it profiles) both build through it, so they can never differ, as
// tailscale's cmd/tsconnect keeps its flags in one package.
package wasmbuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Env is what the go command needs besides the caller's environment.
//
// The classic collector, not Go 1.26's default Green Tea: Green Tea pays off
// on big heaps and many cores; the widget's heap is a few hundred KB on
// wasm's one thread, and it costs download size for nothing there
// (docs/benchmarks.md, "The build's flags").
var Env = []string{"GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=nogreenteagc"}

// Options choose between the release build and the named one.
type Options struct {
	// Named keeps the function names (no -s -w): a profile then names Go
	// functions, and ReadSizes can split the program by package. The code
	// and data are the release build's.
	Named bool
}

// flags are the go build flags: no paths (-trimpath), no symbol tables
// (-s -w, as tsconnect's release builds), and inlining off
// (-gcflags=all=-l): the widget's work waits on the network and the DOM, and
// without inlining the download is markedly smaller (docs/benchmarks.md, "The build's flags").
func flags(o Options) []string {
	f := []string{"-trimpath"}
	if !o.Named {
		f = append(f, "-ldflags=-s -w")
	}
	return append(f, "-gcflags=all=-l")
}

// Command is the go build of pkg (an import path or ./dir) into out, run
// from dir ("" = the current directory).
func Command(ctx context.Context, dir, out, pkg string, o Options) *exec.Cmd {
	args := append([]string{"build"}, flags(o)...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), Env...)
	return cmd
}

// Build runs Command, its output on stderr.
func Build(ctx context.Context, out, pkg string, o Options) error {
	cmd := Command(ctx, "", out, pkg, o)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("wasmbuild %s: %w", pkg, err)
	}
	return nil
}

// Deps lists the packages pkg's wasm build links (go list -deps), for
// ReadSizes.
func Deps(ctx context.Context, pkg string) ([]string, error) {
	cmd := exec.CommandContext(ctx, goTool(), "list", "-deps", pkg)
	cmd.Env = append(os.Environ(), Env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("wasmbuild: go list -deps %s: %w", pkg, err)
	}
	return strings.Fields(string(out)), nil
}

// goTool is the go command: $GO when make passes one, else go on PATH.
func goTool() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
