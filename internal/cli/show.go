package cli

import (
	"bytes"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/nixgen/nixgen/nixgen"
)

func showCommand() command {
	return command{
		name:    "show",
		args:    "INVENTORY [HOST]",
		summary: "print the disks, addresses and open ports of the hosts",
		help: `Show reads INVENTORY, an .hcl or .json file, validates it and prints an
overview of the fleet for reading rather than for machines: a table with
the k3s role, the addresses and the open ports of each host, a table of
the containers with their addresses and forwarded ports, then the disk
layout of each host as a tree, in the manner of lsblk. With HOST, only that
host is shown.

The ports are those the generated firewall opens, each with the sources it
is open to: the host's firewall block and the rules derived from its k3s
cluster. "ping" means that the host answers ICMP echo requests, and "all"
that the firewall accepts everything arriving on an interface.

The output is plain ASCII and does not depend on the terminal. Show exits
1, with the problems on standard error as validate prints them, when the
inventory has errors or no host is called HOST.`,
		setup: func(fs *pflag.FlagSet) func(*env, []string) int {
			format := diagnosticsFlag(fs)
			return func(e *env, args []string) int {
				if len(args) < 1 || len(args) > 2 {
					return usageError(e, "nixgen show", fmt.Sprintf("want an INVENTORY argument and at most one HOST, got %d arguments", len(args)), "nixgen show --help")
				}
				if code, ok := checkDiagnosticsFlag(e, "show", *format); !ok {
					return code
				}
				host := ""
				if len(args) == 2 {
					host = args[1]
					if host == "" {
						return usageError(e, "nixgen show", "the HOST argument is empty", "nixgen show --help")
					}
				}
				return show(e, args[0], host, *format)
			}
		},
	}
}

// show runs the show command.
func show(e *env, inventory, host, format string) int {
	inv, diags := nixgen.Load(inventory)
	var out bytes.Buffer
	if !diags.HasErrors() {
		if inv == nil {
			diags = append(diags, internalError("loading the inventory returned nothing"))
		} else {
			diags = append(diags, nixgen.Show(&out, inv, host)...)
		}
	}
	reportDiagnostics(e, diags, format)
	if diags.HasErrors() {
		return exitFail
	}
	e.stdout.Write(out.Bytes())
	return exitOK
}
