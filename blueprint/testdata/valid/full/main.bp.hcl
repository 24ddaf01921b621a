# Every top-level block type, with the meta-arguments the model records.

blueprint {
  required_version = ">= 0.1, < 2.0"
  required_providers {
    local = { source = "builtin/local" }
    cloud = { source = "example.com/acme/cloud", version = ">= 1.2" }
  }
  backend "postgres" {
    conn = "postgres://localhost/bp"
  }
}

variable "web_count" {
  type        = number
  default     = 2
  description = "How many web machines to run."
  validation {
    condition     = var.web_count >= 1
    error_message = "web_count must be at least 1, not ${var.web_count}."
  }
}

variable "zones" {
  type    = set(string)
  default = ["a", "b"]
}

variable "db" {
  type = object({
    name = string
    port = optional(number, 5432)
    tags = optional(map(string))
  })
  default = { name = "main" }
}

variable "password" {
  type      = string
  sensitive = true
  nullable  = false
}

variable "anything" {}

locals {
  site   = "shop.example.test"
  labels = { tier = "web", site = local.site }
}

locals {
  first_zone = sort(tolist(var.zones))[0]
}

provider "local" {}

provider "cloud" {
  alias  = "east"
  region = "us-east-1"
  token  = var.password
}

data "local_image" "base" {
  name = "debian-12"
}

resource "machine" "web" {
  count  = var.web_count
  image  = data.local_image.base.id
  size   = "small"
  name   = "web-${count.index}"
  labels = local.labels

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [labels, tags["owner"]]
  }

  connection {
    host = self.address
    user = "debian"
  }
}

resource "machine" "db" {
  provider   = cloud.east
  image      = "debian-12"
  depends_on = [resource.machine.web, module.cache]

  lifecycle {
    prevent_destroy = true
    ignore_changes  = all
  }
}

resource "load_balancer" "front" {
  realize = "selfhosted"
  listener {
    port        = 80
    target_port = 80
  }
  dynamic "listener" {
    for_each = var.zones
    iterator = zone
    content {
      port        = 8080
      target_port = length(zone.value) + var.web_count
      name        = "${zone.key}.${local.site}"
    }
  }
  targets = machine.web[*].address
}

resource "dns_record" "zone" {
  for_each = var.zones
  zone     = "example.test"
  name     = "${each.key}.${local.site}"
  records  = [resource.load_balancer.front.address]
}

module "cache" {
  source   = "./modules/cache"
  for_each = var.zones
  zone     = each.value
  size     = "small"
  providers = {
    cloud = cloud.east
  }
}

module "single" {
  source = "./modules/cache"
  zone   = local.first_zone
}

role "base" {
  package "curl" {}
}

role "app" {
  package "nginx" {}
  user "app" {
    home = "/srv/app"
  }
  template "/etc/nginx/sites-enabled/default" {
    source     = "templates/site.conf.tpl"
    vars       = { server_name = local.site, index = host.index, peer = resource.machine.db.address }
    notify     = [service.nginx]
    depends_on = [package.nginx]
  }
  file "/etc/app.env" {
    content   = "PASSWORD=${var.password}"
    sensitive = true
    notify    = [service.nginx]
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

configure "web" {
  hosts      = resource.machine.web
  roles      = [role.base, role.app]
  depends_on = [resource.machine.db]
  rollout {
    max_parallel = 1
  }
}

output "url" {
  value       = "http://${resource.dns_record.zone["a"].fqdn}/"
  description = "Where the site answers."
}

output "cache_address" {
  value      = module.single.address
  sensitive  = true
  depends_on = [module.single]
}

output "path" {
  value = [path.module, path.root, path.cwd]
}

moved {
  from = machine.old_web
  to   = machine.web
}

moved {
  from = module.old_cache
  to   = module.cache
}

import {
  to       = resource.machine.db
  id       = "i-0123"
  provider = cloud.east
}
