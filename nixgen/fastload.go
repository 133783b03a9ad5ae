package nixgen

import (
	"bytes"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// fastDecode decodes an HCL inventory straight into inv, without building
// a syntax tree, when src keeps to the plain subset of HCL that
// inventories are written in:
//
//   - ASCII text with LF line endings, but for comments, and for quoted
//     strings without escapes, $ or %, which may hold any UTF-8 text;
//   - blocks with quoted or bare labels, one argument per line;
//   - values that are quoted strings without interpolation, directives or
//     \u escapes, heredocs without interpolation, whole numbers, true and
//     false, and lists and objects of those;
//   - # and // comments.
//
// It reports false as soon as src leaves that subset or holds anything
// the full path would reject: a syntax error, an unknown or repeated
// argument, a missing required argument, a value of another type. The
// caller then parses src with hclsyntax and decodes the tree, which yields
// the same inventory for every input this function accepts (the tests
// compare both on every inventory in the repository and under fuzzing)
// and gives the diagnostics for the others. On the 1000-host benchmark
// inventory, decoding this way takes about 30 ms on two processors, where
// lexing, parsing and decoding the tree takes about 1.2 s: hclsyntax's
// column counting walks every token by grapheme cluster.
func fastDecode(name string, src []byte, inv *Inventory) bool {
	return fastDecodeStop(name, src, inv) < 0
}

// fastDecodeStop is fastDecode, returning -1 on success or else the offset
// in src at which it gave up. A large src is cut into one part per
// processor, each decoded on its own goroutine (see [fastDecodeParts]);
// when that fails, src is decoded in one piece.
func fastDecodeStop(name string, src []byte, inv *Inventory) int {
	if n := runtime.GOMAXPROCS(0); n > 1 && len(src) >= parallelDecodeMin {
		if cuts := topLevelCuts(src, n); len(cuts) > 0 && fastDecodeParts(name, src, inv, cuts) {
			return -1
		}
		*inv = Inventory{}
	}
	p := newFastParser(name, src, 0, 1)
	stop, seenAttrs, seenBlocks := p.top(inv)
	if stop < 0 && !p.d.infoOf(reflect.TypeFor[Inventory]()).hasRequired(seenAttrs, seenBlocks) {
		stop = len(src)
	}
	return stop
}

// parallelDecodeMin is the size from which fastDecodeStop decodes parts of
// src in parallel: about 30 hosts.
const parallelDecodeMin = 64 << 10

// newFastParser returns a parser of src from offset pos, the start of line
// number line.
func newFastParser(name string, src []byte, pos, line int) *fastParser {
	return &fastParser{
		src: src, name: name, pos: pos, line: line, lineStart: pos,
		d:       &decoder{infos: make(map[reflect.Type]*structInfo)},
		lengths: map[reflect.Type]int{},
	}
}

// top decodes the top-level body from pos to the end of p.src into inv. It
// returns the offset at which it gave up, or -1, and the attributes and
// blocks seen, by bit.
func (p *fastParser) top(inv *Inventory) (stop int, seenAttrs, seenBlocks uint64) {
	defer func() {
		if r := recover(); r != nil {
			if _, bail := r.(fastBail); !bail {
				panic(r)
			}
			stop = p.pos
		}
	}()
	seenAttrs, seenBlocks = p.body(reflect.ValueOf(inv).Elem(), true)
	return -1, seenAttrs, seenBlocks
}

// topLevelCuts guesses n-1 offsets that cut src into n parts of about the
// same size, each at the start of a line that follows a line holding only
// "}", where a top-level block is likely to have ended. The guesses need
// not be right: [fastDecodeParts] checks them.
func topLevelCuts(src []byte, n int) []int {
	var cuts []int
	from := 0
	for k := 1; k < n; k++ {
		at := max(from, k*len(src)/n)
		i := bytes.Index(src[at:], []byte("\n}\n"))
		if i < 0 {
			break
		}
		cut := at + i + 3
		if cut >= len(src) {
			break
		}
		cuts = append(cuts, cut)
		from = cut
	}
	return cuts
}

// fastDecodeParts decodes src cut at the offsets cuts, each part on its
// own goroutine, and puts the parts together into inv. It reports false,
// and inv is to be discarded, when any part is not a whole sequence of
// top-level items, or when the parts repeat what may be given once.
//
// Decoding in parts gives what decoding in one piece gives: a part that
// decodes to its end as a top-level body is a sequence of whole items,
// since every item ends with a newline, so that decoding in one piece
// would be at the start of a top-level item, on the same line, at the
// start of the next part.
func fastDecodeParts(name string, src []byte, inv *Inventory, cuts []int) bool {
	bounds := append(append([]int{0}, cuts...), len(src))
	type part struct {
		inv                   Inventory
		ok                    bool
		seenAttrs, seenBlocks uint64
		panicked              any
	}
	parts := make([]part, len(bounds)-1)
	var wg sync.WaitGroup
	for k := range parts {
		start, end := bounds[k], bounds[k+1]
		if start >= end || start > 0 && src[start-1] != '\n' {
			return false
		}
		line := 1 + bytes.Count(src[:start], []byte("\n"))
		wg.Go(func() {
			pt := &parts[k]
			defer func() {
				// A panic other than giving up is raised again in the
				// caller, whose Parse turns it into a diagnostic.
				if r := recover(); r != nil {
					pt.ok, pt.panicked = false, r
				}
			}()
			p := newFastParser(name, src[:end], start, line)
			var stop int
			stop, pt.seenAttrs, pt.seenBlocks = p.top(&pt.inv)
			pt.ok = stop < 0
		})
	}
	wg.Wait()
	for k := range parts {
		if parts[k].panicked != nil {
			panic(parts[k].panicked)
		}
		if !parts[k].ok {
			return false
		}
	}

	// Put the parts together: what is given once comes from the one
	// part that gives it, lists of blocks are joined in order.
	si := (&decoder{infos: make(map[reflect.Type]*structInfo)}).infoOf(reflect.TypeFor[Inventory]())
	dst := reflect.ValueOf(inv).Elem()
	var seenAttrs, seenBlocks uint64
	for k := range parts {
		pt := &parts[k]
		if pt.seenAttrs&seenAttrs != 0 {
			return false // an argument given twice
		}
		seenAttrs |= pt.seenAttrs
		from := reflect.ValueOf(&pt.inv).Elem()
		for i, a := range si.attrs {
			if pt.seenAttrs&(1<<i) == 0 {
				continue
			}
			for _, f := range []int{a.index, a.rangeIdx, a.nameRangeIdx, a.valueRangeIdx} {
				if f >= 0 {
					dst.Field(f).Set(from.Field(f))
				}
			}
		}
		for i, b := range si.blocks {
			if pt.seenBlocks&(1<<i) == 0 {
				continue
			}
			fv, add := dst.Field(b.index), from.Field(b.index)
			switch {
			case !b.slice && seenBlocks&(1<<i) != 0:
				return false // a block given twice
			case !b.slice || fv.Len() == 0:
				fv.Set(add)
			default:
				joined := reflect.MakeSlice(fv.Type(), fv.Len()+add.Len(), fv.Len()+add.Len())
				reflect.Copy(joined, fv)
				reflect.Copy(joined.Slice(fv.Len(), joined.Len()), add)
				fv.Set(joined)
			}
		}
		seenBlocks |= pt.seenBlocks
	}
	return si.hasRequired(seenAttrs, seenBlocks)
}

// fastBail is the panic value with which fastParser gives up.
type fastBail struct{}

// fastParser is the state of one fastDecode.
type fastParser struct {
	src  []byte
	name string
	// pos is the offset of the next byte; line and lineStart are the line
	// number of pos and the offset at which that line starts.
	pos, line, lineStart int
	// shift is how many more bytes than columns the current line has up
	// to pos: non-ASCII strings take several bytes a column.
	shift int
	d     *decoder
	// lengths holds, per block type, the length of the last list of
	// blocks of that type.
	lengths map[reflect.Type]int
}

func (p *fastParser) bail() {
	panic(fastBail{})
}

// at returns the position of offset i, which lies on the current line,
// after any non-ASCII string read on it (see shift).
func (p *fastParser) at(i int) hcl.Pos {
	return hcl.Pos{Line: p.line, Column: i - p.lineStart + 1 - p.shift, Byte: i}
}

// rng returns the range from offset i to offset j on the current line,
// both after any non-ASCII string read on it.
func (p *fastParser) rng(i, j int) hcl.Range {
	return hcl.Range{Filename: p.name, Start: p.at(i), End: p.at(j)}
}

// spaces skips blanks on the current line.
func (p *fastParser) spaces() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// endOfLine consumes the end of an item: blanks, then a line comment, a
// newline or the end of the file. It reports false, consuming nothing but
// blanks, when something else follows.
func (p *fastParser) endOfLine() bool {
	p.spaces()
	if p.pos == len(p.src) {
		return true
	}
	switch p.src[p.pos] {
	case '\n':
	case '#':
	case '/':
		if p.pos+1 >= len(p.src) || p.src[p.pos+1] != '/' {
			return false
		}
	default:
		return false
	}
	p.comment()
	if p.pos < len(p.src) {
		p.newline()
	}
	return true
}

// comment skips a line comment up to the newline that ends it. A comment
// may hold any UTF-8 text, which changes no column: nothing follows it on
// its line.
func (p *fastParser) comment() {
	start := p.pos
	ascii := true
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\n' {
			break
		}
		if c == '\r' || c == 0 {
			p.bail()
		}
		ascii = ascii && c < utf8.RuneSelf
		p.pos++
	}
	if !ascii && !utf8.Valid(p.src[start:p.pos]) {
		p.bail()
	}
}

