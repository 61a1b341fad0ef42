// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// ErrMissingObject is wrapped by the error of an evaluation that indexes a
// collection past its end, for instance j[1] in an event with one jet.
var ErrMissingObject = errors.New("missing object")

// ErrNotFinite is wrapped by the error of an evaluation whose result is NaN
// or infinite (MadMiner's ZeroDivisionError and friends).
var ErrNotFinite = errors.New("result is not finite")

// Program is a compiled observable, cut or efficiency expression. A Program
// is immutable and may be evaluated concurrently on different events.
type Program struct {
	name string
	src  string // the definition as given
	xsrc string // the translated expr source
	prog *vm.Program
}

// Name returns the name the program was compiled with.
func (p *Program) Name() string { return p.name }

// Source returns the definition the program was compiled from.
func (p *Program) Source() string { return p.src }

// String returns the name and the translated expression.
func (p *Program) String() string { return fmt.Sprintf("%s: %s", p.name, p.xsrc) }

// Compiler compiles expressions over events. Vars are names bound to the
// values passed to Eval (in this order), typically the observables defined
// before a cut. The zero value compiles expressions without variables.
type Compiler struct {
	Vars []string
}

// Compile compiles src with no declared variables.
func Compile(name, src string) (*Program, error) {
	var c Compiler
	return c.Compile(name, src)
}

// envTypes holds the type of every name of the expression environment, for
// the compiler.
var envTypes = map[string]reflect.Type{}

// globalFuncs holds the environment functions that need no per-event state.
var globalFuncs = map[string]any{}

// userNames are the environment names an expression may use directly.
var userNames = map[string]bool{"met": true, "visible": true, "all": true}

var (
	particlePtr   = reflect.TypeFor[*Particle]()
	particleSlice = reflect.TypeFor[[]*Particle]()
)

// Event-level numbers, read through __ev(k).
var eventScalars = []string{"scale", "alpha_qed", "alpha_qcd", "n_particles", "ht", "weight"}

func init() {
	for k := Kind(0); k < numKinds; k++ {
		envTypes[k.String()] = particleSlice
		userNames[k.String()] = true
	}
	for _, n := range []string{"met", "visible", "all"} {
		envTypes[n] = particlePtr
	}
	for _, n := range eventScalars {
		userNames[n] = true
	}
	userNames["pi"] = true
	// Stateful functions, bound per event environment. Their signatures are
	// among those expr calls without reflection or argument slices.
	envTypes["__add"] = reflect.TypeFor[func(any, any) any]()
	envTypes["__sub"] = reflect.TypeFor[func(any, any) any]()
	envTypes["__boost_com"] = reflect.TypeFor[func(any) any]()
	for _, fn := range vectorMethods {
		envTypes[fn] = reflect.TypeFor[func(any, any) any]()
	}
	envTypes["__var"] = reflect.TypeFor[func(int) float64]()
	envTypes["__ev"] = reflect.TypeFor[func(int) float64]()
}

// Compile translates a MadMiner (Python) definition string into the expr
// language and compiles it. Errors name the expression and the column of
// the original definition.
func (c *Compiler) Compile(name, src string) (*Program, error) {
	vars := make(map[string]int, len(c.Vars))
	for i, v := range c.Vars {
		if err := CheckName(v); err != nil {
			return nil, fmt.Errorf("observables: %s: variable %d: %w", name, i, err)
		}
		if _, dup := vars[v]; dup {
			return nil, fmt.Errorf("observables: %s: variable %d: duplicate name %q", name, i, v)
		}
		vars[v] = i
	}
	xsrc, pos, err := translate(src, vars)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("observables: %s %q: syntax error at column %d: %s", name, src, se.Column, se.Msg)
		}
		return nil, fmt.Errorf("observables: %s %q: %w", name, src, err)
	}
	env := make(map[string]any, len(envTypes)+len(globalFuncs))
	for n, t := range envTypes {
		env[n] = reflect.Zero(t).Interface()
	}
	for n, f := range globalFuncs {
		env[n] = f
	}
	pt := &patcher{}
	opts := []expr.Option{
		expr.Env(env),
		expr.DisableBuiltin("all"),
		expr.Patch(pt),
		expr.Patch(&arith{}),
		expr.Patch(&pynum{}),
	}
	opts = append(opts, mathFunctions...)
	prog, err := compileSafe(xsrc, opts)
	if pt.err != nil {
		err = pt.err
	}
	if err != nil {
		return nil, compileError(name, src, xsrc, pos, err)
	}
	p := &Program{name: name, src: src, xsrc: xsrc, prog: prog}
	root := prog.Node()
	if t := root.Type(); t != nil {
		switch t.Kind() {
		case reflect.Float64, reflect.Int, reflect.Bool, reflect.Interface,
			reflect.Float32, reflect.Int64, reflect.Int32:
		default:
			return nil, fmt.Errorf("observables: %s %q: expression gives %v, not a number", name, src, t)
		}
	}
	if c, ok := root.(*ast.CallNode); ok {
		isColl := false
		if k, ok := c.Callee.(*ast.ConstantNode); ok && len(c.Arguments) > 0 {
			isColl = reflect.ValueOf(k.Value).Pointer() == reflect.ValueOf(globalFuncs["__at"]).Pointer() &&
				c.Arguments[0].Type() == particleSlice
		}
		if id, ok := c.Callee.(*ast.IdentifierNode); isColl || (ok && (id.Value == "__boost_com" || strings.HasPrefix(id.Value, "__pm_"))) {
			return nil, fmt.Errorf("observables: %s %q: expression gives a particle, not a number", name, src)
		}
	}
	return p, nil
}

