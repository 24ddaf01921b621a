# bp run on a machine group behind a load balancer: an autoscaler on
# requests per member with cooldowns of seconds, and a health check. The
# memory metric (read on the members over SSH) is far above what idle
# members use, so it never drives a decision; it makes bp run read host
# metrics on real machines.
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}

variable "project" { type = string }

provider "local" { project = var.project }

role "web" {
  package "nginx" {}
  file "/var/www/html/index.html" {
    content = "member ${host.address}\n"
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

resource "machine_group" "web" {
  template {
    image = "debian-12"
    size  = "small"
  }
  roles = [role.web]
  min   = 2
  max   = 4
}

resource "load_balancer" "front" {
  targets = resource.machine_group.web.members
  listener { port = 80 }
  health_check { interval = "1s" }
}

resource "autoscaler" "web" {
  group = resource.machine_group.web
  min   = 2
  max   = 4
  metric {
    name   = "requests_per_member"
    target = 20
    source = resource.load_balancer.front
  }
  metric {
    name   = "memory"
    target = 95
  }
  scale_out_cooldown = "5s"
  scale_in_cooldown  = "10s"
  stabilization      = "5s"
}

resource "health_check" "web" {
  targets = resource.machine_group.web
  http { path = "/" }
  interval            = "1s"
  unhealthy_threshold = 2
}

output "members" { value = resource.machine_group.web.members }
output "address" { value = resource.load_balancer.front.address }
