// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package layers

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

const module = "github.com/goldmine-hep/goldmine/"

// pkg is one package of the module as go list sees it.
type pkg struct {
	path          string   // relative to the module
	imports, deps []string // the module's packages only, relative
}

func list(t *testing.T) map[string]pkg {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the packages with")
	}
	cmd := exec.Command(goBin, "list", "-deps=false", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", "./...")
	cmd.Dir = repotest.Root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	own := func(list string) []string {
		var out []string
		for _, p := range strings.Fields(list) {
			if strings.HasPrefix(p, module) {
				out = append(out, strings.TrimPrefix(p, module))
			}
		}
		return out
	}
	pkgs := make(map[string]pkg)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 || !strings.HasPrefix(f[0], module) {
			continue
		}
		p := pkg{path: strings.TrimPrefix(f[0], module), imports: own(f[1]), deps: own(f[2])}
		pkgs[p.path] = p
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// under reports whether package p is dir or below it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

func TestLayers(t *testing.T) {
	pkgs := list(t)
	for _, p := range pkgs {
		// Only the commands import pipeline, and only pipeline and the
		// commands know cards: library packages take plain config
		// structs.
		for _, forbidden := range []string{"pipeline", "cards"} {
			if slices.Contains(p.imports, forbidden) && !under(p.path, "cmd") && !(forbidden == "cards" && p.path == "pipeline") {
				t.Errorf("%s imports %s", p.path, forbidden)
			}
		}
	}
	for _, rule := range []struct {
		pkg       string // the package and those below it
		forbidden []string
		why       string
	}{
		{"limits", []string{"store", "ml", "sampling", "pipeline"}, "limits reads events through its EventReader"},
		{"simulators", []string{"ml", "limits", "store", "sampling"}, "simulators only simulate"},
		{"ml", []string{"lhe", "delphes", "observables", "morphing", "store", "sampling", "limits", "analysis"}, "ml knows no physics"},
		{"morphing", []string{"store", "lhe", "delphes", "ml"}, "morphing knows no files"},
		{"lhe", []string{"delphes", "store", "observables"}, "lhe is a reader"},
		// (delphes/pair.go pairs showered events with their LHE events,
		// so delphes may read lhe.)
		{"delphes", []string{"store", "observables"}, "delphes is a reader"},
		{"store", []string{"ml", "sampling", "limits", "lhe", "delphes"}, "store knows the MadMiner layout only"},
		{"observables", []string{"store", "ml", "limits", "sampling"}, "observables knows events, not files or inference"},
		{"plot", []string{"store", "ml", "sampling", "pipeline"}, "plot draws results"},
	} {
		for _, p := range pkgs {
			if !under(p.path, rule.pkg) {
				continue
			}
			for _, d := range p.deps {
				for _, f := range rule.forbidden {
					if under(d, f) {
						t.Errorf("%s depends on %s (%s)", p.path, d, rule.why)
					}
				}
			}
		}
	}
	// The converters are the only meeting point of readers and events.
	for _, cnv := range []string{"observables/lhecnv", "observables/hepmccnv", "observables/delphescnv"} {
		if _, ok := pkgs[cnv]; !ok {
			t.Errorf("no package %s", cnv)
		}
	}
}