// newline consumes the newline at pos.
func (p *fastParser) newline() {
	p.pos++
	p.line++
	p.lineStart = p.pos
	p.shift = 0
}

// skipLayout skips blanks, newlines and line comments, as inside brackets
// and between the items of a body.
func (p *fastParser) skipLayout() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t':
			p.pos++
		case c == '\n':
			p.newline()
		case c == '#' || c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/':
			p.comment()
		default:
			return
		}
	}
}

func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || '0' <= c && c <= '9' || c == '-'
}

// ident reads an identifier at pos and returns its offsets.
func (p *fastParser) ident() (int, int) {
	start := p.pos
	if start >= len(p.src) || !isIdentStart(p.src[start]) {
		p.bail()
	}
	p.pos++
	for p.pos < len(p.src) && isIdentPart(p.src[p.pos]) {
		p.pos++
	}
	return start, p.pos
}

// quoted reads a quoted string at pos and returns its value and range,
// quotes included.
func (p *fastParser) quoted() (string, hcl.Range) {
	start := p.at(p.pos)
	p.pos++ // the opening quote
	plain, ascii := true, true
	for {
		if p.pos >= len(p.src) {
			p.bail()
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			body := p.src[start.Byte+1 : p.pos]
			p.pos++
			if !ascii {
				// A column counts a grapheme cluster, not a byte.
				// hclsyntax counts them per token, and a string is
				// one token when it holds no escape, $ or %.
				if !plain || bytes.ContainsAny(body, "$%") || !utf8.Valid(body) {
					p.bail()
				}
				p.shift += len(body) - graphemeCount(body)
			}
			var s string
			if plain {
				s = string(body)
			} else {
				s = unescapeQuoted(body)
			}
			return s, hcl.Range{Filename: p.name, Start: start, End: p.at(p.pos)}
		case c < 0x20 || c == 0x7f:
			p.bail()
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				p.bail()
			}
			switch p.src[p.pos+1] {
			case 'n', 'r', 't', '"', '\\':
			default:
				// \u, \U and invalid escapes
				p.bail()
			}
			plain = false
			p.pos += 2
			continue
		case c == '$' || c == '%':
			// An interpolation, a directive, or their escaped forms.
			if p.pos+1 < len(p.src) && (p.src[p.pos+1] == '{' || p.src[p.pos+1] == c) {
				p.bail()
			}
		}
		p.pos++
	}
}

