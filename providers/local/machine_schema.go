package local

import (
	"fmt"
	"regexp"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// defaultImage is the image of a machine whose image argument is not set.
const defaultImage = "debian-12"

var (
	labelsType = cty.Map(cty.String)
	machineTy  cty.Type // machineSchema().ImpliedType(), set in init
	machineSch *providers.Schema
)

func init() {
	machineSch = machineSchema()
	machineTy = machineSch.ImpliedType()
}

func machineSchema() *providers.Schema {
	return &providers.Schema{
		Description: "A machine: a system container with its own address, systemd and sshd, reached over SSH like a cloud VM.",
		Attributes: map[string]*providers.Attribute{
			"name": {Type: cty.String, Optional: true, Computed: true, RequiresReplace: true,
				Description: "The machine's host name (lower-case letters, digits and dashes). Default: generated, m- and 8 hex digits."},
			"image": {Type: cty.String, Optional: true, RequiresReplace: true, Default: cty.StringVal(defaultImage),
				Description: "The image recipe (debian-12), built on first use; or the name of an image with systemd and sshd already on the engine."},
			"size": {Type: cty.String, Optional: true, Default: cty.StringVal(defaultSize), RequiresReplace: true,
				Description: "small (1 CPU, 1 GiB), medium (2 CPUs, 4 GiB) or large (4 CPUs, 8 GiB); CPUs are capped at the host's. A change replaces the machine: Podman 4's Docker API cannot resize a container."},
			"labels": {Type: labelsType, Optional: true,
				Description: "Free-form labels, changed in place. They are kept in state and written to /etc/bp/labels.json on the machine (container labels cannot change after creation)."},
			"network": {Type: cty.String, Optional: true, Computed: true, RequiresReplace: true,
				Description: "The engine network the machine is attached to. Default: the blueprint's own bridge network, bp-PROJECT, created with the first machine and removed with the last."},
			"running": {Type: cty.Bool, Optional: true, Default: cty.True,
				Description: "Whether the machine runs. A machine stopped outside Blueprint is started again by the next apply."},
			"id": {Type: cty.String, Computed: true, Description: "The container ID."},
			"address": {Type: cty.String, Computed: true,
				Description: "The address the host and the blueprint's other machines reach the machine at."},
			"private_address": {Type: cty.String, Computed: true,
				Description: "The machine's address on its network (the same as address for local machines)."},
			"host_key": {Type: cty.String, Computed: true,
				Description: "The machine's SSH host key in authorized_keys format, read after first boot and pinned: SSH connections that see another key fail."},
			"ssh_user": {Type: cty.String, Computed: true, Description: "The user to log in as: root."},
			"ssh_public_key": {Type: cty.String, Computed: true,
				Description: "The public half of the machine's login key, in authorized_keys format."},
			"ssh_private_key": {Type: cty.String, Computed: true, Sensitive: true,
				Description: "The machine's login key (OpenSSH PEM), generated at create and kept only in state."},
		},
	}
}

// machineNamePattern is a host name label, also used in container names.
var machineNamePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// labelKeyPattern keeps label keys usable as file keys and shell words.
var labelKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$`)

// validateMachine checks what the schema cannot: names, sizes, label keys.
// Unknown values are skipped; they are checked again at apply.
func validateMachine(cfg cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if name, ok := stringAttr(cfg, "name"); ok && !machineNamePattern.MatchString(name) {
		diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("name"), "Invalid machine name",
			"The machine name %q is not a valid host name: use 1 to 63 lower-case letters, digits and dashes, not starting or ending with a dash, such as \"web-1\".", name))
	}
	if size, ok := stringAttr(cfg, "size"); ok {
		if _, err := lookupSize(size, 0); err != nil {
			diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("size"), "Invalid machine size",
				"The size %q is not one the local provider knows; use %s.", size, quoteList(sizeNames())))
		}
	}
	if image, ok := stringAttr(cfg, "image"); ok && image == "" {
		diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("image"), "Invalid image",
			"The image must not be empty; leave it out to use %q.", defaultImage))
	}
	if network, ok := stringAttr(cfg, "network"); ok && network == "" {
		diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("network"), "Invalid network",
			"The network must not be empty; leave it out to use the blueprint's own network."))
	}
	labels := attr(cfg, "labels", labelsType)
	if labels.IsKnown() && !labels.IsNull() {
		for it := labels.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			if !labelKeyPattern.MatchString(k.AsString()) {
				diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("labels").Index(k), "Invalid label key",
					"The label key %q must be 1 to 63 letters, digits, dots, dashes, underscores or slashes, starting with a letter or digit.", k.AsString()))
			}
		}
	}
	return diags
}

// networkName is the default network of a project.
func networkName(project string) string { return "bp-" + project }

// containerName is the container of a machine: unique per project.
func containerName(project, machine string) string { return fmt.Sprintf("bp-%s-%s", project, machine) }
