package secrets

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/sitefs"
	"github.com/cairn-it/cairn/generator/sopsfile"
	"github.com/cairn-it/cairn/generator/workers"
)

// CheckSite is the part of cairn check that reads secrets files with the
// site's .sops.yaml and the user's keys (the structural check, which needs
// neither, is sopsfile.CheckSite). For every item's secrets file that is
// structurally sound:
//
//   - without any key, its recipients (listed in its sops metadata) must
//     be those its creation rule names now: a recipient the rule no longer
//     names can still decrypt it (error), one the rule added cannot yet
//     (warning); both are fixed by the cairn secret rekey command the hint
//     gives;
//   - with keys (keys.Available()), a file this user can decrypt must
//     decrypt and match its MAC; files for other recipients are skipped.
//
// No diagnostic holds a decrypted value. keys may be nil. It stops early,
// returning what it found, when ctx is cancelled.
func CheckSite(ctx context.Context, s *model.Site, keys *Keys) *diag.List {
	return CheckSiteParsed(ctx, s, keys, nil)
}

// CheckSiteParsed is CheckSite for a site whose secrets files the
// structural check has read already (sopsfile.CheckSiteFiles, which
// site.Open runs): it takes each file's recipients from that parse
// instead of reading and parsing the file again. A file parsed lacks
// (nil parsed, or a file it did not read) is read as CheckSite reads it.
func CheckSiteParsed(ctx context.Context, s *model.Site, keys *Keys, parsed *sopsfile.Files) *diag.List {
	l := &diag.List{}
	if s == nil {
		return l
	}
	st := &Store{Root: s.Root, Keys: keys}
	// One worker per CPU: each item's file is read, parsed and compared
	// with its rule on its own, and l is safe for concurrent use (and
	// sorted when printed). A file's diagnostics come from one worker, in
	// the order below.
	stop := func() bool { return ctx.Err() != nil }
	workers.Each(len(s.Items), stop, func(i int) {
		if it := s.Items[i]; it.Secrets != "" {
			st.checkItem(l, it.Secrets, parsed)
		}
	})
	return l
}

// checkItem checks one item's secrets file, rel: its recipients against
// its rule, and with keys its MAC. It reads the file only when parsed
// has not (or cannot tell its recipients).
func (st *Store) checkItem(l *diag.List, rel string, parsed *sopsfile.Files) {
	have, known, sound, checked := parsed.Recipients(rel)
	var data []byte
	var err error
	if !checked || (sound && !known) {
		data, err = sitefs.ReadFile(st.Root, rel, sitefs.MaxSourceFile)
		if err != nil {
			return // the structural check reports it
		}
	}
	if !checked {
		var probs []sopsfile.Problem
		probs, have, known = sopsfile.CheckRecipients(data)
		sound = len(probs) == 0
	}
	if !sound {
		return // the structural check reports it
	}
	if !known {
		// Not the plain age-only shape: the SOPS library reads it (and
		// when it cannot, the structural check reports the file).
		have, err = RecipientsOf(rel, data)
	}
	if err == nil {
		st.checkRecipients(l, rel, have)
	}
	if !st.Keys.Available() {
		return
	}
	if err := st.Verify(rel); err != nil {
		if errors.Is(err, ErrNotRecipient) || errors.Is(err, ErrNoKeys) {
			return
		}
		l.ErrorHint(diag.Pos{File: rel}, "secrets-mac",
			"restore the file from git (git log -p "+rel+"), or have someone who knows the values set them again",
			"%s", strings.TrimPrefix(err.Error(), rel+": "))
	}
}

// checkRecipients compares a secrets file's recipients (have, sorted)
// with its creation rule's, without a key.
func (s *Store) checkRecipients(l *diag.List, rel string, have []string) {
	pos := diag.Pos{File: rel}
	rule, err := s.RuleFor(rel)
	if err != nil {
		l.Add(diag.Diagnostic{Pos: pos, Severity: diag.Warning, Code: "secrets-recipients",
			Message: "cannot tell who should be able to read it: " + err.Error()})
		return
	}
	want := rule.Recipients()
	sort.Strings(want)
	extra, missing := difference(have, want), difference(want, have)
	rekey := fmt.Sprintf("someone who can decrypt it runs: cairn secret rekey %s", rel)
	if len(extra) > 0 {
		l.ErrorHint(pos, "secrets-recipients",
			rekey+"; then rotate the secrets in it, since they could read them (and old versions stay in git history)",
			"encrypted for %s, which %s no longer names for it: %s can still decrypt it",
			strings.Join(extra, ", "), ConfigFile, map[bool]string{true: "that key", false: "those keys"}[len(extra) == 1])
	}
	if len(missing) > 0 {
		l.Add(diag.Diagnostic{Pos: pos, Severity: diag.Warning, Code: "secrets-recipients", Hint: rekey,
			Message: fmt.Sprintf("not yet encrypted for %s, which %s names for it: %s cannot decrypt it",
				strings.Join(missing, ", "), ConfigFile, map[bool]string{true: "that key", false: "those keys"}[len(missing) == 1])})
	}
}

// difference returns the elements of a not in b, in a's order.
func difference(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}
