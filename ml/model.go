// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/goldmine-hep/goldmine/internal/atomicfile"
	"github.com/goldmine-hep/goldmine/internal/npy"
)

// Estimator is implemented by every trained estimator of this package.
type Estimator interface {
	// Save writes the estimator into the model directory dir.
	Save(dir string) error
	// SaveIn writes the estimator into the model directory dir inside
	// root; every write goes through root.
	SaveIn(root *os.Root, dir string) error
}

var (
	_ Estimator = (*ScoreEstimator)(nil)
	_ Estimator = (*ParameterizedRatioEstimator)(nil)
	_ Estimator = (*DoubleParameterizedRatioEstimator)(nil)
)

// modelFormat identifies the layout of model.json.
const modelFormat = "goldmine-ml-model/1"

// Estimator types in model.json, as MadMiner's estimator_type.
const (
	typeScore       = "score"
	typeRatio       = "parameterized_ratio"
	typeDoubleRatio = "double_parameterized_ratio"
	typeLikelihood  = "likelihood"
)

// modelJSON is the description written to model.json. Weights are stored
// next to it as .npy files (little-endian float64, C order), one per
// tensor, named in Tensors; for a dense network "layers.L.weight"
// (out×in, the torch.nn.Linear layout) and "layers.L.bias".
type modelJSON struct {
	Format              string       `json:"format"`
	EstimatorType       string       `json:"estimator_type"`
	Method              Method       `json:"method"`
	NObservables        int          `json:"n_observables"`
	NParameters         int          `json:"n_parameters"`
	Features            []int        `json:"features"`
	NHidden             []int        `json:"n_hidden"`
	Activation          Activation   `json:"activation"`
	XScaling            *Scaling     `json:"x_scaling,omitempty"`
	ThetaScaling        *Scaling     `json:"theta_scaling,omitempty"`
	NuisanceModeDefault NuisanceMode `json:"nuisance_mode_default,omitempty"`
	Flow                *flowConfig  `json:"flow,omitempty"`
	Settings            Settings     `json:"settings"`
	History             *History     `json:"history,omitempty"`
	Tensors             []tensorRef  `json:"tensors"`
}

type tensorRef struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	Shape []int  `json:"shape"`
}

// modelDir is a model directory: dir inside root. Models are written
// only through it.
type modelDir struct {
	root *os.Root
	dir  string
}

// write writes data to the file name of the directory via a temporary
// file and a rename.
func (d modelDir) write(name string, data []byte) error {
	if err := atomicfile.WriteFileIn(d.root, filepath.Join(d.dir, name), data, 0o644); err != nil {
		return fmt.Errorf("ml: %w", err)
	}
	return nil
}

// saveAt creates the directory dir, opens it as a root and saves into it
// with saveIn: the path form of SaveIn.
func saveAt(dir string, saveIn func(root *os.Root, dir string) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ml: could not create model directory: %w", err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("ml: could not open model directory: %w", err)
	}
	defer r.Close()
	return saveIn(r, ".")
}

type tensorWriter struct {
	dir  modelDir
	refs []tensorRef
}

func (w *tensorWriter) add(name string, shape []int, data []float64) error {
	var buf bytes.Buffer
	if err := npy.Write(&buf, shape, data, false); err != nil {
		return fmt.Errorf("ml: tensor %s: %w", name, err)
	}
	file := name + ".npy"
	if err := w.dir.write(file, buf.Bytes()); err != nil {
		return err
	}
	w.refs = append(w.refs, tensorRef{Name: name, File: file, Shape: shape})
	return nil
}

func (w *tensorWriter) addNet(prefix string, net *MLP) error {
	for l := 0; l < net.NumLayers(); l++ {
		ws, bs := net.layer(l)
		name := fmt.Sprintf("%slayers.%d.", prefix, l)
		if err := w.add(name+"weight", []int{net.Sizes[l+1], net.Sizes[l]}, ws); err != nil {
			return err
		}
		if err := w.add(name+"bias", []int{net.Sizes[l+1]}, bs); err != nil {
			return err
		}
	}
	return nil
}

func (w *tensorWriter) addMatrix(name string, m *mat.Dense) error {
	if m == nil {
		return nil
	}
	r, c := m.Dims()
	return w.add(name, []int{r, c}, mat.DenseCopyOf(m).RawMatrix().Data)
}

// save writes the tensors via fill and then model.json (last, so that a
// directory with a complete model.json is a complete model).
func save(dir modelDir, desc *modelJSON, fill func(*tensorWriter) error) error {
	if err := dir.root.MkdirAll(dir.dir, 0o755); err != nil {
		return fmt.Errorf("ml: could not create model directory: %w", err)
	}
	tw := &tensorWriter{dir: dir}
	if err := fill(tw); err != nil {
		return err
	}
	desc.Format = modelFormat
	desc.Tensors = tw.refs
	b, err := json.MarshalIndent(desc, "", " ")
	if err != nil {
		return fmt.Errorf("ml: could not encode model description: %w", err)
	}
	return dir.write("model.json", append(b, '\n'))
}

