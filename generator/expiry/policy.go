package expiry

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/cairn-it/cairn/generator/model"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// ReviewEveryKey is the front matter key of a document's review cadence:
// review_every = "6mo".
const ReviewEveryKey = "review_every"

// ReviewedKey is the front matter date of a document's last review, used
// when git does not say (outside git, or when it is later than the last
// commit that changed the document).
const ReviewedKey = "reviewed_on"

// AllDocuments is the [review] key that sets the cadence of every
// document no narrower key or review_every covers.
const AllDocuments = "*"

// Policy is cairn.toml's [rotation] and [review] tables, read: how old a
// password item may get, per type and per organization, and how often a
// document is reviewed, per folder below documents/. The zero Policy asks
// for nothing. It is immutable once made.
type Policy struct {
	rotation    map[string]Duration
	orgRotation map[string]map[string]Duration
	review      map[string]Duration
}

// Problem is a mistake in cairn.toml's [rotation] or [review] table, at a
// position of cairn.toml.
type Problem struct {
	Pos  tomldoc.Pos
	Msg  string
	Hint string
}

// NewPolicy reads the policy of cairn.toml. It returns what it could read
// and a Problem for every value it could not; check reports those.
func NewPolicy(cfg model.Config) (Policy, []Problem) {
	p := Policy{rotation: map[string]Duration{}, orgRotation: map[string]map[string]Duration{}, review: map[string]Duration{}}
	var probs []Problem
	add := func(v *tomldoc.Value, hint, format string, args ...any) {
		probs = append(probs, Problem{Pos: v.Pos, Msg: fmt.Sprintf(format, args...), Hint: hint})
	}
	durations := func(t *tomldoc.Table, key string, into map[string]Duration, skip string) {
		for _, k := range t.Keys() {
			v := t.Get(k)
			if k == skip {
				continue
			}
			if v.Kind != tomldoc.KindString {
				add(v, fmt.Sprintf(`write %s = "365d"`, tomlKey(k)), "%s.%s must be a duration string, got %s", key, tomlKey(k), tomldoc.Describe(v))
				continue
			}
			d, err := ParseCadence(v.Str)
			if err != nil {
				what, hint := CadenceProblem(err)
				add(v, hint, "%s.%s: %q %s", key, tomlKey(k), v.Str, what)
				continue
			}
			into[k] = d
		}
	}
	if v := cfg.Rotation; v != nil {
		if v.Kind != tomldoc.KindTable {
			add(v, `write a [rotation] table: passwords = "365d"`, "rotation must be a table, got %s", tomldoc.Describe(v))
		} else {
			durations(v.Table, "rotation", p.rotation, "orgs")
			if orgs := v.Table.Get("orgs"); orgs != nil {
				if orgs.Kind != tomldoc.KindTable {
					add(orgs, `write [rotation.orgs.<org>] tables: passwords = "90d"`, "rotation.orgs must be a table of organizations, got %s", tomldoc.Describe(orgs))
				} else {
					for _, org := range orgs.Table.Keys() {
						ov := orgs.Table.Get(org)
						if ov.Kind != tomldoc.KindTable {
							add(ov, fmt.Sprintf(`write [rotation.orgs.%s] with passwords = "90d"`, tomlKey(org)), "rotation.orgs.%s must be a table of types, got %s", tomlKey(org), tomldoc.Describe(ov))
							continue
						}
						m := map[string]Duration{}
						durations(ov.Table, "rotation.orgs."+tomlKey(org), m, "")
						p.orgRotation[org] = m
					}
				}
			}
		}
	}
	if v := cfg.Review; v != nil {
		if v.Kind != tomldoc.KindTable {
			add(v, `write a [review] table: "*" = "1y", sops = "6mo"`, "review must be a table, got %s", tomldoc.Describe(v))
		} else {
			durations(v.Table, "review", p.review, "")
		}
	}
	return p, probs
}

// RotationTypes returns the types [rotation] names, sorted, for check.
func (p Policy) RotationTypes() []string {
	seen := map[string]bool{}
	for t := range p.rotation {
		seen[t] = true
	}
	for _, m := range p.orgRotation {
		for t := range m {
			seen[t] = true
		}
	}
	return sortedKeys(seen)
}

// RotationOrgs returns the organizations [rotation.orgs] names, sorted.
func (p Policy) RotationOrgs() []string {
	seen := map[string]bool{}
	for o := range p.orgRotation {
		seen[o] = true
	}
	return sortedKeys(seen)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// MaxAge returns how old an item of the type in the organization may get
// before it is rotated: [rotation.orgs.<org>] first, then [rotation].
func (p Policy) MaxAge(org, typ string) (Duration, bool) {
	if d, ok := p.orgRotation[org][typ]; ok {
		return d, true
	}
	d, ok := p.rotation[typ]
	return d, ok
}

// Cadence returns how often a document is reviewed and where that was
// said: its own review_every, else the [review] key of the longest folder
// below documents/ that holds it ("sops" holds documents/sops/restore),
// else [review] "*". Items that are not documents, and documents nothing
// covers, have none. A review_every that is not a duration (which check
// reports) counts as none.
func (p Policy) Cadence(it *model.Item) (d Duration, from string, ok bool) {
	if it.Type != "documents" {
		return Duration{}, "", false
	}
	if v := it.Value(ReviewEveryKey); v != nil {
		if v.Kind != tomldoc.KindString {
			return Duration{}, "", false
		}
		d, err := ParseCadence(v.Str)
		return d, ReviewEveryKey, err == nil
	}
	for dir := path.Dir(it.Slug); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if d, ok := p.review[dir]; ok {
			return d, "[review] " + tomlKey(dir), true
		}
	}
	if d, ok := p.review[AllDocuments]; ok {
		return d, `[review] "*"`, true
	}
	return Duration{}, "", false
}

// ReviewFolders returns the folders [review] names (without "*"), sorted.
func (p Policy) ReviewFolders() []string {
	seen := map[string]bool{}
	for k := range p.review {
		if k != AllDocuments {
			seen[strings.Trim(k, "/")] = true
		}
	}
	return sortedKeys(seen)
}

// tomlKey writes a key as TOML wants it: bare when it may be, else quoted.
func tomlKey(k string) string {
	if k == "" {
		return `""`
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return tomldoc.Quote(k)
		}
	}
	return k
}