// compileSafe runs expr.Compile, turning a panic of the library into an
// error.
func compileSafe(src string, opts []expr.Option) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in expression compiler: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

func compileError(name, src, xsrc string, pos []int, err error) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		col := 0
		// Location.From counts runes of the translated source.
		off := runeToByte(xsrc, fe.From)
		if off >= 0 && off < len(pos) {
			col = pos[off] + 1
		} else if off >= len(pos) {
			col = len(src) + 1
		}
		msg := fe.Message
		for _, r := range internalNames {
			msg = strings.ReplaceAll(msg, r[0], r[1])
		}
		if col > 0 {
			return fmt.Errorf("observables: %s %q: column %d: %s", name, src, col, msg)
		}
		return fmt.Errorf("observables: %s %q: %s", name, src, msg)
	}
	return fmt.Errorf("observables: %s %q: %w", name, src, err)
}

var internalNames = [][2]string{
	{"[]*observables.Particle", "collection"},
	{"*observables.Particle", "particle"},
	{"observables.Particle", "particle"},
}

func runeToByte(s string, r int) int {
	n := 0
	for i := range s {
		if n == r {
			return i
		}
		n++
	}
	return len(s)
}

// patcher rewrites the syntax tree: attribute access and method calls on
// particles become calls of our functions, indexing becomes a checked
// lookup, declared variables and event numbers become reads of the
// evaluation state.
type patcher struct {
	err error
}

func ident(s string) *ast.IdentifierNode { return &ast.IdentifierNode{Value: s} }

// call returns a call of the environment function fn. Functions without
// per-event state are inlined as constants, which saves a map lookup per
// call at run time.
func call(loc file.Location, fn string, args ...ast.Node) *ast.CallNode {
	var callee ast.Node = ident(fn)
	if f, ok := globalFuncs[fn]; ok {
		callee = &ast.ConstantNode{Value: f}
	}
	n := &ast.CallNode{Callee: callee, Arguments: args}
	n.SetLocation(loc)
	n.Callee.SetLocation(loc)
	return n
}

func (pt *patcher) fail(n ast.Node, format string, args ...any) {
	if pt.err == nil {
		pt.err = &file.Error{Location: n.Location(), Message: fmt.Sprintf(format, args...)}
	}
}