// str reads a quoted string at pos that is a value, and returns it as
// HCL's expressions evaluate it, in Unicode normal form C, with its range.
// (Block labels are taken as they are written.)
func (p *fastParser) str() (string, hcl.Range) {
	s, r := p.quoted()
	if r.End.Column-r.Start.Column != r.End.Byte-r.Start.Byte {
		// Fewer columns than bytes: not ASCII.
		s = cty.NormalizeString(s)
	}
	return s, r
}

// heredoc reads a heredoc string at pos, <<MARKER or <<-MARKER, up to the
// end of its closing marker, and returns its value and range. Its lines
// are taken as they are, since a heredoc has no escapes; a flush heredoc
// (<<-) loses the indentation its least indented line has, not counting
// blank lines, as HCL's parser strips it.
func (p *fastParser) heredoc() (string, hcl.Range) {
	start := p.mark()
	if !bytes.HasPrefix(p.src[p.pos:], []byte("<<")) {
		p.bail()
	}
	p.pos += 2
	flush := p.pos < len(p.src) && p.src[p.pos] == '-'
	if flush {
		p.pos++
	}
	ms, me := p.ident()
	marker := p.src[ms:me]
	if p.pos >= len(p.src) || p.src[p.pos] != '\n' {
		p.bail()
	}
	p.newline()
	var lines [][]byte // each with its newline
	minIndent := -1
	for {
		nl := bytes.IndexByte(p.src[p.pos:], '\n')
		if nl < 0 {
			p.bail()
		}
		line := p.src[p.pos : p.pos+nl+1]
		if bytes.Equal(bytes.Trim(line, " \t\n"), marker) {
			p.pos += nl
			break
		}
		for i, c := range line[:nl] {
			if c < 0x20 && c != '\t' || c >= 0x7f {
				p.bail()
			}
			if (c == '$' || c == '%') && i+1 < len(line) && (line[i+1] == '{' || line[i+1] == c) {
				// An interpolation, a directive, or their escaped forms.
				p.bail()
			}
		}
		lines = append(lines, line)
		if rest := len(bytes.TrimLeft(line, " \t")); rest > 1 {
			// Not a blank line
			if indent := len(line) - rest; minIndent < 0 || indent < minIndent {
				minIndent = indent
			}
		}
		p.pos += nl
		p.newline()
	}
	var b []byte
	for _, line := range lines {
		if flush && minIndent > 0 && len(bytes.TrimLeft(line, " \t")) > 1 {
			line = line[minIndent:]
		}
		b = append(b, line...)
	}
	return string(b), p.rangeFrom(start)
}

