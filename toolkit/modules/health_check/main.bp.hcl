# The health_check, a controller kind: it creates nothing. bp embeds this
# module and calls it for a health_check resource; the module checks the
# probe and records it in state (std_null.this, attribute inputs), where
# bp run reads it.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"web\", or \"web-0\" for counted instances)."
}

variable "group_address" {
  type        = string
  description = "The address of the group, \"machine_group.web\": set by bp from the targets argument."
}

variable "targets" {
  type        = object({ members = list(string) })
  description = "The machine group whose members are probed."
}

variable "interval" {
  type        = string
  default     = null
  description = "Time between probes (default 5s)."
  validation {
    condition     = can(regex("^[0-9]+(ms|s|m|h)$", coalesce(var.interval, "5s")))
    error_message = "interval must be a duration such as \"5s\" or \"500ms\"."
  }
}

variable "healthy_threshold" {
  type        = number
  default     = null
  description = "Passed probes that make a member healthy (default 2)."
  validation {
    condition     = var.healthy_threshold == null ? true : var.healthy_threshold >= 1 && var.healthy_threshold <= 100 && floor(var.healthy_threshold) == var.healthy_threshold
    error_message = "healthy_threshold must be a whole number from 1 to 100."
  }
}

variable "unhealthy_threshold" {
  type        = number
  default     = null
  description = "Failed probes that make a member unhealthy (default 3)."
  validation {
    condition     = var.unhealthy_threshold == null ? true : var.unhealthy_threshold >= 1 && var.unhealthy_threshold <= 100 && floor(var.unhealthy_threshold) == var.unhealthy_threshold
    error_message = "unhealthy_threshold must be a whole number from 1 to 100."
  }
}

variable "http" {
  type = object({
    path = optional(string)
    port = optional(number)
  })
  default     = null
  description = "Probe with HTTP GET: path (default \"/\"), port (default 80)."
  validation {
    condition     = can(regex("^/[!-~]*$", coalesce(try(var.http.path, null), "/")))
    error_message = "The http path must start with / and hold no spaces, such as \"/healthz\"."
  }
  validation {
    condition     = try(var.http.port, null) == null ? true : var.http.port >= 1 && var.http.port <= 65535 && floor(var.http.port) == var.http.port
    error_message = "The http port must be a whole number from 1 to 65535."
  }
}

variable "tcp" {
  type        = object({ port = number })
  default     = null
  description = "Probe by opening a TCP connection to port."
  validation {
    condition     = var.tcp == null ? true : var.tcp.port >= 1 && var.tcp.port <= 65535 && floor(var.tcp.port) == var.tcp.port
    error_message = "The tcp port must be a whole number from 1 to 65535."
  }
  validation {
    condition     = var.http == null || var.tcp == null
    error_message = "A health_check takes an http block or a tcp block, not both."
  }
}

# The check, as bp run reads it.
resource "std_null" "this" {
  inputs = {
    group               = var.group_address
    http                = var.tcp != null ? null : { path = coalesce(try(var.http.path, null), "/"), port = coalesce(try(var.http.port, null), 80) }
    tcp                 = var.tcp
    interval            = coalesce(var.interval, "5s")
    healthy_threshold   = coalesce(var.healthy_threshold, 2)
    unhealthy_threshold = coalesce(var.unhealthy_threshold, 3)
  }
}

output "targets" { value = var.group_address }
output "interval" { value = coalesce(var.interval, "5s") }
output "healthy_threshold" { value = coalesce(var.healthy_threshold, 2) }
output "unhealthy_threshold" { value = coalesce(var.unhealthy_threshold, 3) }
output "http" { value = var.http }
output "tcp" { value = var.tcp }
