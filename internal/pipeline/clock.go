package pipeline

import (
	"fmt"
	"time"
)

// stageClock adds up, per stage, the time spent and the counts a stage
// reports, across the quarters of a run.
type stageClock struct {
	order   []string
	elapsed map[string]time.Duration
	counts  map[string]map[string]int
	detail  map[string]func(c map[string]int) string
}

func newStageClock() *stageClock {
	return &stageClock{elapsed: map[string]time.Duration{}, counts: map[string]map[string]int{},
		detail: map[string]func(map[string]int) string{}}
}

// time runs f as part of stage name and adds its duration.
func (s *stageClock) time(name string, f func() error) error {
	if _, ok := s.elapsed[name]; !ok {
		s.order = append(s.order, name)
		s.counts[name] = map[string]int{}
	}
	start := time.Now()
	err := f()
	s.elapsed[name] += time.Since(start)
	return err
}

func (s *stageClock) add(stage, counter string, n int) { s.counts[stage][counter] += n }

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
