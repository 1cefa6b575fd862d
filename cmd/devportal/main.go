// Command devportal runs the local Bitrix24 dev portal: a fake portal page
// with the widget in its app frame, and the REST API the widget calls.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pinall/pinall/internal/devportal"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "devportal:", err)
		os.Exit(1)
	}
}

// run parses flags, starts the portal, prints its URL first, and serves
// until SIGINT or SIGTERM.
func run(args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := start(args, stdout, stderr)
	if err != nil {
		return err
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.Shutdown(sctx)
}

func start(args []string, stdout, stderr io.Writer) (*devportal.Portal, error) {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return nil, err
	}
	p, err := devportal.Start(cfg)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "Dev portal: %s/  (app origin %s)\n", p.PortalURL(), p.AppURL())
	fmt.Fprintf(stdout, "Webhook:    %s{method}.json\n", p.WebhookURL(cfg.UserID))
	return p, nil
}

func parseFlags(args []string, stderr io.Writer) (devportal.Config, error) {
	var cfg devportal.Config
	fs := flag.NewFlagSet("devportal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.PortalAddr, "addr", "localhost:8080", "portal `address` (the portal origin)")
	fs.StringVar(&cfg.AppAddr, "app-addr", "127.0.0.1:8081", "app `address` (the widget's origin)")
	fs.StringVar(&cfg.WidgetDir, "widget", "widget", "`dir`ectory of the widget's static files")
	data := fs.String("data", "", "`file` of open-lines data (schema of internal/devportal/demo.json); default the embedded demo")
	fs.StringVar(&cfg.Lang, "lang", "en", "portal language: en or ru")
	fs.IntVar(&cfg.UserID, "user", 1, "operator user `id` the portal page opens as")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", time.Hour, "access token lifetime")
	scopes := fs.String("scopes", "imopenlines,placement,im", "the app's scopes, comma-separated")
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay added to every REST call")
	fs.IntVar(&cfg.ExtraSessions, "sessions", 0, "generate `N` extra open sessions for the operator")
	fs.StringVar(&cfg.Placement, "placement", "DEFAULT", "default placement: DEFAULT, IM_NAVIGATION or IM_SIDEBAR")
	fs.BoolVar(&cfg.Install, "install", false, "start not installed (show install.html until setInstallFinish)")
	fs.BoolVar(&cfg.WrongWasmMIME, "wrong-wasm-mime", false, "serve .wasm as application/octet-stream")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if *data != "" {
		d, err := devportal.LoadData(*data)
		if err != nil {
			return cfg, err
		}
		cfg.Data = &d
	}
	cfg.Scopes = []string{}
	for _, s := range strings.Split(*scopes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Scopes = append(cfg.Scopes, s)
		}
	}
	return cfg, nil
}
