package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=…"; a plain
// go build reports the module version or "dev".
var version = "dev"

func init() {
	register(command{name: "version", summary: "print the version and the formats it reads", run: cmdVersion})
}

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stderr)
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	return runVersion(stdout)
}

func runVersion(w io.Writer) error {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(w, "doorstroom %s (%s, %s/%s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintln(w, "export formats: atn v1")
	return nil
}
