# Two machines whose role fails on purpose: exec "gate" fails on the host
# whose index is fail_host, after the site template has notified nginx.
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

variable "project" { type = string }
variable "fail_host" {
  type    = number
  default = -1
}
variable "revision" {
  type    = string
  default = "v1"
}

provider "local" { project = var.project }

resource "machine" "web" {
  count = 2
  name  = "web-${count.index}"
}

role "site" {
  # Counts nginx starts, so the test can tell one restart from two.
  directory "/etc/systemd/system/nginx.service.d" {}
  file "/etc/systemd/system/nginx.service.d/bp-e2e-count.conf" {
    content = "[Service]\nExecStartPost=/bin/sh -c 'echo started >> /var/log/bp-e2e-nginx-starts'\n"
  }
  package "nginx" {}
  template "/etc/nginx/sites-enabled/default" {
    source = "templates/site.conf.tpl"
    vars   = { revision = var.revision }
    notify = [service.nginx]
  }
  exec "gate" {
    command = host.index == var.fail_host ? "echo gate closed on ${host.name}; exit 3" : "true"
    unless  = host.index == var.fail_host ? "false" : "true"
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

output "addresses" { value = resource.machine.web[*].address }
