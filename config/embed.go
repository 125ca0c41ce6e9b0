// Package config reads doorstroom's configuration: the network (partners,
// paths, privacy thresholds, the pseudonymisation key) and, per programme,
// the agreed export format, the partners' labels for its headers and codes,
// and the generalisation hierarchies.
//
// Partner facts live in YAML files in this folder, not in Go code. The files
// are embedded in the binary as defaults, so doorstroom runs anywhere; a
// network's own file, given with --config, overrides them key by key, and
// DOORSTROOM_* environment variables override both. Everything is read
// through viper.
package config

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml programmes hierarchies translations
var embedded embed.FS

// Defaults is the embedded configuration tree: doorstroom.yaml, demo.yaml,
// programmes/, hierarchies/ and translations/. Stages that need a data file
// named in the configuration (a hierarchy table, say) open it from Config.FS,
// which is this tree unless the network points programmes_dir elsewhere.
func Defaults() fs.FS { return embedded }
