package collab

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tokenTTL is how long a form may stay open before its token expires.
const tokenTTL = 4 * time.Hour

// tokens issues and checks the CSRF tokens of forms. A token binds the
// user, the form's path and an expiry under a key kept in the state folder
// (so a restart does not void open forms); each is accepted once, and the
// used ones are recorded in the state folder too, so a replayed form is
// refused even after a restart.
type tokens struct {
	key  []byte
	path string // the used-tokens file

	mu   sync.Mutex
	used map[string]int64 // nonce (hex) → expiry (unix)
}

func newTokens(stateDir string, now time.Time) (*tokens, error) {
	keyFile := filepath.Join(stateDir, "csrf.key")
	key, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.WriteFile(keyFile, key, 0o600); err != nil {
			return nil, fmt.Errorf("writing the CSRF key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("reading the CSRF key: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("%s is not a 32-byte key: delete it to make a new one", keyFile)
	}
	t := &tokens{key: key, path: filepath.Join(stateDir, "used-tokens"), used: map[string]int64{}}
	f, err := os.Open(t.path)
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			nonce, exp, ok := strings.Cut(sc.Text(), " ")
			if e, err := strconv.ParseInt(exp, 10, 64); ok && err == nil && e > now.Unix() {
				t.used[nonce] = e
			}
		}
	}
	return t, nil
}

func (t *tokens) mac(user, path string, nonce []byte, exp int64) []byte {
	m := hmac.New(sha256.New, t.key)
	fmt.Fprintf(m, "%s\x00%s\x00%x\x00%d", strings.ToLower(user), path, nonce, exp)
	return m.Sum(nil)
}

// Issue returns a token for one form of user at path.
func (t *tokens) Issue(user, path string, now time.Time) string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	exp := now.Add(tokenTTL).Unix()
	b := make([]byte, 0, 16+8+32)
	b = append(b, nonce...)
	b = binary.BigEndian.AppendUint64(b, uint64(exp))
	b = append(b, t.mac(user, path, nonce, exp)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errToken is a missing, forged, expired or replayed token.
var errToken = errors.New("the form's security token is missing, expired or already used: open the form again")

// Verify checks a token for user and path without using it up.
func (t *tokens) Verify(tok, user, path string, now time.Time) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != 16+8+32 {
		return "", errToken
	}
	nonce, exp := b[:16], int64(binary.BigEndian.Uint64(b[16:24]))
	if !hmac.Equal(b[24:], t.mac(user, path, nonce, exp)) || now.Unix() > exp {
		return "", errToken
	}
	id := hex.EncodeToString(nonce)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, used := t.used[id]; used {
		return "", errToken
	}
	return id, nil
}

// Use records a verified token as used; a second Use of it fails.
func (t *tokens) Use(tok, user, path string, now time.Time) error {
	id, err := t.Verify(tok, user, path, now)
	if err != nil {
		return err
	}
	b, _ := base64.RawURLEncoding.DecodeString(tok)
	exp := int64(binary.BigEndian.Uint64(b[16:24]))
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, used := t.used[id]; used {
		return errToken
	}
	t.used[id] = exp
	f, err := os.OpenFile(t.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("recording a used token: %w", err)
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "%s %d\n", id, exp)
	return err
}

// limiter allows each user a number of requests per minute (a fixed
// window per user; the map holds one entry per user seen).
type limiter struct {
	perMinute int
	mu        sync.Mutex
	windows   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// maxWindows is how many users' windows the limiter keeps before it
// forgets those that have ended.
const maxWindows = 4096

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: perMinute, windows: map[string]*window{}}
}

// Allow counts one request of user and reports whether it is within the
// limit.
func (l *limiter) Allow(user string, now time.Time) bool {
	if l.perMinute <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[user]
	if w == nil && len(l.windows) >= maxWindows {
		// Keep the map bounded: forget the windows that have ended.
		for u, x := range l.windows {
			if now.Sub(x.start) >= time.Minute {
				delete(l.windows, u)
			}
		}
	}
	if w == nil || now.Sub(w.start) >= time.Minute {
		w = &window{start: now}
		l.windows[user] = w
	}
	w.n++
	return w.n <= l.perMinute
}

// remoteAllowed reports whether a request may be served at all: from a
// trusted proxy when any are configured, else from this machine.
func remoteAllowed(r *http.Request, trusted []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	if len(trusted) == 0 {
		return ip.IsLoopback()
	}
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// localHost reports whether the Host header names this machine, so that
// without a proxy a web page cannot reach the server under a host name of
// its own that resolves here (DNS rebinding).
func localHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// ParseTrusted reads the --trusted-proxy list: addresses or CIDR prefixes,
// comma-separated.
func ParseTrusted(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q is not an address or CIDR prefix", part)
			}
			out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an address or CIDR prefix", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
