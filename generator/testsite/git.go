package testsite

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// CommitFiles writes files into dir (as WriteFiles does) and commits them
// to the git repository at dir, which it creates when there is none yet.
// The commit's author and committer are named author (with the address
// author@example.com) and dated when; msg is the whole commit message.
// Tests of git history (recently changed lists, "as of" dates) use it.
func CommitFiles(dir, author string, when time.Time, msg string, files map[string]string) error {
	r, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInit(dir, false)
	}
	if err != nil {
		return fmt.Errorf("opening a repository at %s: %w", dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return err
	}
	if err := WriteFiles(dir, files); err != nil {
		return err
	}
	for name := range files {
		if _, err := wt.Add(name); err != nil {
			return fmt.Errorf("adding %s: %w", name, err)
		}
	}
	sig := &object.Signature{Name: author, Email: "author@example.com", When: when}
	if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		return fmt.Errorf("committing %q: %w", msg, err)
	}
	return nil
}