func (pt *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if strings.HasPrefix(n.Value, "__") {
			return // ours: user names starting with __ are rejected by translate
		}
		if n.Value == "pi" {
			ast.Patch(node, &ast.FloatNode{Value: math.Pi})
			return
		}
		for k, s := range eventScalars {
			if n.Value == s {
				ast.Patch(node, call(n.Location(), "__ev", &ast.IntegerNode{Value: k}))
				return
			}
		}
	case *ast.MemberNode:
		if n.Method {
			return // handled with its CallNode
		}
		if s, ok := n.Property.(*ast.StringNode); ok {
			fn, ok := attrFuncs[s.Value]
			if !ok {
				pt.fail(n.Property, "unknown particle attribute %q (known: %s)", s.Value, attrList())
				return
			}
			ast.Patch(node, call(n.Location(), fn, n.Node))
			return
		}
		ast.Patch(node, call(n.Location(), "__at", n.Node, n.Property))
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && strings.HasPrefix(id.Value, "__") {
			// A Python builtin the translator renamed (pyBuiltins).
			if _, ok := globalFuncs[id.Value]; ok {
				ast.Patch(node, call(n.Location(), id.Value, n.Arguments...))
			}
			return
		}
		if m, ok := n.Callee.(*ast.MemberNode); ok {
			s, ok := m.Property.(*ast.StringNode)
			if !ok {
				pt.fail(n, "cannot call an indexed value")
				return
			}
			fn, ok := methodFuncs[s.Value]
			if !ok {
				fn, ok = vectorMethods[s.Value]
			}
			if !ok {
				pt.fail(m.Property, "unknown particle method %q (known: %s)", s.Value, methodList())
				return
			}
			if len(n.Arguments) != 1 {
				pt.fail(n, "%s takes one particle, got %d arguments", s.Value, len(n.Arguments))
				return
			}
			ast.Patch(node, call(n.Location(), fn, m.Node, n.Arguments[0]))
			return
		}
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "boost_to_com" {
			if len(n.Arguments) != 1 {
				pt.fail(n, "boost_to_com takes one particle, got %d arguments", len(n.Arguments))
				return
			}
			ast.Patch(node, call(n.Location(), "__boost_com", n.Arguments[0]))
		}
	}
}

// arith rewrites + and - between operands that may be particles into calls
// that add four-vectors in the evaluation arena (and numbers as numbers).
// It needs types, so it runs after the checker, like expr's operator
// overloading.
type arith struct{ applied bool }

func (a *arith) Reset()             { a.applied = false }
func (a *arith) ShouldRepeat() bool { return a.applied }

func maybeParticle(t reflect.Type) bool {
	return t == nil || t == particlePtr || t.Kind() == reflect.Interface
}

func (a *arith) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if ok && b.Operator == "%" {
		// Python's modulus takes the sign of the divisor and works on floats.
		ast.Patch(node, call(b.Location(), "__mod", b.Left, b.Right))
		a.applied = true
		return
	}
	if !ok || (b.Operator != "+" && b.Operator != "-") {
		return
	}
	if !maybeParticle(b.Left.Type()) || !maybeParticle(b.Right.Type()) {
		return
	}
	fn := "__add"
	if b.Operator == "-" {
		fn = "__sub"
	}
	ast.Patch(node, call(b.Location(), fn, b.Left, b.Right))
	a.applied = true
}

// evalState is the per-event scratch space of the expression functions.
type evalState struct {
	arena []Particle
	vars  []float64
	ev    *Event
}

func (st *evalState) alloc(p Particle) *Particle {
	if len(st.arena) == cap(st.arena) {
		// A new block: earlier pointers stay valid in the old one.
		st.arena = make([]Particle, 0, 2*cap(st.arena)+8)
	}
	st.arena = append(st.arena, p)
	return &st.arena[len(st.arena)-1]
}

var attrFuncs = map[string]string{}
var methodFuncs = map[string]string{}

// vectorMethods are the particle methods that give a particle. They
// allocate in the evaluation arena, so they are bound per event
// environment (evalEnv).
var vectorMethods = map[string]string{
	"boostCM_of_p4": "__pm_boostcm",
	"boostCM_of":    "__pm_boostcm",
	"cross":         "__pm_cross",
}

// methodNames are the internal names of the particle methods.
var methodNames []string

func attrList() string { return keyList(attrFuncs) }
func methodList() string {
	all := maps.Clone(methodFuncs)
	maps.Copy(all, vectorMethods)
	return keyList(all)
}

func keyList(m map[string]string) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}

// mathFunctions are the numeric functions (not hot, so registered with
// expr.Function, which accepts int and float arguments alike).
var mathFunctions []expr.Option

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}

// particleArg returns v as a particle, or panics with an error that the
// expression VM turns into an evaluation error.
func particleArg(v any, fn string) *Particle {
	p, ok := v.(*Particle)
	if !ok || p == nil {
		panic(fmt.Errorf("%s: operand is %T, not a particle", fn, v))
	}
	return p
}

func register(name string, fn any) {
	globalFuncs[name] = fn
	envTypes[name] = reflect.TypeOf(fn)
}

