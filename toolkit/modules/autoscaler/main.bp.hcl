# The autoscaler, a controller kind: it creates nothing. bp embeds this
# module and calls it for an autoscaler resource; the module checks the
# policy and records it in state (std_null.this, attribute inputs), where
# bp run reads it.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"web\", or \"web-0\" for counted instances)."
}

variable "group_address" {
  type        = string
  description = "The address of the group, \"machine_group.web\": set by bp from the group argument."
}

variable "group" {
  type        = object({ min = number, max = number })
  description = "The machine group to resize."
}

variable "min" {
  type        = number
  description = "The smallest size the autoscaler sets."
  validation {
    condition     = var.min >= 0 && floor(var.min) == var.min
    error_message = "min must be a whole number from 0 up."
  }
  validation {
    condition     = var.min >= var.group.min && var.min <= var.max
    error_message = "min (${var.min}) must be at least the group's min (${var.group.min}) and at most max (${var.max}): the autoscaler sizes the group within its bounds."
  }
}

variable "max" {
  type        = number
  description = "The largest size the autoscaler sets."
  validation {
    condition     = var.max >= 1 && floor(var.max) == var.max
    error_message = "max must be a whole number from 1 up."
  }
  validation {
    condition     = var.max <= var.group.max
    error_message = "max (${var.max}) must be at most the group's max (${var.group.max}): the autoscaler sizes the group within its bounds."
  }
}

variable "scale_out_cooldown" {
  type        = string
  default     = null
  description = "Time after a scale-out before the next one (default 60s)."
  validation {
    condition     = can(regex("^[0-9]+(ms|s|m|h)$", coalesce(var.scale_out_cooldown, "60s")))
    error_message = "scale_out_cooldown must be a duration such as \"30s\", \"500ms\" or \"5m\"."
  }
}

variable "scale_in_cooldown" {
  type        = string
  default     = null
  description = "Time after any change before a scale-in (default 300s)."
  validation {
    condition     = can(regex("^[0-9]+(ms|s|m|h)$", coalesce(var.scale_in_cooldown, "300s")))
    error_message = "scale_in_cooldown must be a duration such as \"30s\", \"500ms\" or \"5m\"."
  }
}

variable "stabilization" {
  type        = string
  default     = null
  description = "The scale-in window (default 300s)."
  validation {
    condition     = can(regex("^[0-9]+(ms|s|m|h)$", coalesce(var.stabilization, "300s")))
    error_message = "stabilization must be a duration such as \"30s\", \"500ms\" or \"5m\"."
  }
}

variable "metric" {
  type = list(object({
    name   = string
    target = number
    source = optional(object({ stats_url = string, listener = list(object({ port = number })) }))
    port   = optional(number)
  }))
  default     = []
  description = "The metrics tracked: name, target, source (a load balancer), port (its listener)."
  validation {
    condition     = length(var.metric) > 0
    error_message = "An autoscaler needs at least one metric block, such as metric { name = \"requests_per_member\" target = 100 source = resource.load_balancer.front }."
  }
  validation {
    condition = alltrue([for m in var.metric : contains(
    ["requests_per_member", "response_time", "sessions_per_member", "load_average", "cpu", "memory"], m.name)])
    error_message = "A metric's name must be one of requests_per_member, response_time, sessions_per_member, load_average, cpu or memory."
  }
  validation {
    condition     = alltrue([for m in var.metric : m.target > 0])
    error_message = "A metric's target must be greater than 0."
  }
  validation {
    condition = alltrue([for m in var.metric :
    !contains(["requests_per_member", "response_time", "sessions_per_member"], m.name) || m.source != null])
    error_message = "The metrics requests_per_member, response_time and sessions_per_member come from a load balancer: set source = resource.load_balancer.NAME."
  }
}

locals {
  metrics = [for m in var.metric : {
    name      = m.name
    target    = m.target
    stats_url = m.source == null ? null : m.source.stats_url
    backend   = m.source == null ? null : "targets_${coalesce(m.port, m.source.listener[0].port)}"
  }]
}

# The policy, as bp run reads it.
resource "std_null" "this" {
  inputs = {
    group              = var.group_address
    min                = var.min
    max                = var.max
    metrics            = local.metrics
    scale_out_cooldown = coalesce(var.scale_out_cooldown, "60s")
    scale_in_cooldown  = coalesce(var.scale_in_cooldown, "300s")
    stabilization      = coalesce(var.stabilization, "300s")
  }
}

output "group" { value = var.group_address }
output "min" { value = var.min }
output "max" { value = var.max }
output "metric" { value = var.metric }
output "scale_out_cooldown" { value = coalesce(var.scale_out_cooldown, "60s") }
output "scale_in_cooldown" { value = coalesce(var.scale_in_cooldown, "300s") }
output "stabilization" { value = coalesce(var.stabilization, "300s") }