// Save writes the estimator into the model directory dir.
func (e *ScoreEstimator) Save(dir string) error { return saveAt(dir, e.SaveIn) }

// SaveIn writes the estimator into the model directory dir inside root.
func (e *ScoreEstimator) SaveIn(root *os.Root, dir string) error {
	if e.Net == nil {
		return fmt.Errorf("ml: cannot save an untrained score estimator")
	}
	d := e.describe(typeScore, e.Features, e.Net)
	d.NuisanceModeDefault = e.NuisanceModeDefault
	return save(modelDir{root, dir}, d, func(w *tensorWriter) error {
		if err := w.addNet("", e.Net); err != nil {
			return err
		}
		if err := w.addMatrix("nuisance_profile_matrix", e.ProfileMatrix); err != nil {
			return err
		}
		return w.addMatrix("nuisance_project_matrix", e.ProjectMatrix)
	})
}

// Save writes the estimator into the model directory dir.
func (e *ParameterizedRatioEstimator) Save(dir string) error { return saveAt(dir, e.SaveIn) }

// SaveIn writes the estimator into the model directory dir inside root.
func (e *ParameterizedRatioEstimator) SaveIn(root *os.Root, dir string) error {
	return saveRatio(modelDir{root, dir}, typeRatio, &e.Trained, e.Features, &e.ThetaScaling, e.Net)
}

// Save writes the estimator into the model directory dir.
func (e *DoubleParameterizedRatioEstimator) Save(dir string) error { return saveAt(dir, e.SaveIn) }

// SaveIn writes the estimator into the model directory dir inside root.
func (e *DoubleParameterizedRatioEstimator) SaveIn(root *os.Root, dir string) error {
	return saveRatio(modelDir{root, dir}, typeDoubleRatio, &e.Trained, e.Features, &e.ThetaScaling, e.Net)
}

// saveRatio is the SaveIn of a ratio estimator of type typ with the
// trained state t, the features, the θ scaling ts and the network net.
func saveRatio(dir modelDir, typ string, t *Trained, features []int, ts *Scaling, net *MLP) error {
	if net == nil {
		return fmt.Errorf("ml: cannot save an untrained ratio estimator")
	}
	d := t.describe(typ, features, net)
	d.ThetaScaling = ts
	return save(dir, d, func(w *tensorWriter) error { return w.addNet("", net) })
}

// describe returns the model description of an estimator of type typ
// with the trained state t and the features whose network is net (for a
// flow, its first MADE): the entries every estimator type writes.
func (t *Trained) describe(typ string, features []int, net *MLP) *modelJSON {
	return &modelJSON{EstimatorType: typ, Method: t.Method, NObservables: t.NObservables, NParameters: t.NParameters,
		Features: features, NHidden: hiddenOf(net), Activation: net.Act, XScaling: &t.XScaling,
		Settings: t.Settings, History: t.History}
}

func hiddenOf(net *MLP) []int {
	return append([]int{}, net.Sizes[1:len(net.Sizes)-1]...)
}

// tensorReader reads the tensors named in a model description.
type tensorReader struct {
	dir  string
	refs map[string]tensorRef
}

func (r *tensorReader) get(name string, shape []int) ([]float64, error) {
	ref, ok := r.refs[name]
	if !ok {
		return nil, fmt.Errorf("ml: %s: model.json lists no tensor %s", r.dir, name)
	}
	path := filepath.Join(r.dir, ref.File)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ml: could not open tensor: %w", err)
	}
	defer f.Close()
	got, data, err := npy.Read(f)
	if err != nil {
		return nil, fmt.Errorf("ml: %s: %w", path, err)
	}
	if fmt.Sprint(got) != fmt.Sprint(shape) {
		return nil, fmt.Errorf("ml: %s: shape %v, want %v", path, got, shape)
	}
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("ml: %s: value %d is %v", path, i, v)
		}
	}
	return data, nil
}

func (r *tensorReader) has(name string) bool { _, ok := r.refs[name]; return ok }

func (r *tensorReader) net(prefix string, sizes []int, act Activation) (*MLP, error) {
	if err := act.valid(); err != nil {
		return nil, err
	}
	net := &MLP{Sizes: sizes, Act: act.orDefault()}
	net.Params = make([]float64, net.NumParams())
	for l := 0; l < net.NumLayers(); l++ {
		ws, bs := net.layer(l)
		name := fmt.Sprintf("%slayers.%d.", prefix, l)
		w, err := r.get(name+"weight", []int{sizes[l+1], sizes[l]})
		if err != nil {
			return nil, err
		}
		b, err := r.get(name+"bias", []int{sizes[l+1]})
		if err != nil {
			return nil, err
		}
		copy(ws, w)
		copy(bs, b)
	}
	return net, nil
}