// unescapeQuoted returns the value of the body of a quoted string that
// holds only the escapes quoted accepts.
func unescapeQuoted(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch b[i] {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default: // '"' and '\\'
			out = append(out, b[i])
		}
	}
	return string(out)
}

// body decodes the items of a body into the struct v, up to the closing
// brace (consumed) or, at the top level, the end of the file.
func (p *fastParser) body(v reflect.Value, top bool) (seenAttrs, seenBlocks uint64) {
	si := p.d.infoOf(v.Type())
	if si.gohcl || si.special || len(si.attrs) > 64 || len(si.blocks) > 64 {
		p.bail()
	}
	var counts []int // blocks decoded into each slice field
	for {
		p.skipLayout()
		if p.pos >= len(p.src) {
			if !top {
				p.bail()
			}
			break
		}
		if p.src[p.pos] == '}' {
			if top {
				p.bail()
			}
			p.pos++
			break
		}
		ns, ne := p.ident()
		nameRange := p.rng(ns, ne)
		p.spaces()
		if p.pos < len(p.src) && p.src[p.pos] == '=' {
			i, known := si.attrByName[string(p.src[ns:ne])]
			if !known || seenAttrs&(1<<i) != 0 {
				p.bail()
			}
			seenAttrs |= 1 << i
			p.pos++
			p.spaces()
			a := &si.attrs[i]
			valueRange := p.value(v.Field(a.index))
			if a.rangeIdx >= 0 {
				setRange(v.Field(a.rangeIdx), hcl.RangeBetween(nameRange, valueRange))
			}
			if a.nameRangeIdx >= 0 {
				setRange(v.Field(a.nameRangeIdx), nameRange)
			}
			if a.valueRangeIdx >= 0 {
				setRange(v.Field(a.valueRangeIdx), valueRange)
			}
			if !p.endOfLine() {
				p.bail()
			}
			continue
		}
		i, known := si.blockByName[string(p.src[ns:ne])]
		if !known {
			p.bail()
		}
		b := &si.blocks[i]
		fv := v.Field(b.index)
		var ev reflect.Value
		switch {
		case b.slice:
			if counts == nil {
				counts = make([]int, len(si.blocks))
			}
			n := counts[i]
			if n == fv.Cap() {
				// The first array is as long as the last list of such
				// blocks was: in a fleet, the next host most likely has
				// as many disks as the one before.
				size := 2 * n
				if n == 0 {
					size = p.lengths[b.elem]
				}
				grown := reflect.MakeSlice(fv.Type(), n+1, max(size, n+1))
				reflect.Copy(grown, fv)
				fv.Set(grown)
			} else {
				fv.SetLen(n + 1)
			}
			ev = fv.Index(n)
			counts[i]++
		case seenBlocks&(1<<i) != 0:
			p.bail()
		default:
			ev = fv
		}
		seenBlocks |= 1 << i
		if b.ptr {
			ptr := reflect.New(b.elem)
			ev.Set(ptr)
			ev = ptr.Elem()
		}
		p.block(ev, nameRange)
	}
	// What the full path would reject: a missing required argument or
	// block. The top level is checked once its parts are put together.
	if !top && !si.hasRequired(seenAttrs, seenBlocks) {
		p.bail()
	}
	// Slices of blocks end with their length as capacity, as the full
	// path makes them, so that appending to one never writes into
	// another's array.
	for i, n := range counts {
		if n > 0 {
			b := &si.blocks[i]
			fv := v.Field(b.index)
			fv.Set(fv.Slice3(0, n, n))
			p.lengths[b.elem] = n
		}
	}
	return seenAttrs, seenBlocks
}

