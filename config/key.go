package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// KeySpec says where the pseudonymisation key comes from.
type KeySpec struct {
	// Env names the environment variable that holds the key.
	Env string `mapstructure:"env"`
	// File is a file that holds the key; it must not be readable by
	// others (mode 0600 or stricter).
	File string `mapstructure:"file"`
	// Demo is a published key for the bundled synthetic data only.
	Demo string `mapstructure:"demo"`
}

// MinKeyLength is the shortest key accepted, in bytes: 32 bytes is the
// block of entropy HMAC-SHA-256 can use; `openssl rand -hex 32` makes one.
const MinKeyLength = 32

// Key is the secret of the keyed pseudonyms. Its bytes are unexported and
// its String method never shows them, so a key cannot reach a log or an
// error message by accident.
type Key struct {
	secret []byte
	// Demo is true when the key is the published demo key.
	Demo bool
	// Source says where the key came from ("environment variable X",
	// "file F", "demo key"), never what it is.
	Source string
}

// Bytes returns the key material, for the HMAC and nothing else.
func (k Key) Bytes() []byte { return k.secret }

// String hides the key.
func (k Key) String() string { return "[key from " + k.Source + "]" }

// GoString hides the key from %#v as well.
func (k Key) GoString() string { return k.String() }

// ErrNoKey means no key was configured and the run is not a demo.
var ErrNoKey = errors.New("no pseudonymisation key: set the environment variable DOORSTROOM_KEY " +
	"or key.file in the configuration (a file of mode 0600 holding at least 32 characters, " +
	"e.g. made with `openssl rand -hex 32`)")

// LoadKey finds the key: the environment variable first, then the key
// file, then the demo key. It refuses a key file others can read and a key
// shorter than MinKeyLength, and it never puts key material in an error.
func (s KeySpec) LoadKey() (Key, error) {
	env := s.Env
	if env == "" {
		env = "DOORSTROOM_KEY"
	}
	if v := os.Getenv(env); v != "" {
		return newKey([]byte(v), false, "environment variable "+env)
	}
	file := s.File
	if file == "" {
		file = os.Getenv("DOORSTROOM_KEY_FILE")
	}
	if file != "" {
		info, err := os.Stat(file)
		if err != nil {
			return Key{}, fmt.Errorf("key file: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return Key{}, fmt.Errorf("key file %s has mode %04o: others can read it; run chmod 600 %s",
				file, info.Mode().Perm(), file)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return Key{}, fmt.Errorf("key file: %w", err)
		}
		return newKey(bytes.TrimSpace(data), false, "file "+file)
	}
	if s.Demo != "" {
		return newKey([]byte(s.Demo), true, "demo configuration")
	}
	return Key{}, ErrNoKey
}

func newKey(b []byte, demo bool, source string) (Key, error) {
	if len(b) < MinKeyLength {
		return Key{}, fmt.Errorf("the pseudonymisation key from %s has %d bytes; at least %d are needed",
			source, len(b), MinKeyLength)
	}
	return Key{secret: b, Demo: demo, Source: source}, nil
}
