package main

import "doorstroom/config"

// loadProgramme loads a network's configuration and narrows it to one
// programme, whose snapshots, warehouse and site lie under
// <paths.out>/<programme>/ in a network of several (make run's): the one
// named, else the network's first. A network of one programme keeps its
// own paths.
func loadProgramme(file, programme string) (*config.Config, error) {
	cfg, err := config.Load(file)
	if err != nil {
		return nil, err
	}
	if programme == "" {
		programme = cfg.Programmes[0]
	}
	return cfg.ForProgramme(programme)
}
