// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package quote

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goldmine-hep/goldmine/internal/repotest"
)

// hostile are legal values that break naive quoting: shell
// metacharacters, command substitutions, quotes of every kind, escapes,
// newlines, control characters, non-ASCII letters, YAML and Python
// syntax, Snakemake's braces.
var hostile = []string{
	"",
	"plain",
	"with space",
	"it's",
	`double "quoted"`,
	"$(touch CANARY)",
	"`touch CANARY`",
	"a; touch CANARY",
	"a && touch CANARY || true",
	"line one\nline two",
	"tab\tand\rreturn",
	`back\slash\n not a newline`,
	"${HOME} $HOME ~ * ? [a] !x",
	"Ünïcødé ℏ 漢字 🚀",
	"\u2028line sep\u2029para sep\u0085nel\ufeffbom",
	"\x01\x1f\x7f controls",
	"{shard} {{ }} {input[0]}",
	"key: value # comment",
	"- list\n? q\n& anchor * alias | > ! % @",
	`"""triple""" '''single'''`,
	"trailing space ",
	" leading",
	"yes", "no", "null", "~", "1e3", "0x1f", "-", "---", "...",
}

func TestShellRoundTrip(t *testing.T) {
	bash := repotest.LookPath(t, "bash", "runs the quoted words")
	dir := t.TempDir()
	var script strings.Builder
	script.WriteString("cd \"$(dirname \"$0\")\"\nprintf '%s\\0'")
	for _, s := range hostile {
		script.WriteString(" " + Shell(s))
	}
	script.WriteString("\n")
	path := filepath.Join(dir, "s.sh")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, path).Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(hostile) {
		t.Fatalf("bash printed %d words, want %d: %q", len(got), len(hostile), got)
	}
	for i, s := range hostile {
		if got[i] != s {
			t.Errorf("word %d: bash read %q, want %q", i, got[i], s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "CANARY")); err == nil {
		t.Error("a quoted word ran as code: CANARY exists")
	}
	if j := ShellJoin([]string{"a b", "c"}); j != "'a b' 'c'" {
		t.Errorf("ShellJoin = %s", j)
	}
}

// TestPythonYAMLRoundTrip has Python read every literal (ast.literal_eval
// and PyYAML's safe_load) and compares what it read with the value.
func TestPythonYAMLRoundTrip(t *testing.T) {
	py := repotest.LookPath(t, "python3", "reads the Python and YAML literals")
	if err := exec.Command(py, "-c", "import yaml").Run(); err != nil {
		repotest.MissingTool(t, fmt.Sprintf("the yaml module of %s (Debian python3-yaml): %v", py, err))
	}
	dir := t.TempDir()
	var pyText, yamlText strings.Builder
	pyText.WriteString("vals = [\n")
	for _, s := range hostile {
		pyText.WriteString("    " + Python(s) + ",\n")
		yamlText.WriteString("- " + YAML(s) + "\n")
	}
	pyText.WriteString("]\n")
	if err := os.WriteFile(filepath.Join(dir, "v.py"), []byte(pyText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "v.yaml"), []byte(yamlText.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := `import ast, json, sys, yaml
src = open(sys.argv[1], encoding="ascii").read()
tree = ast.parse(src)
p = ast.literal_eval(tree.body[0].value)
y = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
json.dump({"python": p, "yaml": y}, sys.stdout)
`
	cmd := exec.Command(py, "-c", prog, filepath.Join(dir, "v.py"), filepath.Join(dir, "v.yaml"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var got struct{ Python, YAML []string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python output %q: %v", out, err)
	}
	for _, c := range []struct {
		lang string
		vals []string
	}{{"python", got.Python}, {"yaml", got.YAML}} {
		if len(c.vals) != len(hostile) {
			t.Fatalf("%s read %d values, want %d", c.lang, len(c.vals), len(hostile))
		}
		for i, s := range hostile {
			if c.vals[i] != s {
				t.Errorf("%s value %d: read %q, want %q", c.lang, i, c.vals[i], s)
			}
		}
	}
}

func TestLiterals(t *testing.T) {
	for _, tc := range []struct {
		in, python, yaml string
	}{
		{"a", `"a"`, `"a"`},
		{`"\`, `"\"\\"`, `"\"\\"`},
		{"é\u2028", `"\u00e9\u2028"`, "\"é\\u2028\""},
		{"🚀\x00", `"\U0001f680\x00"`, "\"🚀\\x00\""},
	} {
		if got := Python(tc.in); got != tc.python {
			t.Errorf("Python(%q) = %s, want %s", tc.in, got, tc.python)
		}
		if got := YAML(tc.in); got != tc.yaml {
			t.Errorf("YAML(%q) = %s, want %s", tc.in, got, tc.yaml)
		}
	}
	for _, s := range hostile {
		for _, r := range Python(s) {
			if r < 0x20 || r > 0x7e {
				t.Fatalf("Python(%q) holds %U", s, r)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"fine é", true},
		{"", true},
		{"bad \xff byte", false},
		{"nul \x00 byte", false},
	} {
		if err := Check(tc.in); (err == nil) != tc.ok {
			t.Errorf("Check(%q) = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}