// hasRequired reports whether the attributes and blocks seen, by bit,
// include every required one.
func (si *structInfo) hasRequired(seenAttrs, seenBlocks uint64) bool {
	return seenAttrs&si.requiredAttrs == si.requiredAttrs && seenBlocks&si.requiredBlocks == si.requiredBlocks
}

// block decodes the labels and body of a block whose type, at typeRange,
// has been read, into the struct v.
func (p *fastParser) block(v reflect.Value, typeRange hcl.Range) {
	si := p.d.infoOf(v.Type())
	defRange := typeRange
	for n := 0; ; n++ {
		p.spaces()
		if p.pos >= len(p.src) {
			p.bail()
		}
		var label string
		var r hcl.Range
		switch c := p.src[p.pos]; {
		case c == '{':
			if n != len(si.labels) {
				p.bail()
			}
			p.pos++
			// A body on the same line as its brace is a one-line block;
			// leave those to the full path, but for an empty one.
			if p.spaces(); (p.pos >= len(p.src) || p.src[p.pos] != '}') && !p.endOfLine() {
				p.bail()
			}
			p.body(v, false)
			if !p.endOfLine() {
				p.bail()
			}
			if si.typeRange >= 0 {
				setRange(v.Field(si.typeRange), typeRange)
			}
			if si.defRange >= 0 {
				setRange(v.Field(si.defRange), defRange)
			}
			return
		case c == '"':
			label, r = p.quoted()
		case isIdentStart(c):
			s, e := p.ident()
			label, r = string(p.src[s:e]), p.rng(s, e)
		default:
			p.bail()
		}
		if n >= len(si.labels) {
			p.bail()
		}
		v.Field(si.labels[n].index).SetString(label)
		if ri := si.labels[n].rangeIdx; ri >= 0 {
			setRange(v.Field(ri), r)
		}
		defRange = hcl.RangeBetween(typeRange, r)
	}
}

// value decodes the value at pos into the field fv and returns its range.
// The value must be of the field's own type: a string for a string, a
// whole number for an integer, true or false for a bool, a list of those
// for a slice. Anything that would need a conversion is left to the full
// path.
func (p *fastParser) value(fv reflect.Value) hcl.Range {
	t := fv.Type()
	switch t.Kind() {
	case reflect.Pointer:
		ptr := reflect.New(t.Elem())
		r := p.value(ptr.Elem())
		fv.Set(ptr)
		return r
	case reflect.Slice:
		return p.list(fv)
	case reflect.Map:
		return p.object(fv)
	case reflect.Struct:
		if t != ctyValueType {
			p.bail()
		}
		v, r := p.dynamic()
		fv.Set(reflect.ValueOf(v))
		return r
	default:
		return p.scalar(fv)
	}
}

