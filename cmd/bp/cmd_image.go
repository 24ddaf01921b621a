package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/blueprint-engine/bp/providers/local"
)

func init() { register(newImageCommand) }

// imageFlags are the flags every bp image subcommand shares.
type imageFlags struct {
	host string
}

func newImageCommand(c *cli) *cobra.Command {
	var flags imageFlags
	cmd := &cobra.Command{
		Use:   "image",
		Short: "Build, list and remove the local provider's machine images",
		Long: `Manage the machine images of the local provider on this host's container
engine (Docker, or the Podman API service started by make setup). Images are
built locally from recipes with debootstrap; no registry is needed. A machine
whose image is missing builds it on first use, so building ahead is optional.

The engine is the one the local provider uses: -host, else DOCKER_HOST, else
unix:///run/bp/podman.sock, else unix:///var/run/docker.sock.`,
		Example: `  bp image build debian-12
  bp image list
  bp image rm debian-12`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.PersistentFlags().StringVar(&flags.host, "host", "", "the container engine's Docker API `ADDRESS`")
	cmd.AddCommand(newImageBuildCommand(c, &flags), newImageListCommand(c, &flags), newImageRmCommand(c, &flags))
	return cmd
}

func newImageBuildCommand(c *cli, flags *imageFlags) *cobra.Command {
	var force, fresh bool
	cmd := &cobra.Command{
		Use:   "build [flags] NAME",
		Short: "Build a machine image from its recipe",
		Long: `Build the image of recipe NAME unless its current version is already on the
engine. The first build runs debootstrap (about a minute) and keeps the root
file system under /var/cache/bp; later builds start from that cache and take
seconds. Progress is printed to standard error.

Recipes: ` + quotedRecipes() + `.`,
		Example: `  bp image build debian-12
  bp image build -force debian-12
  bp image build -fresh debian-12`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := c.connectEngine(cmd.Context(), flags)
			if err != nil {
				return err
			}
			defer e.Close()
			img, err := e.BuildImage(cmd.Context(), local.BuildImageRequest{
				Name: args[0], Force: force || fresh, Fresh: fresh, Progress: c.stderr,
			})
			if err != nil {
				c.printDiagnostics(errorDiag("Cannot build image "+strconv.Quote(args[0]), err), nil)
				return exitCode(exitError)
			}
			_, err = fmt.Fprintf(c.stdout, "%s %s\n", img.Ref, img.ID)
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "build again even if the current version exists")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "also run debootstrap again instead of using the cached root file system")
	return cmd
}

func newImageListCommand(c *cli, flags *imageFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the machine images on the engine",
		Long: `List the images built by Blueprint's recipes: name, recipe version, whether
it is the current version (machines created now use only current images),
engine reference, ID, age and size.`,
		Example: `  bp image list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := c.connectEngine(cmd.Context(), flags)
			if err != nil {
				return err
			}
			defer e.Close()
			images, err := e.Images(cmd.Context())
			if err != nil {
				c.printDiagnostics(errorDiag("Cannot list images", err), nil)
				return exitCode(exitError)
			}
			if len(images) == 0 {
				_, err := fmt.Fprintf(c.stdout, "No machine images yet. Build one with: bp image build %s\n", local.RecipeNames()[0])
				return err
			}
			return printImages(c, images, time.Now())
		},
	}
}

// printImages writes the image table.
func printImages(c *cli, images []local.Image, now time.Time) error {
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tCURRENT\tREF\tID\tCREATED\tSIZE")
	for _, img := range images {
		current := "no"
		if img.Current {
			current = "yes"
		}
		id := img.ID
		if len(id) > 19 {
			id = id[:19]
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", img.Name, img.RecipeVersion, current, img.Ref, id,
			age(now.Sub(img.Created)), megabytes(img.Size))
	}
	return tw.Flush()
}

func newImageRmCommand(c *cli, flags *imageFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove every version of a machine image",
		Long: `Remove every version of image NAME from the engine. It fails while a machine
uses the image. The cached root file system stays, so building again is quick.`,
		Example: `  bp image rm debian-12`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := c.connectEngine(cmd.Context(), flags)
			if err != nil {
				return err
			}
			defer e.Close()
			removed, err := e.RemoveImage(cmd.Context(), args[0])
			for _, img := range removed {
				fmt.Fprintf(c.stdout, "Removed %s (%s)\n", img.Ref, img.ID)
			}
			if err != nil {
				c.printDiagnostics(errorDiag("Cannot remove image "+strconv.Quote(args[0]), err), nil)
				return exitCode(exitError)
			}
			return nil
		},
	}
}

// connectEngine connects to the local provider's engine, printing the error.
func (c *cli) connectEngine(ctx context.Context, flags *imageFlags) (*local.Engine, error) {
	e, err := local.Connect(ctx, local.ConnectOptions{Host: flags.host, Getenv: c.getenv})
	if err != nil {
		c.printDiagnostics(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No container engine", Detail: sentence(err.Error())}}, nil)
		return nil, exitCode(exitError)
	}
	return e, nil
}

func quotedRecipes() string {
	s := ""
	for i, n := range local.RecipeNames() {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// age formats a duration the way image lists do: "3 minutes ago".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// megabytes formats a byte count as "123 MB".
func megabytes(n int64) string {
	return strconv.FormatInt((n+500_000)/1_000_000, 10) + " MB"
}
