# The self-hosted load_balancer: HAProxy on one machine. bp embeds this
# module and calls it for a load_balancer resource whose provider has no
# native one; its variables are the resource's arguments.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"front\", or \"front-0\" for counted instances); names the machine."
}

variable "listener" {
  type = list(object({
    port        = number
    target_port = optional(number)
    protocol    = optional(string)
  }))
  default     = []
  description = "Ports to accept connections on: port, target_port (default port), protocol (\"http\" or \"tcp\", default http)."
  validation {
    condition     = length(var.listener) > 0
    error_message = "A load balancer needs at least one listener block, such as listener { port = 80 }."
  }
  validation {
    condition = alltrue([for l in var.listener : alltrue([
      for p in [l.port, coalesce(l.target_port, l.port)] : p >= 1 && p <= 65535 && floor(p) == p
    ])])
    error_message = "Listener ports and target ports must be whole numbers from 1 to 65535."
  }
  validation {
    condition     = alltrue([for l in var.listener : contains(["http", "tcp"], coalesce(l.protocol, "http"))])
    error_message = "A listener's protocol must be \"http\" or \"tcp\"."
  }
  validation {
    condition     = length(distinct([for l in var.listener : l.port])) == length(var.listener)
    error_message = "Two listeners use the same port; give each listener its own port."
  }
  validation {
    condition     = !contains([for l in var.listener : l.port], 8404)
    error_message = "Port 8404 is the load balancer's statistics listener (stats_url); use another listener port."
  }
}

variable "targets" {
  type        = list(string)
  description = "Addresses of the targets."
  validation {
    condition     = alltrue([for t in var.targets : can(regex("^[A-Za-z0-9][A-Za-z0-9.-]*$", t))])
    error_message = "Targets must be IPv4 addresses or host names, without a port (the listener's target_port is used)."
  }
}

variable "health_check" {
  type = object({
    path                = optional(string)
    interval            = optional(string)
    healthy_threshold   = optional(number)
    unhealthy_threshold = optional(number)
  })
  default     = null
  description = "How targets are checked: path (default \"/\"), interval (default \"2s\"), healthy_threshold and unhealthy_threshold (default 2)."
  validation {
    condition     = can(regex("^/[!-~]*$", coalesce(try(var.health_check.path, null), "/")))
    error_message = "The health check path must start with / and hold no spaces, such as \"/healthz\"."
  }
  validation {
    condition     = can(regex("^[0-9]+(us|ms|s|m|h)?$", coalesce(try(var.health_check.interval, null), "2s")))
    error_message = "The health check interval must be a duration such as \"2s\", \"500ms\" or \"1m\"."
  }
  validation {
    condition = alltrue([for n in [try(var.health_check.healthy_threshold, null), try(var.health_check.unhealthy_threshold, null)] :
    n == null ? true : n >= 1 && n <= 100 && floor(n) == n])
    error_message = "Health check thresholds must be whole numbers from 1 to 100."
  }
}

variable "balance" {
  type        = string
  default     = null
  description = "\"roundrobin\" (default) or \"leastconn\"."
  validation {
    condition     = contains(["roundrobin", "leastconn"], coalesce(var.balance, "roundrobin"))
    error_message = "balance must be \"roundrobin\" or \"leastconn\"."
  }
}

locals {
  # A host name: lower-case letters, digits and dashes.
  machine_name = substr(trim(replace(lower("lb-${var.realization_name}"), "/[^a-z0-9-]+/", "-"), "-"), 0, 63)
  stats_port   = 8404
}

resource "machine" "lb" {
  name   = local.machine_name
  image  = "debian-12"
  size   = "small"
  labels = { "bp.toolkit" = "load_balancer", "bp.realization" = var.realization_name }
}

role "haproxy" {
  package "haproxy" {}
  # haproxy.cfg.tpl applies the defaults of unset listener and health_check
  # attributes, so its golden tests cover them.
  template "/etc/haproxy/haproxy.cfg" {
    source = "haproxy.cfg.tpl"
    vars = {
      name         = var.realization_name
      listeners    = var.listener
      targets      = var.targets
      health_check = var.health_check
      balance      = var.balance
      stats_port   = local.stats_port
      admin_socket = "/run/haproxy/admin.sock"
    }
    notify = [service.haproxy]
  }
  # Debian runs HAProxy in master-worker mode (-Ws): a reload starts new
  # workers on the same listening sockets while the old ones finish their
  # connections, so a change of targets drops none.
  service "haproxy" {
    state   = "running"
    enabled = true
    reload  = true
  }
}

configure "lb" {
  hosts = [resource.machine.lb]
  roles = [role.haproxy]
}

output "address" {
  value       = resource.machine.lb.address
  description = "The address clients connect to."
}
output "stats_url" {
  value       = "http://${resource.machine.lb.address}:${local.stats_port}/stats;csv"
  description = "HAProxy's statistics as CSV."
}
output "listener" { value = var.listener }
output "targets" { value = var.targets }
output "health_check" { value = var.health_check }
output "balance" { value = coalesce(var.balance, "roundrobin") }
