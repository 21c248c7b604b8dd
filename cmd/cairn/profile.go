package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile starts the profiles the hidden --profile-cpu and
// --profile-mem flags ask for, and returns the function that ends them.
func startProfile(g *globalOptions) (func() error, error) {
	var cpu *os.File
	if g.ProfileCPU != "" {
		f, err := os.Create(g.ProfileCPU)
		if err != nil {
			return nil, fmt.Errorf("--profile-cpu: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--profile-cpu: %w", err)
		}
		cpu = f
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("--profile-cpu: %w", err)
			}
		}
		if g.ProfileMem != "" {
			f, err := os.Create(g.ProfileMem)
			if err != nil {
				return fmt.Errorf("--profile-mem: %w", err)
			}
			runtime.GC()
			if err := pprof.WriteHeapProfile(f); err != nil {
				f.Close()
				return fmt.Errorf("--profile-mem: %w", err)
			}
			return f.Close()
		}
		return nil
	}, nil
}
