// Copyright ©2026 The goldmine Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package observables

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/expr-lang/expr/ast"
)

// This file gives expressions Python's numeric view of booleans, which
// MadMiner definition strings rely on (they are evaluated by Python's
// eval): True and False are the integers 1 and 0 in arithmetic and
// comparisons (1. * (e[0].pt > 50), (a > 1) + (b < 2), True == 1), any value
// has a truth value (0.7 if len(j) else 0.3, not x), and and/or return one of
// their operands (x > 40 and 0.9 or 0.5). The translation happens at compile
// time on the typed syntax tree (the pynum patcher below): statically typed
// booleans are converted with __b2i, values of unknown type (list elements,
// conditional expressions with mixed branches) go through __num at run
// time, and expressions whose types are numbers already are left alone, so
// that definitions without booleans run as fast as before.

func init() {
	register("__b2i", func(b bool) int {
		if b {
			return 1
		}
		return 0
	})
	register("__num", func(v any) any {
		if b, ok := v.(bool); ok {
			if b {
				return 1
			}
			return 0
		}
		return v
	})
	register("__truth", truth)
	register("__any", func(v any) bool {
		out := false
		eachItem(v, "any", func(x any) bool { out = truth(x); return !out })
		return out
	})
	register("__all", func(v any) bool {
		out := true
		eachItem(v, "all", func(x any) bool { out = truth(x); return out })
		return out
	})
	register("__sum", func(args ...any) any {
		if len(args) == 0 || len(args) > 2 {
			panic(fmt.Errorf("sum takes 1 or 2 arguments, got %d", len(args)))
		}
		// Python: integers (and booleans) add up to an integer, anything
		// with a float to a float.
		isInt, n, f := true, 0, 0.0
		add := func(x any) bool {
			switch x := x.(type) {
			case bool:
				if x {
					n++
				}
			case int:
				n += x
			default:
				v, ok := toFloat(x)
				if !ok {
					panic(fmt.Errorf("sum: cannot add %s", typeName(x)))
				}
				isInt = false
				f += v
			}
			return true
		}
		if len(args) == 2 {
			add(args[1])
		}
		eachItem(args[0], "sum", add)
		if isInt {
			return n
		}
		return f + float64(n)
	})
	register("__max", func(args ...any) any { return extremum("max", args, 1) })
	register("__min", func(args ...any) any { return extremum("min", args, -1) })
	register("__round", func(args ...any) any {
		if len(args) == 0 || len(args) > 2 {
			panic(fmt.Errorf("round takes 1 or 2 arguments, got %d", len(args)))
		}
		if len(args) == 1 {
			if i, ok := args[0].(int); ok {
				return i
			}
		}
		x, ok := toFloat(args[0])
		if !ok {
			panic(fmt.Errorf("round: argument is %s, not a number", typeName(args[0])))
		}
		if len(args) == 1 {
			// Python rounds half to even and returns an integer.
			r := math.RoundToEven(x)
			if math.IsNaN(r) || math.IsInf(r, 0) {
				panic(fmt.Errorf("round: cannot convert %v to an integer", x))
			}
			return int(r)
		}
		d, ok := args[1].(int)
		if !ok {
			if b, isB := args[1].(bool); isB {
				d = 0
				if b {
					d = 1
				}
			} else {
				panic(fmt.Errorf("round: digits are %s, not an integer", typeName(args[1])))
			}
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || d > 300 {
			return x
		}
		if d < 0 {
			p := math.Pow(10, float64(-d))
			return math.RoundToEven(x/p) * p
		}
		// Python rounds the exact binary value to d decimals, half to
		// even, as strconv does.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
		return r
	})
}

// extremum is Python's max (sign 1) or min (sign −1) of the arguments, or
// of the elements of a single list argument: the first extreme element,
// as it is (a boolean stays a boolean).
func extremum(fn string, args []any, sign float64) any {
	if len(args) == 1 {
		var items []any
		eachItem(args[0], fn, func(x any) bool { items = append(items, x); return true })
		if len(items) == 0 {
			panic(fmt.Errorf("%s of an empty list", fn))
		}
		args = items
	}
	if len(args) == 0 {
		panic(fmt.Errorf("%s needs at least one argument", fn))
	}
	best, bv := args[0], 0.0
	for i, x := range args {
		v, ok := toFloat(x)
		if !ok {
			panic(fmt.Errorf("%s: cannot compare %s", fn, typeName(x)))
		}
		if i == 0 || (sign > 0 && v > bv) || (sign < 0 && v < bv) {
			best, bv = x, v
		}
	}
	return best
}

// truth is Python's truth value: false for False, None, zero and empty
// collections, true otherwise (NaN included).
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case *Particle:
		return x != nil
	case []*Particle:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case string:
		return x != ""
	}
	if f, ok := toFloat(v); ok {
		return f != 0
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return rv.Len() > 0
	}
	return true
}

