# A web application stack: web machines running nginx, each serving a page
# that names the host. The load balancer and DNS name in front of them come
# with the self-hosted toolkit (see README, Status).

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

locals { site = "shop.example.test" }

provider "local" {}

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

output "web_addresses" { value = resource.machine.web[*].address }
output "urls" { value = [for m in resource.machine.web : "http://${m.address}/"] }