func init() {
	f64 := func(name string, fn func(Particle) float64, aliases ...string) {
		internal := "__" + name
		attrFuncs[name] = internal
		for _, a := range aliases {
			attrFuncs[a] = internal
		}
		register(internal, func(v any) float64 { return fn(*particleArg(v, name)) })
	}
	f64("pt", Particle.Pt, "rho", "perp")
	f64("pt2", Particle.Pt2, "rho2")
	f64("eta", Particle.Eta, "pseudorapidity")
	f64("phi", Particle.Phi)
	f64("m", Particle.M, "mass", "tau", "M")
	f64("m2", Particle.M2, "mass2", "tau2", "M2")
	f64("e", func(p Particle) float64 { return p.E }, "E", "energy", "t")
	f64("px", func(p Particle) float64 { return p.Px }, "x")
	f64("py", func(p Particle) float64 { return p.Py }, "y")
	f64("pz", func(p Particle) float64 { return p.Pz }, "z")
	f64("p", Particle.P, "mag")
	f64("p2", func(p Particle) float64 { return p.Px*p.Px + p.Py*p.Py + p.Pz*p.Pz }, "mag2")
	f64("rapidity", Particle.Rapidity)
	f64("theta", Particle.Theta)
	f64("costheta", Particle.CosTheta, "cos_theta")
	f64("et", Particle.Et, "Et")
	f64("mt", Particle.Mt, "Mt")
	f64("beta", Particle.Beta)
	f64("gamma", Particle.Gamma)
	f64("charge", func(p Particle) float64 { return p.Charge })
	f64("helicity", func(p Particle) float64 { return p.Helicity }, "spin")

	intAttr := func(name string, fn func(Particle) int, aliases ...string) {
		internal := "__" + name
		attrFuncs[name] = internal
		for _, a := range aliases {
			attrFuncs[a] = internal
		}
		register(internal, func(v any) int { return fn(*particleArg(v, name)) })
	}
	intAttr("pdgid", func(p Particle) int { return p.PDGID }, "pdg_id")
	intAttr("status", func(p Particle) int { return p.Status })

	boolAttr := func(name string, fn func(Particle) bool, aliases ...string) {
		internal := "__" + name
		attrFuncs[name] = internal
		for _, a := range aliases {
			attrFuncs[a] = internal
		}
		register(internal, func(v any) bool { return fn(*particleArg(v, name)) })
	}
	boolAttr("b_tag", func(p Particle) bool { return p.BTag }, "btag")
	boolAttr("tau_tag", func(p Particle) bool { return p.TauTag }, "tautag")
	boolAttr("t_tag", func(p Particle) bool { return p.TopTag }, "top_tag")

	method := func(name string, fn func(Particle, Particle) float64, aliases ...string) {
		internal := "__m_" + name
		methodFuncs[name] = internal
		methodNames = append(methodNames, internal)
		for _, a := range aliases {
			methodFuncs[a] = internal
		}
		register(internal, func(a, b any) any { return fn(*particleArg(a, name), *particleArg(b, name)) })
	}
	method("deltaphi", Particle.DeltaPhi, "delta_phi", "deltaPhi")
	method("deltaeta", Particle.DeltaEta, "delta_eta", "deltaEta")
	method("deltaR", Particle.DeltaR, "deltar", "delta_r", "delta_R")
	method("deltaR2", func(p, q Particle) float64 { d := p.DeltaR(q); return d * d })
	method("deltaRapidityPhi", Particle.DeltaRRapidity)
	method("deltaRapidityPhi2", func(p, q Particle) float64 { d := p.DeltaRRapidity(q); return d * d })
	method("deltarapidity", Particle.DeltaRapidity)
	method("dot", func(p, q Particle) float64 { return p.E*q.E - p.Px*q.Px - p.Py*q.Py - p.Pz*q.Pz })
	method("deltaangle", Particle.DeltaAngle, "delta_angle")

	register("__at", func(c, idx any) any {
		i, ok := idx.(int)
		if b, isB := idx.(bool); isB {
			i, ok = 0, true // Python indexes with False and True as 0 and 1
			if b {
				i = 1
			}
		}
		if !ok {
			f, isF := idx.(float64)
			if !isF || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
				panic(fmt.Errorf("index %v is not an integer", idx))
			}
			i = int(f)
		}
		switch c := c.(type) {
		case []*Particle:
			if i < 0 {
				i += len(c)
			}
			if i < 0 || i >= len(c) {
				panic(fmt.Errorf("index %v of a collection of %d: %w", idx, len(c), ErrMissingObject))
			}
			return c[i]
		case []any:
			if i < 0 {
				i += len(c)
			}
			if i < 0 || i >= len(c) {
				panic(fmt.Errorf("index %v of a list of %d: %w", idx, len(c), ErrMissingObject))
			}
			return c[i]
		}
		rv := reflect.ValueOf(c)
		if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
			if i < 0 {
				i += rv.Len()
			}
			if i < 0 || i >= rv.Len() {
				panic(fmt.Errorf("index %v of a list of %d: %w", idx, rv.Len(), ErrMissingObject))
			}
			return rv.Index(i).Interface()
		}
		panic(fmt.Errorf("cannot index %T", c))
	})

	register("__mod", func(a, b any) any {
		if x, ok := a.(int); ok {
			if y, ok := b.(int); ok {
				if y == 0 {
					panic(errors.New("integer modulo by zero"))
				}
				r := x % y
				if r != 0 && (r < 0) != (y < 0) {
					r += y
				}
				return r
			}
		}
		x, ok1 := toFloat(a)
		y, ok2 := toFloat(b)
		if !ok1 || !ok2 {
			panic(fmt.Errorf("cannot take %T modulo %T", a, b))
		}
		r := math.Mod(x, y)
		if r != 0 && (r < 0) != (y < 0) {
			r += y
		}
		return r
	})

	math1 := func(name string, fn func(float64) float64) {
		mathFunctions = append(mathFunctions, expr.Function(name, func(args ...any) (any, error) {
			x, ok := toFloat(args[0])
			if !ok {
				return nil, fmt.Errorf("%s: argument is %T, not a number", name, args[0])
			}
			return fn(x), nil
		}, new(func(float64) float64), new(func(int) float64)))
	}
	for name, fn := range map[string]func(float64) float64{
		"sqrt": math.Sqrt, "exp": math.Exp, "log": math.Log, "log10": math.Log10,
		"log2": math.Log2, "log1p": math.Log1p, "expm1": math.Expm1,
		"cos": math.Cos, "sin": math.Sin, "tan": math.Tan,
		"acos": math.Acos, "asin": math.Asin, "atan": math.Atan,
		"cosh": math.Cosh, "sinh": math.Sinh, "tanh": math.Tanh,
		"acosh": math.Acosh, "asinh": math.Asinh, "atanh": math.Atanh,
		"sign": func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return x
		},
	} {
		math1(name, fn)
	}
	math2 := func(name string, fn func(x, y float64) float64) {
		mathFunctions = append(mathFunctions, expr.Function(name, func(args ...any) (any, error) {
			x, ok1 := toFloat(args[0])
			y, ok2 := toFloat(args[1])
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("%s: arguments are %T and %T, not numbers", name, args[0], args[1])
			}
			return fn(x, y), nil
		},
			new(func(float64, float64) float64), new(func(int, float64) float64),
			new(func(float64, int) float64), new(func(int, int) float64)))
	}
	math2("atan2", math.Atan2)
	math2("pow", math.Pow)
	math2("hypot", math.Hypot)
	math2("copysign", math.Copysign)
	math2("fmod", math.Mod)
}

