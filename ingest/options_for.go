package ingest

import (
	"doorstroom/config"
	"doorstroom/internal/period"
)

// OptionsFor is how a network's configuration reads one partner's file for
// a quarter: the programme's format, the partner's own labels and policy,
// and the size and width limits. The pipeline, `doorstroom check` and
// `doorstroom audit` all read through it, so a file reads the same
// wherever it is read (an audit with other limits would miss the case
// numbers of a file the pipeline accepted). countries is cfg.Countries().
func OptionsFor(cfg *config.Config, prog *config.Programme, p config.Partner, q period.Quarter, countries map[string]string) Options {
	return Options{Format: prog.Format, Labels: prog.LabelsFor(p), Countries: countries,
		Partner: p.Code, Quarter: q, Policy: cfg.PolicyFor(p.Code),
		MaxBytes: int64(cfg.Ingest.MaxFileMB) << 20, MaxColumns: cfg.Ingest.MaxColumns}
}
