// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package ml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// flowConfig describes a conditional masked autoregressive flow.
type flowConfig struct {
	NMADEs int `json:"n_mades"`
	// Orders holds, for each MADE, the autoregressive degree (1…D) of each
	// input dimension.
	Orders [][]int `json:"input_orders"`
	// BatchNorm puts a batch-normalisation layer after every MADE, with
	// running-average momentum BatchNormAlpha and variance offset
	// BatchNormEps; BatchNormUpdates counts the training batches folded
	// into the running averages.
	BatchNorm        bool    `json:"batch_norm,omitempty"`
	BatchNormAlpha   float64 `json:"batch_norm_alpha,omitempty"`
	BatchNormEps     float64 `json:"batch_norm_eps,omitempty"`
	BatchNormUpdates int     `json:"batch_norm_updates,omitempty"`
}

// maf is a conditional masked autoregressive flow (Papamakarios et al.,
// arXiv:1705.07057) of Gaussian MADEs: MADE j maps (θ, u_{j−1}) to means
// m and log precisions ℓ, and u_j = exp(ℓ/2)(u_{j−1} − m), with u_0 = x.
// The base density of u_n is a standard normal, so
//
//	log p(x|θ) = −D/2·log 2π − ½Σ u_n² + Σ_j ½Σ ℓ_j.
//
// θ feeds every hidden unit of the first layer of every MADE. With
// cfg.BatchNorm, a batch-normalisation layer (flow_bn.go) follows every
// MADE and adds its log-determinant to log p.
type maf struct {
	d, p   int
	cfg    flowConfig
	mades  []*MLP
	params []float64 // all MADE parameters (mades[j].Params are views), then the batch-norm blocks
	offs   []int
	bnOff  int // offset of the first batch-norm block in params
}

// madeDegrees returns the degrees of the hidden units (MadMiner's
// "sequential" mode): unit k of a layer has degree k mod max(1, D−1) +
// min(1, D−1).
func madeDegrees(d, n int) []int {
	deg := make([]int, n)
	for k := range deg {
		deg[k] = k%max(1, d-1) + min(1, d-1)
	}
	return deg
}

// newMAF returns a flow with D = d inputs, p conditionals, nMades MADEs
// with the given hidden layers, input orders alternating between
// 1…D and D…1, and, if bn, batch normalisation with momentum bnAlpha
// after every MADE (log γ = β = 0, running mean 0 and variance 1).
func newMAF(d, p, nMades int, bn bool, bnAlpha float64, hidden []int, act Activation, src rand.Source) (*maf, error) {
	if nMades < 1 {
		return nil, fmt.Errorf("ml: flow needs at least one MADE, got %d", nMades)
	}
	if len(hidden) == 0 {
		return nil, fmt.Errorf("ml: a MADE needs at least one hidden layer")
	}
	cfg := flowConfig{NMADEs: nMades}
	if bn {
		cfg.BatchNorm, cfg.BatchNormAlpha, cfg.BatchNormEps = true, bnAlpha, batchNormEps
	}
	for j := 0; j < nMades; j++ {
		o := make([]int, d)
		for i := range o {
			if j%2 == 0 {
				o[i] = i + 1
			} else {
				o[i] = d - i
			}
		}
		cfg.Orders = append(cfg.Orders, o)
	}
	f, err := buildMAF(d, p, cfg, hidden, act)
	if err != nil {
		return nil, err
	}
	rnd := rand.New(src)
	for _, m := range f.mades {
		for l := 0; l < m.NumLayers(); l++ {
			bound := 1 / math.Sqrt(float64(m.Sizes[l]))
			w, b := m.layer(l)
			for i := range w {
				w[i] = bound * (2*rnd.Float64() - 1)
			}
			for i := range b {
				b[i] = bound * (2*rnd.Float64() - 1)
			}
		}
		for i, v := range m.Mask {
			m.Params[i] *= v
		}
	}
	return f, nil
}

