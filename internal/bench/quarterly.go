package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"doorstroom/ingest"
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
	if err := clearRunDir(o.trash, dir, filepath.Join(dir, "work")); err != nil {
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
	// A partner's file has been in the inbox for a while when a run takes
	// it in; one linked a moment ago has a status-change time too recent
	// for the run to stamp it (ingest/stamp.go), and the quarterly run
	// would read and hash the earlier quarters' files again, as no
	// network's run would.
	if err := pause(ctx, ingest.StampMargin+100*time.Millisecond); err != nil {
		return err
	}
	first, err := runJob(ctx, o, cfg, work, "earlier-quarters", "")
	if err != nil {
		return err
	}
	if err := linkInbox(net.dir, dir, last); err != nil {
		return err
	}
	// Each repeat starts from the state the first run left: a copy of
	// it, made before the quarterly run changes it.
	saved := work + ".before"
	if o.Repeat > 1 {
		if err := o.trash.put(saved); err != nil {
			return err
		}
		if err := copyTree(work, saved); err != nil {
			return err
		}
		defer o.trash.put(saved)
		flushWrites()
	}
	var runs []measured
	for i := range max(o.Repeat, 1) {
		if i > 0 {
			if err := o.trash.put(work); err != nil {
				return err
			}
			if err := copyTree(saved, work); err != nil {
				return err
			}
			flushWrites()
		}
		profile := ""
		if i == 0 {
			profile = demogen.FormatSize(net.size) + "-quarterly"
		}
		rep, err := runJob(ctx, o, cfg, work, "quarterly", profile)
		if err != nil {
			return err
		}
		m := measured{rep: rep}
		if !o.SkipLimit {
			if m.lim, err = measureLimit(ctx, net, last, o.trash); err != nil {
				return err
			}
		}
		runs = append(runs, m)
	}
	median := medianRun(runs)
	rep, lim := median.rep, median.lim
	read := rep.step(probe.ReadValidate).Rows
	printTable(o.Out, fmt.Sprintf("quarterly run (1 new quarter, %d of %d quarters reused; the run that published the %d before took %.2f s), load %s",
		rep.Reused, rep.Quarters, first.Quarters, first.Elapsed.Seconds(), loadAverage()), read, rep, lim)
	if len(runs) > 1 {
		printRepeats(o.Out, runs)
	}
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
	return copyFile(src, dst, 0o644)
}
