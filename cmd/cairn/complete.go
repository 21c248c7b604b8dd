package main

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-it/cairn/generator/schema"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// siteCompleter completes command-line words from the site named by the
// global --site flag, reading only folder names, schemas/ file names and
// access.toml: cheap enough for every key press on a large site. It never
// fails: what it cannot read it does not offer.
type siteCompleter struct{ g *globalOptions }

// addCompletions gives every command of the tree completion of its
// arguments and of its --portal, --types and --org flags. Arguments are completed
// by the word that names them in the command's Use line (ORG, TYPE, ID; a
// DIR or PATH completes file names; other words complete nothing), so a
// new command needs no completion code of its own. Commands that set a
// ValidArgsFunction themselves keep it.
func addCompletions(root *cobra.Command, g *globalOptions) {
	c := siteCompleter{g}
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.Name() == "new" && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = c.newArgs
		}
		if cmd.ValidArgsFunction == nil && cmd != root {
			cmd.ValidArgsFunction = c.byUse(argWords(cmd.Use))
		}
		if cmd.Flags().Lookup("portal") != nil {
			_ = cmd.RegisterFlagCompletionFunc("portal", c.portalNames)
		}
		if cmd.Name() == "new" && cmd.Flags().Lookup("set") != nil {
			_ = cmd.RegisterFlagCompletionFunc("set", c.setAssignments)
		}
		if cmd.Flags().Lookup("types") != nil {
			_ = cmd.RegisterFlagCompletionFunc("types", c.typeList)
		}
		if cmd.Flags().Lookup("org") != nil {
			_ = cmd.RegisterFlagCompletionFunc("org", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return c.orgs(), cobra.ShellCompDirectiveNoFileComp
			})
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// argWords returns the argument words of a Use line: "rekey [PATH]" gives
// ["PATH"].
func argWords(use string) []string {
	use, _, _ = strings.Cut(use, "|")
	fields := strings.Fields(use)
	var out []string
	for _, f := range fields[min(1, len(fields)):] {
		out = append(out, strings.Trim(f, "[]."))
	}
	return out
}