// buildMAF allocates the MADEs and their masks (zero weights).
func buildMAF(d, p int, cfg flowConfig, hidden []int, act Activation) (*maf, error) {
	if err := act.valid(); err != nil {
		return nil, err
	}
	if len(cfg.Orders) != cfg.NMADEs {
		return nil, fmt.Errorf("ml: flow has %d MADEs but %d input orders", cfg.NMADEs, len(cfg.Orders))
	}
	nbn := 0
	if cfg.BatchNorm {
		if !(cfg.BatchNormAlpha > 0 && cfg.BatchNormAlpha <= 1) {
			return nil, fmt.Errorf("ml: batch-norm momentum %g outside (0, 1]", cfg.BatchNormAlpha)
		}
		if !(cfg.BatchNormEps > 0) || cfg.BatchNormUpdates < 0 {
			return nil, fmt.Errorf("ml: batch-norm ε %g must be positive and the update count %d not negative", cfg.BatchNormEps, cfg.BatchNormUpdates)
		}
		nbn = cfg.NMADEs
	}
	f := &maf{d: d, p: p, cfg: cfg}
	sizes := layerSizes(p+d, hidden, 2*d)
	var tmpl MLP
	tmpl.Sizes = sizes
	np := tmpl.NumParams()
	f.bnOff = cfg.NMADEs * np
	f.params = make([]float64, f.bnOff+4*d*nbn)
	for j := 0; j < nbn; j++ {
		_, _, _, rv := f.bnParams(j)
		for e := range rv {
			rv[e] = 1
		}
	}
	for j := 0; j < cfg.NMADEs; j++ {
		order := cfg.Orders[j]
		seen := make([]bool, d+1)
		for _, o := range order {
			if o < 1 || o > d || seen[o] {
				return nil, fmt.Errorf("ml: flow input order %v of MADE %d is not a permutation of 1…%d", order, j, d)
			}
			seen[o] = true
		}
		m := &MLP{Sizes: sizes, Act: act.orDefault(), Params: f.params[j*np : (j+1)*np : (j+1)*np]}
		m.Mask = make([]float64, np)
		for i := range m.Mask {
			m.Mask[i] = 1
		}
		prev := make([]int, p+d) // degrees of the inputs; θ has degree 0
		copy(prev[p:], order)
		for l := 0; l < m.NumLayers(); l++ {
			w, _ := m.layerOf(m.Mask, l)
			nin, nout := sizes[l], sizes[l+1]
			if l < m.NumLayers()-1 {
				deg := madeDegrees(d, nout)
				for o := 0; o < nout; o++ {
					for i := 0; i < nin; i++ {
						if prev[i] > deg[o] {
							w[o*nin+i] = 0
						}
					}
				}
				prev = deg
				continue
			}
			for o := 0; o < nout; o++ {
				od := order[o%d]
				for i := 0; i < nin; i++ {
					if prev[i] >= od {
						w[o*nin+i] = 0
					}
				}
			}
		}
		f.mades = append(f.mades, m)
		f.offs = append(f.offs, j*np)
	}
	return f, nil
}

// flowTape holds one batched pass through the flow with θ-tangents.
type flowTape struct {
	f     *maf
	b, k  int
	batch bool // batch-norm layers used batch statistics
	// workers, if above 1, splits the MADE passes over that many
	// goroutines by rows (see madeForward); set for whole batch-norm
	// batches, which the trainer's workers cannot share.
	workers    int
	tapes      []Tape
	out, tan   [][]float64 // MADE outputs b×2d and tangents (k·b)×2d
	chunked    bool        // the last pass was split into row blocks
	chunks     [][]madeChunk
	cout, ctan [][]float64 // own output buffers of split passes
	bn         []bnTape
	in         [][]float64 // MADE inputs (θ̃, u_{j−1}), b×(p+d)
	tin        [][]float64 // their tangents, (k·b)×(p+d)
	u, ud      [][]float64 // u_j (b×d) and tangents ((k·b)×d), j = 0…n
	z, zd      [][]float64 // MADE outputs before batch norm (u_{j+1} without it)
	s          [][]float64 // exp(ℓ_j/2), b×d
	logp       []float64   // b
	score      []float64   // (k·b), direction-major
	gu, gd     []float64
	gm         []float64 // net output gradients b×2d
	gmd        []float64 // (k·b)×2d
	gx         []float64
	gxd        []float64
}

