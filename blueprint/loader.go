package blueprint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Blueprint file name suffixes.
const (
	NativeSuffix = ".bp.hcl"
	JSONSuffix   = ".bp.json"
)

// maxModuleDepth bounds module nesting, as a guard against accidental
// recursion through paths that differ only in spelling.
const maxModuleDepth = 32

// Loader reads blueprint directories. One Loader keeps the source of every
// file it parsed, so diagnostics can be printed with source snippets.
type Loader struct {
	parser *hclparse.Parser
}

// NewLoader returns a Loader with no files parsed yet.
func NewLoader() *Loader {
	return &Loader{parser: hclparse.NewParser()}
}

// Files returns every file parsed so far, keyed by the file name used in
// diagnostic ranges.
func (l *Loader) Files() map[string]*hcl.File {
	return l.parser.Files()
}

// LoadDir loads the blueprint in dir (and the modules it calls) and checks it
// statically: structure, names, references and meta-arguments. The returned
// Config is usable for whatever did load even when diags has errors.
func (l *Loader) LoadDir(dir string) (*Config, hcl.Diagnostics) {
	root := &Config{Children: map[string]*Config{}, loader: l}
	mod, diags := l.loadModule(dir)
	root.Module = mod
	if mod == nil {
		return root, diags
	}
	diags = append(diags, l.loadChildren(root, []string{absDir(dir)})...)
	if !diags.HasErrors() {
		root.Walk(func(c *Config) { diags = append(diags, validateModule(c)...) })
	}
	return root, diags
}

// LoadFile parses one blueprint file on its own, for tools such as `bp fmt`
// that work on single files.
func (l *Loader) LoadFile(path string) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(path, ".json") {
		return l.parser.ParseJSONFile(path)
	}
	return l.parser.ParseHCLFile(path)
}

func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.Clean(dir)
	}
	return abs
}

// blueprintFiles lists the blueprint files of dir in name order.
func blueprintFiles(dir string) ([]string, hcl.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read blueprint directory",
			Detail:   fmt.Sprintf("Reading %s failed: %s. Check the path and its permissions.", dir, err),
		}}
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasSuffix(name, NativeSuffix) || strings.HasSuffix(name, JSONSuffix) {
			files = append(files, filepath.Join(dir, name))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No blueprint files",
			Detail: fmt.Sprintf("The directory %s contains no *%s or *%s files. Run bp in the directory of "+
				"your blueprint, or pass that directory as an argument.", dir, NativeSuffix, JSONSuffix),
		}}
	}
	return files, nil
}

// loadModule parses and decodes the files of one directory.
func (l *Loader) loadModule(dir string) (*Module, hcl.Diagnostics) {
	paths, diags := blueprintFiles(dir)
	if diags.HasErrors() {
		return nil, diags
	}
	mod := newModule(dir)
	for _, path := range paths {
		file, fileDiags := l.LoadFile(path)
		diags = append(diags, fileDiags...)
		if file == nil || file.Body == nil {
			continue
		}
		// The JSON parser does not recover from a syntax error: what it
		// returns after one is not the file's content, and decoding it only
		// adds confusing errors after the one that matters.
		if fileDiags.HasErrors() && strings.HasSuffix(path, JSONSuffix) {
			continue
		}
		diags = append(diags, decodeFile(mod, file.Body)...)
	}
	return mod, diags
}

// loadChildren loads the modules called by c, recursively. ancestors holds
// the absolute directories of c and its parents, to catch recursion.
func (l *Loader) loadChildren(c *Config, ancestors []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sortedKeys(c.Module.ModuleCalls) {
		call := c.Module.ModuleCalls[name]
		if call.Source == "" || !isLocalSource(call.Source) {
			continue
		}
		dir := filepath.Join(c.Module.Dir, call.Source)
		abs := absDir(dir)
		if contains(ancestors, abs) || len(ancestors) >= maxModuleDepth {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Recursive module call",
				Detail: fmt.Sprintf("Module %q calls %s, which is already being loaded higher up the chain of "+
					"module calls. A module cannot call itself, directly or through others.", name, call.Source),
				Subject: call.SourceRange.Ptr(),
			})
			continue
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Module not found",
				Detail: fmt.Sprintf("The source of module %q is %s, which is not a directory. Check the path "+
					"(it is relative to %s).", name, dir, c.Module.Dir),
				Subject: call.SourceRange.Ptr(),
			})
			continue
		}
		mod, modDiags := l.loadModule(dir)
		for _, d := range modDiags {
			if d.Summary == "No blueprint files" {
				d.Detail = fmt.Sprintf("The source of module %q is %s, which contains no *%s or *%s files. "+
					"Check the path, or add the module's files there.", name, dir, NativeSuffix, JSONSuffix)
			}
			if d.Subject == nil {
				d.Subject = call.SourceRange.Ptr()
			}
		}
		diags = append(diags, modDiags...)
		if mod == nil {
			continue
		}
		child := &Config{
			Module:    mod,
			Path:      append(append([]string(nil), c.Path...), name),
			Parent:    c,
			Children:  map[string]*Config{},
			CallRange: call.DeclRange,
		}
		c.Children[name] = child
		chain := append(append([]string(nil), ancestors...), abs)
		diags = append(diags, l.loadChildren(child, chain)...)
	}
	return diags
}

