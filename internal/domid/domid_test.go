package domid

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"unicode"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "widget", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	idAttr  = regexp.MustCompile(`\sid="([^"]*)"`)
	domName = regexp.MustCompile(`\bdom\.([A-Za-z]+)`)
	// An element named in a string: getElementById("x"), a "#x" selector.
	idLiteral = regexp.MustCompile("getElementById\\(\\s*[\"'`]([^\"'`]+)|[\"'`]#([A-Za-z][\\w-]*)")
)

// All lists every constant of domid.go once, in its order, under the
// constant's name with a lower-case first letter: a constant added without its
// entry fails here.
func TestAllListsEveryConstant(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "domid.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []ID
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			for i, n := range v.Names {
				lit, ok := v.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s is not a string literal", n.Name)
				}
				id, _ := strconv.Unquote(lit.Value)
				r := []rune(n.Name)
				r[0] = unicode.ToLower(r[0])
				want = append(want, ID{string(r), id})
			}
		}
	}
	if len(want) < 20 {
		t.Fatalf("only %d constants found in domid.go: the check would prove little", len(want))
	}
	got := All()
	if len(got) != len(want) {
		t.Errorf("All has %d IDs, domid.go declares %d constants", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("All()[%d] = %+v, want %+v (the constants' order)", i, got[i], want[i])
		}
	}
}

// The pages hold every declared ID but the view's own, and no other.
func TestPagesMatchTheDeclaredIDs(t *testing.T) {
	declared := map[string]bool{}
	for _, id := range All() {
		if declared[id.ID] {
			t.Errorf("%s is declared twice", id.ID)
		}
		declared[id.ID] = true
	}
	onPage := map[string]bool{}
	for _, page := range []string{"index.html", "install.html"} {
		seen := map[string]bool{}
		for _, m := range idAttr.FindAllStringSubmatch(read(t, page), -1) {
			id := m[1]
			if !declared[id] {
				t.Errorf("widget/%s has id=%q, which internal/domid does not declare", page, id)
			}
			if seen[id] {
				t.Errorf("widget/%s has id=%q twice", page, id)
			}
			seen[id], onPage[id] = true, true
		}
	}
	for _, id := range All() {
		// More is the one element the view makes (internal/view/sessions.go).
		made := id.ID == More
		if made == onPage[id.ID] {
			t.Errorf("%s: on a page %v, made by the view %v: exactly one must hold", id.ID, onPage[id.ID], made)
		}
	}
	if len(onPage) < 20 {
		t.Fatalf("only %d IDs found on the pages: the check would prove little", len(onPage))
	}
}

// loader.js names elements only through pinallBuild.ids (its const dom), by
// declared names, and writes no ID of its own.
func TestLoaderUsesTheDeclaredNames(t *testing.T) {
	js := read(t, "loader.js")
	for _, m := range idLiteral.FindAllStringSubmatch(js, -1) {
		t.Errorf("loader.js names an element itself (%s): use dom.<name> from widget/build.js", m[0])
	}
	names := map[string]bool{}
	for _, id := range All() {
		names[id.Name] = true
	}
	used := domName.FindAllStringSubmatch(js, -1)
	if len(used) < 5 {
		t.Fatalf("loader.js uses %d dom.*: the check would prove little", len(used))
	}
	for _, m := range used {
		if !names[m[1]] {
			t.Errorf("loader.js uses dom.%s, which internal/domid does not declare", m[1])
		}
	}
}

func TestIdLiteralFindsWhatItShould(t *testing.T) {
	for _, s := range []string{`document.getElementById("status")`, "getElementById(`x`)", `querySelector("#pin-all")`} {
		if !idLiteral.MatchString(s) {
			t.Errorf("idLiteral misses %s", s)
		}
	}
	if idLiteral.MatchString(`root.dataset.state = "error"`) {
		t.Error("idLiteral takes a state for an ID")
	}
}
