package provenance

import (
	"errors"

	"github.com/go-git/go-git/v5"
)

// Shallow reports whether the site at root is in a shallow clone (git
// clone --depth, the default checkout of CI services): history before
// the clone's depth is missing, so files' last changes there are
// unknown. Outside git, or when the repository cannot be read, it
// reports false.
func Shallow(root string) bool {
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) || err != nil {
		return false
	}
	hs, err := r.Storer.Shallow()
	return err == nil && len(hs) > 0
}
