// Command gen writes the benchmark inventory of N hosts to standard
// output, for timing the nixgen command itself:
//
//	go run ./internal/benchinv/gen -hosts 100 > /tmp/fleet100.hcl
//	hyperfine -N --warmup 5 'nixgen validate /tmp/fleet100.hcl'
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/nixgen/nixgen/internal/benchinv"
)

func main() {
	hosts := flag.Int("hosts", 100, "number of hosts")
	flag.Parse()
	if *hosts < 0 {
		fmt.Fprintln(os.Stderr, "gen: -hosts must not be negative")
		os.Exit(2)
	}
	if _, err := os.Stdout.Write(benchinv.Inventory(*hosts)); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
