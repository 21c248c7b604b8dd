package main

import "testing"

// TestCollabListenRefusals checks that cairn collab refuses to listen
// beyond loopback without a trusted proxy, and --dev-user anywhere but a
// local trial, with the exact messages.
func TestCollabListenRefusals(t *testing.T) {
	tests := []struct {
		opts CollabOptions
		want string
	}{
		{CollabOptions{Bind: "0.0.0.0", Port: 8089, Rate: 1}, "--bind 0.0.0.0: cairn collab listens beyond loopback only behind an authenticating proxy: give its addresses with --trusted-proxy"},
		{CollabOptions{Bind: "127.0.0.1", Port: 8089, Rate: 1, TrustedProxy: "127.0.0.1", DevUser: "a@b.example"}, "--dev-user is for local trials: it cannot be combined with --trusted-proxy or a non-loopback --bind"},
		{CollabOptions{Bind: "10.0.0.1", Port: 8089, Rate: 1, TrustedProxy: "10.0.0.0/8", DevUser: "a@b.example"}, "--dev-user is for local trials: it cannot be combined with --trusted-proxy or a non-loopback --bind"},
		{CollabOptions{Bind: "127.0.0.1", Port: 8089, Rate: 1, TrustedProxy: "proxy.example"}, `--trusted-proxy: trusted proxy "proxy.example" is not an address or CIDR prefix`},
		{CollabOptions{Bind: "127.0.0.1", Port: 70000, Rate: 1}, "--port 70000: want 0 to 65535"},
		{CollabOptions{Bind: "127.0.0.1", Port: 8089, Rate: 0}, "--rate 0: want 1 or more"},
		{CollabOptions{Bind: "0.0.0.0", Port: 8089, Rate: 1, TrustedProxy: "10.0.0.5"}, ""},
		{CollabOptions{Bind: "::1", Port: 8089, Rate: 1, DevUser: "a@b.example"}, ""},
	}
	for _, tc := range tests {
		_, err := collabListen(&tc.opts)
		got := ""
		if err != nil {
			got = err.Error()
			if _, ok := err.(*usageError); !ok {
				t.Errorf("%+v: %v is not a usage error", tc.opts, err)
			}
		}
		if got != tc.want {
			t.Errorf("%+v: error %q, want %q", tc.opts, got, tc.want)
		}
	}
}
