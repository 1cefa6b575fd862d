//go:build !js

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// buildWidget runs `make dist` (the widget into widget/, the zip into dist/)
// once per test binary, so `go test ./...` works on a fresh clone. The
// Makefile stays the one place that knows how to build; go's build cache
// makes an unchanged build a few seconds. An exclusive lock on the Makefile
// keeps two test binaries (go test runs packages in parallel, or two go test
// commands at once) from writing the same files together.
func buildWidget() error {
	root, err := filepath.Abs("..")
	if err != nil {
		return err
	}
	lock, err := os.Open(filepath.Join(root, "Makefile"))
	if err != nil {
		return fmt.Errorf("e2e: no Makefile in %s: run the tests from the module (go test ./e2e/...)", root)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("e2e: lock the build: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	make := os.Getenv("MAKE")
	if make == "" {
		make = "make"
	}
	cmd := exec.Command(make, "--no-print-directory", "dist")
	cmd.Dir = root
	// GOOS/GOARCH from a caller's environment must not leak into the build;
	// the Makefile sets its own for the wasm.
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("e2e: build the widget (make dist in %s): %v\n%s", root, err, out)
	}
	return nil
}
