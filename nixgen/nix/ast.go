package nix

import (
	"strings"
)

// Expr is a Nix expression. The set of expressions is sealed: only the types
// in this package implement it.
type Expr interface {
	nixExpr()
}

// Ident is a variable reference such as pkgs or config. It must be a valid
// Nix identifier; true, false and null are identifiers too, but Bool and
// Null are clearer.
type Ident string

// Int is an integer literal. A negative value prints as a negation, -1.
type Int int64

// Float is a floating-point literal. NaN and infinities cannot be written in
// Nix and are reported as errors.
type Float float64

// Bool is true or false.
type Bool bool

// Null is the null literal.
type Null struct{}

// Path is a path literal such as ./hosts/srv6 or ../../secrets/x.yaml. It must
// contain a slash and only the characters that a Nix path literal allows.
type Path string

// String is a string literal. It is a sequence of literal text and
// interpolations. The printer chooses between "double-quoted" and
// ”indented” form: the indented form is used only for multi-line text that
// survives Nix's indentation stripping unchanged.
type String struct {
	Parts []StrPart
}

// StrPart is one piece of a String: literal text, or, when Interp is not
// nil, an interpolated expression ${Interp}.
type StrPart struct {
	Text   string
	Interp Expr
}

// List is a list literal [ a b c ].
type List struct {
	Elems []Expr
}

// Attrs is an attribute set { a = 1; }, or rec { … } when Rec is set.
type Attrs struct {
	Rec   bool
	Items []Item
}

// Item is one entry of an attribute set or a let block: a *Binding or an
// *Inherit.
type Item interface {
	nixItem()
}

// AttrPath is an attribute path. Each element is one raw attribute name; the
// printer quotes names that are not plain identifiers, so an element may hold
// dots, slashes or spaces ("/home", "eth0.100").
type AttrPath []string

// Binding is path = value; with optional line comments printed above it.
type Binding struct {
	// Comments are printed as "# text" lines above the binding, one per
	// element.
	Comments []string
	Path     AttrPath
	Value    Expr
}

// Inherit is inherit a b; or, when From is not nil, inherit (From) a b;.
type Inherit struct {
	// Comments are printed as "# text" lines above the statement.
	Comments []string
	From     Expr
	Names    []string
}

// Select is attribute selection X.a.b, with an optional fallback X.a.b or
// Default.
type Select struct {
	X       Expr
	Path    AttrPath
	Default Expr
}

// Apply is function application Fn Arg. Use Call for several arguments.
type Apply struct {
	Fn  Expr
	Arg Expr
}

// Lambda is a function. Param names a plain parameter (x: body). Formals, when
// not nil, make it a set pattern ({ a, b ? 1, ... }: body); if both are set
// the pattern is bound to Param as well ({ a, ... }@Param: body).
type Lambda struct {
	Param   string
	Formals *Formals
	Body    Expr
}

// Formals is the set pattern of a function.
type Formals struct {
	Names []Formal
	// Ellipsis adds ... so that the function accepts other attributes.
	Ellipsis bool
}

// Formal is one name of a set pattern, with an optional default value.
type Formal struct {
	Name    string
	Default Expr
}

// Let is let Items in Body.
type Let struct {
	Items []Item
	Body  Expr
}

// With is with Scope; Body.
type With struct {
	Scope Expr
	Body  Expr
}

// If is if Cond then Then else Else.
type If struct {
	Cond, Then, Else Expr
}

// Op is a binary operator.
type Op string

// The binary operators of the Nix language.
const (
	OpEq     Op = "=="
	OpNeq    Op = "!="
	OpLt     Op = "<"
	OpLe     Op = "<="
	OpGt     Op = ">"
	OpGe     Op = ">="
	OpAnd    Op = "&&"
	OpOr     Op = "||"
	OpImpl   Op = "->"
	OpUpdate Op = "//"
	OpConcat Op = "++"
	OpAdd    Op = "+"
	OpSub    Op = "-"
	OpMul    Op = "*"
	OpDiv    Op = "/"
)

// BinOp is a binary operation L Op R. The printer adds parentheses where
// precedence requires them.
type BinOp struct {
	Op   Op
	L, R Expr
}

// Not is logical negation !X.
type Not struct {
	X Expr
}

// Neg is arithmetic negation -X.
type Neg struct {
	X Expr
}

func (Ident) nixExpr()  {}
func (Int) nixExpr()    {}
func (Float) nixExpr()  {}
func (Bool) nixExpr()   {}
func (Null) nixExpr()   {}
func (Path) nixExpr()   {}
func (String) nixExpr() {}
func (List) nixExpr()   {}
func (Attrs) nixExpr()  {}
func (Select) nixExpr() {}
func (Apply) nixExpr()  {}
func (Lambda) nixExpr() {}
func (Let) nixExpr()    {}
func (With) nixExpr()   {}
func (If) nixExpr()     {}
func (BinOp) nixExpr()  {}
func (Not) nixExpr()    {}
func (Neg) nixExpr()    {}

