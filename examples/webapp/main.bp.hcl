# A web application stack on plain machines that keeps itself sized to its
# load: a group of nginx web machines, each serving a page that names the
# host; an HAProxy load balancer in front of them; a DNS zone example.test
# whose name www points at the load balancer; and an autoscaler and a
# health check that `bp run` carries out. On the local provider, bp builds
# the load balancer, the DNS server and the group itself from machines and
# roles (the self-hosted toolkit); `bp plan` shows what each expands to.

blueprint {
  required_version = ">= 0.1"
  required_providers {
    local = { source = "builtin/local" }
  }
  backend "local" { path = "bp.state" }
}

variable "web_min" {
  type        = number
  default     = 2
  description = "The fewest web machines; bp run never scales below."
  validation {
    condition     = var.web_min >= 1 && var.web_min <= 50
    error_message = "web_min must be between 1 and 50."
  }
}

variable "web_max" {
  type        = number
  default     = 5
  description = "The most web machines; bp run never scales above."
  validation {
    condition     = var.web_max >= 1 && var.web_max <= 50
    error_message = "web_max must be between 1 and 50."
  }
}

variable "web_desired" {
  type        = number
  default     = null
  description = "How many web machines to start with (default web_min). Afterwards bp run owns the size; setting this again resets it."
}

variable "requests_per_member" {
  type        = number
  default     = 100
  description = "The load each web machine should carry, in requests per second: bp run adds machines above it and removes them below."
}

variable "scale_in_cooldown" {
  type        = string
  default     = "60s"
  description = "How long bp run waits after any change before it removes a machine."
}

variable "project" {
  type        = string
  default     = "webapp"
  description = "Names the machines and their network, so several copies of the stack can run side by side."
}

locals {
  site = "www.example.test"
}

provider "local" {
  project = var.project
}

role "app" {
  package "nginx" {}
  user "app" { home = "/srv/app" }
  template "/etc/nginx/sites-enabled/default" {
    source = "templates/site.conf.tpl"
    vars   = { server_name = local.site, name = host.name }
    notify = [service.nginx]
  }
  template "/var/www/html/index.html" {
    source = "templates/index.html.tpl"
    vars   = { site = local.site }
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

# The web machines: identical members converged with role.app. A new member
# must answer on port 80 before the load balancer (or anything else that
# refers to the group) takes it.
resource "machine_group" "web" {
  template {
    image  = "debian-12"
    size   = "small"
    labels = { tier = "web" }
  }
  roles   = [role.app]
  min     = var.web_min
  max     = var.web_max
  desired = var.web_desired
  rollout {
    max_parallel = 2
    health_check {
      port    = 80
      path    = "/"
      timeout = "60s"
    }
  }
}

resource "load_balancer" "front" {
  listener {
    port        = 80
    target_port = 80
  }
  targets = resource.machine_group.web.members
  health_check {
    path                = "/"
    interval            = "1s"
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

# bp run: one web machine per requests_per_member requests per second seen
# at the load balancer (or per 80% CPU busy), within web_min and web_max.
resource "autoscaler" "web" {
  group = resource.machine_group.web
  min   = var.web_min
  max   = var.web_max
  metric {
    name   = "requests_per_member"
    target = var.requests_per_member
    source = resource.load_balancer.front
  }
  # Read on the web machines over SSH; the group follows whichever metric
  # asks for more machines.
  metric {
    name   = "cpu"
    target = 80
  }
  scale_out_cooldown = "15s"
  scale_in_cooldown  = var.scale_in_cooldown
  stabilization      = var.scale_in_cooldown
}

# bp run: a web machine that stops answering is replaced.
resource "health_check" "web" {
  targets = resource.machine_group.web
  http {
    path = "/"
    port = 80
  }
  interval            = "2s"
  unhealthy_threshold = 3
}

resource "dns_zone" "main" {
  name = "example.test"
}

resource "dns_record" "www" {
  zone    = resource.dns_zone.main.name
  name    = "www"
  type    = "A"
  records = [resource.load_balancer.front.address]
  ttl     = 60
}

# Every web machine by name, answered only while its nginx answers: a
# health-checked failover record, for clients that skip the load balancer.
resource "dns_record" "web" {
  zone    = resource.dns_zone.main.name
  name    = "web"
  type    = "A"
  records = resource.machine_group.web.members
  ttl     = 5
  routing {
    policy     = "failover"
    check_port = 80
  }
}

output "url" {
  value       = "http://${resource.load_balancer.front.address}/"
  description = "The site, through the load balancer."
}
output "dns_server" {
  value       = resource.dns_zone.main.address
  description = "The DNS server of example.test."
}
output "dig" {
  value       = "dig @${resource.dns_zone.main.address} ${resource.dns_record.www.fqdn} +short"
  description = "Resolves www.example.test to the load balancer."
}
output "web_addresses" { value = resource.machine_group.web.members }
output "urls" { value = [for a in resource.machine_group.web.members : "http://${a}/"] }
output "stats_url" {
  value       = resource.load_balancer.front.stats_url
  description = "HAProxy's per-backend statistics (CSV)."
}