func (c siteCompleter) byUse(words []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(words) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		switch words[len(args)] {
		case "ORG":
			return c.orgs(), cobra.ShellCompDirectiveNoFileComp
		case "TYPE":
			return c.types(true), cobra.ShellCompDirectiveNoFileComp
		case "ID":
			return c.ids(toComplete)
		case "FIELD":
			return c.secretFields(args[0]), cobra.ShellCompDirectiveNoFileComp
		case "DIR":
			return nil, cobra.ShellCompDirectiveFilterDirs
		case "PATH", "FILE":
			return nil, cobra.ShellCompDirectiveDefault
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// newArgs completes cairn new TYPE ORG SLUG and cairn new org SLUG.
func (c siteCompleter) newArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch {
	case len(args) == 0:
		return append([]cobra.Completion{cobra.CompletionWithDesc("org", "a new organization")}, c.types(false)...), cobra.ShellCompDirectiveNoFileComp
	case len(args) == 1 && args[0] != "org":
		return c.orgs(), cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// setAssignments completes cairn new TYPE ... --set FIELD=VALUE: the
// fields --set may fill as "field=", then a select field's options.
func (c siteCompleter) setAssignments(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) == 0 || args[0] == "org" {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	s, err := findSchema(c.g.Site, args[0])
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if name, _, ok := strings.Cut(toComplete, "="); ok {
		var out []cobra.Completion
		if f := s.Field(name); f != nil && f.Kind == schema.Select {
			for _, o := range f.Options {
				out = append(out, name+"="+o)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	if len(s.TitleFields()) == 0 {
		out = append(out, "name=")
	}
	for _, f := range s.Fields {
		switch f.Kind {
		case schema.Header, schema.Password, schema.Group:
		default:
			out = append(out, f.Name+"=")
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// secretFields returns the password fields of the type of the item id
// (acme/passwords/x, acme/assets/wireless/office).
func (c siteCompleter) secretFields(id string) []cobra.Completion {
	parts := strings.Split(id, "/")
	if len(parts) < 3 {
		return nil
	}
	typ := parts[1]
	if typ == "assets" && len(parts) >= 4 {
		typ = "assets/" + parts[2]
	}
	s, err := findSchema(c.g.Site, typ)
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, f := range s.Fields {
		if f.Kind == schema.Password {
			out = append(out, f.Name)
		}
	}
	return out
}

// orgs returns the organization slugs: folders of content/ with an org.toml.
func (c siteCompleter) orgs() []cobra.Completion {
	var out []cobra.Completion
	for _, name := range c.dirNames("content") {
		if _, err := sitefs.Stat(c.g.Site, "content/"+name+"/org.toml"); err == nil && schema.IsSlug(name) {
			out = append(out, name)
		}
	}
	return out
}

// types returns the core type folders and the flexible types of schemas/,
// as "assets/backup" when full, else as "backup" (cairn new takes both).
func (c siteCompleter) types(full bool) []cobra.Completion {
	out := append([]cobra.Completion{}, schema.CoreTypes...)
	entries, _ := sitefs.ReadDir(c.g.Site, "schemas")
	for _, e := range entries {
		if slug, ok := strings.CutSuffix(e.Name(), ".toml"); ok && schema.IsSlug(slug) {
			if full {
				slug = "assets/" + slug
			}
			out = append(out, slug)
		}
	}
	return out
}

// typeList completes --types t1,t2: the types not yet in the list, after it.
func (c siteCompleter) typeList(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	i := strings.LastIndexByte(toComplete, ',')
	done := map[string]bool{}
	for _, t := range strings.Split(toComplete[:i+1], ",") {
		done[t] = true
	}
	var out []cobra.Completion
	for _, t := range c.types(true) {
		if !done[t] {
			out = append(out, toComplete[:i+1]+t)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// portalNames returns the [portals.NAME] tables of access.toml.
func (c siteCompleter) portalNames(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	data, err := sitefs.ReadFile(c.g.Site, "access.toml", sitefs.MaxSourceFile)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	root, err := tomldoc.Parse(data)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	if v := root.Get("portals"); v != nil && v.Kind == tomldoc.KindTable {
		for _, name := range v.Table.SortedKeys() {
			if schema.IsSlug(name) {
				out = append(out, name)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// ids completes an item id one folder at a time: "" gives the
// organizations ("acme/"), "acme/" its type folders, "acme/passwords/" the
// items there. Only the folder being completed is read.
func (c siteCompleter) ids(toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	more := cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	dir := ""
	if i := strings.LastIndexByte(toComplete, '/'); i >= 0 {
		dir = toComplete[:i]
	}
	if dir == "" {
		var out []cobra.Completion
		for _, o := range c.orgs() {
			out = append(out, o+"/")
		}
		return out, more
	}
	for _, part := range strings.Split(dir, "/") {
		if !schema.IsSlug(part) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
	}
	var out []cobra.Completion
	for _, d := range c.dirNames("content/" + dir) {
		if d != "files" && schema.IsSlug(d) {
			out = append(out, dir+"/"+d+"/")
		}
	}
	items := map[string]bool{}
	entries, _ := sitefs.ReadDir(c.g.Site, "content/"+dir)
	for _, e := range entries {
		if e.IsDir() || !strings.Contains(dir, "/") {
			continue // files directly in content/ORG are not items
		}
		for _, ext := range []string{".sops.yaml", ".toml", ".md"} {
			if slug, ok := strings.CutSuffix(e.Name(), ext); ok && schema.IsSlug(slug) {
				items[dir+"/"+slug] = true
				break
			}
		}
	}
	for id := range items {
		out = append(out, id)
	}
	sort.Strings(out)
	if len(items) == len(out) {
		return out, cobra.ShellCompDirectiveNoFileComp // only whole ids: a space after
	}
	return out, more
}

// dirNames returns the names of the folders in the site's folder rel that
// do not start with a dot.
func (c siteCompleter) dirNames(rel string) []string {
	entries, _ := sitefs.ReadDir(c.g.Site, rel)
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}
