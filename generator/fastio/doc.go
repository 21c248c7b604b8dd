// Package fastio reads and writes whole small files with the fewest
// system calls: one open, the reads or writes, one close. os.ReadFile and
// os.WriteFile also stat the file and try to register it with the poller,
// and on a site of 100,000 small files those extra calls are a large
// share of a check or a build (docs/performance.md).
package fastio

import "errors"

// Errors of ReadFileLimit, wrapped in an *os.PathError.
var (
	// ErrLimit: the file has more bytes than the limit.
	ErrLimit = errors.New("file larger than the limit")
	// ErrSymlink: the last element of the path is a symbolic link.
	ErrSymlink = errors.New("is a symbolic link")
)