// forward evaluates log p(x̃|θ̃) and, with score, its θ̃-gradient, for b
// rows of x (b×d) and theta (b×p). With batch, batch-norm layers use the
// statistics of these b rows (training mode), so that every row depends
// on all of them (the θ-tangent holds the statistics fixed, see bnTape);
// otherwise they use the running averages (evaluation mode).
func (ft *flowTape) forward(f *maf, x, theta []float64, b int, score, batch bool) {
	d, p := f.d, f.p
	n := len(f.mades)
	k := 0
	if score {
		k = p
	}
	bn := f.cfg.BatchNorm
	ft.f, ft.b, ft.k, ft.batch = f, b, k, batch && bn
	if len(ft.tapes) != n {
		ft.tapes = make([]Tape, n)
		ft.out = make([][]float64, n)
		ft.tan = make([][]float64, n)
		ft.bn = make([]bnTape, n)
		ft.in = make([][]float64, n)
		ft.tin = make([][]float64, n)
		ft.u = make([][]float64, n+1)
		ft.ud = make([][]float64, n+1)
		ft.z = make([][]float64, n)
		ft.zd = make([][]float64, n)
		ft.s = make([][]float64, n)
	}
	ft.u[0] = grow(ft.u[0], b*d)
	copy(ft.u[0], x[:b*d])
	ft.ud[0] = grow(ft.ud[0], k*b*d)
	clear(ft.ud[0])
	ft.logp = grow(ft.logp, b)
	ft.score = grow(ft.score, k*b)
	c := -0.5 * float64(d) * math.Log(2*math.Pi)
	for i := range ft.logp {
		ft.logp[i] = c
	}
	clear(ft.score)
	nin := p + d
	for j, m := range f.mades {
		in := grow(ft.in[j], b*nin)
		ft.in[j] = in
		for i := 0; i < b; i++ {
			copy(in[i*nin:i*nin+p], theta[i*p:(i+1)*p])
			copy(in[i*nin+p:(i+1)*nin], ft.u[j][i*d:(i+1)*d])
		}
		var tin []float64
		if k > 0 {
			tin = grow(ft.tin[j], k*b*nin)
			ft.tin[j] = tin
			for q := 0; q < k; q++ {
				for i := 0; i < b; i++ {
					row := tin[(q*b+i)*nin : (q*b+i+1)*nin]
					clear(row[:p])
					row[q] = 1
					copy(row[p:], ft.ud[j][(q*b+i)*d:(q*b+i+1)*d])
				}
			}
		}
		out, tan := ft.madeForward(j, m, in, tin, b, k)
		u := grow(ft.z[j], b*d)
		ft.z[j] = u
		s := grow(ft.s[j], b*d)
		ft.s[j] = s
		v := ft.u[j]
		for i := 0; i < b; i++ {
			for e := 0; e < d; e++ {
				mu, l := out[i*2*d+e], out[i*2*d+d+e]
				s[i*d+e] = math.Exp(0.5 * l)
				u[i*d+e] = s[i*d+e] * (v[i*d+e] - mu)
				ft.logp[i] += 0.5 * l
			}
		}
		ud := grow(ft.zd[j], k*b*d)
		ft.zd[j] = ud
		if k > 0 {
			vd := ft.ud[j]
			for q := 0; q < k; q++ {
				for i := 0; i < b; i++ {
					r := q*b + i
					for e := 0; e < d; e++ {
						md, ld := tan[r*2*d+e], tan[r*2*d+d+e]
						ud[r*d+e] = 0.5*ld*u[i*d+e] + s[i*d+e]*(vd[r*d+e]-md)
						ft.score[r] += 0.5 * ld
					}
				}
			}
		}
		if !bn {
			ft.u[j+1], ft.ud[j+1] = u, ud
			continue
		}
		y := grow(ft.u[j+1], b*d)
		yd := grow(ft.ud[j+1], k*b*d)
		ft.u[j+1], ft.ud[j+1] = y, yd
		lg, beta, rm, rv := f.bnParams(j)
		bt := &ft.bn[j]
		ld := bt.forward(lg, beta, rm, rv, f.cfg.BatchNormEps, u, ud, y, yd, b, k, ft.batch)
		for i := range ft.logp {
			ft.logp[i] += ld
		}
	}
	un, udn := ft.u[n], ft.ud[n]
	for i := 0; i < b; i++ {
		for e := 0; e < d; e++ {
			ft.logp[i] -= 0.5 * un[i*d+e] * un[i*d+e]
		}
	}
	for q := 0; q < k; q++ {
		for i := 0; i < b; i++ {
			r := q*b + i
			for e := 0; e < d; e++ {
				ft.score[r] -= un[i*d+e] * udn[r*d+e]
			}
		}
	}
}

