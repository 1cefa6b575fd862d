package wasmbuild

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Sizes is what a program's wasm file holds, by Go package (a command's
// package is "main").
type Sizes struct {
	// Code is the bytes of function bodies by package ("runtime",
	// "github.com/hack-pad/safejs", ...), from the code section and the
	// function names of the name section.
	Code map[string]int
	// Funcs is how many of those functions each package has: besides its
	// body, each function has its name, pc tables and record in the
	// runtime's tables, which the data section holds.
	Funcs map[string]int
	// Data is the data section: type descriptors, the function table for
	// tracebacks (pclntab), strings and globals of every package together;
	// the wasm file does not say whose they are.
	Data int
	// Other is every other section (types, imports, exports, the name
	// section, ...) and the header.
	Other int
	// Names is the name section, counted in Other: what a release build
	// leaves out.
	Names int
	// Total is the file's size.
	Total int
}

// errNoNames is returned for a wasm file without function names: a release
// build (-s) strips them; build with Options.Named.
var errNoNames = errors.New("wasmbuild: the wasm has no name section (a release build): build it with Named")

const (
	secCustom = 0
	secImport = 2
	secCode   = 10
	secData   = 11
)

// ReadSizes splits a wasm file (WebAssembly binary format, version 1) by
// package: pkgs are the program's packages, as Deps lists them. It needs the
// function names a named build keeps.
func ReadSizes(wasm []byte, pkgs []string) (Sizes, error) {
	r := &reader{b: wasm}
	if !bytes.HasPrefix(wasm, []byte("\x00asm\x01\x00\x00\x00")) {
		return Sizes{}, errors.New("wasmbuild: not a wasm file (version 1)")
	}
	r.i = 8
	s := Sizes{Code: map[string]int{}, Funcs: map[string]int{}, Other: 8, Total: len(wasm)} // Other: the header
	var imported int                                                                        // imported functions come first in the function index space
	var bodies []int                                                                        // sizes of the module's own functions, in index order
	var names map[int]string
	for r.i < len(wasm) {
		start := r.i
		id := r.byte()
		n := r.u32()
		if r.err != nil || r.i+n > len(wasm) {
			return Sizes{}, fmt.Errorf("wasmbuild: section at byte %d runs past the file", start)
		}
		body := &reader{b: wasm[r.i : r.i+n]}
		r.i += n
		size := r.i - start
		switch id {
		case secImport:
			imported = countFuncImports(body)
			s.Other += size
		case secCode:
			count := body.u32()
			for range count {
				m := body.u32()
				bodies = append(bodies, m)
				body.i += m
			}
			// The vector's own framing counts as the runtime's: it is tiny.
			s.Other += size - sum(bodies)
		case secData:
			s.Data += size
		case secCustom:
			if body.name() == "name" {
				names = funcNames(body)
				s.Names = size
			}
			s.Other += size
		default:
			s.Other += size
		}
		if body.err != nil {
			return Sizes{}, fmt.Errorf("wasmbuild: section %d: %w", id, body.err)
		}
	}
	if names == nil {
		return Sizes{}, errNoNames
	}
	spelled := map[string]string{"main": "main"} // the linker names a command's package main
	for _, p := range pkgs {
		spelled[wasmName.ReplaceAllString(p, "_")] = p
	}
	for i, n := range bodies {
		p := packageOf(names[imported+i], spelled)
		s.Code[p] += n
		s.Funcs[p]++
	}
	return s, nil
}

// wasmName is how the linker spells names in the name section: every
// character but letters, digits, '_' and '.' becomes '_'.
var wasmName = regexp.MustCompile(`[^\w.]`)

// packageOf finds the package of a function as the name section spells it,
// "github.com_hack_pad_safejs.Value.Get", among pkgs (import paths): the
// longest whose spelling and a dot begin the name. The compiler's own
// functions (type equality and hashing, "type_.eq...") are "(compiler)";
// anything else "(other)".
func packageOf(sym string, pkgs map[string]string) string {
	best := ""
	for spelled := range pkgs {
		if len(spelled) > len(best) && strings.HasPrefix(sym, spelled) && len(sym) > len(spelled) && sym[len(spelled)] == '.' {
			best = spelled
		}
	}
	switch {
	case best != "":
		return pkgs[best]
	case strings.HasPrefix(sym, "type_."):
		return "(compiler)"
	}
	return "(other)"
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// countFuncImports counts the imports of kind function (0).
func countFuncImports(r *reader) int {
	n, funcs := r.u32(), 0
	for range n {
		r.name() // module
		r.name() // field
		switch r.byte() {
		case 0: // function: a type index
			r.u32()
			funcs++
		case 1: // table: element type, limits
			r.byte()
			r.limits()
		case 2: // memory: limits
			r.limits()
		case 3: // global: value type, mutability
			r.byte()
			r.byte()
		default:
			r.err = errors.New("unknown import kind")
		}
	}
	return funcs
}

// funcNames reads the function names subsection (1) of a name section.
func funcNames(r *reader) map[int]string {
	names := map[int]string{}
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		n := r.u32()
		end := r.i + n
		if id == 1 {
			count := r.u32()
			for range count {
				idx := r.u32()
				names[idx] = r.name()
			}
		}
		r.i = end
	}
	return names
}

// reader reads the binary format's LEB128 numbers and names; the first
// error sticks.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.i >= len(r.b) {
		r.fail()
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) u32() int {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int(v)
		}
	}
	r.fail()
	return 0
}

func (r *reader) name() string {
	n := r.u32()
	if r.err != nil || r.i+n > len(r.b) {
		r.fail()
		return ""
	}
	s := string(r.b[r.i : r.i+n])
	r.i += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.u32()
	}
	r.u32()
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated")
	}
	r.i = len(r.b)
}