// evalEnv is the expression environment of one Event.
type evalEnv struct {
	m     map[string]any
	st    evalState
	vm    vm.VM
	gen   uint64 // event generation the collections were bound for
	views [numKinds][]*Particle
	vdata [numKinds]*Particle // first element the view was built for
}

func (ev *Event) evalEnv() *evalEnv {
	if ev.env != nil && ev.env.st.ev == ev {
		return ev.env
	}
	// First use, or ev is a copy of another Event whose environment points
	// at the original: build a new one.
	// Functions without state are constants of the programs (see call), so
	// the map holds only the per-event names: small maps are fast maps.
	en := &evalEnv{m: make(map[string]any, 20)}
	en.st.ev = ev
	en.m["met"] = &ev.MET
	en.m["visible"] = &ev.Visible
	en.m["all"] = &ev.All
	for k := Kind(0); k < numKinds; k++ {
		en.m[k.String()] = []*Particle{}
	}
	st := &en.st
	en.m["__add"] = func(a, b any) any { return st.combine(a, b, 1) }
	en.m["__sub"] = func(a, b any) any { return st.combine(a, b, -1) }
	en.m["__boost_com"] = func(a any) any {
		return st.alloc(particleArg(a, "boost_to_com").BoostToRestFrame(st.ev.All))
	}
	en.m["__pm_boostcm"] = func(a, b any) any {
		return st.alloc(particleArg(a, "boostCM_of_p4").BoostToRestFrame(*particleArg(b, "boostCM_of_p4")))
	}
	en.m["__pm_cross"] = func(a, b any) any {
		return st.alloc(particleArg(a, "cross").Cross(*particleArg(b, "cross")))
	}
	en.m["__var"] = func(k int) float64 {
		if k >= len(st.vars) {
			panic(fmt.Errorf("variable %d not given (%d values)", k, len(st.vars)))
		}
		return st.vars[k]
	}
	en.m["__ev"] = func(k int) float64 {
		e := st.ev
		switch k {
		case 0:
			return e.Scale
		case 1:
			return e.AlphaQED
		case 2:
			return e.AlphaQCD
		case 3:
			return float64(e.NParticles)
		case 4:
			return e.HT
		case 5:
			return e.Weight
		}
		panic(fmt.Errorf("unknown event quantity %d", k))
	}
	ev.env = en
	return en
}

