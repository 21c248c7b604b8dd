//go:build !linux && !darwin

package build

// exchange reports that this platform has no atomic exchange of two
// folders; swapIn falls back to two renames.
func exchange(a, b string) error { return errNoExchange }
