# A web application stack on plain machines: web machines running nginx, each
# serving a page that names the host; an HAProxy load balancer in front of
# them; and a DNS zone example.test whose name www points at the load
# balancer. On the local provider, bp builds the load balancer and the DNS
# server itself from machines and roles (the self-hosted toolkit); `bp plan`
# shows what each one expands to.

blueprint {
  required_version = ">= 0.1"
  required_providers {
    local = { source = "builtin/local" }
  }
  backend "local" { path = "bp.state" }
}

variable "web_count" {
  type        = number
  default     = 2
  description = "How many web machines to run."
  validation {
    condition     = var.web_count >= 1 && var.web_count <= 50
    error_message = "web_count must be between 1 and 50."
  }
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

resource "machine" "web" {
  count  = var.web_count
  name   = "web-${count.index}"
  image  = "debian-12"
  size   = "small"
  labels = { tier = "web" }
}

role "app" {
  package "nginx" {}
  user "app" { home = "/srv/app" }
  template "/etc/nginx/sites-enabled/default" {
    source = "templates/site.conf.tpl"
    vars   = { server_name = local.site, index = host.index }
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

configure "web" {
  hosts = resource.machine.web
  roles = [role.app]
  rollout { max_parallel = 2 }
}

resource "load_balancer" "front" {
  listener {
    port        = 80
    target_port = 80
  }
  targets = resource.machine.web[*].address
  health_check {
    path                = "/"
    interval            = "1s"
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
  # The web machines must serve before they take traffic.
  depends_on = [configure.web]
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
  records = resource.machine.web[*].address
  ttl     = 5
  routing {
    policy     = "failover"
    check_port = 80
  }
  depends_on = [configure.web]
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
output "web_addresses" { value = resource.machine.web[*].address }
output "urls" { value = [for m in resource.machine.web : "http://${m.address}/"] }
output "stats_url" {
  value       = resource.load_balancer.front.stats_url
  description = "HAProxy's per-backend statistics (CSV)."
}
