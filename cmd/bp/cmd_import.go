package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newImportCommand) }

// importOptions are the flags of bp import.
type importOptions struct {
	vars        varFlags
	lock        lockFlags
	parallelism int
}

func newImportCommand(c *cli) *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import [flags] ADDR ID",
		Short: "Adopt an existing object into the state",
		Long: `Find the existing object with the provider-specific ID and record it in the
state at ADDR, so that bp manages it from now on. The resource must be
declared in the blueprint (write its block first); nothing is created or
changed, and the next plan shows how the object differs from its block.

It is the same as an import block { to = ADDR, id = "ID" } applied on its own.
Resources inside modules cannot be imported from the command line yet; use an
import block for those.`,
		Example: `  bp import std_file.motd /etc/motd
  bp import 'std_file.greeting[0]' ./out/greeting-0.txt`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runImport(cmd, &opts, args[0], args[1])
		},
	}
	opts.vars.register(cmd.Flags())
	opts.lock.register(cmd.Flags())
	cmd.Flags().IntVar(&opts.parallelism, "parallelism", defaultParallelism, "run at most `N` operations at once")
	return cmd
}

// runImport plans the blueprint with an extra import block for addr and
// records the imported object, and nothing else, in the state.
func (c *cli) runImport(cmd *cobra.Command, opts *importOptions, addrArg, id string) error {
	ctx, stop := c.withInterrupt(cmd.Context())
	defer stop()
	s, err := c.openSession(ctx, sessionOptions{lock: "import", lockTimeout: opts.lock.timeout})
	if err != nil {
		return err
	}
	defer s.close()
	addr, err := state.ParseInstanceAddr(addrArg)
	if err != nil {
		return s.fail(addressDiag(err))
	}
	if diags := s.checkImportTarget(addr); diags.HasErrors() {
		return s.fail(diags)
	}
	vars, err := s.variables(opts.vars.args)
	if err != nil {
		return err
	}
	prior, err := s.readState(ctx)
	if err != nil {
		return err
	}
	if prior.Instance(addr) != nil {
		return s.fail(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Resource already managed by bp",
			Detail: fmt.Sprintf("The state already holds an object at %s. To import another object there, remove it first with: bp state rm '%s'", addr, addr)}})
	}

	s.config.Module.Imports = append(s.config.Module.Imports, importBlock(addr, id))
	fmt.Fprintf(c.stdout, "%s: Importing from ID %q...\n", addr, id)
	e := s.engine(vars, opts.parallelism, nil)
	defer e.Close()
	p, err := s.makePlan(ctx, e, prior, plan.Normal, false)
	if err != nil {
		return err
	}
	obj := p.PriorState.Object(addr)
	if obj == nil {
		return s.fail(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Import failed",
			Detail: fmt.Sprintf("The provider imported nothing at %s for ID %q. Check the ID.", addr, id)}})
	}
	obj = obj.DeepCopy()
	for _, ch := range p.Changes {
		if ch.Addr == addr && ch.Deposed == "" {
			obj.SensitivePaths = append(append(obj.SensitivePaths, ch.BeforeSensitive...), ch.AfterSensitive...)
		}
	}
	prior.SetInstance(addr, p.PriorState.Resource(addr.Resource).Provider, obj)
	if err := s.backend.Write(ctx, prior); err != nil {
		return s.fail(errorDiag("Failed to save the state", err))
	}
	_, err = fmt.Fprintf(c.stdout, "%s: Import complete.\n\nImport successful! The object is now in the state and managed by bp; run bp plan to see how it differs from its block.\n", addr)
	return err
}

// checkImportTarget checks that addr is a managed resource of the root
// module that the blueprint declares.
func (s *session) checkImportTarget(addr state.InstanceAddr) hcl.Diagnostics {
	switch {
	case addr.Resource.Module != "":
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot import into a module",
			Detail: fmt.Sprintf("bp import handles resources of the root module only; to import %s, add an import block { to = %s, id = \"…\" } to the blueprint and run bp apply.", addr, addr)}}
	case addr.Resource.Mode != state.Managed:
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot import a data source",
			Detail: fmt.Sprintf("%s is a data source: bp reads it on every plan, there is nothing to import. Import a managed resource instead.", addr)}}
	}
	if s.config.Module.ResourceByAddr(blueprint.ManagedResourceMode, addr.Resource.Type, addr.Resource.Name) == nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Import to undeclared resource",
			Detail: fmt.Sprintf("The blueprint declares no resource %s. Write its block first, such as:\n\n  resource %q %q {\n    # ...\n  }\n\nthen run bp import again.",
				addr.Resource, addr.Resource.Type, addr.Resource.Name)}}
	}
	return nil
}

// importBlock is the import block equivalent to bp import addr id.
func importBlock(addr state.InstanceAddr, id string) *blueprint.Import {
	rng := hcl.Range{Filename: "<bp import>", Start: hcl.InitialPos, End: hcl.InitialPos}
	to := hcl.Traversal{
		hcl.TraverseRoot{Name: addr.Resource.Type, SrcRange: rng},
		hcl.TraverseAttr{Name: addr.Resource.Name, SrcRange: rng},
	}
	if addr.Key != nil {
		to = append(to, hcl.TraverseIndex{Key: addr.Key.Value(), SrcRange: rng})
	}
	return &blueprint.Import{To: to, ID: hcl.StaticExpr(cty.StringVal(id), rng), DeclRange: rng}
}
