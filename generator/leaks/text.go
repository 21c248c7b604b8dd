package leaks

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxScanBytes is how much of one file is scanned: the first 4 MiB. A text
// file longer than that gets a warning (leaks-limit) saying the rest was
// not scanned; reading stops there, so a huge attachment costs no more.
const MaxScanBytes = 4 << 20

// readCapped reads at most limit bytes of the regular file name in fsys;
// more says whether the file holds more than that. A file that is not a
// regular file (a pipe, a device, a symbolic link) is an error: reading it
// could block or leave the site.
func readCapped(fsys fs.FS, name string, limit int64) (data []byte, more bool, err error) {
	st, err := fs.Lstat(fsys, name)
	if err != nil {
		return nil, false, err
	}
	if st.IsDir() {
		return nil, false, errors.New("is a folder, not a file")
	}
	if !st.Mode().IsRegular() {
		return nil, false, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// Text returns the text to scan in a file's bytes, and false when they are
// binary. UTF-8 (or any ASCII-compatible encoding) is returned as is;
// UTF-16, with a byte order mark or recognised by its zero bytes, is
// decoded to UTF-8. Bytes are binary only when they hold a NUL and at
// least a tenth of them are control characters or invalid UTF-8 (images,
// archives, compressed PDF streams): a text file with a stray NUL is still
// scanned.
func Text(data []byte) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], binary.LittleEndian), true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], binary.BigEndian), true
	}
	if bytes.IndexByte(data, 0) < 0 {
		return data, true
	}
	if order, ok := utf16Order(data); ok {
		return decodeUTF16(data, order), true
	}
	odd := 0
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == 0 || c == 0x7F || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) {
				odd++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			odd++
		}
		i += n
	}
	if odd*10 >= len(data) {
		return nil, false
	}
	return data, true
}

// utf16Order recognises UTF-16 without a byte order mark: text in Latin
// script has a zero in (nearly) every other byte.
func utf16Order(data []byte) (binary.ByteOrder, bool) {
	n := len(data) / 2
	if n < 2 {
		return nil, false
	}
	var even, odd int
	for i := 0; i+1 < len(data); i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= n*9 && even*20 <= n:
		return binary.LittleEndian, true
	case even*10 >= n*9 && odd*20 <= n:
		return binary.BigEndian, true
	}
	return nil, false
}

func decodeUTF16(data []byte, order binary.ByteOrder) []byte {
	u := make([]uint16, len(data)/2)
	for i := range u {
		u[i] = order.Uint16(data[2*i:])
	}
	return []byte(string(utf16.Decode(u)))
}
