// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"

	"github.com/goldmine-hep/goldmine/internal/repotest"
	"github.com/goldmine-hep/goldmine/limits/fisher"
)

// checkFigure saves fig as PNG and PDF in a temporary directory and checks
// that the PNG decodes to the expected size with more than a handful of
// colours, that the PDF has its header and trailer, and that no temporary
// file is left behind. It returns the PNG path.
func checkFigure(t *testing.T, fig *Figure, name string) string {
	t.Helper()
	dir := t.TempDir()
	if keep := os.Getenv("GOLDMINE_PLOT_KEEP"); keep != "" {
		dir = keep
	}
	pngPath := filepath.Join(dir, name+".png")
	pdfPath := filepath.Join(dir, name+".pdf")
	if err := fig.Save(pngPath, pdfPath); err != nil {
		t.Fatalf("save: %v", err)
	}
	img := repotest.DecodePNG(t, pngPath)
	w, h := fig.size()
	b := img.Bounds()
	if want := int(w.Dots(96) + 0.5); b.Dx() != want {
		t.Errorf("%s: width %d px, want %d", pngPath, b.Dx(), want)
	}
	if want := int(h.Dots(96) + 0.5); b.Dy() != want {
		t.Errorf("%s: height %d px, want %d", pngPath, b.Dy(), want)
	}
	colours := make(map[[4]uint32]bool)
	nonWhite := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
			if r != 0xffff || g != 0xffff || bl != 0xffff {
				nonWhite++
			}
		}
	}
	if len(colours) < 8 {
		t.Errorf("%s: only %d distinct colours: blank figure?", pngPath, len(colours))
	}
	if frac := float64(nonWhite) / float64(b.Dx()*b.Dy()); frac < 0.01 {
		t.Errorf("%s: only %.3f%% of pixels drawn", pngPath, 100*frac)
	}
	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
		t.Errorf("%s: not a complete PDF (%d bytes)", pdfPath, len(pdf))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	return pngPath
}

func TestSaveBadPath(t *testing.T) {
	fig, err := InformationDeterminants([]Information{{Label: "a", Info: &fisher.Information{Matrix: diag(1, 2)}}}, Labels{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := fig.Save(filepath.Join(dir, "x.gif")); err == nil {
		t.Error("unsupported extension: no error")
	}
	if err := fig.Save(); err == nil {
		t.Error("no path: no error")
	}
	if err := fig.Save(filepath.Join(dir, "missing", "x.png")); err == nil {
		t.Error("missing directory: no error")
	}
	var empty Figure
	if err := empty.Save(filepath.Join(dir, "y.png")); err == nil {
		t.Error("empty figure: no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed saves left %d files behind", len(entries))
	}
}

// A failed write must leave an existing file untouched.
func TestSaveKeepsOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fig := &Figure{draw: func(dc draw.Canvas) { panic("boom") }}
	if err := fig.Save(path); err == nil {
		t.Fatal("panicking draw: no error")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("file changed to %q", got)
	}
}