// backward adds to grad (laid out as f.params) the gradient of a loss
// with ∂L/∂log p = glogp (b) and ∂L/∂score = gscore ((k·b) or nil).
func (ft *flowTape) backward(grad, glogp, gscore []float64) {
	f := ft.f
	d, p, b := f.d, f.p, ft.b
	k := ft.k
	if gscore == nil {
		k = 0
	}
	n := len(f.mades)
	nin := p + d
	gu := grow(ft.gu, b*d)
	gd := grow(ft.gd, k*b*d)
	ft.gu, ft.gd = gu, gd
	un, udn := ft.u[n], ft.ud[n]
	for i := 0; i < b; i++ {
		for e := 0; e < d; e++ {
			gu[i*d+e] = -glogp[i] * un[i*d+e]
		}
	}
	for q := 0; q < k; q++ {
		for i := 0; i < b; i++ {
			r := q*b + i
			for e := 0; e < d; e++ {
				gu[i*d+e] -= gscore[r] * udn[r*d+e]
				gd[r*d+e] = -gscore[r] * un[i*d+e]
			}
		}
	}
	// The batch-norm log-determinants enter every row.
	G := 0.0
	if f.cfg.BatchNorm {
		for _, g := range glogp[:b] {
			G += g
		}
	}
	ft.gm = grow(ft.gm, b*2*d)
	ft.gmd = grow(ft.gmd, k*b*2*d)
	ft.gx = grow(ft.gx, b*nin)
	ft.gxd = grow(ft.gxd, k*b*nin)
	for j := n - 1; j >= 0; j-- {
		if f.cfg.BatchNorm {
			lo := f.bnOff + 4*d*j
			var gdArg []float64
			if k > 0 {
				gdArg = gd
			}
			ft.bn[j].backward(grad[lo:lo+d], grad[lo+d:lo+2*d], gu, gdArg, G)
		}
		out, tan := ft.out[j], ft.tan[j]
		u, v, s := ft.z[j], ft.u[j], ft.s[j]
		gm, gmd := ft.gm, ft.gmd
		for i := 0; i < b; i++ {
			for e := 0; e < d; e++ {
				ie := i*d + e
				gs := 0.0
				gui := gu[ie]
				for q := 0; q < k; q++ {
					r := q*b + i
					md, ld := tan[r*2*d+e], tan[r*2*d+d+e]
					g := gd[r*d+e]
					gui += 0.5 * g * ld
					gs += g * (ft.ud[j][r*d+e] - md)
					gmd[r*2*d+d+e] = 0.5*g*u[ie] + 0.5*gscore[r]
					gmd[r*2*d+e] = -g * s[ie]
					gd[r*d+e] = g * s[ie] // now ∂L/∂v̇
				}
				gs += gui * (v[ie] - out[i*2*d+e])
				gm[i*2*d+e] = -gui * s[ie]
				gm[i*2*d+d+e] = 0.5*s[ie]*gs + 0.5*glogp[i]
				gu[ie] = gui * s[ie] // now ∂L/∂v
			}
		}
		var gmdArg, gxd []float64
		if k > 0 {
			gmdArg, gxd = gmd, ft.gxd
		}
		m := f.mades[j]
		ft.madeBackward(j, grad[f.offs[j]:f.offs[j]+len(m.Params)], gm, gmdArg, ft.gx, gxd)
		if j == 0 {
			break
		}
		for i := 0; i < b; i++ {
			for e := 0; e < d; e++ {
				gu[i*d+e] += ft.gx[i*nin+p+e]
			}
		}
		for q := 0; q < k; q++ {
			for i := 0; i < b; i++ {
				r := q*b + i
				for e := 0; e < d; e++ {
					gd[r*d+e] += gxd[r*nin+p+e]
				}
			}
		}
	}
}

