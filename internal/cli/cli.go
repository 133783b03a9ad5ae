// Package cli implements the nixgen command line: parsing of the
// subcommands and their flags, and the exit codes.
//
// Exit codes: 0 on success; 1 when an inventory has errors, when files
// cannot be written, or when render --check finds files that would change;
// 2 on usage errors.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes of [Run].
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// env is what a command runs with.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is a subcommand of nixgen.
type command struct {
	// name is the word that selects the command.
	name string
	// args is the synopsis of the arguments, after the flags.
	args string
	// summary is the one-line description in the command list.
	summary string
	// help is the longer description printed by --help, paragraphs
	// separated by blank lines.
	help string
	// setup defines the command's flags on fs and returns the function
	// that runs the command once they are parsed; args are the positional
	// arguments.
	setup func(fs *pflag.FlagSet) func(e *env, args []string) int
}

// commands returns the subcommands in the order of the usage text.
func commands() []command {
	return []command{
		renderCommand(),
		validateCommand(),
		showCommand(),
		secretsCommand(),
		schemaCommand(),
		versionCommand(),
		helpCommand(),
	}
}

// lookup returns the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Run runs the nixgen command line with args, the arguments after the
// program name, and returns the exit status: 0 on success, 1 on failure
// (an invalid inventory, files that cannot be written, or changes found by
// render --check) and 2 on usage errors. Command output goes to stdout;
// diagnostics and errors go to stderr. stdin is not read by any command
// today.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}

	top := pflag.NewFlagSet("nixgen", pflag.ContinueOnError)
	top.SetOutput(io.Discard)
	top.Usage = func() {}
	top.SortFlags = false
	top.SetInterspersed(false)
	help := top.BoolP("help", "h", false, "show this help")
	if err := top.Parse(args); err != nil {
		return usageError(e, "nixgen", err.Error(), "nixgen help")
	}
	if *help {
		writeTopUsage(e.stdout)
		return exitOK
	}
	rest := top.Args()
	if len(rest) == 0 {
		writeTopUsage(e.stderr)
		return exitUsage
	}
	c, ok := lookup(rest[0])
	if !ok {
		return usageError(e, "nixgen", fmt.Sprintf("unknown command %q", rest[0]), "nixgen help")
	}
	return runCommand(e, c, rest[1:])
}

// runCommand parses the flags of c from args and runs it.
func runCommand(e *env, c command, args []string) int {
	fs := newFlagSet(c)
	run := c.setup(fs)
	help := fs.BoolP("help", "h", false, "show this help")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, pflag.ErrHelp) || err == nil && *help:
		writeCommandUsage(e.stdout, c, fs)
		return exitOK
	case err != nil:
		return usageError(e, "nixgen "+c.name, err.Error(), "nixgen "+c.name+" --help")
	}
	return run(e, fs.Args())
}

// newFlagSet returns the empty flag set of c; errors and usage are
// printed by the caller.
func newFlagSet(c command) *pflag.FlagSet {
	fs := pflag.NewFlagSet("nixgen "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	fs.SetInterspersed(true)
	return fs
}

// usageError prints a usage error of the command called prog, with a hint
// to the command line that shows its help, and returns the usage exit
// code.
func usageError(e *env, prog, msg, helpCmd string) int {
	fmt.Fprintf(e.stderr, "%s: %s\nRun '%s' for usage.\n", prog, msg, helpCmd)
	return exitUsage
}

// writeTopUsage prints the usage of nixgen and the command list.
func writeTopUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("nixgen generates the Nix files of a NixOS fleet from an inventory.\n\n")
	b.WriteString("Usage:\n  nixgen COMMAND [flags] [arguments]\n\nCommands:\n")
	cmds := commands()
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, c.name, c.summary)
	}
	b.WriteString("\nRun 'nixgen help COMMAND' or 'nixgen COMMAND --help' for the flags and\narguments of a command.\n")
	b.WriteString("\nExit status: 0 on success, 1 on failure, 2 on usage errors.\n")
	io.WriteString(w, b.String())
}

// writeCommandUsage prints the usage of c, with the flags of fs.
func writeCommandUsage(w io.Writer, c command, fs *pflag.FlagSet) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: nixgen %s [flags]", c.name)
	if c.args != "" {
		b.WriteString(" " + c.args)
	}
	b.WriteString("\n\n" + c.help + "\n")
	if flags := fs.FlagUsages(); flags != "" {
		b.WriteString("\nFlags:\n" + flags)
	}
	io.WriteString(w, b.String())
}
