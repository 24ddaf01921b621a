// Package plan is the model of a plan: what the engine intends to do to each
// resource instance and output, and the saved plan file that `bp plan -out`
// writes and `bp apply FILE` reads. It holds no logic for making plans.
package plan
