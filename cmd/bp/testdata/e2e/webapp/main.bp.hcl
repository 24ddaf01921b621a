# Two web machines with nginx serving a page templated per host, as in
# DESIGN §1.
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

variable "project" { type = string }

locals { site = "shop.example.test" }

provider "local" { project = var.project }

resource "machine" "web" {
  count  = 2
  name   = "web-${count.index}"
  labels = { tier = "web" }
}

role "app" {
  # Counts nginx starts, so the test can tell one restart from two.
  directory "/etc/systemd/system/nginx.service.d" {}
  file "/etc/systemd/system/nginx.service.d/bp-e2e-count.conf" {
    content = "[Service]\nExecStartPost=/bin/sh -c 'echo started >> /var/log/bp-e2e-nginx-starts'\n"
  }
  package "nginx" {}
  user "app" { home = "/srv/app" }
  template "/etc/nginx/sites-enabled/default" {
    source = "templates/site.conf.tpl"
    vars   = { server_name = local.site, index = host.index }
    notify = [service.nginx]
  }
  template "/var/www/html/index.html" {
    source = "templates/index.html.tpl"
    vars   = { greeting = "Welcome" }
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

configure "web" {
  hosts = resource.machine.web
  roles = [role.app]
}

output "addresses" { value = resource.machine.web[*].address }
