package nix

import (
	"fmt"
	"testing"
)

// benchFleet returns an attribute set of hosts hosts with perHost bindings
// each, of the kinds generated files hold: strings, numbers, lists, nested
// sets, attribute paths, quoted names, applications, interpolations and
// multi-line strings.
func benchFleet(hosts, perHost int) Attrs {
	fleet := Attrs{Items: make([]Item, 0, hosts)}
	for h := range hosts {
		name := fmt.Sprintf("host-%03d", h)
		items := make([]Item, 0, perHost)
		for i := range perHost {
			key := fmt.Sprintf("extraOption%03d", i)
			var b *Binding
			switch i % 10 {
			case 0:
				b = Bind(key, Str(fmt.Sprintf("value %d of %s, from the fleet inventory", i, name)))
			case 1:
				b = Bind(key, Int(int64(h*1000+i)))
			case 2:
				b = Bind(key, Strs("10.0.0.1/32", "2001:db8::1/128", "fd00:1234::1/64", fmt.Sprintf("%s.example.org", name)))
			case 3:
				b = Bind(key, Set(
					Bind("enable", Bool(true)),
					Bind("description", Str(fmt.Sprintf("service %d", i))),
					Bind("port", Int(int64(8000+i))),
					Bind("extraFlags", Strs("--verbose")),
				))
			case 4:
				b = Bind(fmt.Sprintf("services.svc%d.settings.enable", i), Bool(i%20 == 4))
			case 5:
				b = BindPath(AttrPath{"systemd", "network", "networks", fmt.Sprintf("10-lan%d", i)}, Set(
					Bind("matchConfig.Name", Str(fmt.Sprintf("eth0.%d", i))),
					Bind("address", Strs(fmt.Sprintf("10.%d.%d.1/24", h, i))),
				))
			case 6:
				b = Bind(key, Call(Ref("lib.mkDefault"), Str(fmt.Sprintf("%s-%d", name, i))))
			case 7:
				b = Bind(key, StrOf(Text("--node-name "), Interp(Ref("config.networking.hostName")), Text(fmt.Sprintf(" --index %d", i))))
			case 8:
				b = Bind(key, Str(fmt.Sprintf("#!/bin/sh\nset -eu\nexport PATH=/run/wrappers/bin:$PATH\necho \"starting %s\"\nexec /run/current-system/sw/bin/true --id %d\n", name, i)))
			case 9:
				b = Bind(key, IfThen(Bin(Ident("role"), OpEq, Str("server")), ListOf(Int(6443), Float(1.5)), List{}))
			}
			items = append(items, b)
		}
		fleet.Items = append(fleet.Items, Bind(name, Attrs{Items: items}))
	}
	return fleet
}

// BenchmarkPrint prints a fleet of 100 hosts with 100 bindings each, about
// a megabyte of Nix.
func BenchmarkPrint(b *testing.B) {
	fleet := benchFleet(100, 100)
	out, err := Print(fleet)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Print(fleet); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchFleet checks that the benchmark input prints as valid Nix.
func TestBenchFleet(t *testing.T) {
	out, err := Print(benchFleet(3, 20))
	if err != nil {
		t.Fatal(err)
	}
	parseOpen(t, "fleet.nix", out)
}

// BenchmarkPrintEngine prints the fleet of BenchmarkPrint through the
// layout engine alone, as files and leaves that the fast path does not
// handle are printed.
func BenchmarkPrintEngine(b *testing.B) {
	f := File{Expr: benchFleet(20, 100)}
	out, err := f.bytes(true)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.bytes(true); err != nil {
			b.Fatal(err)
		}
	}
}
