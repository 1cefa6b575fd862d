//go:build !js

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pinall/pinall/bench/internal/report"
	"github.com/pinall/pinall/internal/buildjs"
	"github.com/pinall/pinall/internal/devportal"
	"github.com/pinall/pinall/internal/wasmbuild"
)

// buildVariants lays out every variant under work, serves each on
// localhost (all but A-de) and on the plain hosts (A, A-de, B, S and D),
// and measures what each ships.
func buildVariants(work string) ([]*variant, error) {
	dir := func(name string) string { return filepath.Join(work, name) }
	if err := buildB(dir("B")); err != nil {
		return nil, err
	}
	if err := buildS(dir("S")); err != nil {
		return nil, err
	}
	if err := buildFloor(dir("C"), "./bench/floor"); err != nil {
		return nil, err
	}
	if err := buildFloor(dir("D"), "./bench/floor/safejs"); err != nil {
		return nil, err
	}
	// D goes on the plain host as A does: zipped, its page packed, with the
	// words files its page fetches.
	dZip := filepath.Join(work, "D.zip")
	words, err := filepath.Glob(filepath.Join(dir("D"), buildjs.WordsName("*")))
	if err != nil || len(words) == 0 {
		return nil, fmt.Errorf("D has no words files (%v): its page would stop before ready", err)
	}
	zipArgs := []string{"scripts/zipdist.go", "-o", dZip, "-C", dir("D"), "index.html", "pinall.wasm"}
	for _, w := range words {
		zipArgs = append(zipArgs, filepath.Base(w))
	}
	if err := goRun(zipArgs...); err != nil {
		return nil, err
	}
	vs := []*variant{
		{Variant: &report.Variant{Name: "A", Desc: "Go widget (widget/ on localhost; dist/pinall.zip's files on the plain host)",
			Clicks: true, Plain: true}, dir: "widget", zip: zipPath, ships: "pinall.wasm"},
		{Variant: &report.Variant{Name: "A-de", Lang: "de", Desc: "A in a German portal (LANG=de in the init data and the app's URL): dist/pinall.zip's files, its page fetching words-de.json (plain host only)",
			Plain: true, PlainOnly: true}, zip: zipPath},
		{Variant: &report.Variant{Name: "B", Desc: "plain-JS reference (bench/reference/)", Clicks: true, Plain: true}, dir: dir("B"), ships: "app.js"},
		{Variant: &report.Variant{Name: "S", Desc: "official-SDK peer: @bitrix24/b24jssdk 2.2.0 as its docs show, bundled with esbuild (bench/sdk/)",
			Clicks: true, Plain: true}, dir: dir("S"), ships: "app.js"},
		{Variant: &report.Variant{Name: "C", Desc: "Go floor (bench/floor/)"}, dir: dir("C"), ships: "pinall.wasm"},
		{Variant: &report.Variant{Name: "D", Desc: "Go floor + safejs + context, the stack the widget must carry (bench/floor/safejs/; zipped as A on the plain host)",
			Plain: true}, dir: dir("D"), zip: dZip, ships: "pinall.wasm"},
	}
	fail := func(err error) ([]*variant, error) {
		for _, v := range vs {
			v.close()
		}
		return nil, err
	}
	for _, v := range vs {
		if v.Plain {
			if v.reval, err = startPlainHost(v, false); err != nil {
				return fail(err)
			}
			if v.bare, err = startPlainHost(v, true); err != nil {
				return fail(err)
			}
		}
		if v.PlainOnly {
			continue
		}
		if v.portal, err = startPortal(v.dir); err != nil {
			return fail(err)
		}
		if v.Size, err = measureSize(v); err != nil {
			return fail(err)
		}
	}
	return vs, nil
}

