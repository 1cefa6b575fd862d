//go:build js && wasm

package host

import (
	"errors"

	"github.com/hack-pad/safejs"

	"github.com/pinall/pinall/internal/jsutil"
)

// Page is the Config with the page's JS parts.
type Page struct {
	Config
	Rows  safejs.Value // the rows helper; undefined on a page without one
	Asked safejs.Value // the loader's getInitData, for frame.Asked; undefined if it asked none
}

// Read reads and checks the page's pinallHost.
func Read() (Page, error) {
	obj, err := safejs.Global().Get(global)
	if err != nil {
		return Page{}, err
	}
	if obj.Type() != safejs.TypeObject {
		return Page{}, errors.New("the page handed over no " + global + " (loader.js): deploy every file of one build")
	}
	var f Fields
	for _, s := range []struct {
		key string
		dst *string
	}{{"lang", &f.Lang}, {"locale", &f.Locale}, {"dir", &f.Dir}, {"words", &f.Words}, {"pageURL", &f.PageURL}} {
		v, err := obj.Get(s.key)
		if err != nil {
			return Page{}, err
		}
		if v.Type() != safejs.TypeString {
			return Page{}, errors.New(global + "." + s.key + " is not a string")
		}
		if *s.dst, err = v.String(); err != nil {
			return Page{}, err
		}
	}
	cfg, err := check(f)
	if err != nil {
		return Page{}, err
	}
	rows, err := obj.Get("rows")
	if err != nil {
		return Page{}, err
	}
	if t := rows.Type(); t != safejs.TypeFunction && t != safejs.TypeUndefined {
		return Page{}, errors.New(global + ".rows is not a function")
	}
	asked, err := obj.Get("asked")
	if err != nil {
		return Page{}, err
	}
	if t := asked.Type(); t != safejs.TypeObject && t != safejs.TypeUndefined {
		return Page{}, errors.New(global + ".asked is not an object")
	}
	return Page{Config: cfg, Rows: rows, Asked: asked}, nil
}

// Fail says on the page that the program cannot start: through the
// loader's dead box (pinallHost.fail: the page's words, a reload button),
// else on the console and in <html data-state="error"> alone. The program
// then waits: it never exits.
func Fail(err error) {
	if obj, e := safejs.Global().Get(global); e == nil && obj.Type() == safejs.TypeObject {
		if fail, e := obj.Get("fail"); e == nil && fail.Type() == safejs.TypeFunction {
			// The loader logs it as "pinall: ..." with its own words.
			if _, e := fail.Invoke(err.Error()); e == nil {
				return
			}
		}
	}
	jsutil.ConsoleError("pinall: " + err.Error())
	if root, e := safejs.Global().Get("document"); e == nil {
		if el, e := root.Get("documentElement"); e == nil {
			if ds, e := el.Get("dataset"); e == nil {
				_ = ds.Set("state", "error")
			}
		}
	}
}
