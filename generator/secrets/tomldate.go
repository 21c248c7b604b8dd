package secrets

import (
	"fmt"
	"os"
	"strings"

	"github.com/cairn-it/cairn/generator/atomicfile"
	"github.com/cairn-it/cairn/generator/tomldoc"
)

// SetTOMLDate sets a top-level date key in a TOML file, changing only the
// value (or adding one line) so that comments and layout stay as they
// are, and replaces the file atomically (secret rotate records
// last_rotated with it).
func SetTOMLDate(path, key, date string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := EditTOMLDate(data, key, date)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, out, fi.Mode().Perm())
}

// EditTOMLDate returns TOML text with a top-level key set to a date
// (YYYY-MM-DD): the value replaced in place, or one line added after the
// last one-line top-level value; every other byte is kept. It fails,
// saying to record the date by hand, when it cannot do that safely.
func EditTOMLDate(data []byte, key, date string) ([]byte, error) {
	root, err := tomldoc.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("cannot parse the TOML (%v): fix it, then record %s = %s by hand", err, key, date)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var out string
	if v := root.Get(key); v != nil {
		if v.Multiline || v.Raw == "" || v.Pos.Line < 1 || v.Pos.Line > len(lines) {
			return nil, fmt.Errorf("%s is not a one-line value: record %s = %s by hand", key, key, date)
		}
		l := lines[v.Pos.Line-1]
		start := v.Pos.Col - 1
		if start < 0 || start+len(v.Raw) > len(l) || l[start:start+len(v.Raw)] != v.Raw {
			return nil, fmt.Errorf("cannot place the value of %s: record %s = %s by hand", key, key, date)
		}
		lines[v.Pos.Line-1] = l[:start] + date + l[start+len(v.Raw):]
		out = strings.Join(lines, "")
	} else {
		// Add the key after the last one-line top-level value (top-level
		// keys come before any table), else at the top.
		after := 0
		for _, k := range root.Keys() {
			v := root.Get(k)
			switch v.Kind {
			case tomldoc.KindArray, tomldoc.KindTable:
				continue
			}
			if v.Multiline || v.Pos.Line == 0 {
				continue
			}
			if v.Pos.Line > after {
				after = v.Pos.Line
			}
		}
		line := key + " = " + date + "\n"
		if after > 0 && !strings.HasSuffix(lines[after-1], "\n") {
			lines[after-1] += "\n"
		}
		lines = append(lines[:after], append([]string{line}, lines[after:]...)...)
		out = strings.Join(lines, "")
	}
	check, err := tomldoc.Parse([]byte(out))
	if err != nil || check.Get(key) == nil || check.Get(key).Time.Format("2006-01-02") != date {
		return nil, fmt.Errorf("could not record %s = %s without breaking the file: add it by hand", key, date)
	}
	return []byte(out), nil
}
