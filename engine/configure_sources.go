package engine

import (
	"os"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// The local files roles name as `source` are the same for every host: a
// configure block of a hundred hosts would read each file and parse each
// template a hundred times. sources reads each file once and parses a
// template once, and serves them again for as long as the file's size and
// modification time stay the same.

// sourceFile is one local source file as read.
type sourceFile struct {
	path string
	// text is the file's content.
	text    string
	size    int64
	modTime time.Time

	parseOnce sync.Once
	expr      hclsyntax.Expression
	parsed    bool
}

// sourceCache holds the source files read in this process, by path.
type sourceCache struct {
	mu    sync.Mutex
	files map[string]*sourceFile
}

var sources = &sourceCache{files: map[string]*sourceFile{}}

// read returns the file at path, read now or earlier while unchanged.
func (c *sourceCache) read(path string) (*sourceFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	f := c.files[path]
	c.mu.Unlock()
	if f != nil && f.size == info.Size() && f.modTime.Equal(info.ModTime()) {
		return f, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f = &sourceFile{path: path, text: string(data), size: info.Size(), modTime: info.ModTime()}
	if int64(len(data)) != info.Size() {
		// Changed while read: serve it, but do not keep it.
		return f, nil
	}
	c.mu.Lock()
	c.files[path] = f
	c.mu.Unlock()
	return f, nil
}

// render renders the file as a template with vars and fns, as
// funcs.RenderTemplate does, parsing it only the first time. Whatever goes
// wrong is left to funcs.RenderTemplate, so problems are reported in its
// words.
func (f *sourceFile) render(vars map[string]cty.Value, fns map[string]function.Function) (string, hcl.Diagnostics) {
	f.parseOnce.Do(func() {
		expr, diags := hclsyntax.ParseTemplate([]byte(f.text), f.path, hcl.InitialPos)
		f.expr, f.parsed = expr, !diags.HasErrors()
	})
	if f.parsed && coversVariables(f.expr, vars) {
		val, diags := f.expr.Value(&hcl.EvalContext{Variables: vars, Functions: fns})
		if !diags.HasErrors() {
			if s, err := convert.Convert(val, cty.String); err == nil && !s.IsNull() {
				if s, _ = s.UnmarkDeep(); s.IsWhollyKnown() {
					return s.AsString(), nil
				}
			}
		}
	}
	return funcs.RenderTemplate([]byte(f.text), f.path, vars, fns)
}

// coversVariables reports whether vars defines every variable expr uses.
func coversVariables(expr hclsyntax.Expression, vars map[string]cty.Value) bool {
	for _, tr := range expr.Variables() {
		if _, ok := vars[tr.RootName()]; !ok {
			return false
		}
	}
	return true
}