// startPortal serves dir with the demo data plus 10,000 open sessions for
// user10k, and a rate limit out of the way of 1,000 clicks.
func startPortal(dir string) (*devportal.Portal, error) {
	return devportal.Start(devportal.Config{
		WidgetDir: dir, UserID: user10k, ExtraSessions: n10k,
		RateLimit: devportal.RateLimit{PerSecond: 1e6, Burst: 1e6},
	})
}

// buildB lays out the reference widget: bench/reference/ plus the widget's
// own style.css.
func buildB(dir string) error {
	return copyFiles(dir, [][2]string{
		{"bench/reference/index.html", "index.html"},
		{"bench/reference/app.js", "app.js"},
		{"widget/style.css", "style.css"},
	})
}

// buildFloor builds a floor program (C, D) with the widget's release flags
// (internal/wasmbuild) and serves it with the widget's page and loader.
func buildFloor(dir, pkg string) error {
	raw := filepath.Join(dir, "raw", "pinall.wasm")
	if err := wasmbuild.Build(context.Background(), raw, pkg, wasmbuild.Options{}); err != nil {
		return err
	}
	return servedLikeTheWidget(dir, raw)
}

// servedLikeTheWidget lays out dir as make build lays out widget/ for the
// raw wasm program raw: its gzip'd pinall.wasm and .br sibling, a build.js
// of its own (the loader caches by the hash written there: the widget's
// would never match), and the widget's page, loader and glue.
func servedLikeTheWidget(dir, raw string) error {
	if err := goRun("scripts/precompress.go", "-o", dir, raw); err != nil {
		return err
	}
	if err := goRun("scripts/buildjs.go", "-version", "bench", "-o", filepath.Join(dir, "build.js"), raw); err != nil {
		return err
	}
	return copyWidgetPage(dir)
}

func goRun(args ...string) error {
	cmd := exec.Command("go", append([]string{"run"}, args...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go run %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// copyWidgetPage copies widget/'s files but its wasm programs (and their
// compressed copies) and build.js into dir: the widget's page, loader and
// glue, to run another program in.
func copyWidgetPage(dir string) error {
	entries, err := os.ReadDir("widget")
	if err != nil {
		return err
	}
	var files [][2]string
	for _, e := range entries {
		if e.IsDir() || strings.Contains(e.Name(), ".wasm") || e.Name() == "build.js" {
			continue
		}
		files = append(files, [2]string{filepath.Join("widget", e.Name()), e.Name()})
	}
	return copyFiles(dir, files)
}

// buildS installs bench/sdk's npm packages when node_modules is missing or
// came from another package-lock.json, bundles the official-SDK peer with
// esbuild and lays it out in dir with the widget's style.css.
func buildS(dir string) error {
	sdk := filepath.Join("bench", "sdk")
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("the SDK peer needs Node.js 20+ and npm (make node): %s is not on PATH", tool)
		}
	}
	lock, err := os.ReadFile(filepath.Join(sdk, "package-lock.json"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(lock)
	stamp := filepath.Join(sdk, "node_modules", ".pinall-lock-sha256")
	if got, err := os.ReadFile(stamp); err != nil || string(got) != hex.EncodeToString(sum[:]) {
		if err := npm(sdk, "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
		if err := os.WriteFile(stamp, []byte(hex.EncodeToString(sum[:])), 0o644); err != nil {
			return err
		}
	}
	if err := npm(sdk, "run", "--silent", "build"); err != nil {
		return err
	}
	return copyFiles(dir, [][2]string{
		{"bench/reference/index.html", "index.html"}, // the same page: only app.js differs
		{filepath.Join(sdk, "dist", "app.js"), "app.js"},
		{"widget/style.css", "style.css"},
	})
}

// npm runs npm in dir with its cache in dir/.npm-cache.
func npm(dir string, args ...string) error {
	cmd := exec.Command("npm", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(dir, ".npm-cache"),
		"npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out)
	}
	return nil
}

// copyFiles copies each {from, name} to dir/name.
func copyFiles(dir string, files [][2]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f[0])
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f[1]), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
