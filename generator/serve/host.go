package serve

import (
	"net"
	"net/http"
	"strings"
)

// loopbackHosts are the host names a browser on this machine uses for a
// server bound to loopback.
func loopbackHosts() []string { return []string{"localhost", "127.0.0.1", "::1"} }

// hostName returns the host of a Host header without port, brackets or
// trailing dot, in lower case.
func hostName(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimPrefix(strings.TrimSuffix(host, "]"), "[")
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// hostAllowed reports whether a request's Host header names this server:
// a loopback name (localhost, 127.0.0.1, [::1]) or one of extra, with any
// port.
func hostAllowed(hostport string, extra []string) bool {
	h := hostName(hostport)
	if h == "" {
		return false
	}
	for _, ok := range append(loopbackHosts(), extra...) {
		if h == hostName(ok) {
			return true
		}
	}
	return false
}

// guardHost refuses requests whose Host header is not one this server
// answers to, with 421 Misdirected Request: a page of another site that
// made its own host name resolve to this machine (DNS rebinding) sends
// its own name, and so cannot read the preview.
func guardHost(extra []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostAllowed(r.Host, extra) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusMisdirectedRequest)
			_, _ = w.Write([]byte("cairn serve answers only requests for localhost, 127.0.0.1, [::1] or its --bind address; open the address it printed\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