func (*Binding) nixItem() {}
func (*Inherit) nixItem() {}

// Str returns the string literal s.
func Str(s string) String {
	return String{Parts: []StrPart{{Text: s}}}
}

// Text returns a literal part of an interpolated string.
func Text(s string) StrPart { return StrPart{Text: s} }

// Interp returns the part ${e} of an interpolated string.
func Interp(e Expr) StrPart { return StrPart{Interp: e} }

// StrOf returns a string literal made of parts, for example
// StrOf(Text("--tls-san "), Interp(Ident("addr"))).
func StrOf(parts ...StrPart) String {
	return String{Parts: parts}
}

// Strs returns a list of string literals.
func Strs(ss ...string) List {
	l := List{Elems: make([]Expr, len(ss))}
	// One array holds the parts of all the strings.
	parts := make([]StrPart, len(ss))
	for i, s := range ss {
		parts[i].Text = s
		l.Elems[i] = String{Parts: parts[i : i+1 : i+1]}
	}
	return l
}

// ListOf returns the list [ elems ].
func ListOf(elems ...Expr) List { return List{Elems: elems} }

// Set returns the attribute set { items }.
func Set(items ...Item) Attrs { return Attrs{Items: items} }

// RecSet returns the recursive attribute set rec { items }.
func RecSet(items ...Item) Attrs { return Attrs{Rec: true, Items: items} }

// Bind returns the binding path = v;. The path is split on dots, so
// Bind("networking.firewall.enable", Bool(true)) gives three attribute
// names. Use BindPath for names that contain dots.
func Bind(path string, v Expr) *Binding {
	// The binding and its path are allocated together for the common
	// short paths.
	switch strings.Count(path, ".") {
	case 0:
		b := &struct {
			Binding
			p [1]string
		}{}
		b.p[0] = path
		b.Path, b.Value = b.p[:1:1], v
		return &b.Binding
	case 1:
		b := &struct {
			Binding
			p [2]string
		}{}
		b.p[0], b.p[1], _ = strings.Cut(path, ".")
		b.Path, b.Value = b.p[:2:2], v
		return &b.Binding
	case 2:
		b := &struct {
			Binding
			p [3]string
		}{}
		var rest string
		b.p[0], rest, _ = strings.Cut(path, ".")
		b.p[1], b.p[2], _ = strings.Cut(rest, ".")
		b.Path, b.Value = b.p[:3:3], v
		return &b.Binding
	}
	return &Binding{Path: strings.Split(path, "."), Value: v}
}

// BindPath returns the binding path = v; with each element of path taken as
// one raw attribute name.
func BindPath(path AttrPath, v Expr) *Binding {
	return &Binding{Path: path, Value: v}
}

// Comment returns b with comment lines added above it.
func (b *Binding) Comment(lines ...string) *Binding {
	b.Comments = append(b.Comments, lines...)
	return b
}

// InheritNames returns inherit names;.
func InheritNames(names ...string) *Inherit { return &Inherit{Names: names} }

// InheritFrom returns inherit (from) names;.
func InheritFrom(from Expr, names ...string) *Inherit {
	return &Inherit{From: from, Names: names}
}

// Ref returns the expression named by a dotted reference such as
// "disko.nixosModules.disko" or "config.sops.secrets.k3s.path": an identifier,
// followed by attribute selections.
func Ref(dotted string) Expr {
	parts := strings.Split(dotted, ".")
	if len(parts) == 1 {
		return Ident(parts[0])
	}
	return Select{X: Ident(parts[0]), Path: parts[1:]}
}

// Sel returns x.path… with each element of path one raw attribute name.
func Sel(x Expr, path ...string) Select { return Select{X: x, Path: path} }

// Call returns the application fn arg1 arg2 ….
func Call(fn Expr, args ...Expr) Expr {
	e := fn
	for _, a := range args {
		e = Apply{Fn: e, Arg: a}
	}
	return e
}

// Func returns the function param: body.
func Func(param string, body Expr) Lambda {
	return Lambda{Param: param, Body: body}
}

// FuncSet returns the function { names, ... }: body. With ellipsis the
// pattern ends in "...".
func FuncSet(names []string, ellipsis bool, body Expr) Lambda {
	f := &Formals{Ellipsis: ellipsis}
	for _, n := range names {
		f.Names = append(f.Names, Formal{Name: n})
	}
	return Lambda{Formals: f, Body: body}
}

// Module returns a NixOS module function { names, ... }: body.
func Module(names []string, body Expr) Lambda {
	return FuncSet(names, true, body)
}

// LetIn returns let items in body.
func LetIn(items []Item, body Expr) Let { return Let{Items: items, Body: body} }

// WithIn returns with scope; body.
func WithIn(scope, body Expr) With { return With{Scope: scope, Body: body} }

// IfThen returns if cond then t else e.
func IfThen(cond, t, e Expr) If { return If{Cond: cond, Then: t, Else: e} }

// Bin returns the binary operation l op r.
func Bin(l Expr, op Op, r Expr) BinOp { return BinOp{Op: op, L: l, R: r} }
