package funcs

import (
	"maps"
	"sync"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	yaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Table returns every function a blueprint expression may call, by name.
// baseDir is the directory of the module being evaluated: the file
// functions resolve relative paths against it. Each call returns a new map
// the caller may change.
func Table(baseDir string) map[string]function.Function {
	t := maps.Clone(pureFuncs())
	for name, f := range fileFuncs(baseDir) {
		t[name] = guard(f, true)
	}
	// Templates get the same functions, but may not render other templates.
	inTemplates := maps.Clone(t)
	inTemplates["templatefile"] = noNestedTemplateFunc
	// templatefile's own messages never quote vars, and errors inside the
	// template come from HCL and from functions that are themselves
	// guarded, so its errors are kept even when vars holds secrets.
	t["templatefile"] = guard(makeTemplateFileFunc(baseDir, inTemplates), false)
	return t
}

// fileFuncs are the functions that depend on the module directory.
func fileFuncs(baseDir string) map[string]function.Function {
	return map[string]function.Function{
		"abspath":    makeAbsPathFunc(baseDir),
		"file":       makeFileFunc(baseDir),
		"filebase64": makeFileBase64Func(baseDir),
		"fileexists": makeFileExistsFunc(baseDir),
		"filemd5":    makeFileHashFunc(baseDir, algoMD5),
		"filesha1":   makeFileHashFunc(baseDir, algoSHA1),
		"filesha256": makeFileHashFunc(baseDir, algoSHA256),
		"filesha512": makeFileHashFunc(baseDir, algoSHA512),
	}
}

// pureFuncs are built once: they do not depend on the module directory.
var pureFuncs = sync.OnceValue(func() map[string]function.Function {
	t := map[string]function.Function{
		// Numbers.
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,

		// Strings.
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// Collections.
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        coalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"sum":             sumFunc,
		"transpose":       transposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Type conversions.
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": stdlib.MakeToFunc(cty.String),

		// Encodings.
		"base64decode": base64DecodeFunc,
		"base64encode": base64EncodeFunc,
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"urlencode":    urlEncodeFunc,
		"yamldecode":   describe(yaml.YAMLDecodeFunc, "Parses the given YAML 1.2 string (a single document) and returns the value it represents."),
		"yamlencode":   describe(yaml.YAMLEncodeFunc, "Encodes the given value as a YAML document."),

		// Hashes and identifiers.
		"base64sha256": makeHashFunc(algoSHA256, true),
		"base64sha512": makeHashFunc(algoSHA512, true),
		"md5":          makeHashFunc(algoMD5, false),
		"sha1":         makeHashFunc(algoSHA1, false),
		"sha256":       makeHashFunc(algoSHA256, false),
		"sha512":       makeHashFunc(algoSHA512, false),
		"uuid":         uuidFunc,

		// Paths that need no file system.
		"basename":   basenameFunc,
		"dirname":    dirnameFunc,
		"pathexpand": pathExpandFunc,

		// Networks.
		"cidrhost":    cidrHostFunc,
		"cidrnetmask": cidrNetmaskFunc,
		"cidrsubnet":  cidrSubnetFunc,
		"cidrsubnets": cidrSubnetsFunc,

		// Time.
		"formatdate": stdlib.FormatDateFunc,
		"timeadd":    stdlib.TimeAddFunc,
		"timestamp":  timestampFunc,
	}
	for name, f := range t {
		t[name] = guard(f, true)
	}

	// These handle marks and unknown values themselves and never fail on a
	// value, or (try, can) report the diagnostics of their own argument
	// expressions, which HCL writes without values.
	t["sensitive"] = sensitiveFunc
	t["nonsensitive"] = nonsensitiveFunc
	t["issensitive"] = issensitiveFunc
	t["try"] = describe(tryfunc.TryFunc, "Evaluates each argument expression in turn and returns the first that succeeds without errors. The last one's errors are reported if none succeeds.")
	t["can"] = describe(tryfunc.CanFunc, "Returns true if the argument expression evaluates without errors, false otherwise.")
	return t
})

// describe returns f with its description replaced by desc, for functions
// from other packages that come without one.
func describe(f function.Function, desc string) function.Function {
	params := f.Params()
	if vp := f.VarParam(); vp != nil {
		params = append(params, *vp)
	}
	paramDescs := make([]string, len(params))
	for i, p := range params {
		paramDescs[i] = p.Description
	}
	return f.WithNewDescriptions(desc, paramDescs)
}
