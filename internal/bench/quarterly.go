package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"doorstroom/internal/demogen"
	"doorstroom/internal/probe"
)

// quarterlyRun measures what a network pays every quarter: its inbox
// holds every earlier quarter, already published, and one new quarter's
// files arrive. It builds a second inbox of the network's files without
// the last quarter's (hard links, so no copy of the data), runs the job
// on it once to publish the earlier quarters, then adds the last
// quarter's files and times the job again in a fresh child process, like
// the cold run. The first run is not timed as a table (it is a cold run of
// one quarter fewer); its whole time is printed with the table. DuckDB's
// own read and write is measured on the new quarter's files alone, the
// bytes the quarterly run takes in.
func quarterlyRun(ctx context.Context, o Options, net *network) error {
	dir := filepath.Join(o.Dir, "quarterly-"+demogen.FormatSize(net.size))
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	last := func(path string) bool { return filepath.Base(path) == lastQuarter.String()+".csv" }
	if err := linkInbox(net.dir, dir, func(path string) bool { return !last(path) }); err != nil {
		return err
	}
	if err := linkFile(filepath.Join(net.dir, demogen.ReceivedFile), filepath.Join(dir, demogen.ReceivedFile)); err != nil &&
		!errors.Is(err, fs.ErrNotExist) {
		return err
	}
	work := filepath.Join(dir, "work")
	if err := demogen.WriteConfig(dir, work, net.shape); err != nil {
		return err
	}
	cfg := filepath.Join(dir, demogen.ConfigFile)
	first, err := runJob(ctx, o, cfg, work, "earlier-quarters", "")
	if err != nil {
		return err
	}
	if err := linkInbox(net.dir, dir, last); err != nil {
		return err
	}
	rep, err := runJob(ctx, o, cfg, work, "quarterly", demogen.FormatSize(net.size)+"-quarterly")
	if err != nil {
		return err
	}
	read := 0
	for _, s := range rep.Steps {
		if s.Name == probe.ReadValidate {
			read = s.Rows
		}
	}
	var lim *Limit
	if !o.SkipLimit {
		if lim, err = measureLimit(ctx, net, last); err != nil {
			return err
		}
	}
	printTable(o.Out, fmt.Sprintf("quarterly run (1 new quarter, %d of %d quarters reused; the run that published the %d before took %.2f s), load %s",
		rep.Reused, rep.Quarters, first.Quarters, first.Elapsed.Seconds(), loadAverage()), read, rep, lim)
	return nil
}

// linkInbox links the files of the inbox under from that keep accepts
// (by their path relative to the inbox) into the inbox under to.
func linkInbox(from, to string, keep func(path string) bool) error {
	src := filepath.Join(from, "inbox")
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || !keep(rel) {
			return err
		}
		return linkFile(path, filepath.Join(to, "inbox", rel))
	})
}

// linkFile makes dst a hard link to src, or a copy where the file system
// cannot link. The pipeline never writes to an inbox file, so the
// network's cached files are safe either way.
func linkFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