// LikelihoodEstimator is MadMiner's LikelihoodEstimator (NDE, SCANDAL): a
// conditional masked autoregressive flow estimating log p̂(x|θ), with the
// score t̂ = ∂ log p̂/∂θ from the forward-mode tangent through all MADEs.
//
// The MADEs use MadMiner's "sequential" hidden degrees and masks; θ
// feeds every unit of the first hidden layer.
//
// Differences from MadMiner: θ is standardised in evaluation as in
// training (MadMiner forgets it); log p̂ is the density of the original
// x (the Jacobian −Σ log σ_x of the standardisation is added); the input
// orders alternate between 1…D and D…1 from MADE to MADE (MadMiner's
// default "sequential" order is never reversed, so all its MADEs share
// one order); mixture MADEs (n_components > 1) are not implemented.
//
// With BatchNorm, a batch-normalisation layer follows every MADE (as
// MadMiner's batch_norm=True), with a learnable scale γ and shift β per
// observable that MadMiner's lacks (both start at the identity, where the
// two agree). Training batches are normalised with their own mean and
// population variance (+ε = 1e−5), and the loss gradient includes the
// dependence of every row on the batch statistics; the training-mode
// score holds the batch statistics fixed (moving θ of one row moves them
// by O(1/batch size); see bnTape). Evaluation
// (LogLikelihood, validation losses) uses running averages updated after
// every training batch with momentum BatchNormAlpha; MadMiner never mixes
// (a flag is never set), so its running averages are the last batch's
// statistics, and it does not save them with the model.
type LikelihoodEstimator struct {
	// Features selects the observables; nil means all.
	Features []int
	// Hidden lists the hidden-layer widths of each MADE; nil means (100,).
	Hidden []int
	// Activation; "" means Tanh.
	Activation Activation
	// NMADEs is the number of MADEs; 0 means 5.
	NMADEs int
	// BatchNorm inserts batch normalisation after every MADE.
	BatchNorm bool
	// BatchNormAlpha is the momentum of the batch-norm running averages;
	// 0 means 0.1 (MadMiner's alpha).
	BatchNormAlpha float64

	// Set by Train or Load.
	Trained
	ThetaScaling Scaling
	flow         *maf
}

var _ Estimator = (*LikelihoodEstimator)(nil)

// Train trains the flow with NDE (loss −mean log p̂(x|θ)) or SCANDAL (plus
// α·mean[(t̂ − t(x,z|θ))²], in standardised θ units as MadMiner) on d.X,
// d.Theta and, for SCANDAL, d.TXZ. The training loss is that of the
// standardised x, as MadMiner's.
func (e *LikelihoodEstimator) Train(method Method, d Data, s *Settings) (*History, error) {
	return e.fit(d, s, func(d Data, set Settings) (objective, error) { return e.newObjective(method, d, set) })
}

func (e *LikelihoodEstimator) newObjective(method Method, d Data, set Settings) (*flowObjective, error) {
	var labels []string
	switch method {
	case NDE:
		labels = []string{termNLL}
	case SCANDAL:
		labels = []string{termNLL, termMSEScore}
	default:
		return nil, fmt.Errorf("ml: method %q is not a likelihood method (want nde or scandal)", string(method))
	}
	sh, err := e.checkShape(e.Activation, e.Features, d.X, "theta", d.Theta, e.flow != nil)
	if err != nil {
		return nil, err
	}
	n, np, feat := sh.n, sh.nParams, sh.feat
	if method == SCANDAL {
		if err := checkMatrix("t_xz", d.TXZ, n, np); err != nil {
			return nil, fmt.Errorf("%w (method scandal needs the joint score)", err)
		}
	}
	e.record(method, sh)
	nd := len(feat)
	if e.flow == nil {
		e.XScaling = fitScaling(d.X, set.NoInputScaling, nFit(d.X, set))
		e.ThetaScaling = fitScaling(d.Theta, set.NoParameterScaling, nFit(d.X, set))
		nm := e.NMADEs
		if nm == 0 {
			nm = 5
		}
		alpha := e.BatchNormAlpha
		if alpha == 0 {
			alpha = defaultBatchNormAlpha
		}
		e.flow, err = newMAF(nd, np, nm, e.BatchNorm, alpha, defaultHidden(e.Hidden), e.Activation, rand.NewPCG(set.Seed, 1))
		if err != nil {
			return nil, err
		}
	}
	o := &flowObjective{f: e.flow, score: method == SCANDAL, lab: labels, alpha: set.Alpha, workers: set.Workers,
		x: make([]float64, n*nd), th: make([]float64, n*np)}
	for i := 0; i < n; i++ {
		putX(o.x[i*nd:(i+1)*nd], d.X, i, e.XScaling, feat)
		putTheta(o.th[i*np:(i+1)*np], d.Theta, i, e.ThetaScaling)
	}
	if o.score {
		o.t = scaledScores(d.TXZ, e.ThetaScaling)
	}
	return o, nil
}

