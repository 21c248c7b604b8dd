// Package fastio reads and writes whole small files with the fewest
// system calls: one open, the reads or writes, one close. os.ReadFile and
// os.WriteFile also stat the file and try to register it with the poller,
// and on a site of 100,000 small files those extra calls are a large
// share of a check or a build (docs/performance.md).
package fastio
