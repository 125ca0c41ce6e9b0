package ingest

import (
	"context"
	"sync"
	"testing"

	"doorstroom/config"
	"doorstroom/internal/period"
)

// fixture is the embedded default configuration's programme atn, loaded
// once for all tests of the package.
type fixture struct {
	prog      *config.Programme
	countries map[string]string
	tr        *config.Translations
}

var (
	fixtureOnce sync.Once
	fixtureVal  fixture
	fixtureErr  error
)

func loadFixture(t testing.TB) fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		var cfg *config.Config
		if cfg, fixtureErr = config.Load(""); fixtureErr != nil {
			return
		}
		if fixtureVal.prog, fixtureErr = cfg.Programme("atn"); fixtureErr != nil {
			return
		}
		if fixtureVal.countries, fixtureErr = cfg.Countries(); fixtureErr != nil {
			return
		}
		fixtureVal.tr, fixtureErr = cfg.Translations()
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureVal
}

// testOptions reads files as partner "test" reporting on 2026Q1.
func testOptions(t testing.TB) Options {
	fx := loadFixture(t)
	return Options{Format: fx.prog.Format, Labels: fx.prog.Labels, Countries: fx.countries,
		Partner: "test", Quarter: period.Quarter{Year: 2026, Q: 1}, Policy: config.PolicyRejectFile}
}

func mustRead(t testing.TB, data string, opts Options) *Submission {
	t.Helper()
	s, err := ReadBytes(context.Background(), []byte(data), "test/2026Q1.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Release)
	return s
}