type flowObjective struct {
	f     *maf
	score bool
	lab   []string
	alpha float64
	x, th []float64
	t     []float64

	// workers splits the MADE passes of a whole batch-norm batch.
	workers int
	// bnMode selects the batch-norm statistics of eval: bnAuto uses batch
	// statistics when a gradient is asked for (training steps) and the
	// running averages otherwise (validation), as MadMiner's train and
	// eval modes.
	bnMode bnMode
	// A batch-norm batch may arrive in chunks from several evaluators
	// (training splits each batch over the workers); pending collects
	// them until n rows are there, and the evaluator that completes the
	// batch evaluates all of it.
	mu      sync.Mutex
	pending [][]int
	npend   int
}

type bnMode int

const (
	bnAuto    bnMode = iota
	bnBatch          // always batch statistics
	bnRunning        // always running averages
)

// batchStats reports whether a batch of n rows is evaluated with batch
// statistics. A single row has none (its variance would be 0 and its
// log-determinant −½ log ε): it uses the running averages.
func (o *flowObjective) batchStats(grad []float64, n int) bool {
	if !o.f.cfg.BatchNorm || n < 2 {
		return false
	}
	switch o.bnMode {
	case bnBatch:
		return true
	case bnRunning:
		return false
	}
	return grad != nil
}

func (o *flowObjective) params() []float64       { return o.f.params }
func (o *flowObjective) labels() []string        { return o.lab }
func (o *flowObjective) weights() []float64      { return termWeights(o.score, o.alpha) }
func (o *flowObjective) nRows() int              { return len(o.th) / o.f.p }
func (o *flowObjective) newEvaluator() evaluator { return &flowEval{o: o} }

type flowEval struct {
	o        *flowObjective
	ft       flowTape
	x, th    []float64
	glp, gsc []float64
}

func (ev *flowEval) eval(rows []int, n int, terms, grad []float64) {
	o := ev.o
	batch := o.batchStats(grad, n)
	if batch && len(rows) < n {
		// The loss of a batch-normalised batch is not a sum over rows:
		// wait for the whole batch, then evaluate it at once. The others
		// add nothing to their terms and gradients.
		if len(rows) == 0 {
			return
		}
		o.mu.Lock()
		o.pending = append(o.pending, slices.Clone(rows))
		o.npend += len(rows)
		if o.npend < n {
			o.mu.Unlock()
			return
		}
		chunks := sortChunks(o.pending)
		o.pending, o.npend = nil, 0
		o.mu.Unlock()
		rows = slices.Concat(chunks...)
	}
	ev.evalRows(rows, n, terms, grad, batch)
	if batch && grad != nil && o.bnMode == bnAuto {
		o.f.updateRunning(&ev.ft)
	}
}

