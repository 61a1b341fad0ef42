// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Command mkcorpus writes goldmine's robustness corpus (see package
// cmd/internal/corpus) into a directory, with the goldmine command line of
// each case, and optionally its manifest of expected outcomes:
//
//	go run ./cmd/mkcorpus [-root .] [-manifest cmd/internal/corpus/testdata/manifest.tsv] DIR
//
// The corpus test (go test -v ./cmd/internal/corpus) generates and runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goldmine-hep/goldmine/cmd/internal/corpus"
)

func main() {
	root := flag.String("root", ".", "the goldmine repository (for the bundled sample and cards)")
	manifest := flag.String("manifest", "", "also write the manifest of cases and outcomes to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mkcorpus [-root DIR] [-manifest FILE] DIR")
		os.Exit(2)
	}
	if err := run(*root, flag.Arg(0), *manifest); err != nil {
		fmt.Fprintf(os.Stderr, "mkcorpus: %v\n", err)
		os.Exit(1)
	}
}

func run(root, dir, manifest string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cases, err := corpus.Generate(root, dir)
	if err != nil {
		return err
	}
	var cmds strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&cmds, "%s\t%s\tgoldmine %s\n", c.Name, c.Want, strings.Join(c.Args, " "))
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.tsv"), []byte(cmds.String()), 0o644); err != nil {
		return err
	}
	if manifest != "" {
		f, err := os.Create(manifest)
		if err != nil {
			return err
		}
		if err := corpus.WriteManifest(f, cases); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d cases into %s\n", len(cases), dir)
	return nil
}
