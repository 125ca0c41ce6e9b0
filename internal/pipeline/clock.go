package pipeline

import (
	"fmt"
	"time"

	"doorstroom/internal/probe"
)

// stageClock adds up, per stage, the time spent and the counts a stage
// reports, across the quarters of a run.
type stageClock struct {
	order   []string
	elapsed map[string]time.Duration
	counts  map[string]map[string]int
	detail  map[string]func(c map[string]int) string
	probe   *probe.Probe // the benchmark's measurements; nil in ordinary runs
}

func newStageClock(p *probe.Probe) *stageClock {
	return &stageClock{elapsed: map[string]time.Duration{}, counts: map[string]map[string]int{},
		detail: map[string]func(map[string]int) string{}, probe: p}
}

// time runs f as part of stage name and adds its duration.
func (s *stageClock) time(name string, f func() error) error {
	s.ensure(name)
	start := time.Now()
	err := s.probe.Step(name, f)
	s.elapsed[name] += time.Since(start)
	return err
}

// note adds n to a counter of a stage without timing anything, so that a
// stage whose every quarter was reused (reuse.go) still has its line.
func (s *stageClock) note(stage, counter string, n int) {
	s.ensure(stage)
	s.counts[stage][counter] += n
}

// ensure gives a stage its place in the run's lines, in the order the
// stages first ran.
func (s *stageClock) ensure(name string) {
	if _, ok := s.counts[name]; !ok {
		s.order = append(s.order, name)
		s.counts[name] = map[string]int{}
	}
}

func (s *stageClock) add(stage, counter string, n int) {
	s.counts[stage][counter] += n
	if probeRows[stage] == counter {
		s.probe.Count(stage, n)
	}
}

// probeRows names, per stage, the counter that is the stage's rows in the
// benchmark's table.
var probeRows = map[string]string{"warehouse": "rows", "snapshots": "rows", "metrics": "values", "dashboards": "pages"}

func (s *stageClock) describe(stage string, f func(c map[string]int) string) { s.detail[stage] = f }

func (s *stageClock) stages() []Stage {
	out := make([]Stage, 0, len(s.order))
	for _, name := range s.order {
		d := fmt.Sprint(s.counts[name])
		if f := s.detail[name]; f != nil {
			d = f(s.counts[name])
		}
		out = append(out, Stage{Name: name, Detail: d, Elapsed: s.elapsed[name]})
	}
	return out
}