func (ev *flowEval) evalRows(rows []int, n int, terms, grad []float64, batch bool) {
	o := ev.o
	d, p := o.f.d, o.f.p
	b := len(rows)
	if b == 0 {
		return
	}
	ev.x = grow(ev.x, b*d)
	ev.th = grow(ev.th, b*p)
	for r, i := range rows {
		copy(ev.x[r*d:(r+1)*d], o.x[i*d:(i+1)*d])
		copy(ev.th[r*p:(r+1)*p], o.th[i*p:(i+1)*p])
	}
	ev.ft.workers = 1
	if batch {
		ev.ft.workers = o.workers
	}
	ev.ft.forward(o.f, ev.x, ev.th, b, o.score, batch)
	ev.glp = grow(ev.glp, b)
	inv := 1 / float64(n)
	for r := 0; r < b; r++ {
		terms[0] -= ev.ft.logp[r] * inv
		ev.glp[r] = -inv
	}
	var gsc []float64
	if o.score {
		ev.gsc = grow(ev.gsc, p*b)
		gsc = ev.gsc
		norm := 1 / float64(n*p)
		for r, i := range rows {
			for q := 0; q < p; q++ {
				dd := ev.ft.score[q*b+r] - o.t[i*p+q]
				terms[1] += dd * dd * norm
				gsc[q*b+r] = o.alpha * 2 * dd * norm
			}
		}
	}
	if grad != nil {
		ev.ft.backward(grad, ev.glp, gsc)
	}
}

// LogLikelihood evaluates log p̂(x_i|θ_i) for the paired rows of x
// (n×observables) and theta (n×parameters) into logp (nil: allocated)
// and, if score is not nil, ∂ log p̂/∂θ (n×parameters; empty: sized).
func (e *LikelihoodEstimator) LogLikelihood(logp []float64, score *mat.Dense, x, theta mat.Matrix) ([]float64, error) {
	if e.flow == nil {
		return nil, fmt.Errorf("ml: likelihood estimator is not trained")
	}
	np := e.NParameters
	n, err := checkInputs(x, e.NObservables, np, theta)
	if err != nil {
		return nil, err
	}
	if logp, err = output("logp", logp, n); err != nil {
		return nil, err
	}
	if err := reuseAs("score", score, n, np); err != nil {
		return nil, err
	}
	feat, err := resolveFeatures(e.Features, e.NObservables)
	if err != nil {
		return nil, err
	}
	jac := 0.0
	for _, f := range feat {
		jac -= math.Log(e.XScaling.Std[f])
	}
	nd := len(feat)
	var ft flowTape
	xb := make([]float64, evalBatch*nd)
	tb := make([]float64, evalBatch*np)
	for lo := 0; lo < n; lo += evalBatch {
		b := min(evalBatch, n-lo)
		for r := 0; r < b; r++ {
			putX(xb[r*nd:(r+1)*nd], x, lo+r, e.XScaling, feat)
			putTheta(tb[r*np:(r+1)*np], theta, lo+r, e.ThetaScaling)
		}
		ft.forward(e.flow, xb, tb, b, score != nil, false)
		for r := 0; r < b; r++ {
			logp[lo+r] = ft.logp[r] + jac
		}
		if score != nil {
			for r := 0; r < b; r++ {
				for q := 0; q < np; q++ {
					score.Set(lo+r, q, ft.score[q*b+r]/e.ThetaScaling.Std[q])
				}
			}
		}
	}
	return logp, nil
}

// Save writes the estimator into the model directory dir. MADE j's
// tensors are named "mades.j.layers.L.weight" and "…bias" (masked
// entries are stored as zeros; the masks follow from input_orders), and
// with batch norm, layer j's "bns.j.log_gamma", "…beta", "…running_mean"
// and "…running_var" (population variance without ε).
func (e *LikelihoodEstimator) Save(dir string) error { return saveAt(dir, e.SaveIn) }