// decodeFile adds the top-level blocks of one file to mod.
func decodeFile(mod *Module, body hcl.Body) hcl.Diagnostics {
	content, diags := body.Content(fileSchema)
	for _, d := range diags {
		if d.Summary == "Unsupported block type" || d.Summary == "Unsupported argument" {
			d.Detail = strings.TrimSpace(d.Detail + " A blueprint file contains only these blocks: " +
				strings.Join(topLevelBlockNames, ", ") + ".")
		}
	}
	for _, block := range content.Blocks {
		switch block.Type {
		case "blueprint":
			s, sDiags := decodeSettings(block)
			diags = append(diags, sDiags...)
			if mod.Settings != nil {
				diags = append(diags, duplicateSingleton("blueprint block", "a module", mod.Settings.DeclRange, block.DefRange))
				continue
			}
			mod.Settings = s
		case "variable":
			v, vDiags := decodeVariable(block)
			diags = append(diags, vDiags...)
			if prev, ok := mod.Variables[v.Name]; ok {
				diags = append(diags, duplicate("variable", fmt.Sprintf("%q", v.Name), prev.DeclRange, v.DeclRange))
				continue
			}
			mod.Variables[v.Name] = v
		case "locals":
			locals, lDiags := decodeLocals(block)
			diags = append(diags, lDiags...)
			for _, lv := range locals {
				if prev, ok := mod.Locals[lv.Name]; ok {
					diags = append(diags, duplicate("local value", fmt.Sprintf("%q", lv.Name), prev.DeclRange, lv.DeclRange))
					continue
				}
				mod.Locals[lv.Name] = lv
			}
		case "provider":
			p, pDiags := decodeProvider(block)
			diags = append(diags, pDiags...)
			if prev, ok := mod.Providers[p.Key()]; ok {
				what := "provider configuration"
				detail := fmt.Sprintf("Provider %q is already configured at %s. To use two configurations "+
					"of one provider, give the second an alias (alias = \"east\") and select it with "+
					"provider = %s.east.", p.Key(), shortRange(prev.DeclRange), p.Name)
				if p.Alias != "" {
					detail = fmt.Sprintf("Provider %q already has a configuration with alias %q, at %s. "+
						"Each configuration of a provider needs its own alias; rename this one.",
						p.Name, p.Alias, shortRange(prev.DeclRange))
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Duplicate " + what, Detail: detail,
					Subject: p.DeclRange.Ptr(),
				})
				continue
			}
			mod.Providers[p.Key()] = p
		case "resource", "data":
			mode := ManagedResourceMode
			target := mod.Resources
			what := "resource"
			if block.Type == "data" {
				mode, target, what = DataResourceMode, mod.DataSources, "data source"
			}
			r, rDiags := decodeResource(block, mode)
			diags = append(diags, rDiags...)
			key := r.Type + "." + r.Name
			if prev, ok := target[key]; ok {
				diags = append(diags, duplicate(what, r.Addr(), prev.DeclRange, r.DeclRange))
				continue
			}
			target[key] = r
		case "module":
			mc, mDiags := decodeModuleCall(block)
			diags = append(diags, mDiags...)
			diags = addUnique(diags, mod.ModuleCalls, mc.Name, mc, "module call", func(m *ModuleCall) hcl.Range { return m.DeclRange })
		case "role":
			r, rDiags := decodeRole(block)
			diags = append(diags, rDiags...)
			diags = addUnique(diags, mod.Roles, r.Name, r, "role", func(r *Role) hcl.Range { return r.DeclRange })
		case "configure":
			c, cDiags := decodeConfigure(block)
			diags = append(diags, cDiags...)
			diags = addUnique(diags, mod.Configures, c.Name, c, "configure block", func(c *Configure) hcl.Range { return c.DeclRange })
		case "output":
			o, oDiags := decodeOutput(block)
			diags = append(diags, oDiags...)
			diags = addUnique(diags, mod.Outputs, o.Name, o, "output", func(o *Output) hcl.Range { return o.DeclRange })
		case "moved":
			m, mDiags := decodeMoved(block)
			diags = append(diags, mDiags...)
			mod.Moved = append(mod.Moved, m)
		case "import":
			im, iDiags := decodeImport(block)
			diags = append(diags, iDiags...)
			mod.Imports = append(mod.Imports, im)
		}
	}
	return diags
}

// addUnique stores v in m under name, or, when name is taken, adds a
// "Duplicate <what>" diagnostic pointing at v and naming the first one.
func addUnique[V any](diags hcl.Diagnostics, m map[string]V, name string, v V, what string, declRange func(V) hcl.Range) hcl.Diagnostics {
	if prev, ok := m[name]; ok {
		return append(diags, duplicate(what, fmt.Sprintf("%q", name), declRange(prev), declRange(v)))
	}
	m[name] = v
	return diags
}
