package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/docs"
	"github.com/cairn-it/cairn/generator/diag"
)

// installHelp replaces cobra's help command by one that also prints the
// embedded reference pages (cairn help format), and adds the list of
// topics to the root command's help.
func installHelp(root *cobra.Command) {
	root.SetHelpCommand(newHelpCmd(root))
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		defaultHelp(c, args)
		if c == root {
			writeTopics(c)
		}
	})
}

func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [TOPIC | COMMAND...]",
		Short: "Print a reference page (cairn help format) or a command's help",
		Long: `Help prints one of the reference pages built into cairn, the same text as the
project's docs/TOPIC.md, or a command's help. A topic wins over a command of
the same name: cairn help check prints the check reference; cairn check
--help prints the command's flags.`,
		Example: "  cairn help format\n  cairn help secrets | less\n  cairn help secret rotate",
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, t := range docs.Topics() {
				out = append(out, cobra.CompletionWithDesc(t.Name, t.Summary))
			}
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() && c.Name() != "help" {
					out = append(out, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				root.InitDefaultHelpFlag() // as cobra's help command does, so the flag is listed
				return root.Help()
			}
			if len(args) == 1 {
				if page, ok := docs.Page(args[0]); ok {
					_, err := cmd.OutOrStdout().Write(page)
					return err
				}
			}
			target, _, err := root.Find(args)
			if err != nil || target == root || target.Name() != args[len(args)-1] {
				return &usageError{unknownTopic(args)}
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}

// unknownTopic says that no topic or command has the name, and which one
// was probably meant.
func unknownTopic(args []string) error {
	want := strings.Join(args, " ")
	var names []string
	for _, t := range docs.Topics() {
		names = append(names, t.Name)
	}
	hint := diag.SuggestHint(want, names, "run 'cairn help' for the list")
	return fmt.Errorf("no help topic or command %q: %s (topics: %s)", want, hint, strings.Join(names, ", "))
}

// writeTopics lists the reference pages after the root command's help.
func writeTopics(c *cobra.Command) {
	w := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "\nHelp topics (cairn help TOPIC prints the reference page):")
	for _, t := range docs.Topics() {
		fmt.Fprintf(w, "  %s\t%s\n", t.Name, t.Summary)
	}
	_ = w.Flush()
}