// SaveIn writes the estimator into the model directory dir inside root.
func (e *LikelihoodEstimator) SaveIn(root *os.Root, dir string) error {
	if e.flow == nil {
		return fmt.Errorf("ml: cannot save an untrained likelihood estimator")
	}
	cfg := e.flow.cfg
	d := e.describe(typeLikelihood, e.Features, e.flow.mades[0])
	d.ThetaScaling, d.Flow = &e.ThetaScaling, &cfg
	return save(modelDir{root, dir}, d, func(w *tensorWriter) error {
		for j, m := range e.flow.mades {
			if err := w.addNet(fmt.Sprintf("mades.%d.", j), m); err != nil {
				return err
			}
		}
		if !cfg.BatchNorm {
			return nil
		}
		for j := range e.flow.mades {
			lg, beta, rm, rv := e.flow.bnParams(j)
			for i, t := range [][]float64{lg, beta, rm, rv} {
				if err := w.add(fmt.Sprintf("bns.%d.%s", j, bnTensorNames[i]), []int{len(t)}, t); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// loadLikelihood is Load of the likelihood estimator described by d,
// with the features feat and the trained state t.
func loadLikelihood(r *tensorReader, d *modelJSON, feat []int, t Trained) (Estimator, error) {
	if err := checkScaling("theta_scaling", d.ThetaScaling, d.NParameters); err != nil {
		return nil, err
	}
	if d.Flow == nil {
		return nil, fmt.Errorf("ml: %s: likelihood model without flow description", r.dir)
	}
	f, err := buildMAF(len(feat), d.NParameters, *d.Flow, d.NHidden, d.Activation)
	if err != nil {
		return nil, fmt.Errorf("ml: %s: %w", r.dir, err)
	}
	for j, m := range f.mades {
		net, err := r.net(fmt.Sprintf("mades.%d.", j), m.Sizes, d.Activation)
		if err != nil {
			return nil, err
		}
		for i, v := range m.Mask {
			if v == 0 && net.Params[i] != 0 {
				return nil, fmt.Errorf("ml: %s: MADE %d has a non-zero masked weight (parameter %d)", r.dir, j, i)
			}
		}
		copy(m.Params, net.Params)
	}
	if f.cfg.BatchNorm {
		for j := range f.mades {
			lg, beta, rm, rv := f.bnParams(j)
			for i, t := range [][]float64{lg, beta, rm, rv} {
				v, err := r.get(fmt.Sprintf("bns.%d.%s", j, bnTensorNames[i]), []int{len(t)})
				if err != nil {
					return nil, err
				}
				copy(t, v)
			}
			for e := range rv {
				if !(rv[e] >= 0) || math.IsInf(rv[e], 0) || math.IsNaN(rm[e]) || math.IsInf(rm[e], 0) {
					return nil, fmt.Errorf("ml: %s: batch norm %d has running mean %g and variance %g for observable %d", r.dir, j, rm[e], rv[e], e)
				}
			}
		}
	}
	return &LikelihoodEstimator{Features: d.Features, Hidden: d.NHidden, Activation: f.mades[0].Act, NMADEs: d.Flow.NMADEs,
		BatchNorm: f.cfg.BatchNorm, BatchNormAlpha: f.cfg.BatchNormAlpha, Trained: t, ThetaScaling: *d.ThetaScaling, flow: f}, nil
}

// paramMask returns 0 for the masked (non-existent) MADE connections and
// the batch-norm running averages, and 1 otherwise, laid out as params.
func (o *flowObjective) paramMask() []float64 {
	var m []float64
	for _, made := range o.f.mades {
		m = append(m, made.Mask...)
	}
	if o.f.cfg.BatchNorm {
		// log γ and β are trained; the running averages are not.
		d := o.f.d
		for range o.f.mades {
			for i := 0; i < 4*d; i++ {
				m = append(m, float64(1-i/(2*d)))
			}
		}
	}
	return m
}

// LogRatio returns log p̂(x_i|θ0_i) − log p̂(x_i|θ1_i) for the paired rows.
func (e *LikelihoodEstimator) LogRatio(x, theta0, theta1 mat.Matrix) ([]float64, error) {
	a, err := e.LogLikelihood(nil, nil, x, theta0)
	if err != nil {
		return nil, err
	}
	b, err := e.LogLikelihood(nil, nil, x, theta1)
	if err != nil {
		return nil, err
	}
	for i := range a {
		a[i] -= b[i]
	}
	return a, nil
}

// FisherInformation returns nEvents·Σ_i w_i t̂_i t̂_iᵀ/Σ_i w_i with the
// estimated score t̂_i = ∂ log p̂(x_i|θ)/∂θ at theta (w nil: equal weights).
func (e *LikelihoodEstimator) FisherInformation(x mat.Matrix, theta []float64, w []float64, nEvents float64) (*mat.SymDense, error) {
	return fisherAt(e.NParameters, x, theta, w, nEvents, func(th *mat.Dense) (*mat.Dense, error) {
		t := &mat.Dense{}
		_, err := e.LogLikelihood(nil, t, x, th)
		return t, err
	})
}
