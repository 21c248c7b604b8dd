// Package release holds the tests of cairn's release files (.goreleaser.yaml,
// Dockerfile, .ci/run) and of its portability to the release platforms;
// it has no code of its own.
package release
