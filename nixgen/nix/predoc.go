package nix

import (
	"strings"
	"unicode/utf8"
)

// This file holds the layout engine: a document of text, spacing and groups,
// and a greedy renderer that follows the one in nixfmt (src/Nixfmt/Predoc.hs),
// so that printed files are a fixed point of nixfmt --strict.

// spacing is a kind of whitespace. Consecutive spacings merge into the
// larger one, so the order of the constants matters.
type spacing uint8

const (
	softbreak spacing = iota // line break or nothing, only as needed
	brk                      // line break or nothing
	hardspace                // always a space
	softspace                // line break or space, only as needed
	space                    // line break or space
	hardline                 // always a line break
	emptyline                // two line breaks
	newlines                 // n line breaks
)

// groupAnn annotates a group: regular, priority (expanded first when the
// enclosing group does not fit) or transparent (its priority children belong
// to its parent).
type groupAnn uint8

const (
	regularG groupAnn = iota
	priorityG
	transparentG
)

// textAnn annotates a text: regular text, a comment (which does not count
// towards the width) or trailing text (printed only in expanded groups).
type textAnn uint8

const (
	regularT textAnn = iota
	commentT
	trailingT
)

type elemKind uint8

const (
	kText elemKind = iota
	kSpacing
	kGroup
)

// elem is one element of a document.
type elem struct {
	kind  elemKind
	sp    spacing  // kSpacing
	n     int      // kSpacing newlines: count
	gann  groupAnn // kGroup
	tann  textAnn  // kText
	level int      // kText: nesting level
	text  string   // kText
	width int      // kText: width in characters
	kids  doc      // kGroup
}

type doc []elem