func (r *tensorReader) matrix(name string, rows, cols int) (*mat.Dense, error) {
	if !r.has(name) {
		return nil, nil
	}
	d, err := r.get(name, []int{rows, cols})
	if err != nil {
		return nil, err
	}
	return mat.NewDense(rows, cols, d), nil
}

func checkScaling(name string, s *Scaling, n int) error {
	if s == nil || len(s.Mean) != n || len(s.Std) != n {
		return fmt.Errorf("ml: model.json: %s must have %d means and standard deviations", name, n)
	}
	for i, v := range s.Std {
		if !(v > 0) {
			return fmt.Errorf("ml: model.json: %s standard deviation %d is %g", name, i, v)
		}
	}
	return nil
}

// Load reads a model directory written by Save. The result is a
// *ScoreEstimator, *ParameterizedRatioEstimator,
// *DoubleParameterizedRatioEstimator, *LikelihoodEstimator or, for a
// directory with an ensemble.json, an *Ensemble; its predictions are
// bit-identical to those of the saved estimator.
func Load(dir string) (Estimator, error) {
	if _, err := os.Stat(filepath.Join(dir, "ensemble.json")); err == nil {
		return LoadEnsemble(dir)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil {
		return nil, fmt.Errorf("ml: could not read model: %w", err)
	}
	var d modelJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("ml: %s: %w", filepath.Join(dir, "model.json"), err)
	}
	if d.Format != modelFormat {
		return nil, fmt.Errorf("ml: %s: format %q, want %q", dir, d.Format, modelFormat)
	}
	if d.NObservables < 1 || d.NParameters < 1 {
		return nil, fmt.Errorf("ml: %s: bad dimensions %d observables, %d parameters", dir, d.NObservables, d.NParameters)
	}
	feat, err := resolveFeatures(d.Features, d.NObservables)
	if err != nil {
		return nil, fmt.Errorf("ml: %s: %w", dir, err)
	}
	if err := checkScaling("x_scaling", d.XScaling, d.NObservables); err != nil {
		return nil, err
	}
	r := &tensorReader{dir: dir, refs: make(map[string]tensorRef)}
	for _, t := range d.Tensors {
		r.refs[t.Name] = t
	}
	np := d.NParameters
	t := Trained{Method: d.Method, NObservables: d.NObservables, NParameters: np, XScaling: *d.XScaling,
		Settings: d.Settings, History: d.History}
	switch d.EstimatorType {
	case typeScore:
		net, err := r.net("", layerSizes(len(feat), d.NHidden, np), d.Activation)
		if err != nil {
			return nil, err
		}
		e := &ScoreEstimator{Features: d.Features, Hidden: d.NHidden, Activation: net.Act, Trained: t, Net: net,
			NuisanceModeDefault: d.NuisanceModeDefault}
		if r.has("nuisance_profile_matrix") {
			ref := r.refs["nuisance_profile_matrix"]
			if len(ref.Shape) != 2 {
				return nil, fmt.Errorf("ml: %s: bad nuisance matrix shape %v", dir, ref.Shape)
			}
			if e.ProfileMatrix, err = r.matrix("nuisance_profile_matrix", ref.Shape[0], np); err != nil {
				return nil, err
			}
			if e.ProjectMatrix, err = r.matrix("nuisance_project_matrix", ref.Shape[0], np); err != nil {
				return nil, err
			}
		}
		return e, nil
	case typeRatio, typeDoubleRatio:
		if err := checkScaling("theta_scaling", d.ThetaScaling, np); err != nil {
			return nil, err
		}
		nth := np
		if d.EstimatorType == typeDoubleRatio {
			nth = 2 * np
		}
		net, err := r.net("", layerSizes(nth+len(feat), d.NHidden, 1), d.Activation)
		if err != nil {
			return nil, err
		}
		if d.EstimatorType == typeRatio {
			return &ParameterizedRatioEstimator{Features: d.Features, Hidden: d.NHidden, Activation: net.Act, Trained: t,
				ThetaScaling: *d.ThetaScaling, Net: net}, nil
		}
		return &DoubleParameterizedRatioEstimator{Features: d.Features, Hidden: d.NHidden, Activation: net.Act, Trained: t,
			ThetaScaling: *d.ThetaScaling, Net: net}, nil
	case typeLikelihood:
		return loadLikelihood(r, &d, feat, t)
	}
	return nil, fmt.Errorf("ml: %s: unknown estimator type %q", dir, d.EstimatorType)
}
