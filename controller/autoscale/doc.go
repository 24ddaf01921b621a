// Package autoscale decides how many members a machine group should have.
//
// It implements target tracking: for each metric, desired = ceil(current ×
// observed / target); the group takes the highest of those recommendations,
// clamped to the policy's [Min, Max]. Around that formula sit the rules that
// keep a group from flapping: a scale-out cooldown, a scale-in cooldown, a
// stabilization window for scale-in (the group shrinks only to the highest
// recommendation seen over the window), no decision while a previous change
// is still being applied, and no scale-in on missing or stale data.
//
// The package is pure and deterministic: time is passed in, nothing is read
// from the clock, the network or the environment, and the same calls in the
// same order give the same decisions. It is not the part that scrapes
// metrics or changes the group; `bp run` feeds it samples and carries out
// its decisions.
package autoscale
