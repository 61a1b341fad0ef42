// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package madgraph

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/goldmine-hep/goldmine/internal/pyfmt"
	"github.com/goldmine-hep/goldmine/internal/safename"
)

// Template is a card template and the name (usually the path) used in
// error messages.
type Template struct {
	Name string
	Text []byte
}

// ReadTemplate reads a card template from a file.
func ReadTemplate(path string) (Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Template{}, fmt.Errorf("madgraph: could not read card template: %w", err)
	}
	return Template{Name: path, Text: b}, nil
}

// CardWriter writes the param and reweight cards of a study. Its zero value
// is not usable; create it with NewCardWriter.
type CardWriter struct {
	setup      Setup
	transforms []*vm.Program // per parameter; nil means identity
	benchmarks map[string]int
}

// NewCardWriter checks the setup and compiles every parameter transform
// once.
func NewCardWriter(s Setup) (*CardWriter, error) {
	cw := &CardWriter{setup: s, benchmarks: make(map[string]int)}
	if len(s.Parameters) == 0 {
		return nil, fmt.Errorf("madgraph: setup has no parameters")
	}
	seenName := make(map[string]bool)
	seenEntry := make(map[string]string)
	for i, p := range s.Parameters {
		switch {
		case p.Name == "":
			return nil, fmt.Errorf("madgraph: parameter %d has no name", i)
		case seenName[p.Name]:
			return nil, fmt.Errorf("madgraph: parameter %q defined twice", p.Name)
		case !safename.Word(p.Block, ""):
			return nil, fmt.Errorf("madgraph: parameter %q: invalid LHA block %q", p.Name, p.Block)
		}
		seenName[p.Name] = true
		entry := fmt.Sprintf("%s %d", strings.ToLower(p.Block), p.ID)
		if other, ok := seenEntry[entry]; ok {
			return nil, fmt.Errorf("madgraph: parameters %q and %q both set block %s id %d", other, p.Name, p.Block, p.ID)
		}
		seenEntry[entry] = p.Name
		var prog *vm.Program
		if strings.TrimSpace(p.Transform) != "" {
			var err error
			prog, err = expr.Compile(p.Transform, expr.Env(map[string]any{"theta": 0.0}), expr.AsFloat64())
			if err != nil {
				return nil, fmt.Errorf("madgraph: parameter %q: could not compile param_card_transform %q: %w", p.Name, p.Transform, err)
			}
		}
		cw.transforms = append(cw.transforms, prog)
	}
	for i, b := range s.Benchmarks {
		if err := checkName(b.Name); err != nil {
			return nil, fmt.Errorf("madgraph: benchmark %d: %w", i, err)
		}
		if _, dup := cw.benchmarks[b.Name]; dup {
			return nil, fmt.Errorf("madgraph: benchmark %q defined twice", b.Name)
		}
		for _, p := range s.Parameters {
			v, ok := b.Values[p.Name]
			if !ok {
				return nil, fmt.Errorf("madgraph: benchmark %q has no value for parameter %q", b.Name, p.Name)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("madgraph: benchmark %q: parameter %q is %v", b.Name, p.Name, v)
			}
		}
		for k := range b.Values {
			if !seenName[k] {
				return nil, fmt.Errorf("madgraph: benchmark %q sets unknown parameter %q", b.Name, k)
			}
		}
		cw.benchmarks[b.Name] = i
	}
	return cw, nil
}

// CardValues returns the values the cards get for benchmark name, in the
// order of the parameters: each parameter's transform applied to its value.
func (cw *CardWriter) CardValues(name string) ([]float64, error) {
	i, ok := cw.benchmarks[name]
	if !ok {
		return nil, fmt.Errorf("madgraph: unknown benchmark %q", name)
	}
	b := cw.setup.Benchmarks[i]
	out := make([]float64, len(cw.setup.Parameters))
	for j, p := range cw.setup.Parameters {
		v, err := cw.transform(j, b.Values[p.Name])
		if err != nil {
			return nil, fmt.Errorf("madgraph: benchmark %q: %w", name, err)
		}
		out[j] = v
	}
	return out, nil
}