// scalar decodes a string, whole number or bool into fv.
func (p *fastParser) scalar(fv reflect.Value) hcl.Range {
	if p.pos >= len(p.src) {
		p.bail()
	}
	c := p.src[p.pos]
	switch fv.Kind() {
	case reflect.String:
		switch {
		case c == '"':
			s, r := p.str()
			fv.SetString(s)
			return r
		case c == '<':
			s, r := p.heredoc()
			fv.SetString(s)
			return r
		case '0' <= c && c <= '9':
			// Converted as HCL converts a number to a string.
			n, r := p.number()
			fv.SetString(strconv.FormatUint(n, 10))
			return r
		default:
			p.bail()
		}
	case reflect.Bool:
		s, e := p.ident()
		switch string(p.src[s:e]) {
		case "true":
			fv.SetBool(true)
		case "false":
			fv.SetBool(false)
		default:
			p.bail()
		}
		return p.rng(s, e)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, r := p.number()
		if fv.OverflowInt(int64(n)) {
			p.bail()
		}
		fv.SetInt(int64(n))
		return r
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, r := p.number()
		if fv.OverflowUint(n) {
			p.bail()
		}
		fv.SetUint(n)
		return r
	}
	panic(fastBail{})
}

// number reads a whole number of at most 15 digits, which every integer
// type above int16 holds and which a float64 holds exactly.
func (p *fastParser) number() (uint64, hcl.Range) {
	start := p.pos
	for p.pos < len(p.src) && '0' <= p.src[p.pos] && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == start || p.pos-start > 15 {
		p.bail()
	}
	if p.pos < len(p.src) {
		// A fraction, an exponent, or a token glued to the number.
		if c := p.src[p.pos]; c == '.' || isIdentPart(c) {
			p.bail()
		}
	}
	n, err := strconv.ParseUint(string(p.src[start:p.pos]), 10, 64)
	if err != nil {
		p.bail()
	}
	return n, p.rng(start, p.pos)
}

// list decodes a list into the slice fv.
func (p *fastParser) list(fv reflect.Value) hcl.Range {
	t := fv.Type()
	et := t.Elem()
	if k := et.Kind(); k == reflect.Slice || k == reflect.Pointer || k == reflect.Struct ||
		k == reflect.Map || k == reflect.Interface {
		p.bail()
	}
	if et == stringType {
		strs := []string{}
		r := p.elements(func() {
			if p.src[p.pos] != '"' {
				p.bail()
			}
			s, _ := p.str()
			strs = append(strs, s)
		})
		strs = strs[:len(strs):len(strs)]
		if t == stringsType {
			*fv.Addr().Interface().(*[]string) = strs
		} else {
			fv.Set(reflect.ValueOf(strs).Convert(t))
		}
		return r
	}
	var elems []reflect.Value
	r := p.elements(func() {
		ev := reflect.New(et).Elem()
		p.scalar(ev)
		elems = append(elems, ev)
	})
	s := reflect.MakeSlice(t, len(elems), len(elems))
	for i, ev := range elems {
		s.Index(i).Set(ev)
	}
	fv.Set(s)
	return r
}

// elements reads a list at pos, calling element with pos at the start of
// each element, and returns the list's range.
func (p *fastParser) elements(element func()) hcl.Range {
	if p.pos >= len(p.src) || p.src[p.pos] != '[' {
		p.bail()
	}
	start := p.mark()
	p.pos++
	for {
		p.skipLayout()
		if p.pos >= len(p.src) {
			p.bail()
		}
		if p.src[p.pos] == ']' {
			break
		}
		element()
		p.skipLayout()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
		} else if p.pos >= len(p.src) || p.src[p.pos] != ']' {
			p.bail()
		}
	}
	p.pos++
	return p.rangeFrom(start)
}

