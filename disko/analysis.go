package disko

import "github.com/nixgen/nixgen/nixgen/nix"

// Analysis is the result of checking a layout once: its diagnostics and
// the facts that the query methods and [Analysis.Nix] need. The methods of
// [Layout] that validate, query or write a layout each analyse it anew; a
// caller that needs several of them analyses the layout once with
// [Layout.Analyze] and asks the Analysis instead. An Analysis describes
// the layout as it was when analysed: it must not be used after the layout
// changes. Its methods may be called from several goroutines at once.
type Analysis struct {
	a *analysis
}

// Analyze checks the layout and returns the result, from which its
// diagnostics, boot facts and module can be read without analysing it
// again.
func (l *Layout) Analyze() *Analysis {
	return &Analysis{a: analyze(l)}
}

// Diagnostics returns the problems of the layout, as [Layout.Validate]
// does. The slice is shared: the caller must not modify it.
func (an *Analysis) Diagnostics() Diagnostics {
	return an.a.diags
}

// Boot returns the facts of [Layout.Boot].
func (an *Analysis) Boot() BootFacts {
	return BootFacts{ESP: an.a.hasESP, BIOSBoot: an.a.hasBIOS, ESPOnRAID: an.a.espOnRaid}
}

// MediaAt returns what [Layout.MediaAt] returns for path.
func (an *Analysis) MediaAt(path string) []Media {
	return an.a.mediaAt(path)
}

// Nix returns the module of [Layout.Nix]: an error if the layout has
// errors, else a new expression on every call.
func (an *Analysis) Nix() (nix.Expr, error) {
	if err := an.a.diags.Err(); err != nil {
		return nil, err
	}
	return an.a.emit(new(nix.Arena)), nil
}

// NixIn is [Analysis.Nix] with the nodes of the expression taken from
// nodes, which may hold the nodes of other expressions too.
func (an *Analysis) NixIn(nodes *nix.Arena) (nix.Expr, error) {
	if err := an.a.diags.Err(); err != nil {
		return nil, err
	}
	return an.a.emit(nodes), nil
}