func (cw *CardWriter) transform(j int, theta float64) (float64, error) {
	prog := cw.transforms[j]
	if prog == nil {
		return theta, nil
	}
	p := cw.setup.Parameters[j]
	out, err := expr.Run(prog, map[string]any{"theta": theta})
	if err != nil {
		return 0, fmt.Errorf("parameter %q: param_card_transform %q at theta=%v: %w", p.Name, p.Transform, theta, err)
	}
	v, ok := out.(float64)
	if !ok {
		return 0, fmt.Errorf("parameter %q: param_card_transform %q gave %T, want a number", p.Name, p.Transform, out)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("parameter %q: param_card_transform %q at theta=%v gave %v", p.Name, p.Transform, theta, v)
	}
	return v, nil
}

// ParamCard writes the param card for benchmark: the template with each
// parameter's entry replaced by "    ID    VALUE    # goldmine" (DECAY
// entries by "BLOCK    ID    VALUE    # goldmine"), VALUE being the
// transformed benchmark value. Only the first entry of a block/id pair is
// replaced, as in MadMiner. Entries are single-index lines ("ID VALUE") of
// the block; a parameter without such an entry is an error naming the
// template.
func (cw *CardWriter) ParamCard(dst io.Writer, tmpl Template, benchmark string) error {
	values, err := cw.CardValues(benchmark)
	if err != nil {
		return err
	}
	text := string(tmpl.Text)
	finalNewline := strings.HasSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\n")
	lines := strings.Split(text, "\n")
	for j, p := range cw.setup.Parameters {
		i, decay := findParamEntry(lines, p)
		if i < 0 {
			return fmt.Errorf("madgraph: param card template %s: no entry for block %s id %d (parameter %q)", tmpl.Name, p.Block, p.ID, p.Name)
		}
		cr := ""
		if strings.HasSuffix(lines[i], "\r") {
			cr = "\r"
		}
		if decay {
			lines[i] = fmt.Sprintf("%s    %d    %s    # goldmine%s", p.Block, p.ID, pyFloat(values[j]), cr)
		} else {
			lines[i] = fmt.Sprintf("    %d    %s    # goldmine%s", p.ID, pyFloat(values[j]), cr)
		}
	}
	out := strings.Join(lines, "\n")
	if finalNewline {
		out += "\n"
	}
	_, err = io.WriteString(dst, out)
	return err
}

// findParamEntry returns the index of the line holding p's value and
// whether it is a DECAY-style line ("BLOCK ID VALUE"), or -1.
func findParamEntry(lines []string, p Parameter) (int, bool) {
	block := strings.ToLower(p.Block)
	current := ""
	for i, line := range lines {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		first := strings.ToLower(f[0])
		switch {
		case first == "block":
			current = ""
			if len(f) >= 2 {
				current = strings.ToLower(f[1])
			}
		case first == "decay" || first == block && len(f) == 3:
			current = ""
			if first == block && len(f) >= 3 {
				if id, err := strconv.Atoi(f[1]); err == nil && id == p.ID {
					return i, true
				}
			}
		case len(f) == 2 && current == block:
			if id, err := strconv.Atoi(f[0]); err == nil && id == p.ID {
				return i, false
			}
		}
	}
	return -1, false
}

