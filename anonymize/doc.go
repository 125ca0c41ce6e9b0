// Package anonymize turns a quarter's validated registers into a release
// that can leave the building: direct identifiers dropped, case numbers
// replaced by keyed pseudonyms, quasi-identifiers generalised along their
// hierarchies until every record shares them with at least k-1 others and
// every class is l-diverse in its sensitive attributes, and a risk report
// that says what remains.
//
// The decision is Analyze: an optimal full-domain generalisation search
// over the lattice of hierarchy levels, with ARX's information-loss
// metrics, that reaches the optimum ARX's optimal search reaches
// (docs/anonymisation.md). doorstroom risk runs it on any CSV file with
// ARX-layout hierarchies.
//
// A quarter's validated rows make two tables:
//
//   - the register (Register): what the metrics need, at full precision
//     (dates to the day), with no identifier and no quasi-identifier but
//     the partner and those the format marks register (the trajectory's
//     own dates); it stays in the access-restricted warehouse and only
//     leaves it as threshold-suppressed aggregates. It does not depend on
//     the search, so it is made apart, and the pipeline loads it while
//     the search runs;
//   - the microdata (Anonymize, the single entry point every release
//     passes through): the k-anonymous release for evaluators' snapshots.
package anonymize
