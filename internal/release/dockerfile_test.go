package release

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dockerInstr is one Dockerfile instruction: its keyword (upper case), its
// arguments, and the line it starts on.
type dockerInstr struct {
	Cmd, Args string
	Line      int
}

// parseDockerfile splits a Dockerfile into instructions, joining lines
// continued with a backslash and dropping comments and blank lines (as
// Docker's parser does; parser directives are comments here).
func parseDockerfile(text string) []dockerInstr {
	var out []dockerInstr
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") || t == "" && cur.Len() == 0 {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(t, `\`) {
			cur.WriteString(strings.TrimSpace(strings.TrimSuffix(t, `\`)) + " ")
			continue
		}
		cur.WriteString(t)
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, dockerInstr{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args), Line: start})
		cur.Reset()
	}
	return out
}

var (
	fromRe = regexp.MustCompile(`(?i)^(\S+)(?:\s+AS\s+(\S+))?$`)
	urlRe  = regexp.MustCompile(`(?i)\b(https?|git|ssh)://|\.git\b`)
)

// checkDockerfile returns what is wrong with a Dockerfile for cairn's image,
// one message each, naming the line: a multi-stage build whose builder is
// a golang image building ./cmd/cairn with CGO off, and whose final stage
// is distroless static (or scratch) running cairn as a non-root user on
// /site.
func checkDockerfile(text string) []string {
	var probs []string
	bad := func(line int, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	type stage struct {
		image, name string
		line        int
		instrs      []dockerInstr
	}
	var stages []*stage
	for _, in := range parseDockerfile(text) {
		if in.Cmd == "FROM" {
			m := fromRe.FindStringSubmatch(in.Args)
			if m == nil {
				bad(in.Line, "FROM %q: want IMAGE or IMAGE AS NAME", in.Args)
				continue
			}
			stages = append(stages, &stage{image: m[1], name: m[2], line: in.Line})
			continue
		}
		if len(stages) == 0 {
			if in.Cmd != "ARG" {
				bad(in.Line, "%s before the first FROM", in.Cmd)
			}
			continue
		}
		s := stages[len(stages)-1]
		s.instrs = append(s.instrs, in)
		if in.Cmd == "ADD" && urlRe.MatchString(in.Args) {
			bad(in.Line, "ADD %s fetches from the network: download in a RUN with a checksum, or COPY", in.Args)
		}
	}
	if len(stages) < 2 {
		return append(probs, fmt.Sprintf("%d stages: want a builder stage and a final stage", len(stages)))
	}
	builder, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(builder.image, "golang:") || builder.name == "" {
		bad(builder.line, "FROM %s: the first stage must be a named golang image (FROM golang:1.x AS build)", builder.image)
	}
	built := false
	for _, in := range builder.instrs {
		if in.Cmd == "RUN" && strings.Contains(in.Args, "go build") {
			built = true
			if !strings.Contains(in.Args, "CGO_ENABLED=0") {
				bad(in.Line, "go build without CGO_ENABLED=0: the final image has no libc")
			}
			if !strings.Contains(in.Args, "./cmd/cairn") {
				bad(in.Line, "go build does not build ./cmd/cairn")
			}
		}
	}
	if !built {
		bad(builder.line, "the builder stage runs no go build")
	}
	if !strings.HasPrefix(final.image, "gcr.io/distroless/static") && final.image != "scratch" {
		bad(final.line, "FROM %s: the final image must be distroless static or scratch", final.image)
	}
	last := map[string]dockerInstr{}
	names := map[string]bool{}
	for _, s := range stages[:len(stages)-1] {
		names[s.name] = true
	}
	for _, in := range final.instrs {
		last[in.Cmd] = in
		if in.Cmd == "RUN" && final.image != "scratch" {
			bad(in.Line, "RUN in the final stage: distroless has no shell")
		}
		if in.Cmd == "COPY" {
			if m := regexp.MustCompile(`--from=(\S+)`).FindStringSubmatch(in.Args); m != nil && !names[m[1]] {
				bad(in.Line, "COPY --from=%s names no earlier stage", m[1])
			}
		}
	}
	if u, ok := last["USER"]; !ok {
		bad(final.line, "the final stage sets no USER: it would run as root")
	} else if user, _, _ := strings.Cut(u.Args, ":"); user == "root" || user == "0" || user == "" {
		bad(u.Line, "USER %s: run as a non-root user (nonroot, 65532)", u.Args)
	}
	if w, ok := last["WORKDIR"]; !ok || w.Args != "/site" {
		bad(final.line, "the final stage's WORKDIR is %q, want /site (where the site is mounted)", w.Args)
	}
	e, ok := last["ENTRYPOINT"]
	var argv []string
	switch {
	case !ok:
		bad(final.line, "the final stage has no ENTRYPOINT")
	case json.Unmarshal([]byte(e.Args), &argv) != nil || len(argv) == 0:
		bad(e.Line, "ENTRYPOINT %s: use the exec form, [\"cairn\"] (the shell form needs a shell, and signals would not reach cairn)", e.Args)
	case filepath.Base(argv[0]) != "cairn":
		bad(e.Line, "ENTRYPOINT %s does not run cairn", e.Args)
	}
	return probs
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkDockerfile(string(data)) {
		t.Errorf("Dockerfile: %s", p)
	}
}

// TestDockerignoreKeepsSourcesAndSkipsGit: the image is built from the
// sources (go.mod, go.sum, cmd, generator, themes, schemas), without .git
// or built portals.
func TestDockerignore(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	for _, want := range []string{".git", "public"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
	for _, l := range lines {
		for _, keep := range []string{"go.mod", "go.sum", "cmd", "generator", "themes", "schemas", "internal"} {
			if ok, _ := filepath.Match(l, keep); ok || l == "*" {
				t.Errorf(".dockerignore: %q leaves %s out of the build", l, keep)
			}
		}
	}
}

// TestCheckDockerfileRejects plants faults in the repository's Dockerfile:
// each must be named, so TestDockerfile can fail.
func TestCheckDockerfileRejects(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	lineOf := func(s string) int {
		i := strings.Index(good, s)
		return strings.Count(good[:i], "\n") + 1
	}
	final := lineOf("FROM gcr.io/distroless")
	tests := []struct {
		name, old, new, want string
	}{
		{"root", "USER nonroot", "USER root", fmt.Sprintf("line %d: USER root: run as a non-root user (nonroot, 65532)", lineOf("USER nonroot"))},
		{"no user", "USER nonroot\n", "", fmt.Sprintf("line %d: the final stage sets no USER: it would run as root", final)},
		{"shell entrypoint", `ENTRYPOINT ["cairn"]`, "ENTRYPOINT cairn", fmt.Sprintf(`line %d: ENTRYPOINT cairn: use the exec form, ["cairn"] (the shell form needs a shell, and signals would not reach cairn)`, lineOf("ENTRYPOINT"))},
		{"other entrypoint", `ENTRYPOINT ["cairn"]`, `ENTRYPOINT ["/bin/sh"]`, fmt.Sprintf(`line %d: ENTRYPOINT ["/bin/sh"] does not run cairn`, lineOf("ENTRYPOINT"))},
		{"workdir", "WORKDIR /site", "WORKDIR /", fmt.Sprintf(`line %d: the final stage's WORKDIR is "/", want /site (where the site is mounted)`, final)},
		{"add url", "COPY go.mod go.sum ./", "ADD https://example.com/x.tgz /x", fmt.Sprintf("line %d: ADD https://example.com/x.tgz /x fetches from the network: download in a RUN with a checksum, or COPY", lineOf("COPY go.mod"))},
		{"add git", "COPY go.mod go.sum ./", "ADD git@github.com:a/b.git /b", fmt.Sprintf("line %d: ADD git@github.com:a/b.git /b fetches from the network: download in a RUN with a checksum, or COPY", lineOf("COPY go.mod"))},
		{"unnamed builder", "FROM golang:1.26 AS build", "FROM golang:1.26", fmt.Sprintf("line %d: FROM golang:1.26: the first stage must be a named golang image (FROM golang:1.x AS build)", lineOf("FROM golang"))},
		{"fat final image", "FROM gcr.io/distroless/static-debian12:nonroot", "FROM debian:12", fmt.Sprintf("line %d: FROM debian:12: the final image must be distroless static or scratch", final)},
		{"cgo", "RUN CGO_ENABLED=0 go build", "RUN go build", fmt.Sprintf("line %d: go build without CGO_ENABLED=0: the final image has no libc", lineOf("RUN CGO_ENABLED=0"))},
		{"wrong stage", "COPY --from=build", "COPY --from=builder", fmt.Sprintf("line %d: COPY --from=builder names no earlier stage", lineOf("COPY --from=build"))},
		{"single stage", "FROM gcr.io/distroless/static-debian12:nonroot\n", "", "1 stages: want a builder stage and a final stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(good, tt.old, tt.new, 1)
			if bad == good {
				t.Fatalf("%q not in the Dockerfile", tt.old)
			}
			probs := checkDockerfile(bad)
			if !slices.Contains(probs, tt.want) {
				t.Errorf("got %q\nwant %q", probs, tt.want)
			}
		})
	}
}

func TestParseDockerfile(t *testing.T) {
	got := parseDockerfile("# syntax=docker/dockerfile:1\nFROM a AS b\n\nRUN x \\\n  && y\n# c\nentrypoint [\"z\"]\n")
	want := []dockerInstr{{"FROM", "a AS b", 2}, {"RUN", "x && y", 4}, {"ENTRYPOINT", `["z"]`, 7}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
