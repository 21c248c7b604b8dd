package build

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cairn-it/cairn/generator/portal"
)

// Inputs are what a build is made from beyond its options, as found on
// disk: the program and every file of the site with the hash of its
// bytes. They key every output file (File.Key) and fingerprint a build
// (Fingerprint), so that an unchanged site is not even loaded.
//
// There is no cache of earlier scans by path: it would have to live in
// the output folder, which CI recipes publish whole, and it would name
// every file of the site, those no portal shows too. Every file is hashed
// on every build, in parallel; a fresh checkout (new modification times)
// costs the same as a local rebuild.
type Inputs struct {
	// Tool identifies the running program (ToolKey).
	Tool portal.Key
	// Files are the site's files by slash path from the site root
	// ("content/acme/org.toml"): every regular file and symbolic link
	// but those of .git and the output folder.
	Files map[string]FileSum
}

// FileSum is one file of Inputs.
type FileSum struct {
	Size int64
	Hash portal.Key
}

// maxScanFile bounds the size of one file a scan hashes: the largest
// attachment cairn publishes.
const maxScanFile = 256 << 20

// ScanInputs walks the site at root and hashes its files, skipping .git
// and the output folder (output may be "" or outside the site), with
// GOMAXPROCS workers. It never follows a symbolic link: a link is hashed
// as its target's name. The whole folder is scanned, not only the
// sources a build renders, since check (which decides whether a build
// happens) reads more of it. A file or folder it cannot read is recorded
// by its error, not a failure: the loader reports what matters of it, and
// a folder of the repository that is not the site's business must not
// stop a build. Only a cancelled context fails it.
func ScanInputs(ctx context.Context, root, output string) (*Inputs, error) {
	in := &Inputs{Files: map[string]FileSum{}}
	tool, err := ToolKey()
	if err != nil {
		return nil, err
	}
	in.Tool = tool
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	skip := ""
	if output != "" {
		if abs, err := filepath.Abs(output); err == nil {
			skip = abs
		}
	}
	type found struct {
		rel, abs string
		fi       fs.FileInfo
	}
	var files []found
	unreadable := func(p string, err error) {
		rel, _ := filepath.Rel(absRoot, p)
		in.Files[filepath.ToSlash(rel)] = FileSum{Hash: sha256.Sum256([]byte("error\x00" + err.Error()))}
	}
	err = filepath.WalkDir(absRoot, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if p == absRoot {
				return fmt.Errorf("scanning the site for changes: %w", err)
			}
			if !errors.Is(err, fs.ErrNotExist) {
				unreadable(p, err)
			}
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != absRoot && (d.Name() == ".git" || p == skip) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(absRoot, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				unreadable(p, err)
			}
			return nil
		}
		files = append(files, found{rel: filepath.ToSlash(rel), abs: p, fi: fi})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sums := make([]FileSum, len(files))
	// One read buffer per worker, not per file: a buffer each would be
	// most of a scan's allocations.
	bufs := &sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
	err = forEach(ctx, len(files), 0, func(_ context.Context, i int) error {
		f := files[i]
		sum := FileSum{Size: f.fi.Size()}
		switch {
		case f.fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(f.abs)
			if err != nil {
				target = "error: " + err.Error()
			}
			sum.Hash = sha256.Sum256([]byte("link\x00" + target))
		case f.fi.Mode().IsRegular():
			h, err := hashFile(f.abs, bufs)
			if err != nil {
				h = sha256.Sum256([]byte("error\x00" + err.Error()))
			}
			sum.Hash = h
		default:
			sum.Hash = sha256.Sum256([]byte("special\x00" + f.fi.Mode().String()))
		}
		sums[i] = sum
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, f := range files {
		in.Files[f.rel] = sums[i]
	}
	return in, nil
}

// hashFile returns the SHA-256 of a regular file's bytes, reading at most
// maxScanFile of them (a larger file hashes its size and first bytes:
// cairn refuses it anyway), through a buffer of bufs (nil: its own).
func hashFile(p string, bufs *sync.Pool) (portal.Key, error) {
	f, err := os.Open(p)
	if err != nil {
		return portal.Key{}, err
	}
	defer f.Close()
	h := sha256.New()
	var buf []byte
	if bufs != nil {
		b := bufs.Get().(*[]byte)
		defer bufs.Put(b)
		buf = *b
	}
	if _, err := io.CopyBuffer(h, io.LimitReader(f, maxScanFile), buf); err != nil {
		return portal.Key{}, err
	}
	var k portal.Key
	h.Sum(k[:0])
	return k, nil
}

// content returns the hash of a file below content/, or the zero key when
// the scan did not see it.
func (in *Inputs) content(rel string) portal.Key {
	if in == nil {
		return portal.Key{}
	}
	return in.Files["content/"+rel].Hash
}

// siteWide adds every file of the site outside content/ (cairn.toml,
// access.toml, schemas, checklist templates, the theme's overrides,
// sealing salts): what every output of every portal may depend on.
// content/ is keyed file by file, through the model's digests.
func (in *Inputs) siteWide(h *portal.Hasher) {
	names := make([]string, 0, len(in.Files))
	for n := range in.Files {
		if !strings.HasPrefix(n, "content/") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		h.String(n)
		h.Key(in.Files[n].Hash)
	}
}

// Fingerprint is a key of everything a portal's output is made from when
// built with these settings: the program, every file of the site, the
// as-of date, the git commit and state, and which files the build makes
// (mode). Two builds with the same fingerprint write the same bytes.
func (in *Inputs) Fingerprint(today time.Time, commit string, dirty bool, mode Mode) portal.Key {
	h := portal.NewHasher("fingerprint")
	h.Key(in.Tool)
	names := make([]string, 0, len(in.Files))
	for n := range in.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h.String(n)
		h.Key(in.Files[n].Hash)
	}
	h.String(today.Format("2006-01-02"))
	h.String(commit)
	h.Bool(dirty)
	h.String(string(mode))
	return h.Sum()
}

// ToolKey identifies the running program, so that a new cairn never
// reuses what an older one made: the Go build ID of the executable (an
// ELF note, read without reading the file), else the module's clean VCS
// revision and build settings, else a hash of the executable's bytes.
func ToolKey() (portal.Key, error) {
	exe, err := os.Executable()
	if err != nil {
		return portal.Key{}, fmt.Errorf("finding the cairn executable to key the build: %w", err)
	}
	h := portal.NewHasher("tool")
	if id, err := elfBuildID(exe); err == nil && len(id) > 0 {
		h.String("buildid")
		h.Bytes(id)
		return h.Sum(), nil
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		clean, rev := false, ""
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				clean = s.Value == "false"
			}
		}
		if clean && rev != "" {
			h.String("vcs")
			h.String(bi.String())
			return h.Sum(), nil
		}
	}
	k, err := hashFile(exe, nil)
	if err != nil {
		return portal.Key{}, fmt.Errorf("hashing the cairn executable to key the build: %w", err)
	}
	h.String("exe")
	h.Key(k)
	return h.Sum(), nil
}

// elfBuildID returns the Go build ID note of an ELF executable.
func elfBuildID(exe string) ([]byte, error) {
	f, err := elf.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return nil, errors.New("no Go build ID")
	}
	return s.Data()
}
