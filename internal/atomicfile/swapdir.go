package atomicfile

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"doorstroom/internal/crashpoint"
)

// ExchangeDir publishes the directory src at dst, which readers may be
// using, and leaves the old tree at src, where the next build can reuse
// it. On Linux the two are exchanged in one step (renameat2 with
// RENAME_EXCHANGE), so at every moment dst is either the old tree or the
// new one, whole. Where the file system cannot exchange, the old dst is
// renamed aside to dst.old first and src renamed in; a crash between the
// two leaves dst.old, which RecoverSwap puts back. When dst did not exist,
// src is simply renamed and nothing is left at src.
func ExchangeDir(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return err
		}
		return SyncDir(filepath.Dir(dst))
	}
	err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE)
	if err == nil {
		if err := SyncDir(filepath.Dir(dst)); err != nil {
			return err
		}
		crashpoint.Hit("swap.exchanged")
		return nil
	}
	if !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.EOPNOTSUPP) {
		return err
	}
	old := dst + ".old"
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	crashpoint.Hit("swap.moved-aside")
	if err := os.Rename(src, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	return os.Rename(old, src)
}

// RecoverSwap undoes what an ExchangeDir interrupted between its two renames
// left behind: when dst is missing and dst.old holds the old tree, that
// tree is put back; a dst.old beside a complete dst is removed.
func RecoverSwap(dst string) error {
	old := dst + ".old"
	if _, err := os.Lstat(old); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
		return os.Rename(old, dst)
	}
	return os.RemoveAll(old)
}
