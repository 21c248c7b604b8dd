package tomldoc

import "unicode/utf8"

// decodeRune returns -1 as the rune for invalid UTF-8.
func decodeRune(b []byte) (rune, int) {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size <= 1 {
		return -1, 1
	}
	return r, size
}