func textW(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

func isHardSpacing(e *elem) bool {
	return e.kind == kSpacing && (e.sp == hardspace || e.sp >= hardline)
}

func isComment(e *elem) bool {
	switch e.kind {
	case kText:
		return e.tann == commentT
	case kGroup:
		for i := range e.kids {
			if !isComment(&e.kids[i]) && !isHardSpacing(&e.kids[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func mergeSpacings(x, xn int, y spacing, yn int) (spacing, int) {
	return mergeSp(spacing(x), xn, y, yn)
}

func mergeSp(x spacing, xn int, y spacing, yn int) (spacing, int) {
	if x > y {
		x, xn, y, yn = y, yn, x, xn
	}
	switch {
	case x == brk && y == softspace:
		return space, 0
	case x == brk && y == hardspace:
		return space, 0
	case x == softbreak && y == hardspace:
		return softspace, 0
	case x == newlines && y == newlines:
		return newlines, xn + yn
	case x == emptyline && y == newlines:
		return newlines, yn + 2
	case x == hardspace && y == newlines:
		return newlines, yn
	case y == newlines:
		return newlines, yn + 1
	}
	return y, yn
}

// fixup moves hard spacing and comments out of the start and end of groups,
// merges consecutive spacings and texts, and dissolves empty groups, as
// nixfmt's fixup does.
func fixup(d doc) doc {
	out := make(doc, 0, len(d))
	return fixupInto(out, d)
}

// push appends e to out, merging it with the previous element as fixup does.
func push(out doc, e elem) doc {
	if n := len(out); n > 0 {
		last := &out[n-1]
		if e.kind == kSpacing && last.kind == kSpacing {
			last.sp, last.n = mergeSp(last.sp, last.n, e.sp, e.n)
			return out
		}
		if e.kind == kText && last.kind == kText && last.tann == e.tann {
			last.text += e.text
			last.width += e.width
			return out
		}
	}
	return append(out, e)
}

func fixupInto(out doc, d doc) doc {
	for i := 0; i < len(d); i++ {
		e := d[i]
		if e.kind != kGroup {
			out = push(out, e)
			continue
		}
		// A hard space in front of a group moves into it.
		var inner doc
		if n := len(out); n > 0 && out[n-1].kind == kSpacing && out[n-1].sp == hardspace {
			out = out[:n-1]
			inner = make(doc, 0, len(e.kids)+1)
			inner = append(inner, elem{kind: kSpacing, sp: hardspace})
			inner = fixupInto(inner, e.kids)
		} else {
			inner = fixupInto(make(doc, 0, len(e.kids)), e.kids)
		}
		// Split off leading hard spacing and comments, and trailing hard
		// spacing.
		a := 0
		for a < len(inner) && (isHardSpacing(&inner[a]) || isComment(&inner[a])) {
			a++
		}
		z := len(inner)
		for z > a && isHardSpacing(&inner[z-1]) {
			z--
		}
		for _, p := range inner[:a] {
			out = push(out, p)
		}
		body := inner[a:z]
		if len(body) == 1 && body[0].kind == kGroup && body[0].gann == e.gann {
			body = body[0].kids
		}
		if len(body) > 0 {
			out = append(out, elem{kind: kGroup, gann: e.gann, kids: body})
		}
		for _, p := range inner[z:] {
			out = push(out, p)
		}
	}
	return out
}

// cont is the lookahead: the rest of the document after the element being
// rendered, as a chain of document tails.
type cont struct {
	d    doc
	next *cont
}

// walk calls f on each element of the lookahead chain, descending into
// groups, until f returns false.
func (c *cont) each(f func(e *elem) bool) bool {
	for ; c != nil; c = c.next {
		if !eachDoc(c.d, f) {
			return false
		}
	}
	return true
}

func eachDoc(d doc, f func(e *elem) bool) bool {
	for i := range d {
		if d[i].kind == kGroup {
			if !eachDoc(d[i].kids, f) {
				return false
			}
			continue
		}
		if !f(&d[i]) {
			return false
		}
	}
	return true
}

// firstLineWidth is the width of the first line of the lookahead when every
// break is taken.
func firstLineWidth(c *cont) int {
	w := 0
	c.each(func(e *elem) bool {
		switch e.kind {
		case kText:
			if e.tann != commentT {
				w += e.width
			}
			return true
		case kSpacing:
			if e.sp == hardspace {
				w++
				return true
			}
		}
		return false
	})
	return w
}

// firstLineWidthDoc is firstLineWidth for a single document followed by c.
func firstLineWidthDoc(d doc, c *cont) int {
	return firstLineWidth(&cont{d: d, next: c})
}

// nextIndent is the nesting level of the first text in the lookahead.
func nextIndent(c *cont) int {
	lvl := 0
	c.each(func(e *elem) bool {
		if e.kind == kText {
			lvl = e.level
			return false
		}
		return true
	})
	return lvl
}

// renderer is the state of the greedy layout.
type renderer struct {
	width   int // target width
	iw      int // indentation width
	out     []byte
	cc      int // column within the line, not counting indentation
	indents []indent
	scratch []byte
}

type indent struct{ ci, nl int }

// fits renders d flat into r.scratch if it fits into c columns. Trailing
// text is dropped and comments do not count.
func (r *renderer) fits(c int, d doc) bool {
	if c < 0 {
		return false
	}
	ok := true
	eachDoc(d, func(e *elem) bool {
		switch e.kind {
		case kText:
			switch e.tann {
			case trailingT:
				return true
			case commentT:
				r.scratch = append(r.scratch, e.text...)
				return true
			}
			c -= e.width
			if c < 0 {
				ok = false
				return false
			}
			r.scratch = append(r.scratch, e.text...)
		case kSpacing:
			switch e.sp {
			case softbreak, brk:
			case softspace, space, hardspace:
				c--
				if c < 0 {
					ok = false
					return false
				}
				r.scratch = append(r.scratch, ' ')
			default:
				ok = false
				return false
			}
		}
		return true
	})
	return ok
}

// firstLineFits reports whether the first line of the lookahead fits into
// target columns without breaking groups that fit.
func (r *renderer) firstLineFits(target, max int, c *cont) bool {
	rem := max
	var goDoc func(d doc, rest *cont) (done, res bool)
	goDoc = func(d doc, rest *cont) (bool, bool) {
		for i := range d {
			if rem < 0 {
				return true, false
			}
			e := &d[i]
			switch e.kind {
			case kText:
				if e.tann == regularT {
					rem -= e.width
				}
			case kSpacing:
				if e.sp == hardspace {
					rem--
					continue
				}
				return true, max-rem <= target
			case kGroup:
				tail := &cont{d: d[i+1:], next: rest}
				mark := len(r.scratch)
				if r.fits(rem-firstLineWidth(tail), e.kids) {
					rem -= textW(string(r.scratch[mark:]))
					r.scratch = r.scratch[:mark]
					continue
				}
				r.scratch = r.scratch[:mark]
				if done, res := goDoc(e.kids, tail); done {
					return true, res
				}
			}
		}
		if rem < 0 {
			return true, false
		}
		return false, false
	}
	for ; c != nil; c = c.next {
		if done, res := goDoc(c.d, c.next); done {
			return res
		}
	}
	return max-rem <= target
}

func (r *renderer) newline(n int) {
	for i := 0; i < n; i++ {
		r.out = append(r.out, '\n')
	}
	r.cc = 0
}

// putText prints a text at nesting level nl, indenting it when it starts a
// line.
func (r *renderer) putText(nl int, t string, w int) {
	for {
		top := r.indents[len(r.indents)-1]
		if nl > top.nl {
			ci := top.ci
			if r.cc == 0 {
				ci += r.iw
			}
			r.indents = append(r.indents, indent{ci, nl})
			break
		} else if nl < top.nl {
			r.indents = r.indents[:len(r.indents)-1]
			continue
		}
		break
	}
	if r.cc == 0 {
		ci := r.indents[len(r.indents)-1].ci
		for i := 0; i < ci; i++ {
			r.out = append(r.out, ' ')
		}
	}
	r.out = append(r.out, t...)
	r.cc += w
}

// render lays out d with rest as lookahead.
func (r *renderer) render(d doc, rest *cont) {
	for i := range d {
		r.one(&d[i], &cont{d: d[i+1:], next: rest})
	}
}

func (r *renderer) one(e *elem, rest *cont) {
	switch e.kind {
	case kText:
		r.putText(e.level, e.text, e.width)
	case kSpacing:
		if r.cc == 0 {
			return
		}
		switch e.sp {
		case brk, space, hardline:
			r.newline(1)
		case emptyline:
			r.newline(2)
		case newlines:
			r.newline(e.n)
		case hardspace:
			r.out = append(r.out, ' ')
			r.cc++
		case softbreak:
			if !r.firstLineFits(r.width-r.cc, r.width, rest) {
				r.newline(1)
			}
		case softspace:
			if r.firstLineFits(r.width-r.cc-1, r.width, rest) {
				r.out = append(r.out, ' ')
				r.cc++
			} else {
				r.newline(1)
			}
		}
	case kGroup:
		if r.group(e.kids, rest) {
			return
		}
		if e.gann != transparentG {
			segs := priorityGroups(e.kids)
			for i := len(segs) - 1; i >= 0; i-- {
				if r.priorityGroup(segs[i], rest) {
					return
				}
			}
		}
		r.render(e.kids, rest)
	}
}

type snapshot struct {
	out, cc int
	indents []indent
}

func (r *renderer) save() snapshot {
	return snapshot{len(r.out), r.cc, append([]indent(nil), r.indents...)}
}

func (r *renderer) restore(s snapshot) {
	r.out = r.out[:s.out]
	r.cc = s.cc
	r.indents = append(r.indents[:0], s.indents...)
}

// group tries to render grp on the rest of the current line, flat.
func (r *renderer) group(grp doc, rest *cont) bool {
	if len(grp) == 0 {
		return true
	}
	mark := len(r.scratch)
	defer func() { r.scratch = r.scratch[:mark] }()
	if r.cc == 0 {
		g := grp
		if g[0].kind == kSpacing {
			g = g[1:]
		} else if g[0].kind == kGroup && len(g[0].kids) > 0 && g[0].kids[0].kind == kSpacing {
			first := g[0]
			first.kids = first.kids[1:]
			g = append(doc{first}, g[1:]...)
		}
		nl := nextIndent(&cont{d: g})
		lastNL := r.indents[len(r.indents)-1].nl
		lineNL := lastNL
		if nl > lastNL {
			lineNL += r.iw
		}
		_ = lineNL // only used for trailing comments in nixfmt
		if !r.fits(r.width-firstLineWidth(rest), g) {
			return false
		}
		t := r.scratch[mark:]
		r.putText(nl, string(t), textW(string(t)))
		return true
	}
	if !r.fits(r.width-r.cc-firstLineWidth(rest), grp) {
		return false
	}
	t := r.scratch[mark:]
	r.out = append(r.out, t...)
	r.cc += textW(string(t))
	return true
}

// prioSeg is one priority group of a group, with what comes before and
// after it.
type prioSeg struct{ pre, prio, post doc }

// priorityGroups lists the priority groups of a group's children, looking
// through transparent groups.
func priorityGroups(d doc) []prioSeg {
	type seg struct {
		prio bool
		d    doc
	}
	var segs []seg
	var walk func(d doc)
	walk = func(d doc) {
		for _, e := range d {
			switch {
			case e.kind == kGroup && e.gann == priorityG:
				segs = append(segs, seg{true, e.kids})
			case e.kind == kGroup && e.gann == transparentG:
				walk(e.kids)
			default:
				if n := len(segs); n > 0 && !segs[n-1].prio {
					segs[n-1].d = append(segs[n-1].d, e)
				} else {
					segs = append(segs, seg{false, doc{e}})
				}
			}
		}
	}
	walk(d)
	var out []prioSeg
	for i, s := range segs {
		if !s.prio {
			continue
		}
		var pre, post doc
		for _, p := range segs[:i] {
			pre = append(pre, p.d...)
		}
		for _, p := range segs[i+1:] {
			post = append(post, p.d...)
		}
		out = append(out, prioSeg{pre, s.d, post})
	}
	return out
}

// unexpand returns d with all soft spacing made flat, without recursing into
// groups.
func unexpand(d doc) doc {
	out := make(doc, 0, len(d))
	for _, e := range d {
		if e.kind == kSpacing {
			switch e.sp {
			case space, softspace:
				e.sp = hardspace
			case brk, softbreak:
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

func (r *renderer) priorityGroup(s prioSeg, rest *cont) bool {
	snap := r.save()
	if !r.group(s.pre, &cont{d: s.prio, next: &cont{d: s.post, next: rest}}) {
		r.restore(snap)
		return false
	}
	r.render(s.prio, &cont{d: unexpand(s.post), next: rest})
	if !r.group(s.post, rest) {
		r.restore(snap)
		return false
	}
	return true
}

// layout renders d at the given width and returns the text with one final
// newline and no surrounding whitespace.
func layout(d doc, width, iw int) []byte {
	r := &renderer{width: width, iw: iw, indents: []indent{{0, 0}}}
	r.out = make([]byte, 0, 4096)
	top := elem{kind: kGroup, gann: regularG, kids: d}
	r.one(&top, nil)
	out := r.out
	// Strip surrounding whitespace and end with one newline.
	s := strings.TrimSpace(string(out))
	return append([]byte(s), '\n')
}
