package std

import (
	"context"
	"crypto/rand"
	"math/big"
	"unicode/utf8"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// maxRandomLength bounds std_random's length so a typo cannot ask for
// gigabytes.
const maxRandomLength = 4096

// passwordAlphabet is what std_random draws from: letters, digits and
// punctuation that needs no quoting in shells or URLs' userinfo.
const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!*"

// randomResource is std_random: a random password chosen once at create and
// kept until length or keepers change.
type randomResource struct{}

var randomType = cty.Object(map[string]cty.Type{
	"length": cty.Number, "keepers": cty.Map(cty.String), "id": cty.String, "result": cty.String,
})

func (randomResource) schema() *providers.Schema {
	return &providers.Schema{
		Description: "A random password from crypto/rand, chosen at create and then kept.",
		Attributes: map[string]*providers.Attribute{
			"length": {Type: cty.Number, Required: true, RequiresReplace: true,
				Description: "The number of characters, from 1 to 4096."},
			"keepers": {Type: cty.Map(cty.String), Optional: true, RequiresReplace: true,
				Description: "Arbitrary values; changing any of them chooses a new result."},
			"id":     {Type: cty.String, Computed: true, Description: "A random hex identifier."},
			"result": {Type: cty.String, Computed: true, Sensitive: true, Description: "The password."},
		},
	}
}

func (randomResource) validate(config cty.Value) providers.Diagnostics {
	length := attr(config, "length", cty.Number)
	if length.IsNull() || !length.IsKnown() {
		return nil
	}
	if _, ok := randomLength(length); !ok {
		return providers.Diagnostics{providers.AttributeErrorf(cty.GetAttrPath("length"), "Invalid length",
			"The length of a std_random must be a whole number from 1 to %d; got %s.", maxRandomLength, length.AsBigFloat().Text('g', -1))}
	}
	return nil
}

// randomLength returns v as an int when it is a whole number in range.
func randomLength(v cty.Value) (int, bool) {
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	n, acc := bf.Int64()
	if acc != big.Exact || n < 1 || n > maxRandomLength {
		return 0, false
	}
	return int(n), true
}

func (r randomResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	proposed := req.ProposedNewState
	length := attr(proposed, "length", cty.Number)
	keepers := attr(proposed, "keepers", cty.Map(cty.String))
	var replace []cty.Path
	if !req.PriorState.IsNull() {
		if changed(attr(req.PriorState, "length", cty.Number), length) {
			replace = append(replace, cty.GetAttrPath("length"))
		}
		if changed(attr(req.PriorState, "keepers", cty.Map(cty.String)), keepers) {
			replace = append(replace, cty.GetAttrPath("keepers"))
		}
	}
	id, result := cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)
	if !req.PriorState.IsNull() && len(replace) == 0 {
		id, result = attr(req.PriorState, "id", cty.String), attr(req.PriorState, "result", cty.String)
	}
	return providers.PlanResourceChangeResponse{
		PlannedState: cty.ObjectVal(map[string]cty.Value{
			"length": length, "keepers": keepers, "id": id, "result": result,
		}),
		RequiresReplace: replace,
		Diagnostics:     r.validate(proposed),
	}
}

func (r randomResource) apply(_ context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	planned := req.PlannedState
	if planned.IsNull() {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(randomType)}
	}
	if r, id := attr(planned, "result", cty.String), attr(planned, "id", cty.String); r.IsKnown() && !r.IsNull() && id.IsKnown() && !id.IsNull() {
		// Every attribute the user sets requires replacement, so an in-place
		// update changes nothing.
		return providers.ApplyResourceChangeResponse{NewState: planned}
	}
	length, ok := randomLength(attr(planned, "length", cty.Number))
	if !ok {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(randomType), Diagnostics: r.validate(planned)}
	}
	result, err := randomPassword(length)
	if err != nil {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(randomType), Diagnostics: providers.Diagnostics{
			providers.FromError("Cannot read random numbers", err)}}
	}
	id, err := randomID()
	if err != nil {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(randomType), Diagnostics: providers.Diagnostics{
			providers.FromError("Cannot read random numbers", err)}}
	}
	return providers.ApplyResourceChangeResponse{NewState: cty.ObjectVal(map[string]cty.Value{
		"length":  attr(planned, "length", cty.Number),
		"keepers": attr(planned, "keepers", cty.Map(cty.String)),
		"id":      cty.StringVal(id),
		"result":  cty.StringVal(result),
	})}
}

// read returns the state unchanged: a random value exists only in state. A state
// without an id, though, was never created (apply always sets the id): the
// engine records such a placeholder while a create is in progress, and
// read reports it gone.
func (randomResource) read(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	if id := attr(req.CurrentState, "id", cty.String); id.IsNull() {
		return providers.ReadResourceResponse{NewState: cty.NullVal(randomType)}
	}
	return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
}

// importState adopts an existing secret: the import ID is the result.
func (randomResource) importState(_ context.Context, id string) (cty.Value, providers.Diagnostics) {
	n := utf8.RuneCountInString(id)
	if n < 1 || n > maxRandomLength {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Invalid import ID",
			"Import a std_random with the existing secret as its ID (1 to %d characters); its length is taken from it.", maxRandomLength)}
	}
	hexID, err := randomID()
	if err != nil {
		return cty.NilVal, providers.Diagnostics{providers.FromError("Cannot read random numbers", err)}
	}
	return cty.ObjectVal(map[string]cty.Value{
		"length":  cty.NumberIntVal(int64(n)),
		"keepers": cty.NullVal(cty.Map(cty.String)),
		"id":      cty.StringVal(hexID),
		"result":  cty.StringVal(id),
	}), nil
}

// randomPassword returns n characters drawn uniformly from passwordAlphabet.
func randomPassword(n int) (string, error) {
	out := make([]byte, n)
	limit := big.NewInt(int64(len(passwordAlphabet)))
	for i := range out {
		k, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", err
		}
		out[i] = passwordAlphabet[k.Int64()]
	}
	return string(out), nil
}
