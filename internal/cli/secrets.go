package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/nixgen/nixgen/nixgen"
)

// secretsCommand is "nixgen secrets", which runs one of the commands of
// secretsCommands.
func secretsCommand() command {
	var list strings.Builder
	for _, c := range secretsCommands() {
		fmt.Fprintf(&list, "  %-6s  %s\n", strings.TrimPrefix(c.name, "secrets "), c.summary)
	}
	return command{
		name:    "secrets",
		args:    "COMMAND [flags] [arguments]",
		summary: "check the sops-nix secrets files of an inventory",
		help: `Secrets runs a command about the sops-nix secrets of an inventory:

` + strings.TrimSuffix(list.String(), "\n") + `

Run 'nixgen secrets COMMAND --help' for the flags and arguments of a
command.`,
		setup: func(fs *pflag.FlagSet) func(*env, []string) int {
			// The flags after COMMAND are the command's own.
			fs.SetInterspersed(false)
			return func(e *env, args []string) int {
				if len(args) == 0 {
					return usageError(e, "nixgen secrets", "want a COMMAND: check", "nixgen secrets --help")
				}
				for _, c := range secretsCommands() {
					if c.name == "secrets "+args[0] {
						return runCommand(e, c, args[1:])
					}
				}
				return usageError(e, "nixgen secrets", fmt.Sprintf("unknown command %q", args[0]), "nixgen secrets --help")
			}
		},
	}
}

// secretsCommands returns the commands of "nixgen secrets", each named
// "secrets NAME".
func secretsCommands() []command {
	return []command{secretsCheckCommand()}
}

func secretsCheckCommand() command {
	return command{
		name:    "secrets check",
		args:    "INVENTORY",
		summary: "check the encrypted secrets files against the inventory",
		help: `Check reads INVENTORY, an .hcl or .json file, and checks the sops-encrypted
secrets files of its sops-nix layer under the flake root DIR, without
decrypting them: every file that a declared secret is read from must exist,
be encrypted by sops for age recipients in a single key group, and hold
every key that its secrets read, as an encrypted string; and every secrets
file that exists must be encrypted for exactly the admins and hosts that
.sops.yaml lists for it, or it needs "sops updatekeys FILE". sops-nix
would otherwise fail when building or activating a host.

Problems are reported on standard error, each at the secret, host, group
or k3s cluster of the inventory that it is about. When the inventory
itself has errors, they are reported instead, and no file is checked. An
inventory without sops setup has nothing to check.

Check exits 0 when every file is in order, 1 when there are problems or the
inventory has errors, and 2 on usage errors. It suits a pre-commit hook
(see nixgen-secrets-check in .pre-commit-hooks.yaml).`,
		setup: func(fs *pflag.FlagSet) func(*env, []string) int {
			dir := fs.String("dir", ".", "the flake root `DIR`, which holds .sops.yaml and the secrets files")
			format := diagnosticsFlag(fs)
			return func(e *env, args []string) int {
				if len(args) != 1 {
					return usageError(e, "nixgen secrets check", fmt.Sprintf("want one INVENTORY argument, got %d", len(args)), "nixgen secrets check --help")
				}
				if code, ok := checkDiagnosticsFlag(e, "secrets check", *format); !ok {
					return code
				}
				inv, diags := nixgen.Load(args[0])
				if !diags.HasErrors() {
					if inv == nil {
						diags = append(diags, internalError("loading the inventory returned nothing"))
					} else {
						diags = append(diags, inv.CheckSecretsFiles(*dir)...)
					}
				}
				reportDiagnostics(e, diags, *format)
				if diags.HasErrors() {
					return exitFail
				}
				return exitOK
			}
		},
	}
}
