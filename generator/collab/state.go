package collab

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/atomicfile"
)

// Suggestion is one change a user suggested: its branch and, once opened,
// its pull request. Suggestions are kept in the state folder, so a restart
// loses none.
type Suggestion struct {
	User    string    `json:"user"`
	Name    string    `json:"name"`
	Item    string    `json:"item"`
	Title   string    `json:"title"`
	Changed []string  `json:"changed"`
	Branch  string    `json:"branch"`
	Commit  string    `json:"commit"`
	Created time.Time `json:"created"`
	// PR is the pull request's number and URL; 0 and "" while it is not
	// opened (the forge was unreachable, or none is configured).
	PR    int    `json:"pr,omitempty"`
	URL   string `json:"url,omitempty"`
	State string `json:"state,omitempty"`
	// Checked is when State was last read from the forge.
	Checked time.Time `json:"checked,omitzero"`
}

// store is the suggestions file of the state folder.
type store struct {
	path string
	mu   sync.Mutex
	all  []Suggestion
}

func openStore(stateDir string) (*store, error) {
	s := &store{path: filepath.Join(stateDir, "suggestions.json")}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &s.all); err != nil {
		return nil, fmt.Errorf("%s: %w (move it away to start afresh)", s.path, err)
	}
	return s, nil
}

// Add records a suggestion.
func (s *store) Add(sg Suggestion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, sg)
	return s.save()
}

// Update changes the suggestion on branch with fn.
func (s *store) Update(branch string, fn func(*Suggestion)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.all {
		if s.all[i].Branch == branch {
			fn(&s.all[i])
		}
	}
	return s.save()
}

// Of returns the suggestions of one user, newest first.
func (s *store) Of(user string) []Suggestion {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Suggestion
	for _, sg := range s.all {
		if strings.EqualFold(sg.User, user) {
			out = append(out, sg)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

func (s *store) save() error {
	data, err := json.MarshalIndent(s.all, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(s.path, append(data, '\n'), 0o600)
}
