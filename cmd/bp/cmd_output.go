package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

func init() { register(newOutputCommand) }

// outputJSON is one output in bp output -json.
type outputJSON struct {
	Sensitive bool            `json:"sensitive"`
	Type      json.RawMessage `json:"type"`
	Value     json.RawMessage `json:"value"`
}

func newOutputCommand(c *cli) *cobra.Command {
	var asJSON, raw bool
	cmd := &cobra.Command{
		Use:   "output [flags] [NAME]",
		Short: "Show the values of the blueprint's outputs",
		Long: `Show the output values recorded in the state by the last apply.

Without NAME, every output is listed; sensitive values are hidden, in text and
in -json (where their value is null). With NAME, that one output's value is
printed even when it is sensitive, since it was asked for by name: as written
in a blueprint by default, as JSON with -json, or as the bare string with -raw
(for shell scripts; strings, numbers and booleans only).`,
		Example: `  bp output
  bp output url
  bp output -json | jq -r '.files.value[]'
  export PGPASSWORD=$(bp output -raw db_password)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON && raw {
				return fmt.Errorf("-json and -raw cannot be used together: choose one format")
			}
			s, err := c.openSession(cmd.Context(), sessionOptions{})
			if err != nil {
				return err
			}
			defer s.close()
			st, err := s.readState(cmd.Context())
			if err != nil {
				return err
			}
			if len(args) == 1 {
				return s.printOutput(st, args[0], asJSON, raw)
			}
			if raw {
				return fmt.Errorf("-raw needs the NAME of one output")
			}
			if asJSON {
				return s.printOutputsJSON(st.Outputs)
			}
			if len(st.Outputs) == 0 {
				s.warn(noOutputs())
				return nil
			}
			return c.renderOutputs(st.Outputs)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&raw, "raw", false, "print the value of output NAME as a bare string")
	return cmd
}

func noOutputs() hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "No outputs found",
		Detail: "The state has no output values. Declare output blocks in the blueprint and run bp apply to record them."}}
}

// printOutput prints the output called name.
func (s *session) printOutput(st *state.State, name string, asJSON, raw bool) error {
	o := st.Output(name)
	if o == nil {
		names := sortedOutputNames(st.Outputs)
		detail := fmt.Sprintf("The state has no output named %q.", name)
		if len(names) > 0 {
			detail += " It has: " + strings.Join(names, ", ") + "."
		} else {
			detail += " It has no outputs at all; run bp apply first."
		}
		return s.fail(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Output not found", Detail: detail}})
	}
	v := o.Value
	switch {
	case raw:
		if v.IsNull() || !v.Type().IsPrimitiveType() {
			return s.fail(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported value for raw output",
				Detail: fmt.Sprintf("Output %q is %s; -raw prints only strings, numbers and booleans. Use -json instead.", name, describeType(v))}})
		}
		str := v.GoString()
		switch v.Type() {
		case cty.String:
			str = v.AsString()
		case cty.Number:
			str = v.AsBigFloat().Text('f', -1)
		case cty.Bool:
			str = fmt.Sprint(v.True())
		}
		_, err := fmt.Fprint(s.c.stdout, str)
		return err
	case asJSON:
		data, err := jsonValue(v)
		if err != nil {
			return s.fail(errorDiag("Cannot print the output as JSON", err))
		}
		_, err = fmt.Fprintf(s.c.stdout, "%s\n", data)
		return err
	}
	_, err := fmt.Fprintln(s.c.stdout, hclValue(v))
	return err
}

// printOutputsJSON prints every output as {"name": {"sensitive", "type",
// "value"}}, with null for sensitive values.
func (s *session) printOutputsJSON(outputs map[string]*state.Output) error {
	all := map[string]outputJSON{}
	for name, o := range outputs {
		typ, err := jsonType(o.Value)
		if err != nil {
			return s.fail(errorDiag("Cannot print the outputs as JSON", err))
		}
		value := json.RawMessage("null")
		if !o.Sensitive {
			if value, err = jsonValue(o.Value); err != nil {
				return s.fail(errorDiag("Cannot print the outputs as JSON", err))
			}
		}
		all[name] = outputJSON{Sensitive: o.Sensitive, Type: typ, Value: value}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(all); err != nil {
		return s.fail(errorDiag("Cannot print the outputs as JSON", err))
	}
	_, err := s.c.stdout.Write(b.Bytes())
	return err
}

func sortedOutputNames(outputs map[string]*state.Output) []string {
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// describeType says what kind of value v is, for messages.
func describeType(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type().IsListType(), v.Type().IsTupleType(), v.Type().IsSetType():
		return "a list"
	case v.Type().IsMapType(), v.Type().IsObjectType():
		return "a map or object"
	}
	return "a " + v.Type().FriendlyName()
}
