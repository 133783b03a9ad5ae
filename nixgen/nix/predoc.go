package nix

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// unsafeBytes returns the bytes of s without copying; they are only read.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// bytesString returns b as a string without copying; b must not be changed
// afterwards.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

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
	gann  groupAnn // kGroup
	tann  textAnn  // kText
	n     int32    // kSpacing newlines: count
	level int32    // kText: nesting level
	width int32    // kText: width in characters
	text  string   // kText
	kids  doc      // kGroup
}

type doc []elem

// textW returns the width of s in characters: its length when it is
// ASCII, which is checked eight bytes at a time.
func textW(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(unsafeBytes(s[i:i+8]))&0x8080808080808080 != 0 {
			return utf8.RuneCountInString(s)
		}
	}
	for ; i < len(s); i++ {
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

func mergeSp(x spacing, xn int32, y spacing, yn int32) (spacing, int32) {
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
func fixup(p *printer, d doc) doc {
	return p.fixupInto(p.alloc(len(d))[:0], d)
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
			// nixfmt merges adjacent texts, keeping the nesting level of
			// the left one. Giving the right one that level has the same
			// effect on layout without building a new string.
			e.level = last.level
		}
	}
	return append(out, e)
}

func (p *printer) fixupInto(out doc, d doc) doc {
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
			inner = p.alloc(len(e.kids) + 1)[:0]
			inner = append(inner, elem{kind: kSpacing, sp: hardspace})
			inner = p.fixupInto(inner, e.kids)
		} else {
			inner = p.fixupInto(p.alloc(len(e.kids))[:0], e.kids)
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

// cont is a lookahead chain: a document tail followed by more.
type cont struct {
	d    doc
	next *cont
}

// firstLineWidthDoc is the width of the first line of d followed by the
// chain c when every break is taken.
func firstLineWidthDoc(d doc, c *cont) int {
	w, stop := flwDoc(d, 0)
	for ; !stop && c != nil; c = c.next {
		w, stop = flwDoc(c.d, w)
	}
	return w
}

// flwDoc adds the width of d up to its first line break to w, and reports
// whether a break was found.
func flwDoc(d doc, w int) (int, bool) {
	for i := range d {
		e := &d[i]
		switch e.kind {
		case kText:
			if e.tann != commentT {
				w += int(e.width)
			}
		case kSpacing:
			if e.sp != hardspace {
				return w, true
			}
			w++
		case kGroup:
			var stop bool
			if w, stop = flwDoc(e.kids, w); stop {
				return w, true
			}
		}
	}
	return w, false
}

// levelOf returns the nesting level of the first text of d.
func levelOf(d doc) (int, bool) {
	for i := range d {
		switch d[i].kind {
		case kText:
			return int(d[i].level), true
		case kGroup:
			if l, ok := levelOf(d[i].kids); ok {
				return l, true
			}
		}
	}
	return 0, false
}

// renderer is the state of the greedy layout.
type renderer struct {
	width   int // target width
	iw      int // indentation width
	out     []byte
	cc      int // column within the line, not counting indentation
	indents []indent
	scratch []byte
	saved   []indent // indentation stacks saved by snapshots
	// stack holds the lookahead: the rest of the document after the
	// element being rendered is stack[len-1], then stack[len-2], and so
	// on.
	stack []doc
}

type indent struct{ ci, nl int }

// firstLineWidth is the width of the first line of the lookahead when every
// break is taken.
func (r *renderer) firstLineWidth() int {
	w := 0
	for i := len(r.stack) - 1; i >= 0; i-- {
		var stop bool
		if w, stop = flwDoc(r.stack[i], w); stop {
			break
		}
	}
	return w
}

// chain returns the lookahead as a chain, for the rare walks that need to
// start in the middle of it.
func (r *renderer) chain() *cont {
	var c *cont
	for i := 0; i < len(r.stack); i++ {
		c = &cont{d: r.stack[i], next: c}
	}
	return c
}

// fits renders d flat into r.scratch if it fits into c columns. Trailing
// text is dropped and comments do not count.
func (r *renderer) fits(c int, d doc) bool {
	if c < 0 {
		return false
	}
	_, ok := r.fitsDoc(c, d)
	return ok
}

func (r *renderer) fitsDoc(c int, d doc) (int, bool) {
	for i := range d {
		e := &d[i]
		switch e.kind {
		case kText:
			switch e.tann {
			case trailingT:
				continue
			case commentT:
				r.scratch = append(r.scratch, e.text...)
				continue
			}
			c -= int(e.width)
			if c < 0 {
				return c, false
			}
			r.scratch = append(r.scratch, e.text...)
		case kSpacing:
			switch e.sp {
			case softbreak, brk:
			case softspace, space, hardspace:
				c--
				if c < 0 {
					return c, false
				}
				r.scratch = append(r.scratch, ' ')
			default:
				return c, false
			}
		case kGroup:
			var ok bool
			if c, ok = r.fitsDoc(c, e.kids); !ok {
				return c, false
			}
		}
	}
	return c, true
}

// firstLineFits reports whether the first line of the lookahead fits into
// target columns without breaking groups that fit.
func (r *renderer) firstLineFits(target, max int) bool {
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
					rem -= int(e.width)
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
				if r.fits(rem-firstLineWidthDoc(nil, tail), e.kids) {
					rem -= textW(bytesString(r.scratch[mark:]))
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
	for c := r.chain(); c != nil; c = c.next {
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
func (r *renderer) putText(nl int, t []byte, w int) {
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

// render lays out d, with the current stack as the lookahead after it.
func (r *renderer) render(d doc) {
	top := len(r.stack)
	r.stack = append(r.stack, nil)
	for i := range d {
		r.stack[top] = d[i+1:]
		r.one(&d[i])
	}
	r.stack = r.stack[:top]
}

func (r *renderer) one(e *elem) {
	switch e.kind {
	case kText:
		r.putText(int(e.level), unsafeBytes(e.text), int(e.width))
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
			r.newline(int(e.n))
		case hardspace:
			r.out = append(r.out, ' ')
			r.cc++
		case softbreak:
			if !r.firstLineFits(r.width-r.cc, r.width) {
				r.newline(1)
			}
		case softspace:
			if r.firstLineFits(r.width-r.cc-1, r.width) {
				r.out = append(r.out, ' ')
				r.cc++
			} else {
				r.newline(1)
			}
		}
	case kGroup:
		if r.group(e.kids) {
			return
		}
		if e.gann != transparentG && hasPriority(e.kids) {
			segs := priorityGroups(e.kids)
			for i := len(segs) - 1; i >= 0; i-- {
				if r.priorityGroup(segs[i]) {
					return
				}
			}
		}
		r.render(e.kids)
	}
}

// snapshot is the state of the renderer before a priority group is tried.
// The indentation stack is saved on r.saved, which is a stack too: drop
// pops it, whether the state was restored or not.
type snapshot struct {
	out, cc int
	saved   int // where the indentation stack starts in r.saved
}

func (r *renderer) save() snapshot {
	s := snapshot{len(r.out), r.cc, len(r.saved)}
	r.saved = append(r.saved, r.indents...)
	return s
}

func (r *renderer) restore(s snapshot) {
	r.out = r.out[:s.out]
	r.cc = s.cc
	r.indents = append(r.indents[:0], r.saved[s.saved:]...)
}

func (r *renderer) drop(s snapshot) {
	r.saved = r.saved[:s.saved]
}

// group tries to render grp flat on the rest of the current line, with the
// stack as lookahead.
func (r *renderer) group(grp doc) bool {
	if len(grp) == 0 {
		return true
	}
	mark := len(r.scratch)
	ok := r.groupAt(grp, mark)
	r.scratch = r.scratch[:mark]
	return ok
}

// groupAt is group, with the flat text rendered into r.scratch after mark.
func (r *renderer) groupAt(grp doc, mark int) bool {
	if r.cc == 0 {
		// At the start of a line, leading whitespace of the group is
		// dropped.
		g := grp
		var first doc
		if g[0].kind == kSpacing {
			g = g[1:]
		} else if g[0].kind == kGroup && len(g[0].kids) > 0 && g[0].kids[0].kind == kSpacing {
			first = g[0].kids[1:]
			g = g[1:]
		}
		nl, ok := levelOf(first)
		if !ok {
			nl, _ = levelOf(g)
		}
		c := r.width - r.firstLineWidth()
		if c < 0 {
			return false
		}
		c, ok = r.fitsDoc(c, first)
		if !ok {
			return false
		}
		if _, ok := r.fitsDoc(c, g); !ok {
			return false
		}
		t := r.scratch[mark:]
		r.putText(nl, t, textW(bytesString(t)))
		return true
	}
	if !r.fits(r.width-r.cc-r.firstLineWidth(), grp) {
		return false
	}
	t := r.scratch[mark:]
	r.out = append(r.out, t...)
	r.cc += textW(bytesString(t))
	return true
}

// hasPriority reports whether d holds a priority group, looking through
// transparent groups.
func hasPriority(d doc) bool {
	for i := range d {
		if d[i].kind == kGroup {
			if d[i].gann == priorityG {
				return true
			}
			if d[i].gann == transparentG && hasPriority(d[i].kids) {
				return true
			}
		}
	}
	return false
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

func (r *renderer) priorityGroup(s prioSeg) bool {
	snap := r.save()
	ok := r.tryPriorityGroup(s)
	if !ok {
		r.restore(snap)
	}
	r.drop(snap)
	return ok
}

// tryPriorityGroup renders s with its priority group expanded, and reports
// false when what comes before or after it does not fit.
func (r *renderer) tryPriorityGroup(s prioSeg) bool {
	top := len(r.stack)
	r.stack = append(r.stack, s.post, s.prio)
	ok := r.group(s.pre)
	r.stack = r.stack[:top]
	if !ok {
		return false
	}
	r.stack = append(r.stack, unexpand(s.post))
	r.render(s.prio)
	r.stack = r.stack[:top]
	return r.group(s.post)
}

// layout renders d at the given width and returns the text with one final
// newline and no surrounding whitespace. size is the expected length of
// the text.
func layout(d doc, width, iw, size int) []byte {
	r := &renderer{width: width, iw: iw, indents: []indent{{0, 0}}}
	r.out = make([]byte, 0, max(size, 64))
	top := elem{kind: kGroup, gann: regularG, kids: d}
	r.one(&top)
	out := bytes.TrimSpace(r.out)
	return append(out, '\n')
}
