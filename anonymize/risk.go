package anonymize

// RiskReport says, for one release, how identifiable its records were
// before anonymisation and remain after it, and what the anonymisation
// cost. It is written as JSON next to the snapshot and printed in the run's
// summary.
type RiskReport struct {
	Release          string        `json:"release"`
	Quarter          string        `json:"quarter"`
	K                int           `json:"k"`
	SuppressionLimit float64       `json:"suppression_limit"`
	QuasiIdentifiers []string      `json:"quasi_identifiers"`
	Before           RiskMeasures  `json:"before"`
	After            RiskMeasures  `json:"after"`
	Suppressed       int           `json:"records_suppressed"`
	Levels           []LevelChoice `json:"levels"`
	NodesChecked     int           `json:"nodes_checked"`
	// Feasible is false when no generalisation reached k within the
	// suppression limit; every quasi-identifier is then suppressed.
	Feasible bool `json:"feasible"`
}

// LevelChoice is the generalisation level chosen for one quasi-identifier;
// 0 is the original value and Height-1 is *.
type LevelChoice struct {
	Attribute string `json:"attribute"`
	Level     int    `json:"level"`
	Height    int    `json:"height"`
}

// RiskMeasures describe the equivalence classes of a table: records that
// share every quasi-identifier value. Under the prosecutor model an
// attacker who knows a person is in the release re-identifies them with
// probability 1/(size of their class).
type RiskMeasures struct {
	Records      int     `json:"records"`
	Classes      int     `json:"classes"`
	MinClassSize int     `json:"min_class_size"`
	AvgClassSize float64 `json:"avg_class_size"`
	// UniqueRecords are records alone in their class.
	UniqueRecords int `json:"unique_records"`
	// ProsecutorMax is the highest re-identification probability of any
	// record, ProsecutorAvg the mean over records.
	ProsecutorMax float64 `json:"prosecutor_risk_max"`
	ProsecutorAvg float64 `json:"prosecutor_risk_avg"`
	// AboveThreshold is the share of records whose risk exceeds 1/k.
	AboveThreshold float64 `json:"records_above_threshold"`
}

// measure computes the risk measures of class sizes; records in classes
// the release suppresses are left out (suppressed is true for a size that
// the release suppresses), since they carry no quasi-identifier.
func measure(counts map[uint64]int32, k int, suppressed func(size int32) bool) RiskMeasures {
	var m RiskMeasures
	above := 0
	for _, c := range counts {
		if suppressed(c) {
			continue
		}
		n := int(c)
		m.Records += n
		m.Classes++
		if m.MinClassSize == 0 || n < m.MinClassSize {
			m.MinClassSize = n
		}
		if n == 1 {
			m.UniqueRecords++
		}
		if n < k {
			above += n
		}
	}
	if m.Records > 0 {
		m.AvgClassSize = float64(m.Records) / float64(m.Classes)
		m.ProsecutorMax = 1 / float64(m.MinClassSize)
		m.ProsecutorAvg = float64(m.Classes) / float64(m.Records)
		m.AboveThreshold = float64(above) / float64(m.Records)
	}
	return m
}
