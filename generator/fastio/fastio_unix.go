//go:build unix

package fastio

import (
	"bytes"
	"errors"
	"os"
	"syscall"
)

// ReadFile reads a whole file with one open, reads into the caller's
// reusable buffer buf, and a close, and returns a copy of exactly the
// file's size.
func ReadFile(path string, buf *[]byte) ([]byte, error) {
	fd, err := open(path, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	return read(fd, path, -1, buf)
}

// ReadFileLimit is ReadFile for files of a site: it does not follow a
// symbolic link in the last place of path (ErrSymlink), does not block
// on a FIFO, and stops with ErrLimit once the file has more than limit
// bytes, having read no more than limit+1 of them.
func ReadFileLimit(path string, limit int64, buf *[]byte) ([]byte, error) {
	fd, err := open(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, &os.PathError{Op: "open", Path: path, Err: ErrSymlink}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	return read(fd, path, limit, buf)
}

// read reads fd to its end, or to limit+1 bytes when limit >= 0.
func read(fd int, path string, limit int64, buf *[]byte) ([]byte, error) {
	b := (*buf)[:0]
	if cap(b) == 0 {
		b = make([]byte, 0, 64<<10)
	}
	for {
		if limit >= 0 && int64(len(b)) > limit {
			*buf = b[:0]
			return nil, &os.PathError{Op: "read", Path: path, Err: ErrLimit}
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		end := cap(b)
		if limit >= 0 && int64(end-len(b)) > limit+1-int64(len(b)) {
			end = len(b) + int(limit+1-int64(len(b)))
		}
		n, err := syscall.Read(fd, b[len(b):end])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n <= 0 {
			break
		}
		b = b[:len(b)+n]
	}
	*buf = b
	return bytes.Clone(b), nil
}

// WriteFile creates or truncates the file at path and writes data to it,
// with one open, writes and a close.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	fd, err := open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC, uint32(perm.Perm()))
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

func open(path string, mode int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(path, mode|syscall.O_CLOEXEC, perm)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