// members reads an object at pos, whose keys are names or quoted strings,
// calling member with each key and pos at the start of its value, and
// returns the object's range. A key given twice is left to the full path.
func (p *fastParser) members(member func(key string)) hcl.Range {
	if p.pos >= len(p.src) || p.src[p.pos] != '{' {
		p.bail()
	}
	start := p.mark()
	p.pos++
	var seen map[string]bool
	for {
		p.skipLayout()
		if p.pos >= len(p.src) {
			p.bail()
		}
		if p.src[p.pos] == '}' {
			break
		}
		key := p.objectKey()
		if seen[key] {
			p.bail()
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[key] = true
		member(key)
		p.itemEnd()
	}
	p.pos++
	return p.rangeFrom(start)
}

// mark is a position of the source, kept to make a range that may end on
// another line.
type mark struct {
	pos hcl.Pos
}

// mark returns the position of pos.
func (p *fastParser) mark() mark {
	return mark{p.at(p.pos)}
}

// rangeFrom returns the range from m to pos.
func (p *fastParser) rangeFrom(m mark) hcl.Range {
	return hcl.Range{Filename: p.name, Start: m.pos, End: p.at(p.pos)}
}

var (
	stringType   = reflect.TypeFor[string]()
	stringsType  = reflect.TypeFor[[]string]()
	ctyValueType = reflect.TypeFor[cty.Value]()
)

// dynamic reads a value of any type at pos for a cty.Value field, and
// returns it as HCL's expressions evaluate it, with its range.
func (p *fastParser) dynamic() (cty.Value, hcl.Range) {
	if p.pos >= len(p.src) {
		p.bail()
	}
	switch c := p.src[p.pos]; {
	case c == '"':
		s, r := p.str()
		return cty.StringVal(s), r
	case c == '<':
		s, r := p.heredoc()
		return cty.StringVal(s), r
	case '0' <= c && c <= '9':
		_, r := p.number()
		n, err := cty.ParseNumberVal(string(p.src[r.Start.Byte:r.End.Byte]))
		if err != nil {
			p.bail()
		}
		return n, r
	case isIdentStart(c):
		s, e := p.ident()
		switch string(p.src[s:e]) {
		case "true":
			return cty.True, p.rng(s, e)
		case "false":
			return cty.False, p.rng(s, e)
		}
		p.bail()
	case c == '[':
		var elems []cty.Value
		r := p.elements(func() {
			ev, _ := p.dynamic()
			elems = append(elems, ev)
		})
		return cty.TupleVal(elems), r
	case c == '{':
		attrs := map[string]cty.Value{}
		r := p.members(func(key string) {
			attrs[key], _ = p.dynamic()
		})
		return cty.ObjectVal(attrs), r
	}
	panic(fastBail{})
}

// objectKey reads the key of an object item, a name or a quoted string,
// and the equals sign after it.
func (p *fastParser) objectKey() string {
	var key string
	if p.src[p.pos] == '"' {
		key, _ = p.str()
	} else {
		s, e := p.ident()
		key = string(p.src[s:e])
		switch key {
		case "true", "false", "null", "for":
			// Keywords are values or a for expression, not names.
			p.bail()
		}
	}
	p.spaces()
	if p.pos >= len(p.src) || p.src[p.pos] != '=' {
		p.bail()
	}
	p.pos++
	p.spaces()
	return key
}

// itemEnd consumes what ends an object item: a comma, a newline or a line
// comment, or nothing before the closing brace.
func (p *fastParser) itemEnd() {
	p.spaces()
	if p.pos < len(p.src) && p.src[p.pos] == ',' {
		p.pos++
		return
	}
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		return
	}
	if !p.endOfLine() {
		p.bail()
	}
}

// object decodes an object whose keys are names or quoted strings into
// the map fv, whose keys are strings.
func (p *fastParser) object(fv reflect.Value) hcl.Range {
	t := fv.Type()
	if t.Key().Kind() != reflect.String {
		p.bail()
	}
	m := reflect.MakeMap(t)
	r := p.members(func(key string) {
		ev := reflect.New(t.Elem()).Elem()
		p.value(ev)
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), ev)
	})
	fv.Set(m)
	return r
}

// setRange sets the hcl.Range field fv to r.
func setRange(fv reflect.Value, r hcl.Range) {
	*fv.Addr().Interface().(*hcl.Range) = r
}

// graphemeCount returns the number of grapheme clusters in b, the number
// of columns hclsyntax gives b.
func graphemeCount(b []byte) int {
	n := 0
	for len(b) > 0 {
		b = b[firstGrapheme(b):]
		n++
	}
	return n
}