// combine returns a+b (sign 1) or a-b (sign -1) for two particles or two
// numbers.
func (st *evalState) combine(a, b any, sign float64) any {
	if p, ok := a.(*Particle); ok && p != nil {
		q := particleArg(b, "+")
		if sign > 0 {
			return st.alloc(p.Add(*q))
		}
		return st.alloc(p.Sub(*q))
	}
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		panic(fmt.Errorf("cannot combine %T and %T", a, b))
	}
	return x + sign*y
}

// bind makes the collections refer to the current event. Views are rebuilt
// (and boxed, which allocates) only when a collection's storage or length
// changed.
func (en *evalEnv) bind(ev *Event) {
	if en.gen == ev.gen && ev.gen != 0 {
		return
	}
	en.gen = ev.gen
	for k := Kind(0); k < numKinds; k++ {
		c := ev.Collection(k)
		var first *Particle
		if len(c) > 0 {
			first = unsafe.SliceData(c)
		}
		v := en.views[k]
		if len(v) == len(c) && en.vdata[k] == first && v != nil {
			continue // same storage, same length: the boxed view is current
		}
		v = v[:0]
		for i := range c {
			v = append(v, &c[i])
		}
		if v == nil {
			v = []*Particle{}
		}
		en.views[k] = v
		en.vdata[k] = first
		en.m[kindNames[k]] = v
	}
}

// run evaluates the program on ev.
func (p *Program) run(ev *Event, vars []float64) (any, error) {
	en := ev.evalEnv()
	en.bind(ev)
	en.st.vars = vars
	en.st.arena = en.st.arena[:0]
	out, err := en.vm.Run(p.prog, en.m)
	en.st.vars = nil
	if err != nil {
		if errors.Is(err, ErrMissingObject) {
			return nil, fmt.Errorf("observables: %s: %w", p.name, ErrMissingObject)
		}
		var fe *file.Error
		if errors.As(err, &fe) {
			msg := fe.Message
			for _, r := range internalNames {
				msg = strings.ReplaceAll(msg, r[0], r[1])
			}
			return nil, fmt.Errorf("observables: %s %q: %s", p.name, p.src, msg)
		}
		return nil, fmt.Errorf("observables: %s %q: %w", p.name, p.src, err)
	}
	return out, nil
}

// Eval evaluates the program on the finished event ev, with vars the values
// of the Compiler's Vars. Booleans give 1 or 0. The error wraps
// ErrMissingObject when the expression refers to an object the event does
// not have, and ErrNotFinite when the result is NaN or infinite.
func (p *Program) Eval(ev *Event, vars []float64) (float64, error) {
	out, err := p.run(ev, vars)
	if err != nil {
		return math.NaN(), err
	}
	x, ok := toFloat(out)
	if !ok {
		return math.NaN(), fmt.Errorf("observables: %s %q: result is %T, not a number", p.name, p.src, out)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x, fmt.Errorf("observables: %s: %w", p.name, ErrNotFinite)
	}
	return x, nil
}

// EvalBool evaluates the program as a cut: booleans as they are, numbers
// are true when non-zero (Python's truth value), NaN is false.
func (p *Program) EvalBool(ev *Event, vars []float64) (bool, error) {
	out, err := p.run(ev, vars)
	if err != nil {
		return false, err
	}
	if b, ok := out.(bool); ok {
		return b, nil
	}
	x, ok := toFloat(out)
	if !ok {
		return false, fmt.Errorf("observables: %s %q: result is %T, not a truth value", p.name, p.src, out)
	}
	return x != 0 && !math.IsNaN(x), nil
}