// eachItem calls fn for the elements of the list v until fn returns false.
func eachItem(v any, fn string, f func(any) bool) {
	switch l := v.(type) {
	case []any:
		for _, x := range l {
			if !f(x) {
				return
			}
		}
		return
	case []*Particle:
		for _, x := range l {
			if !f(x) {
				return
			}
		}
		return
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		panic(fmt.Errorf("%s: argument is %s, not a list", fn, typeName(v)))
	}
	for i := 0; i < rv.Len(); i++ {
		if !f(rv.Index(i).Interface()) {
			return
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *Particle:
		return "a particle"
	case []*Particle:
		return "a collection"
	case nil:
		return "None"
	}
	return fmt.Sprintf("%T", v)
}

// pynum rewrites the typed syntax tree so that booleans behave as Python's
// integers and every value has a truth value (see the top of this file). It
// is repeatable: expr re-checks the types between passes, until no node
// changes.
type pynum struct {
	applied bool
	lets    int // let variables introduced for and/or
}

func (v *pynum) Reset()             { v.applied = false }
func (v *pynum) ShouldRepeat() bool { return v.applied }

func isBoolType(n ast.Node) bool {
	t := n.Type()
	return t != nil && t.Kind() == reflect.Bool
}

func isUnknownType(n ast.Node) bool {
	t := n.Type()
	return t == nil || t.Kind() == reflect.Interface
}

// calls reports whether n calls one of the stateless functions fns.
func calls(n ast.Node, fns ...string) bool {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return false
	}
	k, ok := c.Callee.(*ast.ConstantNode)
	if !ok {
		return false
	}
	p := reflect.ValueOf(k.Value).Pointer()
	for _, f := range fns {
		if p == reflect.ValueOf(globalFuncs[f]).Pointer() {
			return true
		}
	}
	return false
}

// isCallTo reports whether n calls the stateless function fn.
func isCallTo(n ast.Node, fn string) bool { return calls(n, fn) }

// givesNumber reports whether n, though typed any, always gives a number:
// a particle method such as deltaphi.
func givesNumber(n ast.Node) bool { return calls(n, methodNames...) }

var (
	intType  = reflect.TypeFor[int]()
	boolType = reflect.TypeFor[bool]()
	anyType  = reflect.TypeFor[any]()
)

// wrap replaces *dst by fn(*dst), typed t until the next type check.
func (v *pynum) wrap(dst *ast.Node, fn string, t reflect.Type) {
	c := call((*dst).Location(), fn, *dst)
	c.SetType(t)
	*dst = c
	v.applied = true
}

// number makes the operand *dst a Python number: a boolean becomes 0 or 1,
// a value of unknown type is converted at run time. With onlyBool, values
// of unknown type are left alone.
func (v *pynum) number(dst *ast.Node, onlyBool bool) {
	switch n := *dst; {
	case isBoolType(n):
		v.wrap(dst, "__b2i", intType)
	case !onlyBool && isUnknownType(n) && !givesNumber(n) && !isCallTo(n, "__num"):
		v.wrap(dst, "__num", anyType)
	}
}

// truthy makes *dst a boolean with Python's truth value.
func (v *pynum) truthy(dst *ast.Node) {
	if !isBoolType(*dst) {
		v.wrap(dst, "__truth", boolType)
	}
}

func (v *pynum) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "+", "-":
			// Two operands of unknown type are added by __add/__sub (arith),
			// which take booleans as numbers.
			both := isUnknownType(n.Left) && isUnknownType(n.Right)
			v.number(&n.Left, both)
			v.number(&n.Right, both)
		case "*", "/", "**", "^", "%", "<", ">", "<=", ">=":
			v.number(&n.Left, false)
			v.number(&n.Right, false)
		case "==", "!=":
			// Python compares booleans with numbers as 0 and 1; two values
			// of unknown type (such as particles) are compared as they are.
			if isBoolType(n.Left) && isBoolType(n.Right) {
				return
			}
			if isUnknownType(n.Left) && isUnknownType(n.Right) {
				return
			}
			v.number(&n.Left, false)
			v.number(&n.Right, false)
		case "and", "&&", "or", "||":
			if isBoolType(n.Left) && isBoolType(n.Right) {
				return
			}
			v.logic(node, n)
		}
	case *ast.UnaryNode:
		switch n.Operator {
		case "-", "+":
			v.number(&n.Node, false)
		case "not", "!":
			v.truthy(&n.Node)
		}
	case *ast.ConditionalNode:
		v.truthy(&n.Cond)
	case *ast.BuiltinNode:
		switch n.Name {
		case "filter":
			if len(n.Arguments) == 2 {
				if c, ok := n.Arguments[1].(*ast.PredicateNode); ok {
					v.truthy(&c.Node)
				}
			}
		case "abs", "int", "float", "ceil", "floor":
			for i := range n.Arguments {
				v.number(&n.Arguments[i], false)
			}
		}
	case *ast.CallNode:
		if _, ok := n.Callee.(*ast.IdentifierNode); ok {
			// The math functions (expr.Function) take numbers only.
			for i := range n.Arguments {
				v.number(&n.Arguments[i], true)
			}
		}
	}
}

// logic rewrites a and b (a or b) with an operand that is not a boolean
// into Python's form, which returns an operand: let t = a; truth(t) ? b : t
// (truth(t) ? t : b). b is evaluated only when needed, as in Python.
func (v *pynum) logic(node *ast.Node, n *ast.BinaryNode) {
	name := "__t" + strconv.Itoa(v.lets)
	v.lets++
	loc := n.Location()
	ref := func() ast.Node {
		id := &ast.IdentifierNode{Value: name}
		id.SetLocation(loc)
		return id
	}
	c := &ast.ConditionalNode{Cond: call(loc, "__truth", ref())}
	if n.Operator == "and" || n.Operator == "&&" {
		c.Exp1, c.Exp2 = n.Right, ref()
	} else {
		c.Exp1, c.Exp2 = ref(), n.Right
	}
	c.SetLocation(loc)
	d := &ast.VariableDeclaratorNode{Name: name, Value: n.Left, Expr: c}
	d.SetLocation(loc)
	*node = d
	v.applied = true
}