// ReweightCard writes the reweight card: the global setup ("change output
// default", "change helicity False"), one "launch --rwgt_name=NAME" block
// with "set BLOCK ID VALUE" lines for every benchmark except the sampling
// benchmark (whose weight is the event weight itself), and a final "done"
// that answers MG5's last card-editing question.
func (cw *CardWriter) ReweightCard(dst io.Writer, sample string) error {
	if _, ok := cw.benchmarks[sample]; !ok && sample != "" {
		return fmt.Errorf("madgraph: unknown sampling benchmark %q", sample)
	}
	var buf bytes.Buffer
	buf.WriteString("# Reweight card generated by goldmine\n\n# Global setup\nchange output default\nchange helicity False")
	for _, b := range cw.setup.Benchmarks {
		if b.Name == sample {
			continue
		}
		values, err := cw.CardValues(b.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(&buf, "\n\n# goldmine benchmark %s\nlaunch --rwgt_name=%s", b.Name, b.Name)
		for j, p := range cw.setup.Parameters {
			fmt.Fprintf(&buf, "\n  set %s %d %s", p.Block, p.ID, pyFloat(values[j]))
		}
		buf.WriteString("\n")
	}
	// MadMiner's card ends after the last "set" line. MG5 reads the
	// "set" lines as answers to its "Do you want to edit a card?"
	// question; the next "launch" ends the question of a block, but
	// after the last block MG5 has no answer left and waits on standard
	// input (madminer issue #541). The final "done" answers it.
	buf.WriteString("\n# goldmine: answer MG5's last 'edit a card?' question\ndone\n")
	_, err := dst.Write(buf.Bytes())
	return err
}

// ReweightNames returns the weight names a run sampled at sample and
// reweighted with ReweightCard gets, in card order.
func (cw *CardWriter) ReweightNames(sample string) []string {
	var names []string
	for _, b := range cw.setup.Benchmarks {
		if b.Name != sample {
			names = append(names, b.Name)
		}
	}
	return names
}

// runCardSystematicsKeys are the run-card entries goldmine owns: they are
// commented out in the template and set in a section of their own.
var runCardSystematicsKeys = map[string]bool{
	"use_syst":              true,
	"systematics_program":   true,
	"systematics_argument":  true,
	"systematics_arguments": true,
	"sys_scalefact":         true,
	"sys_alpsfact":          true,
	"sys_matchscale":        true,
	"sys_pdf":               true,
}

// SystematicsArguments returns MG5's systematics_arguments for the scale
// and PDF systematics, e.g. ['--mur=0.5,1.0,2.0', '--muf=0.5,1.0,2.0',
// '--together=mur,muf', '--dyn=-1'], or "" when there are none.
func SystematicsArguments(syst []Systematic) (string, error) {
	var args []string
	var mur, muf, pdf bool
	for _, s := range syst {
		switch s.Type {
		case SystematicScale:
			vars := s.Variations
			if len(vars) == 0 {
				vars = []float64{0.5, 1, 2}
			}
			vs := make([]string, len(vars))
			for i, v := range vars {
				if !(v > 0) || math.IsInf(v, 0) {
					return "", fmt.Errorf("madgraph: systematic %q: invalid scale factor %v", s.Name, v)
				}
				vs[i] = pyFloat(v)
			}
			list := strings.Join(vs, ",")
			switch s.Scale {
			case "", "mu":
				if mur || muf {
					return "", fmt.Errorf("madgraph: systematic %q: more than one scale variation of mur or muf", s.Name)
				}
				args = append(args, "'--mur="+list+"'", "'--muf="+list+"'", "'--together=mur,muf'", "'--dyn=-1'")
				mur, muf = true, true
			case "mur":
				if mur {
					return "", fmt.Errorf("madgraph: systematic %q: more than one scale variation of mur", s.Name)
				}
				args = append(args, "'--mur="+list+"'", "'--dyn=-1'")
				mur = true
			case "muf":
				if muf {
					return "", fmt.Errorf("madgraph: systematic %q: more than one scale variation of muf", s.Name)
				}
				args = append(args, "'--muf="+list+"'", "'--dyn=-1'")
				muf = true
			default:
				return "", fmt.Errorf("madgraph: systematic %q: unknown scale %q (want mu, mur or muf)", s.Name, s.Scale)
			}
		case SystematicPDF:
			if pdf {
				return "", fmt.Errorf("madgraph: systematic %q: more than one PDF variation", s.Name)
			}
			if !safename.Word(s.PDF, ".+-@") {
				return "", fmt.Errorf("madgraph: systematic %q: invalid PDF set %q", s.Name, s.PDF)
			}
			args = append(args, "'--pdf="+s.PDF+"'")
			pdf = true
		case SystematicNorm:
		default:
			return "", fmt.Errorf("madgraph: systematic %q: unknown type %q", s.Name, s.Type)
		}
	}
	if len(args) == 0 {
		return "", nil
	}
	return "[" + strings.Join(args, ", ") + "]", nil
}

// WriteRunCard writes the run card: the template with the entries in
// settings changed (missing ones appended), the systematics entries of the
// template commented out, and a section setting use_syst and, when there
// are scale or PDF systematics, systematics_program and
// systematics_arguments.
func WriteRunCard(dst io.Writer, tmpl Template, syst []Systematic, settings []Setting) error {
	args, err := SystematicsArguments(syst)
	if err != nil {
		return err
	}
	want := make(map[string]int)
	for i, s := range settings {
		k := strings.TrimSpace(s.Key)
		switch {
		case k == "" || strings.ContainsAny(k, " \t=!#\n"):
			return fmt.Errorf("madgraph: run card setting %d: invalid key %q", i, s.Key)
		case strings.ContainsAny(s.Value, "\n=!#"):
			return fmt.Errorf("madgraph: run card setting %q: invalid value %q", k, s.Value)
		case runCardSystematicsKeys[k]:
			return fmt.Errorf("madgraph: run card setting %q is set from the systematics", k)
		}
		if _, dup := want[k]; dup {
			return fmt.Errorf("madgraph: run card setting %q given twice", k)
		}
		want[k] = i
	}
	done := make(map[string]bool)
	lines := strings.Split(string(tmpl.Text), "\n")
	for i, line := range lines {
		content := line
		if k := strings.IndexByte(content, '#'); k >= 0 {
			content = content[:k]
		}
		if k := strings.IndexByte(content, '!'); k >= 0 {
			content = content[:k]
		}
		parts := strings.Split(content, "=")
		if len(parts) < 2 {
			continue
		}
		key := strings.TrimSpace(parts[len(parts)-1])
		if runCardSystematicsKeys[key] {
			lines[i] = "# " + line + " # Commented out by goldmine"
			continue
		}
		j, ok := want[key]
		if !ok || len(parts) != 2 {
			continue
		}
		eq := strings.IndexByte(line, '=')
		val := line[:eq]
		lead := val[:len(val)-len(strings.TrimLeft(val, " \t"))]
		trail := val[len(strings.TrimRight(val, " \t")):]
		lines[i] = lead + strings.TrimSpace(settings[j].Value) + trail + line[eq:]
		done[key] = true
	}
	var missing []Setting
	for _, s := range settings {
		if !done[strings.TrimSpace(s.Key)] {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		lines = append(lines, "",
			"#*********************************************************************",
			"# goldmine run card settings                                         *",
			"#*********************************************************************")
		for _, s := range missing {
			lines = append(lines, strings.TrimSpace(s.Value)+" = "+strings.TrimSpace(s.Key))
		}
	}
	lines = append(lines, "",
		"#*********************************************************************",
		"# goldmine systematics setup                                         *",
		"#*********************************************************************")
	if args == "" {
		lines = append(lines, "False = use_syst")
	} else {
		lines = append(lines, "True = use_syst", "systematics = systematics_program", args+" = systematics_arguments")
	}
	lines = append(lines, "")
	_, err = io.WriteString(dst, strings.Join(lines, "\n"))
	return err
}

// Switches are the programs MG5 runs after the parton-level events.
type Switches struct {
	Shower   string // "OFF" or "Pythia8"; empty means OFF
	Detector string // "OFF" or "Delphes"; empty means OFF
	Analysis string // "OFF" or an analysis name; empty means OFF
	MadSpin  string // "OFF" or "ON"; empty means OFF
	Reweight string // "OFF" or "ON"; empty means OFF
}

// LaunchCommands returns the MG5 command file that launches one run in the
// process folder dir with the given switches. It answers both questions MG5
// asks after "launch": the switches (ended by "done") and "Do you want to
// edit a card?" (a second "done").
func LaunchCommands(dir string, sw Switches) string {
	or := func(s string) string {
		if s == "" {
			return "OFF"
		}
		return s
	}
	return fmt.Sprintf("launch %s\nshower=%s\ndetector=%s\nanalysis=%s\nmadspin=%s\nreweight=%s\ndone\ndone\n",
		dir, or(sw.Shower), or(sw.Detector), or(sw.Analysis), or(sw.MadSpin), or(sw.Reweight))
}

// pyFloat formats v as Python's repr(float) does, so that the cards read
// like MadMiner's.
func pyFloat(v float64) string { return pyfmt.Float(v) }
