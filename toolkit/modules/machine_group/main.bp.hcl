# The self-hosted machine_group: identical machines, counted. bp embeds this
# module and calls it for a machine_group resource whose provider has no
# native one; its variables are the resource's arguments. The group's roles
# are not a variable: bp converges them on the machines output through a
# configure block of its own, in the module that declares the group.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"web\", or \"web-0\" for counted instances); members are named NAME-INDEX."
}

variable "size_override" {
  type        = number
  description = "A size chosen at run time (bp run), or null: set by bp, never by users."
}

variable "template" {
  type = object({
    image   = optional(string)
    size    = optional(string)
    labels  = optional(map(string))
    network = optional(string)
    running = optional(bool)
  })
  default     = null
  description = "The arguments of every member machine."
}

variable "min" {
  type        = number
  description = "The smallest number of members."
  validation {
    condition     = var.min >= 0 && floor(var.min) == var.min
    error_message = "min must be a whole number from 0 up."
  }
}

variable "max" {
  type        = number
  description = "The largest number of members."
  validation {
    condition     = var.max >= 1 && floor(var.max) == var.max
    error_message = "max must be a whole number from 1 up."
  }
}

variable "desired" {
  type        = number
  default     = null
  description = "The initial number of members (default min)."
}

locals {
  # Host names: lower-case letters, digits and dashes, room for -INDEX.
  base = substr(trim(replace(lower(var.realization_name), "/[^a-z0-9-]+/", "-"), "-"), 0, 56)
}

# The size lives in state: the blueprint's desired size until bp run
# overrides it, and kept by later applies while desired is unchanged.
resource "std_group_size" "this" {
  desired  = coalesce(var.desired, var.min)
  min      = var.min
  max      = var.max
  override = var.size_override
}

# Members are counted, so scaling in removes the highest indexes first.
resource "machine" "member" {
  count   = resource.std_group_size.this.size
  name    = "${local.base}-${count.index}"
  image   = try(var.template.image, null)
  size    = try(var.template.size, null)
  network = try(var.template.network, null)
  running = try(var.template.running, null)
  labels = merge(coalesce(try(var.template.labels, null), {}), {
    "bp.toolkit"     = "machine_group"
    "bp.realization" = var.realization_name
    "bp.member"      = tostring(count.index)
  })
}

output "members" {
  value       = resource.machine.member[*].address
  description = "The members' addresses, in member order."
}
output "machines" {
  value       = resource.machine.member
  description = "The member machines, for the hosts of a configure block."
}
output "size" { value = resource.std_group_size.this.size }
output "template" { value = var.template }
output "min" { value = var.min }
output "max" { value = var.max }
output "desired" { value = coalesce(var.desired, var.min) }
