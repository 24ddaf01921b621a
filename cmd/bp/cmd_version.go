package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
)

func init() { register(newVersionCommand) }

// versionInfo is the JSON form of `bp version -json`.
type versionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

func currentVersion() versionInfo {
	return versionInfo{
		Version:   strings.TrimPrefix(version, "v"),
		GoVersion: runtime.Version(),
		OS:        runtime.GOOS,
		Arch:      runtime.GOARCH,
	}
}

// versionText is what `bp version` and `bp -version` print.
func versionText() string {
	v := currentVersion()
	return fmt.Sprintf("Blueprint v%s\n%s %s/%s\n", v.Version, v.GoVersion, v.OS, v.Arch)
}

func newVersionCommand(c *cli) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version [flags]",
		Short: "Show the version of bp",
		Long:  "Show the Blueprint version of this bp binary, and the Go version and platform it was built for.",
		Example: `  bp version
  bp version -json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !asJSON {
				_, err := fmt.Fprint(c.stdout, versionText())
				return err
			}
			enc := json.NewEncoder(c.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(currentVersion())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the version as JSON")
	return cmd
}
