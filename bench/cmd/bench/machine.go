//go:build !js

package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/pinall/pinall/bench/internal/browser"
)

// machineInfo describes where the bench ran.
func machineInfo(b *browser.Browser) []string {
	cpu := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, v, _ := strings.Cut(l, ":")
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	goVer := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		goVer = strings.TrimSpace(string(out))
	}
	return []string{
		"CPU: " + cpu + fmt.Sprintf(", %d cores (runtime.NumCPU)", runtime.NumCPU()),
		"OS: " + runtime.GOOS + "/" + runtime.GOARCH,
		"Chromium: " + b.Version() + ", headless",
		"Go: " + goVer,
		"Date: " + time.Now().UTC().Format("2006-01-02 15:04 UTC"),
	}
}

// loadAvg is the 1-minute load average: other work on the machine skews
// absolute times (the ratios of one run less so).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}
