// Command devportal runs the local Bitrix24 dev portal: a fake portal page
// with the widget in its app frame, and the REST API the widget calls.
package main

import (
	"context"
	"errors"
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
	fmt.Fprintf(stdout, "App files:  %s\n", servedAs(cfg))
	return p, nil
}

// servedAs says how the app origin serves the widget's files.
func servedAs(cfg devportal.Config) string {
	var s string
	switch {
	case cfg.AppZip != "":
		s = cfg.AppZip + " as Bitrix24 serves an uploaded zip (as they are"
	case cfg.Plain:
		s = cfg.WidgetDir + "/ as a plain static host (as they are"
	default:
		return cfg.WidgetDir + "/ with .br/.gz siblings negotiated" + paceText(cfg.Pace)
	}
	if cfg.NoCacheHeaders {
		return s + ", no cache headers)" + paceText(cfg.Pace)
	}
	return s + ", ETag, Cache-Control: no-cache)" + paceText(cfg.Pace)
}

func paceText(p devportal.Pace) string {
	if p.Mbps <= 0 && p.RTT <= 0 {
		return ""
	}
	bw := "unlimited"
	if p.Mbps > 0 {
		bw = fmt.Sprintf("%g Mbit/s", p.Mbps)
	}
	return fmt.Sprintf(", paced: %s, %d ms round trips", bw, p.RTT.Milliseconds())
}

func parseFlags(args []string, stderr io.Writer) (devportal.Config, error) {
	var cfg devportal.Config
	fs := flag.NewFlagSet("devportal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.PortalAddr, "addr", "localhost:8080", "portal `address` (the portal origin)")
	fs.StringVar(&cfg.AppAddr, "app-addr", "127.0.0.1:8081", "app `address` (the widget's origin)")
	fs.StringVar(&cfg.WidgetDir, "widget", "widget", "`dir`ectory of the widget's static files")
	data := fs.String("data", "", "`file` of open-lines data (schema of internal/devportal/demo.json); default the embedded demo")
	fs.StringVar(&cfg.Lang, "lang", "en", "the portal's `LANG`: en ru de la fr it pl id ms ja br vn tr kz ua ar th sc tc in\n"+
		"(the demo's names follow it; the page's LANG switch changes it while running)")
	fs.IntVar(&cfg.UserID, "user", 1, "operator user `id` the portal page opens as")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", time.Hour, "access token lifetime")
	scopes := fs.String("scopes", "imopenlines,placement,im", "the app's scopes, comma-separated")
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay added to every REST call")
	fs.IntVar(&cfg.ExtraSessions, "sessions", 0, "generate `N` extra open sessions for the operator")
	fs.StringVar(&cfg.Placement, "placement", "DEFAULT", "default placement: DEFAULT, IM_NAVIGATION or IM_SIDEBAR")
	fs.BoolVar(&cfg.Install, "install", false, "start not installed (show install.html until setInstallFinish)")
	fs.BoolVar(&cfg.WrongWasmMIME, "wrong-wasm-mime", false, "serve .wasm as application/octet-stream")
	fs.StringVar(&cfg.AppZip, "zip", "", "serve this `zip`'s files as Bitrix24 serves an uploaded app: as they are, no Content-Encoding,\n"+
		"a strong ETag and Cache-Control: no-cache (--widget is then unused), e.g. --zip dist/pinall.zip")
	fs.BoolVar(&cfg.Plain, "plain", false, "serve --widget's files the same way as --zip (no .br/.gz negotiation)")
	fs.BoolVar(&cfg.NoCacheHeaders, "no-cache-headers", false, "with --zip or --plain: send no ETag and no Cache-Control at all")
	fs.Float64Var(&cfg.Pace.Mbps, "mbps", 0, "pace the app's files to this bandwidth in `Mbit/s`, shared by their connections (0: unlimited)")
	rtt := fs.Int("rtt", 0, "add this round-trip time in `ms` before each of the app's files (two on a new connection)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: devportal [flags]

Runs a local fake Bitrix24: the portal page with the widget in its app frame,
and the REST API the widget calls. By default the app's files come from
--widget with their .br/.gz siblings negotiated (the self-host route, make run).
To see what a user of an uploaded zip gets, serve the zip as Bitrix24 does,
on a paced link:

  go run ./cmd/devportal --zip dist/pinall.zip --mbps 20 --rtt 40

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.Pace.Mbps < 0 || *rtt < 0 {
		return cfg, errors.New("--mbps and --rtt take a number >= 0")
	}
	cfg.Pace.RTT = time.Duration(*rtt) * time.Millisecond
	if cfg.NoCacheHeaders && cfg.AppZip == "" && !cfg.Plain {
		return cfg, errors.New("--no-cache-headers needs --zip or --plain")
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
