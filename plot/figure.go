// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package plot

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
)

// Default figure size.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4.5 * vg.Inch
)

// Labels holds the title and axis labels of a figure, with units, as they
// should appear, e.g. X: "p_T(Z) [GeV]".
type Labels struct {
	Title string
	X, Y  string
}

// Figure is a drawable figure. Build one with the functions of this
// package and write it with Save.
type Figure struct {
	// Width and Height of the figure; zero means DefaultWidth and
	// DefaultHeight.
	Width, Height vg.Length

	draw func(dc draw.Canvas)
}

func (f *Figure) size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

// Save writes the figure to each of the paths. The format is chosen by the
// extension: ".png" or ".pdf". Each file is written to a temporary file in
// the same directory and renamed into place, so a reader never sees a
// partial figure.
func (f *Figure) Save(paths ...string) error {
	return f.save(paths, func(p string, write func(io.Writer) error) error {
		return atomicfile.Write(p, 0o644, write)
	})
}

// SaveIn is Save for files named inside root: every write goes through
// root.
func (f *Figure) SaveIn(root *os.Root, names ...string) error {
	return f.save(names, func(p string, write func(io.Writer) error) error {
		return atomicfile.WriteIn(root, p, 0o644, write)
	})
}

func (f *Figure) save(paths []string, write func(p string, fn func(io.Writer) error) error) error {
	if len(paths) == 0 {
		return fmt.Errorf("plot: no output path")
	}
	formats := make([]string, len(paths))
	for i, p := range paths {
		var err error
		if formats[i], err = formatOf(p); err != nil {
			return err
		}
	}
	for i, p := range paths {
		if err := write(p, func(w io.Writer) error { return f.Encode(w, formats[i]) }); err != nil {
			return fmt.Errorf("plot: %w", err)
		}
	}
	return nil
}

func formatOf(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".png", ".pdf":
		return ext[1:], nil
	}
	return "", fmt.Errorf("plot: %s: unsupported format %q (want .png or .pdf)", path, ext)
}

// Encode draws the figure in the given format ("png" or "pdf") to w.
func (f *Figure) Encode(w io.Writer, format string) error {
	if f == nil || f.draw == nil {
		return fmt.Errorf("plot: empty figure")
	}
	width, height := f.size()
	var wt io.WriterTo
	var c vg.CanvasSizer
	switch format {
	case "png":
		ic := vgimg.New(width, height)
		c, wt = ic, vgimg.PngCanvas{Canvas: ic}
	case "pdf":
		pc := vgpdf.New(width, height)
		c, wt = pc, pc
	default:
		return fmt.Errorf("plot: unsupported format %q (want png or pdf)", format)
	}
	if err := f.drawOn(draw.New(c)); err != nil {
		return err
	}
	_, err := wt.WriteTo(w)
	return err
}

// drawOn draws the figure, turning a panic of the drawing library into an
// error: inputs are checked when the figure is built, so a panic here is a
// bug, but it must not take the caller's process down.
func (f *Figure) drawOn(dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: could not draw figure: %v", r)
		}
	}()
	f.draw(dc)
	return nil
}
